import type { Generated } from 'kysely';
import type { LocalDate } from '../../domain/local-date.ts';
import type { CreatedAt, Timestamp } from './core.ts';

/** Подчинённое поручение: the agency head gives an item to an executor with an internal deadline. */
export interface AssignmentTable {
  id: Generated<number>;
  control_item_id: number;
  agency_id: number;
  assignee_user_id: number;
  assigned_by: number | null;
  internal_due: LocalDate;
  note: string | null;
  status: Generated<'open' | 'reported' | 'closed' | 'superseded'>;
  event_key: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
  chases_sent: Generated<number>;
  workflow_id: string | null;
}

export interface ItemCommentTable {
  id: Generated<number>;
  control_item_id: number;
  author_user_id: number;
  event_key: string;
  body: string;
  created_at: CreatedAt;
}

/** Tables of migration 0013. */
export interface PeopleTables {
  assignment: AssignmentTable;
  item_comment: ItemCommentTable;
}
