import type { ColumnType, Generated } from 'kysely';
import type { LocalDate } from '../../domain/local-date.ts';
import type { CreatedAt, Timestamp } from './core.ts';

/** Weekly check-in settings of one roadmap; the Temporal Schedule is created from this row. */
export interface CheckInScheduleTable {
  roadmap_id: number;
  /** ISO weekday of the meeting, 1 = Monday. */
  weekday: Generated<number>;
  /** Local minute of day of the meeting, 600 = 10:00. */
  meeting_minute: Generated<number>;
  request_working_days: Generated<number>;
  paused: Generated<boolean>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

/** One agency asked for status notes on its open items before a meeting. */
export interface StatusRequestTable {
  id: Generated<number>;
  check_in_id: number;
  agency_id: number;
  item_ids: ColumnType<number[], number[], number[]>;
  requested_at: Timestamp;
  chased_at: Timestamp | null;
  /** Set when every requested item has a note. */
  answered_at: Timestamp | null;
  answered_by: number | null;
}

/** A row of a check-in's minutes; with an agency and a deadline it is an instruction (control_item). */
export interface CheckInDecisionTable {
  id: Generated<number>;
  check_in_id: number;
  seq: number;
  text: string;
  agency_id: number | null;
  co_agency_ids: ColumnType<number[], number[] | undefined, number[]>;
  due: LocalDate | null;
  special_control: Generated<boolean>;
  control_item_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
}

/** Tables of migration 0003. */
export interface CheckInTables {
  check_in_schedule: CheckInScheduleTable;
  status_request: StatusRequestTable;
  check_in_decision: CheckInDecisionTable;
}
