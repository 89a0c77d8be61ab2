import { assembleDigest } from '../../../domain/check-in/index.ts';
import type { FixtureSetup, RouteCase } from './types.ts';

/**
 * Two check-ins of a fresh roadmap: one collecting status notes (the own agency was asked about the
 * fixture item), one held with a digest and no running workflow.
 */
export const setupCheckInFixture: FixtureSetup = async (f) => {
  const roadmap = await f.db
    .insertInto('roadmap')
    .values({ code: 'AUTHZ-CI', title_ru: 'Дорожная карта', title_en: 'Roadmap' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const collecting = await f.db
    .insertInto('check_in')
    .values({
      roadmap_id: roadmap.id,
      meeting_at: new Date(Date.now() + 3 * 86_400_000),
      status: 'collecting',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await f.db
    .insertInto('status_request')
    .values({
      check_in_id: collecting.id,
      agency_id: f.ownAgencyId,
      item_ids: [f.itemId],
      requested_at: new Date(),
    })
    .execute();
  const meetingAt = Date.now() - 86_400_000;
  const held = await f.db
    .insertInto('check_in')
    .values({ roadmap_id: roadmap.id, meeting_at: new Date(meetingAt), status: 'held' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const digest = assembleDigest({
    checkInId: held.id,
    roadmapId: roadmap.id,
    previousCheckInId: null,
    meetingAt,
    generatedAt: meetingAt,
    since: meetingAt - 7 * 86_400_000,
    late: false,
    utcOffsetMinutes: 420,
    atRiskWorkingDays: 5,
    upcomingDays: 14,
    items: [],
    agencies: [],
    events: [],
    instructions: [],
    notes: [],
    requests: [],
    lifeSituations: [],
    kpis: [],
  });
  await f.db
    .updateTable('check_in')
    .set({ digest: JSON.stringify(digest), digest_at: new Date(meetingAt) })
    .where('id', '=', held.id)
    .execute();
  Object.assign(f.extra, {
    roadmapId: roadmap.id,
    collectingCheckInId: collecting.id,
    heldCheckInId: held.id,
  });
};

const signedIn = { anonymous: 303 };
const office = { anonymous: 401, admin: 422, working_group: 422 };

export const CHECK_IN_ROUTES: RouteCase[] = [
  // Everyone signed in reads the history, the digest and its exports (decision 6).
  { method: 'GET', pattern: '/check-ins', path: () => '/check-ins', expect: signedIn, otherwise: 200 },
  {
    method: 'GET',
    pattern: '/check-ins/:id',
    path: (f) => `/check-ins/${f.extra.heldCheckInId}`,
    expect: signedIn,
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/check-ins/:id/digest.xlsx',
    path: (f) => `/check-ins/${f.extra.heldCheckInId}/digest.xlsx`,
    expect: signedIn,
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/check-ins/:id/meeting.ics',
    path: (f) => `/check-ins/${f.extra.heldCheckInId}/meeting.ics`,
    expect: signedIn,
    otherwise: 200,
  },
  // Only the working group (and admin) changes the schedule or records minutes; the forms below are
  // invalid on purpose, so allowed personas get 422 and nothing changes.
  {
    method: 'POST',
    pattern: '/check-ins/schedule',
    path: () => '/check-ins/schedule',
    form: (_p, f) => ({
      roadmapId: String(f.extra.roadmapId),
      weekday: '7',
      time: '10:00',
      requestDays: '2',
    }),
    expect: office,
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/check-ins/schedule/pause',
    path: () => '/check-ins/schedule/pause',
    form: { roadmapId: '' },
    expect: office,
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/check-ins/schedule/resume',
    path: () => '/check-ins/schedule/resume',
    form: { roadmapId: '' },
    expect: office,
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/check-ins/schedule/trigger',
    path: () => '/check-ins/schedule/trigger',
    form: { roadmapId: '' },
    expect: office,
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/check-ins/:id/minutes',
    path: (f) => `/check-ins/${f.extra.heldCheckInId}/minutes`,
    form: { minutes: '  ' },
    expect: office,
    otherwise: 403,
  },
  // Status notes are the agencies' own: their form shows only their items; another agency may not post.
  {
    method: 'GET',
    pattern: '/check-ins/:id/notes',
    path: (f) => `/check-ins/${f.extra.collectingCheckInId}/notes`,
    expect: { anonymous: 303, agency_head: 200, agency_executor: 200, other_agency_executor: 200 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/check-ins/:id/notes',
    path: (f) => `/check-ins/${f.extra.collectingCheckInId}/notes`,
    form: (_p, f) => ({ [`note_${f.itemId}`]: '   ' }),
    expect: { anonymous: 401, agency_head: 422, agency_executor: 422 },
    otherwise: 403,
  },
];
