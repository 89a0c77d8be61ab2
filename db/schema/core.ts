import type { ColumnType, Generated } from 'kysely';
import type { ItemKind, ItemStatus, Link, Recurrence } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Role } from '../../domain/roles.ts';

// Hand-written table types; test/db/schema-drift.test.ts compares them with the live schema.
// Parsers in connect.ts make both drivers return the same JS types: date → 'YYYY-MM-DD' string,
// int8 / numeric → number, timestamptz → Date.

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T> = ColumnType<T, string, string>;

export interface AgencyTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string;
  short_ru: string | null;
  /** Since migration 0012: the region's own bodies, municipalities (ОМСУ), federal bodies, МФЦ, public organisations. */
  kind: Generated<AgencyKind>;
  created_at: CreatedAt;
}

export type AgencyKind = 'regional' | 'municipality' | 'federal' | 'mfc' | 'public_org';

export interface AppUserTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  email: string | null;
  /** argon2id; null for accounts that sign in through the directory or the OpenID provider only. */
  password_hash: string | null;
  role: Role;
  agency_id: number | null;
  position: string | null;
  locale: Generated<'ru' | 'en'>;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  /** How the person signs in: a local password, the OpenID provider or the LDAP directory. */
  auth_source: Generated<'local' | 'oidc' | 'ldap'>;
  /** The OpenID provider's issuer and subject, linked at the first sign-in through it. */
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  /** How the session was opened; directory and provider sessions are re-checked (web/auth/recheck.ts). */
  via: Generated<'local' | 'oidc' | 'ldap'>;
  /** When the directory or provider last confirmed the account active. */
  checked_at: Generated<Date>;
  /** The provider's refresh token, encrypted (app/auth/secret-box.ts). */
  idp_refresh_token: string | null;
}

export interface TargetState {
  asIs: Partial<
    Record<'termDays' | 'visits' | 'documents' | 'applications' | 'avgRating' | 'shareOnline', number>
  >;
  toBe: Partial<
    Record<'termDays' | 'visits' | 'documents' | 'applications' | 'avgRating' | 'shareOnline', number>
  > & {
    eForm?: boolean;
    proactive?: boolean;
  };
  /** The target journey, step by step. */
  scenarioSteps?: string[];
  /** The current journey (as is), step by step. */
  asIsSteps?: string[];
  phases?: { name: string; deadline: LocalDate }[];
  approvedBy?: string;
  approvalDate?: LocalDate;
}

export interface LifeSituationTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string;
  level: 'federal' | 'regional';
  audience: Generated<string>;
  sort: Generated<number>;
  target_state: Json<TargetState> | null;
}

export interface RoadmapTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string;
  act: string | null;
  chase_policy: Json<Record<string, unknown>> | null;
  created_at: CreatedAt;
}

export interface ServiceTable {
  id: Generated<number>;
  code: string;
  title_ru: string;
  title_en: string | null;
  agency_id: number;
  curator_user_id: number | null;
  level: Generated<string>;
  electronic: Generated<boolean>;
  proactive: Generated<boolean>;
  socially_significant: Generated<boolean>;
  channels: ColumnType<string[], string[] | undefined, string[]>;
  /** Since migration 0012: the rating direction or regional sphere (direction.code). */
  direction: string | null;
  created_at: CreatedAt;
}

export interface ServiceLifeSituationTable {
  service_id: number;
  life_situation_id: number;
}

export interface ServiceScoreTable {
  id: Generated<number>;
  service_id: number;
  period: string;
  avg_score: number | null;
  votes: Generated<number>;
  criteria: Json<Record<string, number>> | null;
  imported_at: CreatedAt;
}

export interface CheckInTable {
  id: Generated<number>;
  roadmap_id: number | null;
  meeting_at: Timestamp;
  status: Generated<'collecting' | 'held' | 'closed' | 'skipped'>;
  digest: Json<unknown> | null;
  digest_at: Timestamp | null;
  minutes: string | null;
  workflow_id: string | null;
  created_at: CreatedAt;
}

export interface ControlItemTable {
  id: Generated<number>;
  kind: ItemKind;
  roadmap_id: number | null;
  number: string | null;
  title_ru: string;
  title_en: string | null;
  description: string | null;
  deliverable: string | null;
  measure_type: string | null;
  life_situation_id: number | null;
  agency_id: number;
  co_agency_ids: ColumnType<number[], number[] | undefined, number[]>;
  executor_user_id: number | null;
  service_id: number | null;
  check_in_id: number | null;
  status: Generated<ItemStatus>;
  original_due: LocalDate;
  /** The control date (контрольный срок): moved only by an approved extension or changeDeadline. */
  current_due: LocalDate;
  /** The rework due date (срок доработки) while returned; it does not move the control date. */
  rework_due: ColumnType<LocalDate | null, LocalDate | null | undefined, LocalDate | null>;
  recurrence: Recurrence | null;
  period_key: string | null;
  /** Last period end to report on; null for an open-ended cadence (until cancelled). */
  recurrence_until: LocalDate | null;
  recurrence_due_days: number | null;
  /** An explicit day of the month in the cadence, and whether it is in the month after the period (1). */
  recurrence_due_day: ColumnType<number | null, number | null | undefined, number | null>;
  recurrence_due_month_offset: ColumnType<number | null, number | null | undefined, number | null>;
  review_round: Generated<number>;
  escalation_level: Generated<number>;
  overdue_since: LocalDate | null;
  chases_sent: Generated<number>;
  require_co_parts: Generated<boolean>;
  cancel_reason: string | null;
  accepted_at: Timestamp | null;
  closed_at: Timestamp | null;
  workflow_id: string | null;
  /** Since migration 0012: the rating direction or regional sphere (direction.code). */
  direction: Generated<string | null>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface ItemPeriodTable {
  control_item_id: number;
  period_key: string;
  due: LocalDate;
  review_rounds: number;
  accepted_at: Timestamp;
}

export interface SubmissionTable {
  id: Generated<number>;
  control_item_id: number;
  event_key: string;
  period_key: string | null;
  round: number;
  is_part: Generated<boolean>;
  agency_id: number;
  author_user_id: number | null;
  body: Generated<string>;
  links: ColumnType<Link[], string | undefined, string>;
  submitted_at: Timestamp;
  outcome: 'accepted' | 'returned' | null;
  review_reason: string | null;
  reviewer_user_id: number | null;
  reviewed_at: Timestamp | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  submission_id: number | null;
  uploaded_by: number | null;
  filename: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  created_at: CreatedAt;
}

export interface ExtensionRequestTable {
  id: Generated<number>;
  control_item_id: number;
  event_key: string;
  requested_by: number | null;
  previous_due: LocalDate;
  requested_due: LocalDate;
  /** The control date granted (the working group may grant another date than asked for). */
  granted_due: ColumnType<LocalDate | null, LocalDate | null | undefined, LocalDate | null>;
  reason: string;
  status: Generated<'pending' | 'approved' | 'rejected' | 'withdrawn'>;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  created_at: Timestamp;
}

export interface EventTable {
  id: Generated<number>;
  event_key: string;
  control_item_id: number | null;
  check_in_id: number | null;
  type: string;
  actor_user_id: number | null;
  at: Timestamp;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  data: Json<Record<string, unknown>> | null;
}

export interface NotificationTable {
  id: Generated<number>;
  idempotency_key: string;
  recipient_user_id: number | null;
  recipient_email: string | null;
  control_item_id: number | null;
  kind: string;
  locale: Generated<'ru' | 'en'>;
  subject: string;
  body_text: string;
  body_html: string | null;
  created_at: CreatedAt;
  send_after: Generated<Date>;
  sent_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  read_at: Timestamp | null;
}

export interface StatusNoteTable {
  id: Generated<number>;
  check_in_id: number;
  control_item_id: number;
  agency_id: number;
  author_user_id: number | null;
  body: string;
  created_at: CreatedAt;
}

export interface IndicatorTable {
  id: Generated<number>;
  life_situation_id: number;
  code: string;
  title_ru: string;
  title_en: string;
  unit: string;
  higher_is_better: Generated<boolean>;
}

export interface IndicatorValueTable {
  indicator_id: number;
  period: string;
  plan: number | null;
  actual: number | null;
}

/** Migration 0009: control dates read back from the audit trail, to be sent to running workflows. */
export interface ControlDateRestoreTable {
  control_item_id: number;
  moved_due: LocalDate;
  control_date: LocalDate;
  rework_due: LocalDate | null;
  escalation_level: number;
  overdue_since: LocalDate | null;
  computed_at: CreatedAt;
  sent_at: Timestamp | null;
  outcome: 'applied' | 'stale' | 'closed' | null;
}

export interface SettingTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

/** Tables of migration 0001. */
export interface CoreTables {
  agency: AgencyTable;
  app_user: AppUserTable;
  session: SessionTable;
  life_situation: LifeSituationTable;
  roadmap: RoadmapTable;
  service: ServiceTable;
  service_life_situation: ServiceLifeSituationTable;
  service_score: ServiceScoreTable;
  check_in: CheckInTable;
  control_item: ControlItemTable;
  item_period: ItemPeriodTable;
  submission: SubmissionTable;
  attachment: AttachmentTable;
  extension_request: ExtensionRequestTable;
  control_date_restore: ControlDateRestoreTable;
  event: EventTable;
  notification: NotificationTable;
  status_note: StatusNoteTable;
  indicator: IndicatorTable;
  indicator_value: IndicatorValueTable;
  setting: SettingTable;
}
