import type { ColumnType, Generated, Selectable } from 'kysely';
import type { LocalDate } from '../../domain/local-date.ts';
import type { CheckKind, CheckStatus, ImprovementStatus } from '../../domain/services/index.ts';
import type { CreatedAt, Timestamp } from './core.ts';

export interface ServiceImprovementTable {
  id: Generated<number>;
  service_id: number;
  /** The score period in which the service was low-scoring and selected ("2025-Q3"). */
  period_selected: string;
  baseline_avg: number | null;
  target_avg: number;
  status: Generated<ImprovementStatus>;
  plan_due: LocalDate;
  implementation_due: LocalDate;
  plan_item_id: number | null;
  implementation_item_id: number | null;
  /** Only scores of periods after this one count (set when the implementation is accepted). */
  measure_after_period: string | null;
  last_score_period: string | null;
  last_score_avg: number | null;
  improved_period: string | null;
  improved_avg: number | null;
  improved_at: Timestamp | null;
  selected_by: number | null;
  workflow_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ServiceCheckTable {
  id: Generated<number>;
  service_id: number;
  kind: CheckKind;
  channel: string | null;
  scheduled_on: LocalDate;
  inspector_user_id: number | null;
  status: Generated<CheckStatus>;
  performed_on: LocalDate | null;
  steps: number | null;
  minutes: number | null;
  documents_asked: number | null;
  documents_note: string | null;
  issues: string | null;
  remediation_item_id: number | null;
  /** Since migration 0012: the quarter of the mystery-shopping plan this check belongs to. */
  plan_quarter: Generated<string | null>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ScoreImportTable {
  id: Generated<number>;
  filename: string;
  format: 'csv' | 'xlsx';
  sha256: string;
  periods: ColumnType<string[], string[] | undefined, string[]>;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  imported_by: number | null;
  imported_at: CreatedAt;
}

/** Tables of migration 0002-services. */
export interface ServiceTables {
  service_improvement: ServiceImprovementTable;
  service_check: ServiceCheckTable;
  score_import: ScoreImportTable;
}

export type ServiceImprovementRow = Selectable<ServiceImprovementTable>;
export type ServiceCheckRow = Selectable<ServiceCheckTable>;
