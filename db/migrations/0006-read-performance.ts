import { sql, type Kysely } from 'kysely';

// Issue 7 (scale): what the pages need to stay fast at 100k items.

/**
 * Tables whose every change bumps `read_version`, the key of the web's read cache (db/read-cache.ts): every
 * table but those listed in READ_VERSION_EXEMPT in test/db/read-cache.test.ts (sessions, the inbox — read
 * per user, never cached —, uploads, import job progress, API tokens, the migrator's own). A new table
 * must be added to one list or the other; that test fails otherwise.
 */
const VERSIONED = [
  'agency',
  'app_user',
  'roadmap',
  'life_situation',
  'service',
  'service_life_situation',
  'service_score',
  'score_import',
  'service_improvement',
  'service_check',
  'check_in',
  'check_in_decision',
  'check_in_schedule',
  'status_request',
  'status_note',
  'control_item',
  'item_period',
  'submission',
  'extension_request',
  'event',
  'indicator',
  'indicator_value',
  'setting',
];

/** bump_read_version() as this migration creates it; 0008 restores it when it is rolled back. */
export const BUMP_READ_VERSION_BODY = `$$
  begin
    if current_setting('shtab.read_version_bumped', true) is distinct from 'y' then
      perform set_config('shtab.read_version_bumped', 'y', true);
      update read_version set v = v + 1 where stripe = mod(txid_current(), 16)::int;
    end if;
    return null;
  end $$`;

const UP = [
  // A change counter for the read cache, in 16 stripes so that concurrent commits rarely queue on one row;
  // readers add the stripes up.
  `create table read_version (stripe int primary key, v bigint not null default 0)`,
  `insert into read_version (stripe) select generate_series(0, 15)`,
  // Deferred constraint triggers run at commit, after every other lock the transaction takes: bumping at
  // the first write instead would hold the stripe's row lock across the transaction and could deadlock
  // two writers that share a stripe and touch each other's rows. A transaction-local setting makes it one
  // bump per transaction however many rows it writes. The bump commits with the change, so the new
  // version becomes visible exactly when the change does. (TRUNCATE is not covered: nothing truncates.)
  `create function bump_read_version() returns trigger language plpgsql as ${BUMP_READ_VERSION_BODY}`,
  ...VERSIONED.map(
    (t) => `create constraint trigger ${t}_read_version after insert or update or delete on ${t}
      deferrable initially deferred for each row execute function bump_read_version()`,
  ),

  // The inbox's order is (created_at, id) desc; notices created together (one run of chases) share a
  // created_at, and without the id in the index a page sorted a whole run (23k rows for the working group).
  `drop index notification_inbox`,
  `create index notification_inbox on notification(recipient_user_id, created_at, id)`,
  // The unread badge on every page: counts only unread rows.
  `create index notification_unread on notification(recipient_user_id) where read_at is null`,
  // "Items where this agency co-executes" (agency page, work queues) as an indexed containment test.
  `create index control_item_co_agencies on control_item using gin (co_agency_ids)`,
  // The roadmap list's order (open first, then by deadline), so a page is an index range, not a sort.
  `create index control_item_list_order on control_item
    ((case when status in ('done','cancelled') then 1 else 0 end), current_due, id)`,
  // Late chases and returns per agency (the league table).
  `create index event_late_chases on event(control_item_id, type)
    where type in ('chase.overdue','chase.escalation','chase.repeat','returned')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop index if exists event_late_chases',
    'drop index if exists control_item_list_order',
    'drop index if exists control_item_co_agencies',
    'drop index if exists notification_unread',
    'drop index if exists notification_inbox',
    'create index notification_inbox on notification(recipient_user_id, created_at)',
    ...VERSIONED.map((t) => `drop trigger if exists ${t}_read_version on ${t}`),
    'drop function if exists bump_read_version()',
    'drop table if exists read_version',
  ])
    await sql.raw(s).execute(db);
}
