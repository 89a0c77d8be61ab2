import { sql, type Kysely } from 'kysely';
import { isWorkingDay } from '../../domain/calendar/index.ts';
import { addDays } from '../../domain/local-date.ts';

// Issue 17: the programme-wide figures (dashboard, league table, agency and life-situation statistics,
// burn-up) kept up to date by the transactions that change items, instead of recomputed over every item
// after every write (docs/decisions.md §40). What is kept does not depend on "today" except a few counts
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
  // Adds (plus − minus) to a group; recomputes its oldest waiting deadline when waiting items moved.
  `create function agg_group_add(sc char, gid int, plus agg_terms, minus agg_terms) returns void
  language plpgsql as $$
  declare
    p agg_terms := coalesce(plus, row(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0)::agg_terms);
    q agg_terms := coalesce(minus, row(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0)::agg_terms);
  begin
    if gid is null then return; end if;
    if p is distinct from q then
      insert into agg_group as g (scope, group_id, total, done, open, done_on_time, late_done,
        late_done_days, waiting, overdue, overdue_days, due_soon, m_total, m_done, m_open, m_overdue,
        m_done_on_time)
      values (sc, gid, p.total - q.total, p.done - q.done, p.open - q.open,
        p.done_on_time - q.done_on_time, p.late_done - q.late_done, p.late_done_days - q.late_done_days,
        p.waiting - q.waiting, p.overdue - q.overdue, p.overdue_days - q.overdue_days,
        p.due_soon - q.due_soon, p.m_total - q.m_total, p.m_done - q.m_done, p.m_open - q.m_open,
        p.m_overdue - q.m_overdue, p.m_done_on_time - q.m_done_on_time)
      on conflict (scope, group_id) do update set
        total = g.total + excluded.total, done = g.done + excluded.done, open = g.open + excluded.open,
        done_on_time = g.done_on_time + excluded.done_on_time, late_done = g.late_done + excluded.late_done,
        late_done_days = g.late_done_days + excluded.late_done_days, waiting = g.waiting + excluded.waiting,
        overdue = g.overdue + excluded.overdue, overdue_days = g.overdue_days + excluded.overdue_days,
        due_soon = g.due_soon + excluded.due_soon, m_total = g.m_total + excluded.m_total,
        m_done = g.m_done + excluded.m_done, m_open = g.m_open + excluded.m_open,
        m_overdue = g.m_overdue + excluded.m_overdue, m_done_on_time = g.m_done_on_time + excluded.m_done_on_time;
    end if;
    if p.waiting = 1 or q.waiting = 1 then
      update agg_group set min_waiting_due = case sc
        when 'a' then (select min(current_due) from control_item where agency_id = gid and status in ${WAITING})
        else (select min(current_due) from control_item where life_situation_id = gid and status in ${WAITING})
      end where scope = sc and group_id = gid;
    end if;
  end $$`,
  // One measure's burn-up days (domain/burn-up.ts burnUpDays), added with a sign, in one statement.
  `create function agg_burnup_add(created date, planned date, done date, cancelled date, dir int)
  returns void language sql as $$
    insert into agg_burnup as b (day, scope, planned, done, firsts, lasts)
    select x.day, sum(x.s), sum(x.p), sum(x.d), sum(x.f), sum(x.l)
    from (values
      -- in scope from creation until cancellation (no span when cancelled on or before that day)
      (created, case when cancelled is null or created < cancelled then dir else 0 end, 0, 0, dir, 0),
      (cancelled, case when created < cancelled then -dir else 0 end,
        case when greatest(created, planned) < cancelled then -dir else 0 end, 0, 0, 0),
      -- planned from the planned deadline, not before creation, until cancellation
      (greatest(created, planned), 0,
        case when cancelled is null or greatest(created, planned) < cancelled then dir else 0 end, 0, 0, 0),
      -- done from acceptance, not before creation
      -- (greatest() skips nulls: only a done item has this row)
      (case when cancelled is null and done is not null then greatest(created, done) end, 0, 0, dir, 0, 0),
      (planned, 0, 0, 0, 0, dir),
      (case when cancelled is null then done end, 0, 0, 0, 0, dir)
    ) x(day, s, p, d, f, l)
    where x.day is not null and (x.s, x.p, x.d, x.f, x.l) <> (0, 0, 0, 0, 0)
    group by x.day
    order by x.day
    on conflict (day) do update set scope = b.scope + excluded.scope, planned = b.planned + excluded.planned,
      done = b.done + excluded.done, firsts = b.firsts + excluded.firsts, lasts = b.lasts + excluded.lasts
  $$`,
  `create function agg_burnup_item(r control_item, a agg_anchor, dir int) returns void language sql as $$
    select agg_burnup_add(
      (r.created_at at time zone a.time_zone)::date,
      r.original_due,
      case when r.status = 'done' then coalesce((r.accepted_at at time zone a.time_zone)::date,
        (r.closed_at at time zone a.time_zone)::date) end,
      case when r.status = 'cancelled' then coalesce((r.closed_at at time zone a.time_zone)::date,
        (r.created_at at time zone a.time_zone)::date) end,
      dir)
    where r.kind = 'measure'
  $$`,

  // An item's change, applied at commit (deferred: the locks on the kept rows are held for the commit
  // only, and a transaction that writes an item twice applies both steps in order).
  `create function agg_item_change() returns trigger language plpgsql as $$
  declare
    a agg_anchor;
    o agg_terms;
    n agg_terms;
  begin
    -- Shared with other writers, exclusive with a rebuild: a rebuild counts every committed change and
    -- no change is applied on top of a rebuild that already saw it.
    perform pg_advisory_xact_lock_shared(${AGGREGATES_LOCK});
    select * into a from agg_anchor where id = 1;
    if not found then return null; end if; -- nothing kept yet: the first rebuild counts everything
    if tg_op <> 'INSERT' then o := agg_terms_of(old, a); end if;
    if tg_op <> 'DELETE' then n := agg_terms_of(new, a); end if;
    if tg_op = 'UPDATE' and old.agency_id = new.agency_id then
      perform agg_group_add('a', new.agency_id, n, o);
    else
      if tg_op <> 'INSERT' then perform agg_group_add('a', old.agency_id, null, o); end if;
      if tg_op <> 'DELETE' then perform agg_group_add('a', new.agency_id, n, null); end if;
    end if;
    if tg_op = 'UPDATE' and old.life_situation_id is not distinct from new.life_situation_id then
      perform agg_group_add('l', new.life_situation_id, n, o);
    else
      if tg_op <> 'INSERT' then perform agg_group_add('l', old.life_situation_id, null, o); end if;
      if tg_op <> 'DELETE' then perform agg_group_add('l', new.life_situation_id, n, null); end if;
    end if;
    if tg_op = 'UPDATE' and old.kind = new.kind and old.status = new.status
      and old.original_due = new.original_due and old.created_at = new.created_at
      and old.accepted_at is not distinct from new.accepted_at
      and old.closed_at is not distinct from new.closed_at then
      return null; -- the burn-up's inputs are unchanged
    end if;
    if tg_op <> 'INSERT' then perform agg_burnup_item(old, a, -1); end if;
    if tg_op <> 'DELETE' then perform agg_burnup_item(new, a, 1); end if;
    return null;
  end $$`,
  `create constraint trigger control_item_aggregates after insert or delete on control_item
    deferrable initially deferred for each row execute function agg_item_change()`,
  // Chases, escalations and the like rewrite the row without touching what is counted: no work for them.
  `create constraint trigger control_item_aggregates_update after update on control_item
    deferrable initially deferred for each row
    when (old.status is distinct from new.status or old.kind is distinct from new.kind
      or old.agency_id is distinct from new.agency_id
      or old.life_situation_id is distinct from new.life_situation_id
      or old.current_due is distinct from new.current_due or old.original_due is distinct from new.original_due
      or old.accepted_at is distinct from new.accepted_at or old.closed_at is distinct from new.closed_at
      or old.created_at is distinct from new.created_at)
    execute function agg_item_change()`,

  // Late chases and returns count for the item's agency at the moment they happen, and move with the item
  // when it is reassigned. Both immediate (not deferred), so they apply in the order things happened.
  `create function agg_event_add(item int, ev_type text, sign int) returns void language plpgsql as $$
  declare
    ag int;
  begin
    if item is null or not (ev_type in ${LATE_CHASES} or ev_type = 'returned') then return; end if;
    perform pg_advisory_xact_lock_shared(${AGGREGATES_LOCK});
    if not exists (select 1 from agg_anchor) then return; end if;
    select agency_id into ag from control_item where id = item;
    if ag is null then return; end if; -- the item is being deleted: its counts left with it
    insert into agg_agency_events as e (agency_id, chases, rework)
      values (ag, case when ev_type = 'returned' then 0 else sign end, case when ev_type = 'returned' then sign else 0 end)
      on conflict (agency_id) do update set chases = e.chases + excluded.chases, rework = e.rework + excluded.rework;
  end $$`,
  `create function agg_event_change() returns trigger language plpgsql as $$
  begin
    if tg_op <> 'INSERT' then perform agg_event_add(old.control_item_id, old.type, -1); end if;
    if tg_op <> 'DELETE' then perform agg_event_add(new.control_item_id, new.type, 1); end if;
    return null;
  end $$`,
  `create trigger event_aggregates after insert or update or delete on event
    for each row execute function agg_event_change()`,
  // The item's counted events move with it (reassignment), or leave with it (deletion, before the
  // cascade removes the events).
  `create function agg_item_events_move() returns trigger language plpgsql as $$
  declare
    c int;
    r int;
  begin
    perform pg_advisory_xact_lock_shared(${AGGREGATES_LOCK});
    if exists (select 1 from agg_anchor) then
      select count(*) filter (where type in ${LATE_CHASES}), count(*) filter (where type = 'returned')
        into c, r from event where control_item_id = old.id and type in ${COUNTED_EVENTS};
      if c > 0 or r > 0 then
        update agg_agency_events set chases = chases - c, rework = rework - r where agency_id = old.agency_id;
        if tg_op = 'UPDATE' then
          insert into agg_agency_events as e (agency_id, chases, rework) values (new.agency_id, c, r)
            on conflict (agency_id) do update set chases = e.chases + c, rework = e.rework + r;
        end if;
      end if;
    end if;
    -- A BEFORE trigger returning null would cancel the delete.
    if tg_when = 'BEFORE' then return old; end if;
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
    'drop trigger if exists event_aggregates on event',
    'drop function if exists agg_event_change()',
    'drop function if exists agg_event_add(int, text, int)',
    'drop trigger if exists control_item_aggregates_update on control_item',
    'drop trigger if exists control_item_aggregates on control_item',
    'drop function if exists agg_item_change()',
    'drop function if exists agg_burnup_item(control_item, agg_anchor, int)',
    'drop function if exists agg_burnup_add(date, date, date, date, int)',
    'drop function if exists agg_group_add(char, int, agg_terms, agg_terms)',
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
