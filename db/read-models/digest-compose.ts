import type { Db } from '../connect.ts';
import { assembleDigest, type CheckInPolicy, type DigestSnapshot } from '../../domain/check-in/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import {
  checkInNotes,
  checkInRequests,
  digestEvents,
  digestInstructions,
  digestItems,
  kpiTrajectory,
  previousDigestCheckIn,
} from './check-in.ts';
import { progressByLifeSituation } from './dashboard.ts';
import { digestCitizens } from './feedback.ts';
import { allAgencies } from './item-detail.ts';

// The weekly digest composed from the database as of a moment: what the check-in's activity stores as
// the meeting's immutable snapshot, and what the meeting page shows as the agenda before it (issue 13).

const WEEK_MS = 7 * 86_400_000;

/** A fixed-offset zone name Postgres understands for "at time zone" (POSIX sign is inverted). */
export const sqlZoneOfOffset = (utcOffsetMinutes: number) => {
  const h = Math.trunc(-utcOffsetMinutes / 60);
  const m = Math.abs(utcOffsetMinutes % 60);
  return `UTC${h >= 0 ? '+' : '-'}${Math.abs(h)}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
};

/** Everything the digest of a check-in is made of, as of `at`, assembled. */
export async function composeDigest(
  db: Db,
  o: { checkInId: number; at: number; late: boolean; policy: CheckInPolicy },
): Promise<DigestSnapshot> {
  const c = await db
    .selectFrom('check_in')
    .select(['id', 'roadmap_id', 'meeting_at'])
    .where('id', '=', o.checkInId)
    .executeTakeFirstOrThrow();
  const roadmapId = c.roadmap_id!;
  const prev = await previousDigestCheckIn(db, roadmapId, c.meeting_at);
  const since = prev?.digest_at ?? new Date(c.meeting_at.getTime() - WEEK_MS);
  const timeZone = sqlZoneOfOffset(o.policy.utcOffsetMinutes);
  const today = instantToLocalDate(o.at, o.policy.utcOffsetMinutes);
  const [items, events, instructions, notes, requests, lifeSituations, kpis, agencies, citizens] =
    await Promise.all([
      digestItems(db, roadmapId, timeZone),
      digestEvents(db, roadmapId, since, new Date(o.at)),
      digestInstructions(db, roadmapId, prev?.id ?? null, since),
      checkInNotes(db, o.checkInId),
      checkInRequests(db, o.checkInId),
      progressByLifeSituation(db, { today, timeZone }),
      kpiTrajectory(db),
      allAgencies(db),
      digestCitizens(db, today),
    ]);
  return assembleDigest({
    checkInId: o.checkInId,
    roadmapId,
    previousCheckInId: prev?.id ?? null,
    meetingAt: c.meeting_at.getTime(),
    generatedAt: o.at,
    since: since.getTime(),
    late: o.late,
    utcOffsetMinutes: o.policy.utcOffsetMinutes,
    atRiskWorkingDays: o.policy.atRiskWorkingDays,
    upcomingDays: o.policy.upcomingDays,
    items,
    agencies,
    events,
    instructions,
    notes,
    requests,
    lifeSituations: lifeSituations.map((l) => ({
      id: l.id,
      code: l.code,
      title_ru: l.title_ru,
      title_en: l.title_en,
      total: l.counts.total,
      done: l.counts.done,
      overdue: l.counts.overdue,
    })),
    kpis,
    citizens,
  });
}
