import { sql, type Kysely } from 'kysely';

// Issue 13 (the people's day): instructions given by leadership from any item, red-list row or meeting;
// work inside an agency — the head's assignment of an item to one of the agency's executors with an
// internal deadline (подчинённое поручение), the head's sign-off of a report before the working group
// sees it (a per-roadmap rule); a comment thread per item.
//
// `roadmap.head_signoff_required` is added "if not exists": issue 15's reference-data migration adds the
// same flag; whichever runs first creates it.
const UP = [
  `alter table roadmap add column if not exists head_signoff_required boolean not null default false`,

  // An instruction's author (a member of the leadership) and who entered it (the working group on the
  // author's behalf, recorded as such); the item it was given about; the special-control flag, which
  // until now lived only on the minutes' decision rows.
  `alter table control_item add column author_user_id int references app_user(id)`,
  `alter table control_item add column given_by_user_id int references app_user(id)`,
  `alter table control_item add column source_item_id int references control_item(id)`,
  `alter table control_item add column special_control boolean not null default false`,
  `update control_item i set special_control = true
     from check_in_decision d where d.control_item_id = i.id and d.special_control`,
  // A report waits for the agency head's sign-off (mirrors the workflow state, like every lifecycle column).
  `alter table control_item add column signoff_pending boolean not null default false`,
  `create index control_item_author on control_item(author_user_id) where author_user_id is not null`,
  `create index control_item_source on control_item(source_item_id) where source_item_id is not null`,
  // The review queue's count in the menu, on every page of the working group.
  `create index control_item_submitted on control_item(id) where status = 'submitted'`,
  `create index control_item_executor on control_item(executor_user_id)
     where status not in ('done','cancelled')`,

  // The head's sign-off of an executor's report: pending, signed (then it went to the working group) or
  // returned to the executor (then the working group never saw it).
  `alter table submission add column signoff_status text check (signoff_status in ('pending','signed','returned'))`,
  `alter table submission add column signoff_by int references app_user(id)`,
  `alter table submission add column signoff_at timestamptz`,
  `alter table submission add column signoff_reason text`,

  // Подчинённое поручение: the head gives an item to one of the agency's executors with an internal
  // deadline. One open assignment per item; a new one supersedes it. Chased by its own workflow
  // (assignment-<id>); its lateness is the head's business, not the programme's figures.
  `create table assignment (
    id serial primary key,
    control_item_id int not null references control_item(id) on delete cascade,
    agency_id int not null references agency(id),
    assignee_user_id int not null references app_user(id),
    assigned_by int references app_user(id),
    internal_due date not null,
    note text check (length(note) <= 2000),
    status text not null default 'open' check (status in ('open','reported','closed','superseded')),
    event_key text not null unique,
    created_at timestamptz not null default now(),
    closed_at timestamptz,
    chases_sent int not null default 0,
    workflow_id text unique,
    check ((status = 'open') = (closed_at is null))
  )`,
  `create unique index assignment_open on assignment(control_item_id) where status = 'open'`,
  `create index assignment_assignee on assignment(assignee_user_id, status)`,
  `create index assignment_agency on assignment(agency_id, status)`,

  // A comment thread per item; every participant is notified (outbox → inbox and email).
  `create table item_comment (
    id serial primary key,
    control_item_id int not null references control_item(id) on delete cascade,
    author_user_id int not null references app_user(id),
    event_key text not null unique,
    body text not null check (length(body) between 1 and 5000),
    created_at timestamptz not null default now()
  )`,
  `create index item_comment_item on item_comment(control_item_id, created_at)`,

  ...['assignment', 'item_comment'].map(
    (t) => `create constraint trigger ${t}_read_version after insert or update or delete on ${t}
      deferrable initially deferred for each row execute function bump_read_version()`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop table if exists item_comment',
    'drop table if exists assignment',
    'alter table submission drop column if exists signoff_reason',
    'alter table submission drop column if exists signoff_at',
    'alter table submission drop column if exists signoff_by',
    'alter table submission drop column if exists signoff_status',
    'drop index if exists control_item_executor',
    'drop index if exists control_item_submitted',
    'alter table control_item drop column if exists signoff_pending',
    'alter table control_item drop column if exists special_control',
    'alter table control_item drop column if exists source_item_id',
    'alter table control_item drop column if exists given_by_user_id',
    'alter table control_item drop column if exists author_user_id',
  ])
    await sql.raw(s).execute(db);
}
