import { sql, type Kysely } from 'kysely';

// Issue 15 item 1: reference data the project office administers itself — agencies with aliases, kind,
// merges and disabling; life situations' period; roadmaps' horizon and head sign-off rule; the working
// group's and the штаб's composition; the working-day calendar's years entered by the admin.
//
// `agency.kind` and `roadmap.head_signoff_required` are added "if not exists": issue 16 adds the same kind
// column (same values) and issue 13 may add the same flag; whichever migration runs first creates them.
const UP = [
  `alter table agency add column if not exists kind text not null default 'regional'
    check (kind in ('regional','municipality','federal','mfc','public_org'))`,
  // Other names an import may use for the agency (ОМСУ, «Органы местного самоуправления», an old name).
  `alter table agency add column aliases text[] not null default '{}'`,
  `alter table agency add column disabled boolean not null default false`,
  // Set when the agency was merged into another one (then also disabled): its names lead to the successor.
  `alter table agency add column merged_into_id int references agency(id)`,
  `alter table agency add check (merged_into_id is null or (disabled and merged_into_id <> id))`,
  `create index agency_aliases on agency using gin (aliases)`,

  `alter table life_situation add column period_from date`,
  `alter table life_situation add column period_to date`,
  `alter table life_situation add check (period_from is null or period_to is null or period_from <= period_to)`,

  // The last deadline the roadmap plans for: open-ended cadences run to it.
  `alter table roadmap add column horizon date`,
  `alter table roadmap add column if not exists head_signoff_required boolean not null default false`,

  // Who sits on the interagency working group and on the штаб: people (users or not), and agencies
  // (municipalities, federal bodies) as participants.
  `create table committee_member (
    id serial primary key,
    body text not null check (body in ('working_group','shtab')),
    role text not null check (role in ('chair','secretary','member','expert','participant')),
    user_id int references app_user(id),
    agency_id int references agency(id),
    name text check (length(name) between 1 and 300),
    position text check (length(position) <= 300),
    sort int not null default 0,
    created_at timestamptz not null default now(),
    check (user_id is not null or agency_id is not null or name is not null)
  )`,
  `create index committee_member_body on committee_member(body, sort, id)`,

  // A year of the production calendar as the admin entered it (the government decree of the autumn
  // before); it replaces the built-in table of that year, if any. Dates as 'YYYY-MM-DD' text.
  `create table calendar_year (
    year int primary key check (year between 2000 and 2100),
    days_off text[] not null,
    working_weekends text[] not null,
    source text not null check (length(source) between 1 and 500),
    version int not null,
    updated_by int references app_user(id),
    updated_at timestamptz not null default now()
  )`,
  ...['committee_member', 'calendar_year'].map(
    (t) => `create constraint trigger ${t}_read_version after insert or update or delete on ${t}
      deferrable initially deferred for each row execute function bump_read_version()`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop table if exists calendar_year',
    'drop table if exists committee_member',
    'alter table roadmap drop column if exists horizon',
    'alter table life_situation drop column if exists period_to',
    'alter table life_situation drop column if exists period_from',
    'drop index if exists agency_aliases',
    'alter table agency drop column if exists merged_into_id',
    'alter table agency drop column if exists disabled',
    'alter table agency drop column if exists aliases',
  ])
    await sql.raw(s).execute(db);
}
