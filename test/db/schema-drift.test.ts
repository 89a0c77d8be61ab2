import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

// Every column of every table, as schema.ts declares it. The type below fails to compile when schema.ts
// has a column this list lacks; the test fails when the database and this list disagree.
const COLUMNS = {
  agency: ['id', 'code', 'title_ru', 'title_en', 'short_ru', 'created_at'],
  app_user: [
    'id',
    'login',
    'display_name',
    'email',
    'password_hash',
    'role',
    'agency_id',
    'position',
    'locale',
    'disabled',
    'created_at',
  ],
  session: ['id', 'user_id', 'csrf_token', 'created_at', 'last_seen_at', 'expires_at'],
  life_situation: ['id', 'code', 'title_ru', 'title_en', 'level', 'audience', 'sort', 'target_state'],
  roadmap: ['id', 'code', 'title_ru', 'title_en', 'act', 'chase_policy', 'created_at'],
  service: [
    'id',
    'code',
    'title_ru',
    'title_en',
    'agency_id',
    'curator_user_id',
    'level',
    'electronic',
    'proactive',
    'socially_significant',
    'channels',
    'created_at',
  ],
  service_life_situation: ['service_id', 'life_situation_id'],
  service_score: ['id', 'service_id', 'period', 'avg_score', 'votes', 'criteria', 'imported_at'],
  check_in: [
    'id',
    'roadmap_id',
    'meeting_at',
    'status',
    'digest',
    'digest_at',
    'minutes',
    'workflow_id',
    'created_at',
  ],
  control_item: [
    'id',
    'kind',
    'roadmap_id',
    'number',
    'title_ru',
    'title_en',
    'description',
    'deliverable',
    'measure_type',
    'life_situation_id',
    'agency_id',
    'co_agency_ids',
    'executor_user_id',
    'service_id',
    'check_in_id',
    'status',
    'original_due',
    'current_due',
    'recurrence',
    'period_key',
    'recurrence_until',
    'recurrence_due_days',
    'review_round',
    'escalation_level',
    'overdue_since',
    'chases_sent',
    'require_co_parts',
    'cancel_reason',
    'accepted_at',
    'closed_at',
    'workflow_id',
    'version',
    'created_at',
    'updated_at',
  ],
  item_period: ['control_item_id', 'period_key', 'due', 'review_rounds', 'accepted_at'],
  submission: [
    'id',
    'control_item_id',
    'event_key',
    'period_key',
    'round',
    'is_part',
    'agency_id',
    'author_user_id',
    'body',
    'links',
    'submitted_at',
    'outcome',
    'review_reason',
    'reviewer_user_id',
    'reviewed_at',
  ],
  attachment: [
    'id',
    'submission_id',
    'uploaded_by',
    'filename',
    'mime',
    'size_bytes',
    'sha256',
    'content',
    'created_at',
  ],
  extension_request: [
    'id',
    'control_item_id',
    'event_key',
    'requested_by',
    'previous_due',
    'requested_due',
    'reason',
    'status',
    'decided_by',
    'decided_at',
    'decision_note',
    'created_at',
  ],
  event: [
    'id',
    'event_key',
    'control_item_id',
    'check_in_id',
    'type',
    'actor_user_id',
    'at',
    'before',
    'after',
    'data',
  ],
  notification: [
    'id',
    'idempotency_key',
    'recipient_user_id',
    'recipient_email',
    'control_item_id',
    'kind',
    'locale',
    'subject',
    'body_text',
    'body_html',
    'created_at',
    'send_after',
    'sent_at',
    'attempts',
    'last_error',
    'read_at',
  ],
  status_note: ['id', 'check_in_id', 'control_item_id', 'agency_id', 'author_user_id', 'body', 'created_at'],
  indicator: ['id', 'life_situation_id', 'code', 'title_ru', 'title_en', 'unit', 'higher_is_better'],
  indicator_value: ['indicator_id', 'period', 'plan', 'actual'],
  setting: ['key', 'value', 'updated_at'],
} as const satisfies { [T in keyof DB]: readonly (keyof DB[T])[] };

type Missing = { [T in keyof DB]: Exclude<keyof DB[T], (typeof COLUMNS)[T][number]> }[keyof DB];
const exhaustive: [Missing] extends [never] ? true : Missing = true;

describe('schema.ts matches the migrated database', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb?.drop());

  it('has the same tables and columns', async () => {
    expect(exhaustive).toBe(true);
    const tables = await tdb.db.introspection.getTables();
    const actual = Object.fromEntries(
      tables
        .filter((t) => !t.name.startsWith('kysely_'))
        .map((t) => [t.name, t.columns.map((c) => c.name).sort()]),
    );
    const expected = Object.fromEntries(Object.entries(COLUMNS).map(([t, cols]) => [t, [...cols].sort()]));
    expect(actual).toEqual(expected);
  });
});
