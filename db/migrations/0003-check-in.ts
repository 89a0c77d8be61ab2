import { sql, type Kysely } from 'kysely';

// Weekly check-in (issue 5): schedule settings per roadmap, status requests per agency, decisions of the
// minutes. check_in, status_note and control_item.check_in_id come from 0001.
const UP = [
  // A meeting on a holiday is recorded as skipped (docs/decisions.md §13).
  `alter table check_in drop constraint check_in_status_check`,
  `alter table check_in add constraint check_in_status_check
     check (status in ('collecting','held','closed','skipped'))`,
  // One check-in per roadmap and meeting: a "run now" for a meeting the Schedule already opened is a no-op.
  `create unique index check_in_roadmap_meeting on check_in(roadmap_id, meeting_at)`,
  // The digest is a snapshot: once written it never changes (history pages and diffs rely on it).
  `create function check_in_digest_immutable() returns trigger language plpgsql as $$
   begin
     if old.digest is not null and new.digest is distinct from old.digest then
       raise exception 'the digest of check-in % is immutable', old.id;
     end if;
     return new;
   end $$`,
  `create trigger check_in_digest_immutable before update on check_in
     for each row execute function check_in_digest_immutable()`,
  `create table check_in_schedule (
    roadmap_id int primary key references roadmap(id) on delete cascade,
    weekday int not null default 5 check (weekday between 1 and 7),
    meeting_minute int not null default 600 check (meeting_minute between 0 and 1439),
    request_working_days int not null default 2 check (request_working_days between 1 and 5),
    paused boolean not null default false,
    updated_by int references app_user(id),
    updated_at timestamptz not null default now()
  )`,
  `create table status_request (
    id serial primary key,
    check_in_id int not null references check_in(id) on delete cascade,
    agency_id int not null references agency(id),
    item_ids int[] not null,
    requested_at timestamptz not null,
    chased_at timestamptz,
    answered_at timestamptz,
    answered_by int references app_user(id),
    unique (check_in_id, agency_id)
  )`,
  `create table check_in_decision (
    id serial primary key,
    check_in_id int not null references check_in(id) on delete cascade,
    seq int not null,
    text text not null,
    agency_id int references agency(id),
    co_agency_ids int[] not null default '{}',
    due date,
    special_control boolean not null default false,
    control_item_id int unique references control_item(id),
    created_by int references app_user(id),
    created_at timestamptz not null,
    unique (check_in_id, seq),
    check ((agency_id is null) = (due is null)),
    check (control_item_id is null or agency_id is not null)
  )`,
  `create index control_item_check_in on control_item(check_in_id) where check_in_id is not null`,
  `create index event_check_in on event(check_in_id, at) where check_in_id is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const stmt of [
    `drop index if exists event_check_in`,
    `drop index if exists control_item_check_in`,
    `drop table if exists check_in_decision`,
    `drop table if exists status_request`,
    `drop table if exists check_in_schedule`,
    `drop trigger if exists check_in_digest_immutable on check_in`,
    `drop function if exists check_in_digest_immutable()`,
    `drop index if exists check_in_roadmap_meeting`,
    `alter table check_in drop constraint check_in_status_check`,
    `alter table check_in add constraint check_in_status_check check (status in ('collecting','held','closed'))`,
  ]) {
    await sql.raw(stmt).execute(db);
  }
}
