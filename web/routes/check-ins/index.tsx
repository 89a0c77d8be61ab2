import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  pauseCheckIns,
  recordMinutes,
  recordStatusNotes,
  runCheckInNow,
  saveCheckInSchedule,
  type CheckInDeps,
} from '../../../app/check-ins/index.ts';
import { parseScheduleForm, type DigestSnapshot } from '../../../domain/check-in/index.ts';
import { notFound, ShtabError } from '../../../domain/errors.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam, localized, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { flash } from '../../flash.ts';
import { eventId, fieldValue, parseForm, readForm } from '../../forms.ts';
import { digestWorkbook, meetingIcs } from '../../views/check-in-export.ts';
import { renderCheckIn } from './check-in-page.tsx';
import { renderList, scheduleAction } from './list-page.tsx';
import { parseDecisions, type MinutesState } from './minutes-form.tsx';
import { renderNotes } from './notes-page.tsx';
import { loadCheckIn, meetingDateOf, roadmapIdOf } from './shared.tsx';

// The weekly check-in pages (docs/decisions.md §17–19): schedule settings, each meeting's digest and
// minutes, the agencies' status notes. Parse → call app/check-ins → render.

export const checkInDeps = (c: Context<AppEnv>): CheckInDeps => ({
  db: c.var.deps.db,
  temporal: c.var.deps.temporal,
  schedule: { timeZone: c.var.deps.config.timeZone, utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes },
});

export function checkInRoutes() {
  const app = new Hono<AppEnv>();
  const office = requireRole('working_group', 'admin');
  const agencyUser = requireRole('agency_head', 'agency_executor');

  app.get('/', (c) => renderList(c));

  app.post('/schedule', office, (c) =>
    scheduleAction(c, 'saved', async (values) => {
      await saveCheckInSchedule(checkInDeps(c), {
        actor: actorOf(currentUser(c)),
        settings: parseScheduleForm(values),
      });
    }),
  );

  for (const [path, paused] of [
    ['/schedule/pause', true],
    ['/schedule/resume', false],
  ] as const) {
    app.post(path, office, (c) =>
      scheduleAction(c, paused ? 'paused' : 'resumed', async (values) => {
        await pauseCheckIns(checkInDeps(c), {
          actor: actorOf(currentUser(c)),
          roadmapId: roadmapIdOf(values),
          paused,
        });
      }),
    );
  }

  // "Run now": opens the cycle of the next meeting at once (Schedule trigger), unless it is already open.
  app.post('/schedule/trigger', office, (c) =>
    scheduleAction(c, 'triggered', async (values) => {
      await runCheckInNow(checkInDeps(c), {
        actor: actorOf(currentUser(c)),
        roadmapId: roadmapIdOf(values),
        locale: c.var.locale,
      });
    }),
  );

  app.get('/:id', async (c) => renderCheckIn(c, await loadCheckIn(c, idParam(c))));

  app.get('/:id/digest.xlsx', async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    if (!ci.digest) throw notFound('error.checkIn.noDigest', `check-in ${ci.id} has no digest yet`);
    const buf = await digestWorkbook(ci.digest as DigestSnapshot, c.var.t, c.var.locale);
    return c.body(new Uint8Array(buf), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="check-in-${meetingDateOf(c, ci)}.xlsx"`,
    });
  });

  app.get('/:id/meeting.ics', async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    if (ci.status === 'skipped')
      throw notFound('error.checkIn.skippedHoliday', `check-in ${ci.id} was skipped`);
    const { t, locale } = c.var;
    const { publicUrl } = c.var.deps.config;
    const url = `${publicUrl}/check-ins/${ci.id}`;
    const d = ci.digest as DigestSnapshot | null;
    const body = meetingIcs({
      checkInId: ci.id,
      meetingAt: ci.meeting_at,
      title: t('checkIn.icsTitle', {
        roadmap: localized(locale, ci.roadmap_title_ru ?? '', ci.roadmap_title_en),
      }),
      description: [
        d
          ? t('checkIn.icsSummary', { overdue: d.totals.overdue, closed: d.changes.closed.length })
          : t('checkIn.collectingHelp'),
        url,
      ].join('\n'),
      url,
      host: new URL(publicUrl).host,
    });
    return c.body(body, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="check-in-${meetingDateOf(c, ci)}.ics"`,
    });
  });

  app.post('/:id/minutes', office, async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    const { values } = await readForm(c);
    const parsed = parseDecisions(values);
    let r: Awaited<ReturnType<typeof recordMinutes>>;
    try {
      r = await recordMinutes(checkInDeps(c), {
        actor: actorOf(currentUser(c)),
        checkInId: ci.id,
        idempotencyKey: parseForm(values, z.object({ eventId: eventId() })).eventId,
        minutes: { minutes: fieldValue(values, 'minutes'), decisions: parsed.decisions },
        problems: parsed.problems,
      });
    } catch (e) {
      // The workflow's own refusal (a rule checked again there): shown on the form, never a blank page.
      if (!(e instanceof ShtabError) || (e.code !== 'validation' && e.code !== 'conflict')) throw e;
      const state: MinutesState =
        e.code === 'validation' && e.detail.field
          ? {
              problems: [
                {
                  field: e.detail.field,
                  key: e.detail.key,
                  ...(e.detail.params ? { params: e.detail.params } : {}),
                },
              ],
              values,
            }
          : { problems: [], values, general: c.var.t(e.detail.key, e.detail.params) };
      return renderCheckIn(c, await loadCheckIn(c, ci.id), state, e.code === 'validation' ? 422 : 409);
    }
    if (!r.ok) return renderCheckIn(c, ci, { problems: r.problems, values }, 422);
    flash(c, 'flash.checkIn.minutes');
    return c.redirect(`/check-ins/${ci.id}`, 303);
  });

  app.get('/:id/notes', agencyUser, async (c) => renderNotes(c, await loadCheckIn(c, idParam(c))));

  app.post('/:id/notes', agencyUser, async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    const { values } = await readForm(c);
    const notes = Object.keys(values)
      .map((k) => ({ m: /^note_(\d{1,9})$/.exec(k), k }))
      .filter((x) => x.m)
      .map((x) => ({ itemId: Number(x.m![1]), body: fieldValue(values, x.k) }));
    try {
      await recordStatusNotes(c.var.deps.db, {
        actor: actorOf(currentUser(c)),
        checkInId: ci.id,
        notes,
        today: readContext(c).today,
      });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
      return renderNotes(
        c,
        ci,
        { field: e.detail.field, message: c.var.t(e.detail.key, e.detail.params) },
        values,
        422,
      );
    }
    flash(c, 'flash.checkIn.notes');
    return c.redirect(`/check-ins/${ci.id}/notes`, 303);
  });

  return app;
}
