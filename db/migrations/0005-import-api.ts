import { sql, type Kysely } from 'kysely';

// Issue 6 (integration): background import jobs and API tokens for integrations.
const UP = [
  `create table import_job (
    id serial primary key,
    kind text not null,
    roadmap_id int references roadmap(id),
    new_roadmap_title text,
    filename text not null,
    content bytea,
    size_bytes int not null check (size_bytes >= 0),
    status text not null default 'queued' check (status in ('queued','running','failed','done')),
    phase text not null default 'queued'
      check (phase in ('queued','reading','validating','writing','starting','finished')),
    rows_total int not null default 0,
    rows_done int not null default 0,
    workflows_total int not null default 0,
    workflows_done int not null default 0,
    errors jsonb,
    result jsonb,
    applied_at timestamptz,
    workflow_id text,
    created_by int references app_user(id),
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    check (kind <> 'roadmap' or roadmap_id is not null or new_roadmap_title is not null)
  )`,
  `create index import_job_created on import_job(created_at desc)`,
  `create table api_token (
    id serial primary key,
    name text not null,
    token_hash text not null unique,
    token_prefix text not null,
    user_id int references app_user(id) on delete cascade,
    role text check (role in ('admin','working_group','leadership','agency_head','agency_executor','observer')),
    agency_id int references agency(id),
    created_by int references app_user(id),
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    check ((user_id is null) <> (role is null)),
    check (role is null or (role in ('agency_head','agency_executor')) = (agency_id is not null))
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table if exists api_token').execute(db);
  await sql.raw('drop table if exists import_job').execute(db);
}
