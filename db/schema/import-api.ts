import type { ColumnType, Generated } from 'kysely';
import type { Recurrence } from '../../domain/control-item/types.ts';
import type { Role } from '../../domain/roles.ts';
import type { ImportJobErrors, ImportJobResult } from '../../domain/imports/index.ts';
import type { CreatedAt, Json, Timestamp } from './core.ts';

export type ImportJobStatus = 'queued' | 'running' | 'failed' | 'done';
export type ImportJobPhase = 'queued' | 'reading' | 'validating' | 'writing' | 'starting' | 'finished';

export interface ImportJobTable {
  id: Generated<number>;
  /** 'roadmap' (other kinds may reuse the table). */
  kind: string;
  roadmap_id: number | null;
  /** Set when the import creates the roadmap. */
  new_roadmap_title: string | null;
  filename: string;
  /** The uploaded file, kept as the record of what was imported. */
  content: Uint8Array | null;
  size_bytes: number;
  status: Generated<ImportJobStatus>;
  phase: Generated<ImportJobPhase>;
  rows_total: Generated<number>;
  rows_done: Generated<number>;
  workflows_total: Generated<number>;
  workflows_done: Generated<number>;
  errors: Json<ImportJobErrors> | null;
  result: Json<ImportJobResult> | null;
  /** Set in the transaction that wrote the rows: a retried activity does not write them again. */
  applied_at: Timestamp | null;
  workflow_id: string | null;
  created_by: number | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** The cadence the uploader chose for open-ended rows («постоянно»); null: such rows are refused. */
  open_ended_every: ColumnType<Recurrence | null, Recurrence | null | undefined, Recurrence | null>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  /** sha256 of the token (tokens are 256-bit random, so a fast hash is enough). */
  token_hash: string;
  /** First characters, to tell tokens apart in the admin list. */
  token_prefix: string;
  /** Acts as this user… */
  user_id: number | null;
  /** …or as a role (with an agency for agency roles). */
  role: Role | null;
  agency_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Tables of migration 0005-import-api. */
export interface ImportApiTables {
  import_job: ImportJobTable;
  api_token: ApiTokenTable;
}
