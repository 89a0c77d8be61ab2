// /check-ins: the history and each roadmap's schedule settings (weekday, time, pause, run now).
import type { Context } from 'hono';
import { checkInSchedules, listCheckIns } from '../../../db/read-models/index.ts';
import {
  DEFAULT_CHECK_IN_POLICY,
  DEFAULT_MEETING_SLOT,
  formatMinute,
  MEETING_WEEKDAYS,
} from '../../../domain/check-in/index.ts';
import { ShtabError } from '../../../domain/errors.ts';
import { isAgencyRole, isProjectOffice } from '../../../domain/roles.ts';
import { describeCheckInSchedule } from '../../../app/check-ins/index.ts';
import { isHtmx } from '../../auth/index.ts';
import { currentUser, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { Field } from '../../views/components.tsx';
import { StatusTag, type Values, describedBy } from './shared.tsx';

export interface ScheduleProblem {
  roadmapId: number | null;
  field?: string | undefined;
  message: string;
  values: Values;
}

export async function ListPage({
  c,
  problem,
}: {
  c: Context<AppEnv>;
  problem?: ScheduleProblem | undefined;
}) {
  const { t, locale } = c.var;
  const { db, temporal, config } = c.var.deps;
  const user = currentUser(c);
  const office = isProjectOffice(user.role);
  const [schedules, history] = await Promise.all([checkInSchedules(db), listCheckIns(db)]);
  const done = c.req.query('done');
  return (
    <section id="check-ins">
      <h1>{t('checkIn.title')}</h1>
      {done && ['saved', 'paused', 'resumed', 'triggered'].includes(done) && (
        <p class="notice" role="status">
          {t(`checkIn.flash.${done}`)}
        </p>
      )}
      {problem && !problem.field && (
        <p class="alert" role="alert">
          {problem.message}
        </p>
      )}
      <h2>{t('checkIn.schedule')}</h2>
      {schedules.length === 0 && <p class="muted">{t('checkIn.noRoadmaps')}</p>}
      {await Promise.all(
        schedules.map(async (s) => {
          const weekday = s.weekday ?? DEFAULT_MEETING_SLOT.weekday;
          const minute = s.meeting_minute ?? DEFAULT_MEETING_SLOT.minute;
          const days = s.request_working_days ?? DEFAULT_CHECK_IN_POLICY.requestWorkingDaysBefore;
          const described = await describeCheckInSchedule(temporal, s.roadmap_id).catch(() => null);
          const mine = problem?.roadmapId === s.roadmap_id ? problem : undefined;
          const err = (f: string) => (mine?.field === f ? mine.message : undefined);
          const val = (f: string, d: string) => (mine ? fieldValue(mine.values, f) : d);
          const paused = described ? described.state.paused : (s.paused ?? false);
          const fid = (f: string) => `schedule-${s.roadmap_id}-${f}`;
          return (
            <article class="schedule-card" aria-labelledby={fid('title')}>
              <h3 id={fid('title')}>{localized(locale, s.title_ru, s.title_en)}</h3>
              <dl class="facts">
                <dt>{t('checkIn.meetingSlot')}</dt>
                <dd>
                  {t(`weekday.${weekday}`)}, {formatMinute(minute)} ({config.timeZone})
                </dd>
                <dt>{t('checkIn.requestDays')}</dt>
                <dd>{days}</dd>
                <dt>{t('checkIn.scheduleState')}</dt>
                <dd>
                  {described ? t(paused ? 'checkIn.paused' : 'checkIn.active') : t('checkIn.notCreated')}
                </dd>
                <dt>{t('checkIn.nextRuns')}</dt>
                <dd>
                  {described && !paused && described.info.nextActionTimes.length
                    ? described.info.nextActionTimes
                        .slice(0, 3)
                        .map((d) => formatDateTime(d, locale, config.timeZone))
                        .join('; ')
                    : '—'}
                </dd>
              </dl>
              {office && (
                <>
                  <form method="post" action="/check-ins/schedule" class="schedule-form">
                    <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                    <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                    <Field id={fid('weekday')} label={t('checkIn.weekday')} error={err('weekday')}>
                      <select
                        id={fid('weekday')}
                        name="weekday"
                        aria-describedby={describedBy(fid('weekday'), err('weekday'))}
                      >
                        {MEETING_WEEKDAYS.map((w) => (
                          <option value={String(w)} selected={val('weekday', String(weekday)) === String(w)}>
                            {t(`weekday.${w}`)}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <Field id={fid('time')} label={t('checkIn.time')} error={err('time')}>
                      <input
                        id={fid('time')}
                        name="time"
                        type="time"
                        value={val('time', formatMinute(minute))}
                        aria-describedby={describedBy(fid('time'), err('time'))}
                      />
                    </Field>
                    <Field
                      id={fid('requestDays')}
                      label={t('checkIn.requestDays')}
                      error={err('requestDays')}
                    >
                      <input
                        id={fid('requestDays')}
                        name="requestDays"
                        type="number"
                        min="1"
                        max="5"
                        value={val('requestDays', String(days))}
                        aria-describedby={describedBy(fid('requestDays'), err('requestDays'))}
                      />
                    </Field>
                    <button type="submit">{t('checkIn.saveSchedule')}</button>
                  </form>
                  <div class="buttons">
                    <form
                      method="post"
                      action={paused ? '/check-ins/schedule/resume' : '/check-ins/schedule/pause'}
                    >
                      <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                      <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                      <button type="submit" class="secondary">
                        {t(paused ? 'checkIn.resume' : 'checkIn.pause')}
                      </button>
                    </form>
                    <form method="post" action="/check-ins/schedule/trigger">
                      <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                      <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                      <button type="submit" class="secondary">
                        {t('checkIn.runNow')}
                      </button>
                    </form>
                  </div>
                </>
              )}
            </article>
          );
        }),
      )}
      <h2>{t('checkIn.history')}</h2>
      {history.length === 0 ? (
        <p class="muted">{t('checkIn.noHistory')}</p>
      ) : (
        <table class="check-ins">
          <thead>
            <tr>
              <th scope="col">{t('checkIn.meeting')}</th>
              <th scope="col">{t('item.status')}</th>
              <th scope="col">{t('checkIn.answered')}</th>
              <th scope="col">{t('checkIn.redList')}</th>
              <th scope="col">{t('checkIn.closedThisWeek')}</th>
              <th scope="col">{t('checkIn.instructionsGiven')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr>
                <td>
                  <a href={`/check-ins/${h.id}`}>{formatDateTime(h.meeting_at, locale, config.timeZone)}</a>
                  {isAgencyRole(user.role) && h.status === 'collecting' && (
                    <>
                      {' '}
                      · <a href={`/check-ins/${h.id}/notes`}>{t('checkIn.giveNotes')}</a>
                    </>
                  )}
                </td>
                <td>
                  <StatusTag status={h.status} t={t} />
                </td>
                <td>{h.requests ? `${h.answered}/${h.requests}` : '—'}</td>
                <td>{h.red_list ?? '—'}</td>
                <td>{h.closed ?? '—'}</td>
                <td>{h.instructions || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export async function renderList(c: Context<AppEnv>, problem?: ScheduleProblem, status: 200 | 422 = 200) {
  const { t } = c.var;
  if (isHtmx(c)) return c.html(<ListPage c={c} problem={problem} />, status);
  c.status(status);
  return c.render(<ListPage c={c} problem={problem} />, { title: t('checkIn.title'), section: 'checkIns' });
}

/** Runs a schedule action; a validation error re-renders the page with the message next to the field. */
export async function scheduleAction(
  c: Context<AppEnv>,
  done: string,
  run: (values: FormValues) => Promise<void>,
) {
  const { values: body } = await readForm(c);
  try {
    await run(body);
  } catch (e) {
    if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
    const rid = Number(fieldValue(body, 'roadmapId'));
    return renderList(
      c,
      {
        roadmapId: Number.isSafeInteger(rid) && rid > 0 ? rid : null,
        field: e.detail.field === 'roadmapId' ? undefined : e.detail.field,
        message: c.var.t(e.detail.key, e.detail.params),
        values: body,
      },
      422,
    );
  }
  return c.redirect(`/check-ins?done=${done}`, 303);
}

/** Temporal refusing (down, misconfigured) is a 503, never a half-applied change. */
