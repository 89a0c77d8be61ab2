import { sql, type Kysely } from 'kysely';
import { DEFAULT_TOPICS } from '../../domain/feedback/default-taxonomy.ts';
import reference from '../seed/reference.json' with { type: 'json' };

// Issue 16, the citizen's voice: every review of a service (channel, municipality, rating, text), monthly
// tallies the score pages read, curator cases opened by low ratings with text, an editable taxonomy of
// what worries citizens, and municipalities as agencies of their own kind.

/** The region's own spheres next to the social rating's 10 directions (the working group adds more). */
const REGIONAL_SPHERES = [
  { code: 'R-FAMILY', title_ru: 'Семья и демография', title_en: 'Family and demography' },
  {
    code: 'R-NATURE',
    title_ru: 'Природопользование, охота и рыбалка',
    title_en: 'Natural resources, hunting and fishing',
  },
  { code: 'R-AGRO', title_ru: 'Агропромышленный комплекс', title_en: 'Agriculture and food' },
];

const CHANNELS = `'mfc','rpgu','epgu','pos','hotline','curator_visit','web'`;

const UP = [
  // Agencies by kind: the region's ministries, municipalities (ОМСУ), federal bodies, the МФЦ network,
  // public organisations. Existing rows are the region's own.
  `alter table agency add column kind text not null default 'regional'
    check (kind in ('regional','municipality','federal','mfc','public_org'))`,
  `create table feedback_import (
    id serial primary key,
    filename text not null,
    format text not null check (format in ('csv','xlsx')),
    sha256 text not null,
    source text not null,
    rows int not null,
    inserted int not null,
    duplicates int not null,
    imported_by int references app_user(id),
    imported_at timestamptz not null default now()
  )`,
  // One row per intake (an API batch, a file, a public form post): the audit of what came from where, and
  // the write that moves the read cache's version for the whole intake (see the triggers below).
  `create table feedback_batch (
    id serial primary key,
    source text not null,
    received int not null,
    inserted int not null,
    import_id int references feedback_import(id),
    at timestamptz not null default now()
  )`,
  // Raw reviews. No personal data unless the citizen left contacts with consent (the check says so).
  // No foreign keys on the reviews and their tallies: a key check is a row lock on the service per review,
  // which halved bulk intake (measured: 100k rows 3.4 s with them, 1.6 s without, COPY 1.1 s). The intake
  // is the only writer: it checks every reference and locks the batch's services and municipalities once
  // (FOR KEY SHARE); a service with reviews cannot be deleted (web/routes/services.tsx).
  `create table feedback (
    id serial primary key,
    source text not null,
    source_id text,
    service_id int not null,
    channel text not null check (channel in (${CHANNELS})),
    municipality_id int,
    office text,
    received_on date not null,
    rating smallint not null check (rating between 1 and 5),
    body text check (length(body) <= 2000),
    categories text[] not null default '{}',
    topic_ids int[] not null default '{}',
    contact_name text,
    contact_email text,
    contact_phone text,
    consent_at timestamptz,
    import_id int,
    created_at timestamptz not null default now(),
    check ((contact_name is null and contact_email is null and contact_phone is null) or consent_at is not null)
  )`,
  // Idempotency by the sender's own id.
  `create unique index feedback_source_id on feedback(source, source_id) where source_id is not null`,
  `create index feedback_service_day on feedback(service_id, received_on)`,
  // Monthly tallies the pages read, kept by the intake in the same transaction as the reviews: per service
  // (scores, a service's or a life situation's topics) and per municipality (0 = not given; their sum is the
  // whole region). Two narrow tables instead of one per service × municipality, which a large region's
  // reviews would spread too thin to be an aggregate (3 M reviews over 2,000 services × 60 municipalities).
  `create table feedback_month (
    service_id int not null,
    month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
    votes int not null default 0,
    rating_sum int not null default 0,
    r1 int not null default 0,
    r2 int not null default 0,
    r3 int not null default 0,
    r4 int not null default 0,
    r5 int not null default 0,
    with_text int not null default 0,
    primary key (service_id, month)
  )`,
  `create index feedback_month_by_month on feedback_month(month)`,
  `create table feedback_area_month (
    municipality_id int not null default 0,
    month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
    votes int not null default 0,
    rating_sum int not null default 0,
    r1 int not null default 0,
    r2 int not null default 0,
    r3 int not null default 0,
    r4 int not null default 0,
    r5 int not null default 0,
    with_text int not null default 0,
    primary key (municipality_id, month)
  )`,
  `create table feedback_topic (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text not null,
    rules text[] not null default '{}',
    active boolean not null default true,
    sort int not null default 0,
    updated_by int references app_user(id),
    updated_at timestamptz not null default now()
  )`,
  `create table feedback_topic_month (
    service_id int not null,
    month text not null,
    topic_id int not null references feedback_topic(id) on delete cascade,
    n int not null default 0,
    primary key (service_id, month, topic_id)
  )`,
  `create index feedback_topic_month_by_month on feedback_topic_month(month, topic_id)`,
  `create table feedback_area_topic_month (
    municipality_id int not null default 0,
    month text not null,
    topic_id int not null references feedback_topic(id) on delete cascade,
    n int not null default 0,
    primary key (municipality_id, month, topic_id)
  )`,
  `create table feedback_case (
    id serial primary key,
    feedback_id int not null unique references feedback(id) on delete cascade,
    service_id int not null references service(id) on delete cascade,
    agency_id int not null references agency(id),
    curator_user_id int references app_user(id),
    status text not null default 'open' check (status in ('open','answered','closed')),
    opened_on date not null,
    due date not null,
    escalation_level int not null default 0 check (escalation_level between 0 and 2),
    answer text,
    fixed boolean,
    answered_by int references app_user(id),
    answered_at timestamptz,
    citizen_notified boolean not null default false,
    workflow_id text unique,
    created_at timestamptz not null default now()
  )`,
  `create index feedback_case_open on feedback_case(status, due)`,
  // A systemic problem put under control: the remediation item and the reviews that show it.
  `create table feedback_evidence (
    control_item_id int not null references control_item(id) on delete cascade,
    feedback_id int not null,
    topic_id int references feedback_topic(id),
    primary key (control_item_id, feedback_id)
  )`,
  `create index feedback_case_curator on feedback_case(curator_user_id, status)`,
  `create index feedback_case_agency on feedback_case(agency_id, status)`,
  // Directions (направления): the 10 of the social rating plus the region's own spheres; services and
  // measures carry one.
  `create table direction (
    code text primary key,
    title_ru text not null,
    title_en text not null,
    kind text not null check (kind in ('rating','regional')),
    sort int not null default 0
  )`,
  `alter table service add column direction text references direction(code)`,
  `alter table control_item add column direction text references direction(code)`,
  // Mystery shopping as a plan: checks planned for a quarter (per service group, assigned to checkers) are
  // marked with it; a daily Schedule chases the overdue ones.
  `alter table service_check add column plan_quarter text check (plan_quarter ~ '^[0-9]{4}-Q[1-4]$')`,
  `create index service_check_plan on service_check(plan_quarter) where plan_quarter is not null`,
  `create index service_check_overdue on service_check(scheduled_on) where status = 'scheduled'`,
  // Client-centricity principles (the checklist, editable) and check rounds: a grade 1–5 per principle
  // and the round's total (their mean).
  `create table principle (
    id serial primary key,
    code text not null unique,
    title_ru text not null,
    title_en text not null,
    active boolean not null default true,
    sort int not null default 0
  )`,
  `create table principle_round (
    id serial primary key,
    service_id int not null references service(id),
    held_on date not null,
    checker_user_id int references app_user(id),
    total numeric(3,2) not null check (total between 1 and 5),
    note text,
    created_at timestamptz not null default now()
  )`,
  `create index principle_round_service on principle_round(service_id, held_on)`,
  `create table principle_grade (
    round_id int not null references principle_round(id) on delete cascade,
    principle_id int not null references principle(id),
    grade smallint not null check (grade between 1 and 5),
    primary key (round_id, principle_id)
  )`,
  // Pages show what the intake writes, so it must move the read cache's version (migration 0006) — once
  // per intake: its feedback_batch row does. Reviews and tallies carry no trigger of their own (a deferred
  // trigger per row was a third of an intake's database time: a batch of 1,000 reviews touches ~3,000
  // tally rows); test/db/read-cache.test.ts names them as exempt with this reason.
  ...[
    'feedback_import',
    'feedback_batch',
    'feedback_topic',
    'feedback_case',
    'feedback_evidence',
    'principle',
    'principle_round',
    'principle_grade',
    'direction',
  ].map(
    (t) => `create constraint trigger ${t}_read_version after insert or update or delete on ${t}
      deferrable initially deferred for each row execute function bump_read_version()`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
  let d = 0;
  for (const x of reference.rating_directions.items)
    await sql`insert into direction (code, title_ru, title_en, kind, sort)
      values (${x.code}, ${x.title_ru}, ${x.title_en}, 'rating', ${(d += 10)})`.execute(db);
  for (const x of REGIONAL_SPHERES)
    await sql`insert into direction (code, title_ru, title_en, kind, sort)
      values (${x.code}, ${x.title_ru}, ${x.title_en}, 'regional', ${(d += 10)})`.execute(db);
  let order = 0;
  for (const p of reference.principles)
    await sql`insert into principle (code, title_ru, title_en, sort)
      values (${p.code}, ${p.title_ru}, ${p.title_en}, ${(order += 10)})`.execute(db);
  let sort = 0;
  for (const t of DEFAULT_TOPICS) {
    await sql`insert into feedback_topic (code, title_ru, title_en, rules, sort)
      values (${t.code}, ${t.title_ru}, ${t.title_en}, ${t.rules}, ${(sort += 10)})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists service_check_overdue`.execute(db);
  await sql`drop index if exists service_check_plan`.execute(db);
  await sql`alter table service_check drop column if exists plan_quarter`.execute(db);
  await sql`alter table control_item drop column if exists direction`.execute(db);
  await sql`alter table service drop column if exists direction`.execute(db);
  for (const t of [
    'direction',
    'principle_grade',
    'principle_round',
    'principle',
    'feedback_evidence',
    'feedback_case',
    'feedback_area_topic_month',
    'feedback_area_month',
    'feedback_topic_month',
    'feedback_topic',
    'feedback_month',
    'feedback',
    'feedback_batch',
    'feedback_import',
  ])
    await sql.raw(`drop table if exists ${t} cascade`).execute(db);
  await sql`alter table agency drop column if exists kind`.execute(db);
}
