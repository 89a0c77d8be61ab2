import { sql, type Kysely } from 'kysely';

// Issue 17 item 4, second half: a write drops only what depends on the kind of data it changed. The read
// cache's counter (migration 0006) becomes one counter per kind ("scope"): a cached read names the scopes
// it reads and is reused while they stand, so a submission no longer drops the services KPI or the
// citizens' worries, and a batch of reviews no longer drops the red list. The unread badge, on every page,
// moves a counter of its user alone (notice_version): one person's new notice no longer drops everyone's
// pages. docs/decisions.md §47.

/** The kinds of data, and which tables belong to each (every table whose trigger calls bump_read_version). */
export const SCOPE_OF_TABLE: Record<string, 'items' | 'services' | 'feedback' | 'reference'> = {
  control_item: 'items',
  item_period: 'items',
  submission: 'items',
  extension_request: 'items',
  event: 'items',
  status_request: 'items',
  status_note: 'items',
  check_in: 'items',
  check_in_decision: 'items',
  check_in_schedule: 'items',
  indicator: 'items',
  indicator_value: 'items',
  assignment: 'items',
  item_comment: 'items',

  service: 'services',
  service_life_situation: 'services',
  service_score: 'services',
  score_import: 'services',
  service_improvement: 'services',
  service_check: 'services',

  feedback_import: 'feedback',
  feedback_batch: 'feedback',
  feedback_topic: 'feedback',
  feedback_case: 'feedback',
  feedback_evidence: 'feedback',
  feedback_rematch: 'feedback',
  principle: 'feedback',
  principle_round: 'feedback',
  principle_grade: 'feedback',

  agency: 'reference',
  app_user: 'reference',
  roadmap: 'reference',
  life_situation: 'reference',
  setting: 'reference',
  direction: 'reference',
  committee_member: 'reference',
  calendar_year: 'reference',
  saved_view: 'reference',
};

const BUMP_BY_SCOPE = `$$
  declare
    s text := coalesce(TG_ARGV[0], 'items');
  begin
    if current_setting('shtab.rv_' || s, true) is distinct from 'y' then
      perform set_config('shtab.rv_' || s, 'y', true);
      update read_version set v = v + 1 where scope = s and stripe = mod(txid_current(), 16)::int;
      perform pg_notify('shtab_change', '');
    end if;
    return null;
  end $$`;

const BUMP_NOTICES = `$$
  declare
    u int := coalesce(new.recipient_user_id, old.recipient_user_id);
  begin
    if u is not null and current_setting('shtab.nv_' || u, true) is distinct from 'y' then
      perform set_config('shtab.nv_' || u, 'y', true);
      insert into notice_version (user_id, v) values (u, 1)
        on conflict (user_id) do update set v = notice_version.v + 1;
      perform pg_notify('shtab_change', '');
    end if;
    return null;
  end $$`;

async function versionedTables(db: Kysely<unknown>) {
  const { rows } = await sql<{ table: string; trigger: string }>`
    select t.tgrelid::regclass::text as table, t.tgname as trigger from pg_trigger t
    where t.tgfoid = 'bump_read_version'::regproc order by 1`.execute(db);
  return rows;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const triggers = (await versionedTables(db)).filter((t) => t.table !== 'notification');
  const unknown = triggers.filter((t) => !(t.table in SCOPE_OF_TABLE)).map((t) => t.table);
  if (unknown.length) throw new Error(`0017: no scope for ${unknown.join(', ')}`);

  // Every existing counter value goes to 'items', so versions only ever grow.
  await sql`alter table read_version add column scope text not null default 'items'`.execute(db);
  await sql`alter table read_version drop constraint read_version_pkey`.execute(db);
  await sql`alter table read_version add primary key (scope, stripe)`.execute(db);
  await sql`alter table read_version alter column scope drop default`.execute(db);
  await sql`insert into read_version (scope, stripe)
    select s, g from unnest(array['services', 'feedback', 'reference']) s, generate_series(0, 15) g`.execute(
    db,
  );
  await sql
    .raw(
      `create or replace function bump_read_version() returns trigger language plpgsql as ${BUMP_BY_SCOPE}`,
    )
    .execute(db);
  for (const t of triggers) {
    await sql.raw(`drop trigger ${t.trigger} on ${t.table}`).execute(db);
    await sql
      .raw(
        `create constraint trigger ${t.trigger} after insert or update or delete on ${t.table}
        deferrable initially deferred for each row execute function bump_read_version('${SCOPE_OF_TABLE[t.table]}')`,
      )
      .execute(db);
  }

  await sql`create table notice_version (user_id int primary key, v bigint not null)`.execute(db);
  await sql
    .raw(`create function bump_notice_version() returns trigger language plpgsql as ${BUMP_NOTICES}`)
    .execute(db);
  await sql`drop trigger if exists notification_read_version on notification`.execute(db);
  await sql`create constraint trigger notification_notice_version after insert or update or delete on notification
    deferrable initially deferred for each row execute function bump_notice_version()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists notification_notice_version on notification`.execute(db);
  await sql`drop function if exists bump_notice_version()`.execute(db);
  await sql`drop table if exists notice_version`.execute(db);
  await sql`create constraint trigger notification_read_version after insert or update or delete on notification
    deferrable initially deferred for each row execute function bump_read_version()`.execute(db);
  for (const t of (await versionedTables(db)).filter((x) => x.table !== 'notification')) {
    await sql.raw(`drop trigger ${t.trigger} on ${t.table}`).execute(db);
    await sql
      .raw(
        `create constraint trigger ${t.trigger} after insert or update or delete on ${t.table}
        deferrable initially deferred for each row execute function bump_read_version()`,
      )
      .execute(db);
  }
  // One counter again: the scopes' sums fold into it, so the version does not go back.
  await sql`create temp table rv_fold as select stripe, sum(v) as v from read_version group by stripe`.execute(
    db,
  );
  await sql`delete from read_version`.execute(db);
  await sql`alter table read_version drop constraint read_version_pkey`.execute(db);
  await sql`alter table read_version drop column scope`.execute(db);
  await sql`insert into read_version (stripe, v) select stripe, v from rv_fold`.execute(db);
  await sql`drop table rv_fold`.execute(db);
  await sql`alter table read_version add primary key (stripe)`.execute(db);
  await sql
    .raw(
      `create or replace function bump_read_version() returns trigger language plpgsql as $$
  begin
    if current_setting('shtab.read_version_bumped', true) is distinct from 'y' then
      perform set_config('shtab.read_version_bumped', 'y', true);
      update read_version set v = v + 1 where stripe = mod(txid_current(), 16)::int;
      perform pg_notify('shtab_change', '');
    end if;
    return null;
  end $$`,
    )
    .execute(db);
}
