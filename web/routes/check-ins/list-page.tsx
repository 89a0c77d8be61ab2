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
import { flash } from '../../flash.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { formatDateTime } from '../../i18n/index.ts';
import { ErrorSummary, formView, SelectField, TextField } from '../../views/form.tsx';
import { DataTable } from '../../views/table.tsx';
import { StatusTag, type Values } from './shared.tsx';

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
  return (
    <section id="check-ins">
      <h1>{t('checkIn.title')}</h1>
      {problem && problem.roadmapId === null && (
        <ErrorSummary
          f={formView('schedule', { values: {}, issues: [{ field: 'form', message: problem.message }] })}
          t={t}
        />
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
          const f = formView(
            `schedule-${s.roadmap_id}`,
            mine
              ? { values: mine.values, issues: [{ field: mine.field ?? 'form', message: mine.message }] }
              : undefined,
          );
          const paused = described ? described.state.paused : (s.paused ?? false);
          const fid = (name: string) => `schedule-${s.roadmap_id}-${name}`;
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
                  <ErrorSummary f={f} t={t} />
                  <form method="post" action="/check-ins/schedule" class="schedule-form">
                    <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                    <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                    <SelectField
                      f={f}
                      t={t}
                      name="weekday"
                      label={t('checkIn.weekday')}
                      value={String(weekday)}
                      options={MEETING_WEEKDAYS.map((w) => ({ value: String(w), label: t(`weekday.${w}`) }))}
                    />
                    <TextField
                      f={f}
                      t={t}
                      name="time"
                      type="time"
                      label={t('checkIn.time')}
                      value={formatMinute(minute)}
                    />
                    <TextField
                      f={f}
                      t={t}
                      name="requestDays"
                      type="number"
                      min="1"
                      max="5"
                      label={t('checkIn.requestDays')}
                      value={String(days)}
                    />
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
      <DataTable
        rows={history}
        class="check-ins"
        empty={<p class="muted">{t('checkIn.noHistory')}</p>}
        columns={[
          {
            label: t('checkIn.meeting'),
            wide: true,
            cell: (h) => (
              <>
                <a href={`/check-ins/${h.id}`}>{formatDateTime(h.meeting_at, locale, config.timeZone)}</a>
                {isAgencyRole(user.role) && h.status === 'collecting' && (
                  <>
                    {' '}
                    · <a href={`/check-ins/${h.id}/notes`}>{t('checkIn.giveNotes')}</a>
                  </>
                )}
              </>
            ),
          },
          { label: t('item.status'), cell: (h) => <StatusTag status={h.status} t={t} /> },
          {
            label: t('checkIn.answered'),
            class: 'num',
            cell: (h) => (h.requests ? `${h.answered}/${h.requests}` : '—'),
          },
          { label: t('checkIn.redList'), class: 'num', cell: (h) => h.red_list ?? '—' },
          { label: t('checkIn.closedThisWeek'), class: 'num', cell: (h) => h.closed ?? '—' },
          { label: t('checkIn.instructionsGiven'), class: 'num', cell: (h) => h.instructions || '—' },
        ]}
      />
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
  flash(c, `flash.checkIn.${done}`);
  return c.redirect('/check-ins', 303);
}

/** Temporal refusing (down, misconfigured) is a 503, never a half-applied change. */
