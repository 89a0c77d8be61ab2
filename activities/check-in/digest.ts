import type { Db } from '../../db/connect.ts';
import {
  allAgencies,
  digestCitizens,
  checkInNotes,
  checkInRequests,
  digestEvents,
  digestInstructions,
  digestItems,
  kpiTrajectory,
  previousDigestCheckIn,
  progressByLifeSituation,
} from '../../db/read-models/index.ts';
import {
  assembleDigest,
  digestSummary,
  type CheckInPolicy,
  type DigestSnapshot,
} from '../../domain/check-in/index.ts';
import { enqueue, resolveRecipients } from '../notifications/index.ts';
import type { CheckInActivities } from './types.ts';
import { checkInUrls, itemRef, loadCheckIn, localDateOf, type CheckInActivityDeps } from './shared.ts';

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
  const c = await loadCheckIn(db, o.checkInId);
  const roadmapId = c.roadmap_id!;
  const prev = await previousDigestCheckIn(db, roadmapId, c.meeting_at);
  const since = prev?.digest_at ?? new Date(c.meeting_at.getTime() - WEEK_MS);
  const timeZone = sqlZoneOfOffset(o.policy.utcOffsetMinutes);
  const today = localDateOf(o.at, o.policy.utcOffsetMinutes);
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

export function createDigestActivities(
  deps: CheckInActivityDeps,
): Pick<CheckInActivities, 'buildDigest' | 'emailDigest'> {
  const { db } = deps;
  return {
    /**
     * Builds the snapshot once and stores it with the check-in (which is then "held"). A second call returns
     * the stored one: the digest of a meeting never changes (a trigger enforces it in the database too).
     */
    async buildDigest({ checkInId, at, late, policy }) {
      const existing = await loadCheckIn(db, checkInId);
      if (existing.digest) return digestSummary(existing.digest as DigestSnapshot);
      const snapshot = await composeDigest(db, { checkInId, at, late, policy });
      await db.transaction().execute(async (trx) => {
        const res = await trx
          .updateTable('check_in')
          .set({ digest: JSON.stringify(snapshot), digest_at: new Date(at), status: 'held' })
          .where('id', '=', checkInId)
          .where('digest', 'is', null)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) return;
        await trx
          .insertInto('event')
          .values({
            event_key: `check-in-${checkInId}:digest`,
            check_in_id: checkInId,
            type: 'check_in.digest_built',
            at: new Date(at),
            data: JSON.stringify({ ...digestSummary(snapshot), late }),
          })
          .onConflict((oc) => oc.column('event_key').doNothing())
          .execute();
      });
      const stored = await loadCheckIn(db, checkInId);
      return digestSummary(stored.digest as DigestSnapshot);
    },

    /** The digest to leadership and the working group: headline numbers, lists, links (HTML + text). */
    async emailDigest({ checkInId, meetingTime }) {
      let queued = 0;
      const recipients = await db.transaction().execute(async (trx) => {
        const c = await loadCheckIn(trx, checkInId);
        const d = c.digest as DigestSnapshot | null;
        if (!d) return 0;
        const name = new Map(d.agencies.map((a) => [a.id, a.nameRu]));
        const urls = checkInUrls(deps.publicUrl, checkInId);
        const people = await resolveRecipients(trx, ['leadership', 'working_group'], 0, null);
        queued += await enqueue(trx, {
          eventKey: `check-in-${checkInId}:digest`,
          itemId: null,
          kind: 'checkin_digest',
          recipients: people,
          context: {
            itemRef: '',
            title: c.roadmap_title,
            url: urls.page,
            due: d.meetingDate,
            checkIn: {
              meetingDate: d.meetingDate,
              meetingTime,
              roadmap: c.roadmap_title,
              late: d.late,
              summary: digestSummary(d),
              instructions: d.instructions
                .filter((i) => i.fromPrevious)
                .map((i) => ({
                  ref: itemRef({ id: i.id, number: i.number }),
                  title: i.titleRu,
                  due: i.due,
                  agency: name.get(i.agencyId) ?? '',
                  status: i.status,
                })),
              items: d.redList.map((r) => ({
                ref: itemRef({ id: r.id, number: r.number }),
                title: r.titleRu,
                due: r.due,
                agency: name.get(r.agencyId) ?? '',
                daysOverdue: r.daysOverdue,
                level: r.escalationLevel,
              })),
              links: [
                { label: 'xlsx', url: urls.xlsx },
                { label: 'ics', url: urls.ics },
              ],
            },
          },
        });
        return people.length;
      });
      if (queued > 0) deps.onNotificationsQueued?.();
      return { recipients };
    },
  };
}
