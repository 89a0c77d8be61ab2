import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './connect.ts';

export interface NewAttachment {
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * Stores uploaded files before the submission exists. They stay unlinked (submission_id null, shown
 * nowhere) until the workflow's persist activity links them to the submission it writes.
 */
export async function storeAttachments(db: Db, uploadedBy: number, files: NewAttachment[]) {
  if (files.length === 0) return [];
  const rows = await db
    .insertInto('attachment')
    .values(
      files.map((f) => ({
        uploaded_by: uploadedBy,
        filename: f.filename,
        mime: f.mime,
        size_bytes: f.bytes.byteLength,
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
        content: f.bytes,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Copies of files from the item's earlier reports that were returned or withdrawn, made by the agency
 * that sent them, stored unlinked like fresh uploads for the new report (each report keeps its own files,
 * so the history shows what was sent when). Ids that are not such files are ignored.
 */
export async function copyAttachments(
  db: Db,
  from: { itemId: number; agencyId: number | null; userId: number },
  ids: number[],
) {
  if (ids.length === 0 || from.agencyId === null) return [];
  const rows = await db
    .insertInto('attachment')
    .columns(['uploaded_by', 'filename', 'mime', 'size_bytes', 'sha256', 'content'])
    .expression((eb) =>
      eb
        .selectFrom('attachment as a')
        .innerJoin('submission as s', 's.id', 'a.submission_id')
        .select([
          sql<number>`${from.userId}::int`.as('uploaded_by'),
          'a.filename',
          'a.mime',
          'a.size_bytes',
          'a.sha256',
          'a.content',
        ])
        .where('a.id', 'in', ids)
        .where('s.control_item_id', '=', from.itemId)
        .where('s.agency_id', '=', from.agencyId!)
        .where('s.outcome', 'in', ['returned', 'withdrawn'])
        .orderBy('a.id'),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Drops the given uploads that no submission took (a rejected or duplicate submit). */
export async function deleteUnlinkedAttachments(db: Db, ids: number[]) {
  if (ids.length === 0) return 0;
  const res = await db
    .deleteFrom('attachment')
    .where('id', 'in', ids)
    .where('submission_id', 'is', null)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Uploads left unlinked for longer than `olderThanHours` (the web process died mid-submit). */
export async function purgeOrphanAttachments(db: Db, olderThanHours = 24) {
  const res = await db
    .deleteFrom('attachment')
    .where('submission_id', 'is', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${olderThanHours})`)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
