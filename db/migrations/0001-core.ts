import { sql, type Kysely } from 'kysely';

// Core schema of DESIGN.md. Statement by statement: Kysely runs each through the extended protocol, which
// takes one statement at a time. Dates that are calendar days are `date`; moments are `timestamptz`.
const UP = [
  `create table agency (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text not null,
    short_ru text,
    created_at timestamptz not null default now()
  )`,
  `create table app_user (
    id serial primary key,
    login text not null unique,
    display_name text not null,
    email text,
    password_hash text not null,
    role text not null check (role in ('admin','working_group','leadership','agency_head','agency_executor','observer')),
    agency_id int references agency(id),
    position text,
    locale text not null default 'ru' check (locale in ('ru','en')),
    disabled boolean not null default false,
    created_at timestamptz not null default now(),
    check ((role in ('agency_head','agency_executor')) = (agency_id is not null))
  )`,
  `create index app_user_agency on app_user(agency_id, role)`,
  `create table session (
    id text primary key,
    user_id int not null references app_user(id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null
  )`,
  `create index session_by_user on session(user_id)`,
  `create table life_situation (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text not null,
    level text not null check (level in ('federal','regional')),
    audience text not null default 'citizen',
    sort int not null default 0,
    target_state jsonb
  )`,
  `create table roadmap (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text not null,
    act text,
    chase_policy jsonb,
    created_at timestamptz not null default now()
  )`,
  `create table service (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text,
    agency_id int not null references agency(id),
    curator_user_id int references app_user(id),
    level text not null default 'regional',
    electronic boolean not null default false,
    proactive boolean not null default false,
    socially_significant boolean not null default false,
    channels text[] not null default '{}',
    created_at timestamptz not null default now()
  )`,
  `create index service_agency on service(agency_id)`,
  `create table service_life_situation (
    service_id int not null references service(id) on delete cascade,
    life_situation_id int not null references life_situation(id) on delete cascade,
    primary key (service_id, life_situation_id)
  )`,
  `create table service_score (
    id serial primary key,
    service_id int not null references service(id) on delete cascade,
    period text not null,
    avg_score numeric(3,2) check (avg_score between 1 and 5),
    votes int not null default 0 check (votes >= 0),
    criteria jsonb,
    imported_at timestamptz not null default now(),
    unique (service_id, period)
  )`,
  `create table check_in (
    id serial primary key,
    roadmap_id int references roadmap(id),
    meeting_at timestamptz not null,
    status text not null default 'collecting' check (status in ('collecting','held','closed')),
    digest jsonb,
    digest_at timestamptz,
    minutes text,
    workflow_id text unique,
    created_at timestamptz not null default now()
  )`,
  `create table control_item (
    id serial primary key,
    kind text not null check (kind in ('measure','instruction','service_improvement','remediation')),
    roadmap_id int references roadmap(id),
    number text,
    title_ru text not null,
    title_en text,
    description text,
    deliverable text,
    measure_type text,
    life_situation_id int references life_situation(id),
    agency_id int not null references agency(id),
    co_agency_ids int[] not null default '{}',
    executor_user_id int references app_user(id),
    service_id int references service(id),
    check_in_id int references check_in(id),
    status text not null default 'assigned'
      check (status in ('assigned','in_progress','submitted','returned','done','cancelled')),
    original_due date not null,
    current_due date not null,
    recurrence text check (recurrence in ('monthly','quarterly','yearly')),
    period_key text,
    recurrence_until date,
    recurrence_due_days int,
    review_round int not null default 0,
    escalation_level int not null default 0 check (escalation_level between 0 and 4),
    overdue_since date,
    chases_sent int not null default 0,
    require_co_parts boolean not null default false,
    cancel_reason text,
    accepted_at timestamptz,
    closed_at timestamptz,
    workflow_id text unique,
    version int not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (roadmap_id, number)
  )`,
  `create index control_item_agency on control_item(agency_id, status)`,
  `create index control_item_ls on control_item(life_situation_id, status)`,
  `create index control_item_due on control_item(current_due) where status not in ('done','cancelled')`,
  `create table item_period (
    control_item_id int not null references control_item(id) on delete cascade,
    period_key text not null,
    due date not null,
    review_rounds int not null,
    accepted_at timestamptz not null,
    primary key (control_item_id, period_key)
  )`,
  `create table submission (
    id serial primary key,
    control_item_id int not null references control_item(id) on delete cascade,
    event_key text not null unique,
    period_key text,
    round int not null,
    is_part boolean not null default false,
    agency_id int not null references agency(id),
    author_user_id int references app_user(id),
    body text not null default '',
    links jsonb not null default '[]',
    submitted_at timestamptz not null,
    outcome text check (outcome in ('accepted','returned')),
    review_reason text,
    reviewer_user_id int references app_user(id),
    reviewed_at timestamptz
  )`,
  `create index submission_item on submission(control_item_id, submitted_at)`,
  `create table attachment (
    id serial primary key,
    submission_id int references submission(id) on delete cascade,
    uploaded_by int references app_user(id),
    filename text not null,
    mime text not null,
    size_bytes int not null check (size_bytes >= 0),
    sha256 text not null,
    content bytea not null,
    created_at timestamptz not null default now()
  )`,
  `create index attachment_submission on attachment(submission_id)`,
  `create table extension_request (
    id serial primary key,
    control_item_id int not null references control_item(id) on delete cascade,
    event_key text not null unique,
    requested_by int references app_user(id),
    previous_due date not null,
    requested_due date not null,
    reason text not null,
    status text not null default 'pending' check (status in ('pending','approved','rejected')),
    decided_by int references app_user(id),
    decided_at timestamptz,
    decision_note text,
    created_at timestamptz not null
  )`,
  `create index extension_request_item on extension_request(control_item_id)`,
  `create table event (
    id bigserial primary key,
    event_key text not null unique,
    control_item_id int references control_item(id) on delete cascade,
    check_in_id int references check_in(id) on delete cascade,
    type text not null,
    actor_user_id int references app_user(id),
    at timestamptz not null,
    before jsonb,
    after jsonb,
    data jsonb
  )`,
  `create index event_item on event(control_item_id, at)`,
  `create index event_at on event(at)`,
  `create table notification (
    id bigserial primary key,
    idempotency_key text not null unique,
    recipient_user_id int references app_user(id) on delete cascade,
    recipient_email text,
    control_item_id int references control_item(id) on delete cascade,
    kind text not null,
    locale text not null default 'ru',
    subject text not null,
    body_text text not null,
    body_html text,
    created_at timestamptz not null default now(),
    send_after timestamptz not null default now(),
    sent_at timestamptz,
    attempts int not null default 0,
    last_error text,
    read_at timestamptz
  )`,
  `create index notification_unsent on notification(send_after) where sent_at is null and recipient_email is not null`,
  `create index notification_inbox on notification(recipient_user_id, created_at)`,
  `create table status_note (
    id serial primary key,
    check_in_id int not null references check_in(id) on delete cascade,
    control_item_id int not null references control_item(id) on delete cascade,
    agency_id int not null references agency(id),
    author_user_id int references app_user(id),
    body text not null,
    created_at timestamptz not null default now(),
    unique (check_in_id, control_item_id)
  )`,
  `create table indicator (
    id serial primary key,
    life_situation_id int not null references life_situation(id) on delete cascade,
    code text not null,
    title_ru text not null,
    title_en text not null,
    unit text not null,
    higher_is_better boolean not null default true,
    unique (life_situation_id, code)
  )`,
  `create table indicator_value (
    indicator_id int not null references indicator(id) on delete cascade,
    period text not null,
    plan numeric,
    actual numeric,
    primary key (indicator_id, period)
  )`,
  `create table setting (
    key text primary key,
    value jsonb not null,
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'setting',
    'indicator_value',
    'indicator',
    'status_note',
    'notification',
    'event',
    'extension_request',
    'attachment',
    'submission',
    'item_period',
    'control_item',
    'check_in',
    'service_score',
    'service_life_situation',
    'service',
    'roadmap',
    'life_situation',
    'session',
    'app_user',
    'agency',
  ];
  for (const t of tables) await sql.raw(`drop table if exists ${t} cascade`).execute(db);
}
