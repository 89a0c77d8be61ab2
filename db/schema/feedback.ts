import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CaseStatus, FeedbackChannel } from '../../domain/feedback/types.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { CreatedAt, Timestamp } from './core.ts';

type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type IntArray = ColumnType<number[], number[] | undefined, number[]>;

export interface FeedbackImportTable {
  id: Generated<number>;
  filename: string;
  format: 'csv' | 'xlsx';
  sha256: string;
  source: string;
  rows: number;
  inserted: number;
  duplicates: number;
  imported_by: number | null;
  imported_at: CreatedAt;
}

export interface FeedbackBatchTable {
  id: Generated<number>;
  source: string;
  received: number;
  inserted: number;
  import_id: number | null;
  at: CreatedAt;
  /** The range of its reviews' ids (null: none new); reviews of other batches may interleave. */
  first_id: number | null;
  last_id: number | null;
  /** When its reviews were added to the tallies (null: not yet; see foldTallies). */
  folded_at: Timestamp | null;
}

export interface FeedbackTable {
  id: Generated<number>;
  source: string;
  source_id: string | null;
  service_id: number;
  channel: FeedbackChannel;
  municipality_id: number | null;
  office: string | null;
  received_on: LocalDate;
  rating: number;
  body: string | null;
  categories: TextArray;
  topic_ids: IntArray;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  consent_at: Timestamp | null;
  import_id: number | null;
  /** The intake that stored it (null: before migration 0018, or the demo seed, whose tallies it writes itself). */
  batch_id: number | null;
  created_at: CreatedAt;
}

interface Tally {
  votes: Generated<number>;
  rating_sum: Generated<number>;
  r1: Generated<number>;
  r2: Generated<number>;
  r3: Generated<number>;
  r4: Generated<number>;
  r5: Generated<number>;
  with_text: Generated<number>;
}

export interface FeedbackMonthTable extends Tally {
  service_id: number;
  month: string;
}

/** Per municipality (0 = not given); all of them together are the region. */
export interface FeedbackAreaMonthTable extends Tally {
  municipality_id: Generated<number>;
  month: string;
}

export interface FeedbackTopicTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string;
  rules: TextArray;
  active: Generated<boolean>;
  sort: Generated<number>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export interface FeedbackTopicMonthTable {
  service_id: number;
  month: string;
  topic_id: number;
  n: Generated<number>;
}

export interface FeedbackAreaTopicMonthTable {
  municipality_id: Generated<number>;
  month: string;
  topic_id: number;
  n: Generated<number>;
}

export interface FeedbackCaseTable {
  id: Generated<number>;
  feedback_id: number;
  service_id: number;
  agency_id: number;
  curator_user_id: number | null;
  status: Generated<CaseStatus>;
  opened_on: LocalDate;
  due: LocalDate;
  escalation_level: Generated<number>;
  answer: string | null;
  fixed: boolean | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
  citizen_notified: Generated<boolean>;
  workflow_id: string | null;
  created_at: CreatedAt;
}

export interface FeedbackEvidenceTable {
  control_item_id: number;
  feedback_id: number;
  topic_id: number | null;
}

export interface PrincipleTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string;
  active: Generated<boolean>;
  sort: Generated<number>;
}

export interface PrincipleRoundTable {
  id: Generated<number>;
  service_id: number;
  held_on: LocalDate;
  checker_user_id: number | null;
  total: number;
  note: string | null;
  created_at: CreatedAt;
}

export interface PrincipleGradeTable {
  round_id: number;
  principle_id: number;
  grade: number;
}

export interface DirectionTable {
  code: string;
  title_ru: string;
  title_en: string;
  kind: 'rating' | 'regional';
  sort: Generated<number>;
}

/** Migration 0016: one taxonomy version per edit of the topics, and its re-matching run's progress. */
export interface FeedbackRematchTable {
  version: number;
  requested_by: number | null;
  requested_at: CreatedAt;
  started_at: Timestamp | null;
  last_id: Generated<number>;
  max_id: number | null;
  scanned: Generated<number>;
  changed: Generated<number>;
  finished_at: Timestamp | null;
  superseded: Generated<boolean>;
}

/** Tables of migration 0012-citizen-feedback (plus agency.kind, declared in core.ts). */
export interface FeedbackTables {
  feedback_import: FeedbackImportTable;
  feedback_batch: FeedbackBatchTable;
  feedback: FeedbackTable;
  feedback_month: FeedbackMonthTable;
  feedback_area_month: FeedbackAreaMonthTable;
  feedback_topic: FeedbackTopicTable;
  feedback_topic_month: FeedbackTopicMonthTable;
  feedback_area_topic_month: FeedbackAreaTopicMonthTable;
  feedback_case: FeedbackCaseTable;
  feedback_evidence: FeedbackEvidenceTable;
  direction: DirectionTable;
  principle: PrincipleTable;
  principle_round: PrincipleRoundTable;
  principle_grade: PrincipleGradeTable;
  feedback_rematch: FeedbackRematchTable;
}

export type FeedbackCaseRow = Selectable<FeedbackCaseTable>;
