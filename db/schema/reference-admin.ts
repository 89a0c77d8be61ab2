import type { ColumnType, Generated } from 'kysely';
import type { CommitteeBody, CommitteeRole } from '../../domain/reference/index.ts';
import type { CreatedAt, Timestamp } from './core.ts';

/** A seat on the working group or the штаб: a person (a user or a name) or an agency as participant. */
export interface CommitteeMemberTable {
  id: Generated<number>;
  body: CommitteeBody;
  role: CommitteeRole;
  user_id: number | null;
  agency_id: number | null;
  name: string | null;
  position: string | null;
  sort: Generated<number>;
  created_at: CreatedAt;
}

/** A production-calendar year entered by the admin; it replaces the built-in table of that year. */
export interface CalendarYearTable {
  year: number;
  days_off: ColumnType<string[], string[], string[]>;
  working_weekends: ColumnType<string[], string[], string[]>;
  source: string;
  /** The calendar version this year was saved at (the workflows' calendar carries the same number). */
  version: number;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** Tables of migration 0012-reference-admin (agency, life_situation and roadmap gain columns in core.ts). */
export interface ReferenceAdminTables {
  committee_member: CommitteeMemberTable;
  calendar_year: CalendarYearTable;
}
