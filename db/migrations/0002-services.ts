import { sql, type Kysely } from 'kysely';

// Service quality (issue 6): improvement workflows for low-scoring services, mystery-shopping and
// time-and-motion checks, and the log of score imports. The registry, scores, indicators and settings are
// tables of 0001.
const UP = [
  `create table service_improvement (
    id serial primary key,
    service_id int not null references service(id) on delete cascade,
    period_selected text not null,
    baseline_avg numeric(3,2) check (baseline_avg between 1 and 5),
    target_avg numeric(3,2) not null check (target_avg between 1 and 5),
    status text not null default 'planning'
      check (status in ('planning','implementing','awaiting_score','improved','cancelled')),
    plan_due date not null,
    implementation_due date not null,
    plan_item_id int references control_item(id),
    implementation_item_id int references control_item(id),
    measure_after_period text,
    last_score_period text,
    last_score_avg numeric(3,2),
    improved_period text,
    improved_avg numeric(3,2),
    improved_at timestamptz,
    selected_by int references app_user(id),
    workflow_id text unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (implementation_due >= plan_due)
  )`,
  // One improvement at a time per service; closed ones stay as history.
  `create unique index service_improvement_open on service_improvement(service_id)
    where status not in ('improved','cancelled')`,
  `create index service_improvement_status on service_improvement(status)`,
  `create table service_check (
    id serial primary key,
    service_id int not null references service(id) on delete cascade,
    kind text not null check (kind in ('mystery_shopping','timing')),
    channel text,
    scheduled_on date not null,
    inspector_user_id int references app_user(id),
    status text not null default 'scheduled' check (status in ('scheduled','done','cancelled')),
    performed_on date,
    steps int check (steps >= 0),
    minutes numeric(7,1) check (minutes >= 0),
    documents_asked int check (documents_asked >= 0),
    documents_note text,
    issues text,
    remediation_item_id int references control_item(id),
    created_by int references app_user(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index service_check_service on service_check(service_id, scheduled_on)`,
  `create table score_import (
    id serial primary key,
    filename text not null,
    format text not null check (format in ('csv','xlsx')),
    sha256 text not null,
    periods text[] not null default '{}',
    rows int not null,
    inserted int not null,
    updated int not null,
    unchanged int not null,
    imported_by int references app_user(id),
    imported_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['score_import', 'service_check', 'service_improvement'])
    await sql.raw(`drop table if exists ${t} cascade`).execute(db);
}
