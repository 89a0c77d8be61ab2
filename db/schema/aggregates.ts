import type { ColumnType } from 'kysely';

// Kept figures (migration 0015, db/aggregates.ts): written by triggers and by the daily rebuild only.

type Kept<T> = ColumnType<T, T | undefined, T>;

/** The working-day calendar of domain/calendar, one row per day. */
export interface WorkDayTable {
  day: string;
  ordinal: number;
}

/** The day the day-dependent counts are kept for, and what they were computed with (one row). */
export interface AggAnchorTable {
  id: number;
  day: string;
  day_ordinal: number;
  soon_days: number;
  time_zone: string;
  calendar: string;
  rebuilt_at: ColumnType<Date, Date | undefined, Date>;
}

/** Per agency ('a') and life situation ('l'): items by state; m_* roadmap measures only. */
export interface AggGroupTable {
  scope: 'a' | 'l';
  group_id: number;
  total: Kept<number>;
  done: Kept<number>;
  open: Kept<number>;
  done_on_time: Kept<number>;
  late_done: Kept<number>;
  late_done_days: Kept<number>;
  waiting: Kept<number>;
  overdue: Kept<number>;
  overdue_days: Kept<number>;
  due_soon: Kept<number>;
  m_total: Kept<number>;
  m_done: Kept<number>;
  m_open: Kept<number>;
  m_overdue: Kept<number>;
  m_done_on_time: Kept<number>;
  min_waiting_due: Kept<string | null>;
}

export interface AggAgencyEventsTable {
  agency_id: number;
  chases: Kept<number>;
  rework: Kept<number>;
}

/** The roadmap burn-up as changes per day (domain/burn-up.ts BurnUpDay). */
export interface AggBurnupTable {
  day: string;
  scope: Kept<number>;
  planned: Kept<number>;
  done: Kept<number>;
  firsts: Kept<number>;
  lasts: Kept<number>;
}

/** A transaction's staged changes, applied and deleted at its commit (migration 0015's agg_flush). */
export interface AggGroupDeltaTable extends Omit<AggGroupTable, 'min_waiting_due'> {
  tx: number;
  waiting_moved: boolean;
}
export interface AggBurnupDeltaTable extends AggBurnupTable {
  tx: number;
}
export interface AggEventDeltaTable extends AggAgencyEventsTable {
  tx: number;
}

export interface AggregateTables {
  agg_group_delta: AggGroupDeltaTable;
  agg_burnup_delta: AggBurnupDeltaTable;
  agg_event_delta: AggEventDeltaTable;
  work_day: WorkDayTable;
  agg_anchor: AggAnchorTable;
  agg_group: AggGroupTable;
  agg_agency_events: AggAgencyEventsTable;
  agg_burnup: AggBurnupTable;
}
