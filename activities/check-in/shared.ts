import { ApplicationFailure } from '@temporalio/common';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { DB } from '../../db/schema/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import type { ControlItemActivityDeps } from '../control-item/index.ts';

export type CheckInActivityDeps = ControlItemActivityDeps;

export const checkInUrls = (publicUrl: string, id: number) => {
  const base = `${publicUrl.replace(/\/$/, '')}/check-ins/${id}`;
  return { page: base, notes: `${base}/notes`, ics: `${base}/meeting.ics`, xlsx: `${base}/digest.xlsx` };
};

export const itemRef = (i: { id: number; number: string | null }) =>
  i.number ? `№ ${i.number}` : `#${i.id}`;

export const agencyName = (a: { short_ru: string | null; title_ru: string }) => a.short_ru ?? a.title_ru;

/**
 * A rule violation is final: retrying the activity would fail the same way forever (activities retry
 * without limit). It leaves as a non-retryable failure typed with our error code, which the workflow hands
 * back to the caller of its Update.
 */
export async function finalOnRuleViolation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ShtabError) {
      throw ApplicationFailure.create({
        message: e.message,
        type: e.code,
        nonRetryable: true,
        details: [e.detail],
      });
    }
    throw e;
  }
}

export async function loadCheckIn(db: Db | Transaction<DB>, id: number) {
  return db
    .selectFrom('check_in as c')
    .innerJoin('roadmap as r', 'r.id', 'c.roadmap_id')
    .select([
      'c.id',
      'c.roadmap_id',
      'c.meeting_at',
      'c.status',
      'c.digest',
      'c.digest_at',
      'c.workflow_id',
      'r.title_ru as roadmap_title',
      'r.chase_policy',
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
}

export const localDateOf = (d: Date | number, utcOffsetMinutes: number) =>
  instantToLocalDate(typeof d === 'number' ? d : d.getTime(), utcOffsetMinutes);
