import { sql, type Kysely } from 'kysely';
import { isWorkingDay } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/local-date.ts';

// Issue 17: the programme-wide figures (dashboard, league table, agency and life-situation statistics,
// burn-up) kept up to date by the transactions that change items, instead of recomputed over every item
// after every write (docs/decisions.md §44). What is kept does not depend on "today" except a few counts
// kept as of one day (the anchor); db/aggregates.ts moves the anchor once a day, rebuilding those counts
// with the domain's own functions, and reads fall back to a full recomputation while it is not today.

/** Advisory lock: item writers hold it shared from their first kept change to commit; a rebuild exclusive. */
export const AGGREGATES_LOCK = 734_100_001;

/** The working-day calendar's first and last day in `work_day` (the rebuild extends it when data needs it). */
export const WORK_DAY_RANGE = ['2010-01-01', '2040-12-31'] as const;

/** Ordinal of every day in [from, to]: working days from `from` to the day, inclusive (domain calendar). */
export function workDayRows(from: string, to: string) {
  const days: string[] = [];
  const ordinals: number[] = [];
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (isWorkingDay(d)) n++;
    days.push(d);
    ordinals.push(n);
  }
  return { days, ordinals };
}

const WAITING = `('assigned','in_progress','returned')`;
const LATE_CHASES = `('chase.overdue','chase.escalation','chase.repeat')`;
const COUNTED_EVENTS = `('chase.overdue','chase.escalation','chase.repeat','returned')`;

const TERMS = [
  'total',
  'done',
  'open',
  'done_on_time',
  'late_done',
  'late_done_days',
  'waiting',
  'overdue',
  'overdue_days',
  'due_soon',
  'm_total',
  'm_done',
  'm_open',
  'm_overdue',
  'm_done_on_time',
];

/** Stages (sc, gid, x agg_terms, dir) rows for this transaction's flush, added up per group. */
const stageGroups = (source: string) => `
    insert into agg_group_delta (tx, scope, group_id, waiting_moved, ${TERMS.join(', ')})
    select txid_current(), sc, gid, bool_or((x).waiting = 1), ${TERMS.map((t) => `sum(dir * (x).${t})`).join(', ')}
    from (${source}) v
    where gid is not null
    group by sc, gid`;

/** Stages burn-up rows (day, s, p, d, f, l) for this transaction's flush. */
const stageBurnUp = (source: string) => `
    insert into agg_burnup_delta (tx, day, scope, planned, done, firsts, lasts)
    select txid_current(), day, sum(s), sum(p), sum(d), sum(f), sum(l) from (${source}) x
    group by day
    having (sum(s), sum(p), sum(d), sum(f), sum(l)) <> (0, 0, 0, 0, 0)`;

const UP = [
  // The production calendar as the domain computes it (domain/calendar), one row per day: working days
  // between two dates are a subtraction of ordinals, in SQL as in TypeScript. Only differences matter.
  `create table work_day (day date primary key, ordinal int not null)`,
  // Outside the table (never for real dates: the rebuild extends it to cover the data) weekdays count.
  `create function work_ordinal(d date) returns int language sql stable as $$
    select coalesce(
      (select ordinal from work_day where day = d),
      case
        when d > (select max(day) from work_day) then
          (select ordinal from work_day order by day desc limit 1) + (select count(*)::int
            from generate_series((select max(day) from work_day) + 1, d, interval '1 day') g
            where extract(isodow from g) < 6)
        else
          (select ordinal from work_day order by day limit 1) - (select count(*)::int
            from generate_series(d + 1, (select min(day) from work_day), interval '1 day') g
            where extract(isodow from g) < 6)
      end)
  $$`,

  // The day the day-dependent counts are kept for, and what they were computed with. One row.
  `create table agg_anchor (
    id int primary key check (id = 1),
    day date not null,
    day_ordinal int not null,
    soon_days int not null,
    time_zone text not null,
    calendar text not null,
    rebuilt_at timestamptz not null default now()
  )`,

  // Per agency ('a', the responsible one) and per life situation ('l'): items that are not cancelled, by
  // state; m_* the same for roadmap measures only (the programme's progress is their sum over agencies).
  `create table agg_group (
    scope char(1) not null check (scope in ('a','l')),
    group_id int not null,
    total int not null default 0,
    done int not null default 0,
    open int not null default 0,
    done_on_time int not null default 0,
    late_done int not null default 0,
    late_done_days int not null default 0,
    waiting int not null default 0,
    overdue int not null default 0,
    overdue_days int not null default 0,
    due_soon int not null default 0,
    m_total int not null default 0,
    m_done int not null default 0,
    m_open int not null default 0,
    m_overdue int not null default 0,
    m_done_on_time int not null default 0,
    min_waiting_due date,
    primary key (scope, group_id)
  )`,
  // Late chases and returns for rework per agency of the item (the league table).
  `create table agg_agency_events (
    agency_id int primary key,
    chases int not null default 0,
    rework int not null default 0
  )`,
  // The roadmap burn-up as changes per day (domain/burn-up.ts burnUpDays).
  `create table agg_burnup (
    day date primary key,
    scope int not null default 0,
    planned int not null default 0,
    done int not null default 0,
    firsts int not null default 0,
    lasts int not null default 0
  )`,

  // The oldest deadline still waiting on the executor, per agency and life situation (the RAG's
  // "most overdue"), and the red list, are index lookups.
  `create index control_item_waiting_agency on control_item(agency_id, current_due) where status in ${WAITING}`,
  `create index control_item_waiting_ls on control_item(life_situation_id, current_due)
    where status in ${WAITING}`,
  `create index control_item_waiting_due on control_item(current_due, id) where status in ${WAITING}`,

  `create type agg_terms as (
    total int, done int, open int, done_on_time int, late_done int, late_done_days int,
    waiting int, overdue int, overdue_days int, due_soon int,
    m_total int, m_done int, m_open int, m_overdue int, m_done_on_time int
  )`,
  // One item's part in its groups' figures, as of the anchor day. The definitions are the domain's
  // (domain/control-item/lateness.ts, domain/rag.ts, db/read-models onTimeSql): test/db/aggregates.test.ts
  // checks that what is kept equals the domain's recomputation after random writes.
  `create function agg_terms_of(r control_item, a agg_anchor) returns agg_terms language plpgsql stable as $$
  declare
    t agg_terms;
    accepted date := (r.accepted_at at time zone a.time_zone)::date;
    is_waiting boolean := r.status in ${WAITING};
    m int := (r.kind = 'measure')::int;
  begin
    t.total := (r.status <> 'cancelled')::int;
    t.done := (r.status = 'done')::int;
    t.open := (r.status not in ('done','cancelled'))::int;
    t.done_on_time := coalesce(r.status = 'done' and accepted <= r.current_due, false)::int;
    t.late_done := coalesce(r.status = 'done' and accepted > r.current_due, false)::int;
    t.late_done_days := case when t.late_done = 1
      then greatest(1, work_ordinal(accepted) - work_ordinal(r.current_due)) else 0 end;
    t.waiting := is_waiting::int;
    t.overdue := (is_waiting and r.current_due < a.day)::int;
    t.overdue_days := case when t.overdue = 1
      then greatest(1, a.day_ordinal - work_ordinal(r.current_due)) else 0 end;
    t.due_soon := (is_waiting and r.current_due >= a.day
      and work_ordinal(r.current_due) - a.day_ordinal <= a.soon_days)::int;
    t.m_total := t.total * m;
    t.m_done := t.done * m;
    t.m_open := t.open * m;
    t.m_overdue := t.overdue * m;
    t.m_done_on_time := t.done_on_time * m;
    return t;
  end $$`,
  // One measure's burn-up days (domain/burn-up.ts burnUpDays), with a sign.
  `create function agg_burnup_rows(created date, planned date, done date, cancelled date, dir int)
  returns table (day date, s int, p int, d int, f int, l int) language sql immutable as $$
    select x.day, x.s, x.p, x.d, x.f, x.l
    from (values
      -- in scope from creation until cancellation (no span when cancelled on or before that day)
      (created, case when cancelled is null or created < cancelled then dir else 0 end, 0, 0, dir, 0),
      (cancelled, case when created < cancelled then -dir else 0 end,
        case when greatest(created, planned) < cancelled then -dir else 0 end, 0, 0, 0),
      -- planned from the planned deadline, not before creation, until cancellation
      (greatest(created, planned), 0,
        case when cancelled is null or greatest(created, planned) < cancelled then dir else 0 end, 0, 0, 0),
      -- done from acceptance, not before creation (greatest() skips nulls: only a done item has this row)
      (case when cancelled is null and done is not null then greatest(created, done) end, 0, 0, dir, 0, 0),
      (planned, 0, 0, 0, 0, dir),
      (case when cancelled is null then done end, 0, 0, 0, 0, dir)
    ) x(day, s, p, d, f, l)
    where x.day is not null and (x.s, x.p, x.d, x.f, x.l) <> (0, 0, 0, 0, 0)
  $$`,
  `create function agg_item_burnup(r control_item, a agg_anchor, dir int)
  returns table (day date, s int, p int, d int, f int, l int) language sql stable as $$
    select b.* from agg_burnup_rows(
      (r.created_at at time zone a.time_zone)::date,
      r.original_due,
      case when r.status = 'done' then coalesce((r.accepted_at at time zone a.time_zone)::date,
        (r.closed_at at time zone a.time_zone)::date) end,
      case when r.status = 'cancelled' then coalesce((r.closed_at at time zone a.time_zone)::date,
        (r.created_at at time zone a.time_zone)::date) end,
      dir) b
    where r.kind = 'measure'
  $$`,

  // Changes are staged per transaction (insert-only, no lock on a kept row) and applied once, at commit,
  // by the first of the deferred flush triggers: every kept row a transaction touches is locked in one
  // global order (groups, then days, then agencies) and only for the commit — two writers never deadlock on
  // them, however many items each changes, and a chase run's hundreds of transactions queue for moments.
  `create unlogged table agg_group_delta (
    tx bigint not null,
    scope char(1) not null,
    group_id int not null,
    waiting_moved boolean not null,
    ${TERMS.map((t) => `${t} int not null`).join(', ')}
  )`,
  `create index agg_group_delta_tx on agg_group_delta(tx)`,
  `create unlogged table agg_burnup_delta (
    tx bigint not null, day date not null, scope int not null, planned int not null, done int not null,
    firsts int not null, lasts int not null
  )`,
  `create index agg_burnup_delta_tx on agg_burnup_delta(tx)`,
  `create unlogged table agg_event_delta (tx bigint not null, agency_id int not null, chases int not null,
    rework int not null)`,
  `create index agg_event_delta_tx on agg_event_delta(tx)`,

  // Shared with other writers from their first staged change to commit, exclusive with a rebuild: a
  // rebuild counts every committed change, and nothing staged before it is applied on top of it.
  `create function agg_staging() returns boolean language plpgsql as $$
  begin
    perform pg_advisory_xact_lock_shared(${AGGREGATES_LOCK});
    return exists (select 1 from agg_anchor); -- nothing is kept before the first rebuild: it counts all
  end $$`,

  `create function agg_flush() returns trigger language plpgsql as $$
  declare
    me bigint := txid_current();
  begin
    if exists (select 1 from agg_group_delta where tx = me) then
      insert into agg_group as g (scope, group_id, ${TERMS.join(', ')})
        select scope, group_id, ${TERMS.map((t) => `sum(${t})`).join(', ')}
        from agg_group_delta where tx = me
        group by scope, group_id
        -- A group whose oldest waiting deadline is looked up again is locked here too, in the same order
        -- (an update that waited for the row would re-read it but not its subquery's snapshot).
        having bool_or(waiting_moved) or ${TERMS.map((t) => `sum(${t}) <> 0`).join(' or ')}
        order by scope, group_id
        on conflict (scope, group_id) do update set ${TERMS.map((t) => `${t} = g.${t} + excluded.${t}`).join(', ')};
      -- The oldest deadline waiting on the executor, looked up again where waiting items came or went.
      update agg_group g set min_waiting_due = case g.scope
          when 'a' then (select min(current_due) from control_item
            where agency_id = g.group_id and status in ${WAITING})
          else (select min(current_due) from control_item
            where life_situation_id = g.group_id and status in ${WAITING}) end
        where (g.scope, g.group_id) in (select scope, group_id from agg_group_delta where tx = me and waiting_moved);
      delete from agg_group_delta where tx = me;
    end if;
    if exists (select 1 from agg_burnup_delta where tx = me) then
      insert into agg_burnup as b (day, scope, planned, done, firsts, lasts)
        select day, sum(scope), sum(planned), sum(done), sum(firsts), sum(lasts)
        from agg_burnup_delta where tx = me
        group by day
        having (sum(scope), sum(planned), sum(done), sum(firsts), sum(lasts)) <> (0, 0, 0, 0, 0)
        order by day
        on conflict (day) do update set scope = b.scope + excluded.scope, planned = b.planned + excluded.planned,
          done = b.done + excluded.done, firsts = b.firsts + excluded.firsts, lasts = b.lasts + excluded.lasts;
      delete from agg_burnup_delta where tx = me;
    end if;
    if exists (select 1 from agg_event_delta where tx = me) then
      insert into agg_agency_events as e (agency_id, chases, rework)
        select agency_id, sum(chases), sum(rework) from agg_event_delta where tx = me
        group by agency_id
        having sum(chases) <> 0 or sum(rework) <> 0
        order by agency_id
        on conflict (agency_id) do update set chases = e.chases + excluded.chases, rework = e.rework + excluded.rework;
      delete from agg_event_delta where tx = me;
    end if;
    return null;
  end $$`,
  ...['agg_group_delta', 'agg_burnup_delta', 'agg_event_delta'].map(
    (t) => `create constraint trigger ${t}_flush after insert on ${t}
      deferrable initially deferred for each row execute function agg_flush()`,
  ),

  // New items, a statement at a time (an import or a seed adds thousands in one statement).
  `create function agg_items_inserted() returns trigger language plpgsql as $$
  begin
    if not agg_staging() then return null; end if;
    ${stageGroups(`with t as (select n.agency_id, n.life_situation_id, agg_terms_of(n, a) as x
        from new_items n, agg_anchor a)
      select 'a'::char as sc, agency_id as gid, x, 1 as dir from t
      union all select 'l', life_situation_id, x, 1 from t`)};
    ${stageBurnUp(`select b.* from new_items n, agg_anchor a, lateral agg_item_burnup(n, a, 1) b`)};
    return null;
  end $$`,
  `create trigger control_item_aggregates_insert after insert on control_item
    referencing new table as new_items for each statement execute function agg_items_inserted()`,

  // A changed or deleted item.
  `create function agg_item_change() returns trigger language plpgsql as $$
  declare
    a agg_anchor;
    o agg_terms;
    n agg_terms;
    na int;
    nl int;
  begin
    if not agg_staging() then return null; end if;
    select * into a from agg_anchor;
    o := agg_terms_of(old, a);
    if tg_op = 'UPDATE' then
      n := agg_terms_of(new, a);
      na := new.agency_id;
      nl := new.life_situation_id;
    end if;
    ${stageGroups(`select * from (values ('a'::char, old.agency_id, o, -1), ('l'::char, old.life_situation_id, o, -1),
        ('a'::char, na, n, 1), ('l'::char, nl, n, 1)) v(sc, gid, x, dir) where x is not null`)};
    if tg_op = 'UPDATE' and old.kind = new.kind and old.status = new.status
      and old.original_due = new.original_due and old.created_at = new.created_at
      and old.accepted_at is not distinct from new.accepted_at
      and old.closed_at is not distinct from new.closed_at then
      return null; -- the burn-up's inputs are unchanged
    end if;
    if tg_op = 'UPDATE' then
      ${stageBurnUp(`select * from agg_item_burnup(old, a, -1) union all select * from agg_item_burnup(new, a, 1)`)};
    else
      ${stageBurnUp(`select * from agg_item_burnup(old, a, -1)`)};
    end if;
    return null;
  end $$`,
  `create trigger control_item_aggregates after delete on control_item
    for each row execute function agg_item_change()`,
  // Chases, escalations and the like rewrite the row without touching what is counted: no work for them.
  `create trigger control_item_aggregates_update after update on control_item for each row
    when (old.status is distinct from new.status or old.kind is distinct from new.kind
      or old.agency_id is distinct from new.agency_id
      or old.life_situation_id is distinct from new.life_situation_id
      or old.current_due is distinct from new.current_due or old.original_due is distinct from new.original_due
      or old.accepted_at is distinct from new.accepted_at or old.closed_at is distinct from new.closed_at
      or old.created_at is distinct from new.created_at)
    execute function agg_item_change()`,

  // Late chases and returns count for the item's agency at the moment they happen, and move with the item
  // when it is reassigned (staged in the order things happen).
  // The item's row is locked (its writer usually holds it already): an event and a reassignment of the same
  // item take turns, and the later one's next statement sees the earlier one's commit — without the lock an
  // event added while the item moved to another agency stayed counted for the old one.
  `create function agg_event_add(item int, ev_type text, dir int) returns void language plpgsql as $$
  declare
    ag int;
  begin
    if item is null or ev_type not in ${COUNTED_EVENTS} or not agg_staging() then return; end if;
    select agency_id into ag from control_item where id = item for no key update;
    -- No agency: the item is being deleted and its counts left with it.
    if ag is null then return; end if;
    insert into agg_event_delta (tx, agency_id, chases, rework)
      values (txid_current(), ag, case when ev_type = 'returned' then 0 else dir end,
        case when ev_type = 'returned' then dir else 0 end);
  end $$`,
  `create function agg_event_change() returns trigger language plpgsql as $$
  begin
    perform agg_event_add(old.control_item_id, old.type, -1);
    if tg_op = 'UPDATE' then perform agg_event_add(new.control_item_id, new.type, 1); end if;
    return null;
  end $$`,
  `create trigger event_aggregates after update or delete on event
    for each row execute function agg_event_change()`,
  // New events a statement at a time (the scale seed writes hundreds of thousands).
  `create function agg_events_inserted() returns trigger language plpgsql as $$
  begin
    if not exists (select 1 from new_events where type in ${COUNTED_EVENTS}) or not agg_staging() then
      return null;
    end if;
    perform 1 from control_item
      where id in (select control_item_id from new_events where type in ${COUNTED_EVENTS})
      order by id for no key update;
    insert into agg_event_delta (tx, agency_id, chases, rework)
      select txid_current(), i.agency_id, count(*) filter (where n.type <> 'returned')::int,
        count(*) filter (where n.type = 'returned')::int
      from new_events n join control_item i on i.id = n.control_item_id
      where n.type in ${COUNTED_EVENTS}
      group by i.agency_id;
    return null;
  end $$`,
  `create trigger event_aggregates_insert after insert on event
    referencing new table as new_events for each statement execute function agg_events_inserted()`,
  // The item's counted events move with it (reassignment), or leave with it (deletion, before the
  // cascade removes the events).
  `create function agg_item_events_move() returns trigger language plpgsql as $$
  begin
    if agg_staging() then
      insert into agg_event_delta (tx, agency_id, chases, rework)
        select txid_current(), x.agency_id, x.dir * c.chases, x.dir * c.rework
        from (select count(*) filter (where type in ${LATE_CHASES})::int as chases,
                count(*) filter (where type = 'returned')::int as rework
              from event where control_item_id = old.id and type in ${COUNTED_EVENTS}) c,
          (values (old.agency_id, -1), (case when tg_op = 'UPDATE' then new.agency_id end, 1)) x(agency_id, dir)
        where x.agency_id is not null and (c.chases > 0 or c.rework > 0);
    end if;
    -- A BEFORE trigger returning null would cancel the delete.
    if tg_op = 'DELETE' then return old; end if;
    return null;
  end $$`,
  `create trigger control_item_events_move after update of agency_id on control_item
    for each row when (old.agency_id <> new.agency_id) execute function agg_item_events_move()`,
  `create trigger control_item_events_leave before delete on control_item
    for each row execute function agg_item_events_move()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
  const { days, ordinals } = workDayRows(...WORK_DAY_RANGE);
  await sql`insert into work_day (day, ordinal)
    select * from unnest(${days}::date[], ${ordinals}::int[])`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop trigger if exists control_item_events_leave on control_item',
    'drop trigger if exists control_item_events_move on control_item',
    'drop function if exists agg_item_events_move()',
    'drop trigger if exists event_aggregates_insert on event',
    'drop function if exists agg_events_inserted()',
    'drop trigger if exists event_aggregates on event',
    'drop function if exists agg_event_change()',
    'drop function if exists agg_event_add(int, text, int)',
    'drop trigger if exists control_item_aggregates_update on control_item',
    'drop trigger if exists control_item_aggregates on control_item',
    'drop function if exists agg_item_change()',
    'drop trigger if exists control_item_aggregates_insert on control_item',
    'drop function if exists agg_items_inserted()',
    'drop table if exists agg_event_delta',
    'drop table if exists agg_burnup_delta',
    'drop table if exists agg_group_delta',
    'drop function if exists agg_flush()',
    'drop function if exists agg_staging()',
    'drop function if exists agg_item_burnup(control_item, agg_anchor, int)',
    'drop function if exists agg_burnup_rows(date, date, date, date, int)',
    'drop function if exists agg_terms_of(control_item, agg_anchor)',
    'drop type if exists agg_terms',
    'drop index if exists control_item_waiting_due',
    'drop index if exists control_item_waiting_ls',
    'drop index if exists control_item_waiting_agency',
    'drop table if exists agg_burnup',
    'drop table if exists agg_agency_events',
    'drop table if exists agg_group',
    'drop table if exists agg_anchor',
    'drop function if exists work_ordinal(date)',
    'drop table if exists work_day',
  ])
    await sql.raw(s).execute(db);
}
