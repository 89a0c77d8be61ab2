import type { Db } from '../connect.ts';

// What the item page shows besides the item row: its pending extension request, the submissions with
// their files, the co-executor parts of the current period, and the agencies to name and choose from.

export async function allAgencies(db: Db) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'short_ru', 'short_en', 'title_ru', 'title_en'])
    .orderBy('title_ru')
    .execute();
}

export async function pendingExtensionRequest(db: Db, itemId: number) {
  return db
    .selectFrom('extension_request as x')
    .leftJoin('app_user as u', 'u.id', 'x.requested_by')
    .select([
      'x.id',
      'x.event_key',
      'x.previous_due',
      'x.requested_due',
      'x.reason',
      'x.created_at',
      'u.display_name as requested_by_name',
    ])
    .where('x.control_item_id', '=', itemId)
    .where('x.status', '=', 'pending')
    .orderBy('x.id', 'desc')
    .executeTakeFirst();
}

/**
 * The decided extension requests of the item's current control date (for a recurring item, of its
 * current period), oldest first, with who asked, who decided, why, and the date granted.
 */
export async function extensionHistory(db: Db, item: { id: number; original_due: string }) {
  return db
    .selectFrom('extension_request as x')
    .leftJoin('app_user as r', 'r.id', 'x.requested_by')
    .leftJoin('app_user as d', 'd.id', 'x.decided_by')
    .select([
      'x.id',
      'x.previous_due',
      'x.requested_due',
      'x.granted_due',
      'x.status',
      'x.reason',
      'x.created_at',
      'x.decided_at',
      'x.decision_note',
      'r.display_name as requested_by_name',
      'd.display_name as decided_by_name',
    ])
    .where('x.control_item_id', '=', item.id)
    .where('x.status', '=', 'approved')
    .where('x.previous_due', '>=', item.original_due)
    .orderBy('x.created_at')
    .orderBy('x.id')
    .execute();
}

/**
 * Co-executor agencies that submitted their part in the item's current period (a return for rework does
 * not ask them again; a reassignment keeps only the parts of agencies still co-executing).
 */
export async function partsSubmittedBy(
  db: Db,
  item: { id: number; period_key: string | null; co_agency_ids: number[] },
): Promise<number[]> {
  let q = db
    .selectFrom('submission')
    .select('agency_id')
    .distinct()
    .where('control_item_id', '=', item.id)
    .where('is_part', '=', true);
  q =
    item.period_key === null
      ? q.where('period_key', 'is', null)
      : q.where('period_key', '=', item.period_key);
  const rows = await q.execute();
  return rows.map((r) => r.agency_id).filter((a) => item.co_agency_ids.includes(a));
}

/** Every submission of the item, newest round first, with author, reviewer and files. */
export async function itemSubmissions(db: Db, itemId: number) {
  const subs = await db
    .selectFrom('submission as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as au', 'au.id', 's.author_user_id')
    .leftJoin('app_user as ru', 'ru.id', 's.reviewer_user_id')
    .leftJoin('app_user as su', 'su.id', 's.signoff_by')
    .select([
      's.id',
      's.period_key',
      's.round',
      's.is_part',
      's.body',
      's.links',
      's.submitted_at',
      's.outcome',
      's.review_reason',
      's.reviewed_at',
      'a.id as agency_id',
      'a.short_ru as agency_short_ru',
      'a.short_en as agency_short_en',
      'a.title_ru as agency_title_ru',
      'a.title_en as agency_title_en',
      'au.display_name as author_name',
      'ru.display_name as reviewer_name',
      's.signoff_status',
      's.signoff_at',
      's.signoff_reason',
      'su.display_name as signoff_name',
    ])
    .where('s.control_item_id', '=', itemId)
    .orderBy('s.submitted_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
  const files =
    subs.length === 0
      ? []
      : await db
          .selectFrom('attachment')
          .select(['id', 'submission_id', 'filename', 'mime', 'size_bytes'])
          .where(
            'submission_id',
            'in',
            subs.map((s) => s.id),
          )
          .orderBy('id')
          .execute();
  return subs.map((s) => ({ ...s, files: files.filter((f) => f.submission_id === s.id) }));
}

export type ItemSubmission = Awaited<ReturnType<typeof itemSubmissions>>[number];

/** A downloadable file: only files of a submission exist for readers (unlinked uploads do not). */
export async function attachmentForDownload(db: Db, id: number) {
  return db
    .selectFrom('attachment as f')
    .innerJoin('submission as s', 's.id', 'f.submission_id')
    .select(['f.id', 'f.filename', 'f.mime', 'f.size_bytes', 'f.sha256', 'f.content', 's.control_item_id'])
    .where('f.id', '=', id)
    .executeTakeFirst();
}
