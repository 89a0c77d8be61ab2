import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import {
  ensureScheduleSettings,
  getScheduleSettings,
  saveScheduleSettings,
  saveStatusNotes,
  MAX_NOTE,
} from '../../db/check-ins.ts';
import {
  agencyNoteItems,
  allAgencies,
  checkInDecisions,
  checkInRequests,
  checkInSchedules,
  getCheckIn,
  listCheckIns,
  previousDigestCheckIn,
} from '../../db/read-models/index.ts';
import {
  checkMinutes,
  DEFAULT_CHECK_IN_POLICY,
  DEFAULT_MEETING_SLOT,
  diffDigests,
  formatMinute,
  MAX_DECISIONS,
  MEETING_WEEKDAYS,
  nextMeetingDate,
  parseScheduleForm,
  type DecisionInput,
  type DigestSnapshot,
  type Problem,
} from '../../domain/check-in/index.ts';
import { ShtabError, conflict, notFound, validation } from '../../domain/errors.ts';
import { instantToLocalDate, localTimeToInstant } from '../../domain/local-date.ts';
import { isAgencyRole, isProjectOffice } from '../../domain/roles.ts';
import { recordCheckInMinutes } from '../../app/check-ins/index.ts';
import {
  describeCheckInSchedule,
  ensureCheckInSchedule,
  triggerCheckIn,
  type CheckInScheduleConfig,
} from '../../app/check-ins/index.ts';
import { isHtmx, requireRole } from '../auth/index.ts';
import { actorOf, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { formatDate, formatDateTime, type Translate } from '../i18n/index.ts';
import { Field } from '../views/components.tsx';
import { digestWorkbook, meetingIcs } from '../views/check-in-export.ts';
import { DiffView, DigestView } from '../views/digest.tsx';

type CheckIn = NonNullable<Awaited<ReturnType<typeof getCheckIn>>>;
type Values = Record<string, string | string[]>;

const DEFAULT_ROWS = 5;

const scheduleCfg = (c: Context<AppEnv>): CheckInScheduleConfig => ({
  timeZone: c.var.deps.config.timeZone,
  utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes,
});

const str = (v: unknown) =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
const eventIdOf = (v: unknown) => (typeof v === 'string' && /^[\w-]{8,64}$/.test(v) ? v : randomUUID());

function roadmapIdOf(body: Record<string, unknown>): number {
  const n = Number(str(body.roadmapId));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw validation('roadmapId', 'error.field.required', 'roadmapId is required');
  return n;
}

async function loadCheckIn(c: Context<AppEnv>, id: number): Promise<CheckIn> {
  const ci = await getCheckIn(c.var.deps.db, id);
  if (!ci) throw notFound('error.checkin.notFound', `check-in ${id} not found`);
  return ci;
}

const meetingDateOf = (c: Context<AppEnv>, ci: { meeting_at: Date }) =>
  instantToLocalDate(ci.meeting_at.getTime(), c.var.deps.policy.utcOffsetMinutes);

const describedBy = (id: string, error?: string) => (error ? `${id}-error` : undefined);

function StatusTag({ status, t }: { status: string; t: Translate }) {
  return <span class={`badge checkin-${status}`}>{t(`checkin.status.${status}`)}</span>;
}

// ---- /check-ins: history and the schedule settings ---------------------------------------------------

interface ScheduleProblem {
  roadmapId: number | null;
  field?: string | undefined;
  message: string;
  values: Values;
}

async function ListPage({ c, problem }: { c: Context<AppEnv>; problem?: ScheduleProblem | undefined }) {
  const { t, locale } = c.var;
  const { db, temporal, config } = c.var.deps;
  const user = currentUser(c);
  const office = isProjectOffice(user.role);
  const [schedules, history] = await Promise.all([checkInSchedules(db), listCheckIns(db)]);
  const done = c.req.query('done');
  return (
    <section id="check-ins">
      <h1>{t('checkin.title')}</h1>
      {done && ['saved', 'paused', 'resumed', 'triggered'].includes(done) && (
        <p class="notice" role="status">
          {t(`checkin.flash.${done}`)}
        </p>
      )}
      {problem && !problem.field && (
        <p class="alert" role="alert">
          {problem.message}
        </p>
      )}
      <h2>{t('checkin.schedule')}</h2>
      {schedules.length === 0 && <p class="muted">{t('checkin.noRoadmaps')}</p>}
      {await Promise.all(
        schedules.map(async (s) => {
          const weekday = s.weekday ?? DEFAULT_MEETING_SLOT.weekday;
          const minute = s.meeting_minute ?? DEFAULT_MEETING_SLOT.minute;
          const days = s.request_working_days ?? DEFAULT_CHECK_IN_POLICY.requestWorkingDaysBefore;
          const described = await describeCheckInSchedule(temporal, s.roadmap_id).catch(() => null);
          const mine = problem?.roadmapId === s.roadmap_id ? problem : undefined;
          const err = (f: string) => (mine?.field === f ? mine.message : undefined);
          const val = (f: string, d: string) => (mine ? str(mine.values[f]) : d);
          const paused = described ? described.state.paused : (s.paused ?? false);
          const fid = (f: string) => `schedule-${s.roadmap_id}-${f}`;
          return (
            <article class="schedule-card" aria-labelledby={fid('title')}>
              <h3 id={fid('title')}>{localized(locale, s.title_ru, s.title_en)}</h3>
              <dl class="facts">
                <dt>{t('checkin.meetingSlot')}</dt>
                <dd>
                  {t(`weekday.${weekday}`)}, {formatMinute(minute)} ({config.timeZone})
                </dd>
                <dt>{t('checkin.requestDays')}</dt>
                <dd>{days}</dd>
                <dt>{t('checkin.scheduleState')}</dt>
                <dd>
                  {described ? t(paused ? 'checkin.paused' : 'checkin.active') : t('checkin.notCreated')}
                </dd>
                <dt>{t('checkin.nextRuns')}</dt>
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
                    <Field id={fid('weekday')} label={t('checkin.weekday')} error={err('weekday')}>
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
                    <Field id={fid('time')} label={t('checkin.time')} error={err('time')}>
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
                      label={t('checkin.requestDays')}
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
                    <button type="submit">{t('checkin.saveSchedule')}</button>
                  </form>
                  <div class="buttons">
                    <form
                      method="post"
                      action={paused ? '/check-ins/schedule/resume' : '/check-ins/schedule/pause'}
                    >
                      <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                      <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                      <button type="submit" class="secondary">
                        {t(paused ? 'checkin.resume' : 'checkin.pause')}
                      </button>
                    </form>
                    <form method="post" action="/check-ins/schedule/trigger">
                      <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
                      <input type="hidden" name="roadmapId" value={String(s.roadmap_id)} />
                      <button type="submit" class="secondary">
                        {t('checkin.runNow')}
                      </button>
                    </form>
                  </div>
                </>
              )}
            </article>
          );
        }),
      )}
      <h2>{t('checkin.history')}</h2>
      {history.length === 0 ? (
        <p class="muted">{t('checkin.noHistory')}</p>
      ) : (
        <table class="check-ins">
          <thead>
            <tr>
              <th scope="col">{t('checkin.meeting')}</th>
              <th scope="col">{t('item.status')}</th>
              <th scope="col">{t('checkin.answered')}</th>
              <th scope="col">{t('checkin.redList')}</th>
              <th scope="col">{t('checkin.closedThisWeek')}</th>
              <th scope="col">{t('checkin.instructionsGiven')}</th>
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
                      · <a href={`/check-ins/${h.id}/notes`}>{t('checkin.giveNotes')}</a>
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

async function renderList(c: Context<AppEnv>, problem?: ScheduleProblem, status: 200 | 422 = 200) {
  const { t } = c.var;
  if (isHtmx(c)) return c.html(<ListPage c={c} problem={problem} />, status);
  c.status(status);
  return c.render(<ListPage c={c} problem={problem} />, { title: t('checkin.title'), section: 'checkins' });
}

/** Runs a schedule action; a validation error re-renders the page with the message next to the field. */
async function scheduleAction(
  c: Context<AppEnv>,
  done: string,
  run: (body: Record<string, unknown>) => Promise<void>,
) {
  const body = await c.req.parseBody();
  try {
    await run(body);
  } catch (e) {
    if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
    const rid = Number(str(body.roadmapId));
    return renderList(
      c,
      {
        roadmapId: Number.isSafeInteger(rid) && rid > 0 ? rid : null,
        field: e.detail.field === 'roadmapId' ? undefined : e.detail.field,
        message: c.var.t(e.detail.key, e.detail.params),
        values: body as Values,
      },
      422,
    );
  }
  return c.redirect(`/check-ins?done=${done}`, 303);
}

/** Temporal refusing (down, misconfigured) is a 503, never a half-applied change. */
async function temporalCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ShtabError) throw e;
    throw new ShtabError('unavailable', `Temporal: ${(e as Error).message}`, { key: 'error.unavailable' });
  }
}

async function settingsOrDefault(c: Context<AppEnv>, roadmapId: number) {
  const { db } = c.var.deps;
  const s =
    (await getScheduleSettings(db, roadmapId)) ??
    (await ensureScheduleSettings(db)).find((x) => x.roadmapId === roadmapId);
  if (!s) throw notFound('error.notFound', `roadmap ${roadmapId} not found`);
  return s;
}

// ---- /check-ins/:id: digest, diff, minutes ------------------------------------------------------------

interface MinutesState {
  problems: Problem[];
  values: Values;
  general?: string;
}

const fieldIdOf = (field: string) => {
  const m = /^decisions\.(\d+)\.(text|agency|coAgencies|due)$/.exec(field);
  if (!m) return field;
  return `${m[2] === 'coAgencies' ? 'co' : m[2]}_${m[1]}`;
};

async function MinutesForm({
  c,
  ci,
  state,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  state?: MinutesState | undefined;
}) {
  const { t, locale } = c.var;
  const agencies = await allAgencies(c.var.deps.db);
  const values = state?.values ?? {};
  const asked = Number(c.req.query('rows') ?? str(values.rows));
  const rows = Math.min(MAX_DECISIONS, Math.max(DEFAULT_ROWS, Number.isInteger(asked) ? asked : 0));
  const error = (id: string) => {
    const p = state?.problems.find((x) => fieldIdOf(x.field) === id);
    return p ? t(p.key, p.params) : undefined;
  };
  const v = (k: string) => str(values[k]);
  const many = (k: string) =>
    Array.isArray(values[k]) ? (values[k] as string[]) : values[k] ? [values[k] as string] : [];
  return (
    <section aria-labelledby="minutes-title" class="minutes-form no-print">
      <h2 id="minutes-title">{t('checkin.minutesTitle')}</h2>
      {state?.general && (
        <p class="alert" role="alert">
          {state.general}
        </p>
      )}
      <form method="post" action={`/check-ins/${ci.id}/minutes`}>
        <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
        <input type="hidden" name="eventId" value={v('eventId') || randomUUID()} />
        <input type="hidden" name="rows" value={String(rows)} />
        <Field id="minutes" label={t('checkin.minutesText')} error={error('minutes')}>
          <textarea
            id="minutes"
            name="minutes"
            rows={5}
            aria-describedby={describedBy('minutes', error('minutes'))}
          >
            {v('minutes')}
          </textarea>
        </Field>
        <p class="muted">{t('checkin.decisionsHelp')}</p>
        {Array.from({ length: rows }, (_, i) => (
          <fieldset class="decision">
            <legend>{t('checkin.decision', { n: i + 1 })}</legend>
            <Field id={`text_${i}`} label={t('checkin.decisionText')} error={error(`text_${i}`)}>
              <textarea
                id={`text_${i}`}
                name={`text_${i}`}
                rows={2}
                aria-describedby={describedBy(`text_${i}`, error(`text_${i}`))}
              >
                {v(`text_${i}`)}
              </textarea>
            </Field>
            <div class="decision-grid">
              <Field id={`agency_${i}`} label={t('item.agency')} error={error(`agency_${i}`)}>
                <select
                  id={`agency_${i}`}
                  name={`agency_${i}`}
                  aria-describedby={describedBy(`agency_${i}`, error(`agency_${i}`))}
                >
                  <option value="">{t('checkin.noAgency')}</option>
                  {agencies.map((a) => (
                    <option value={String(a.id)} selected={v(`agency_${i}`) === String(a.id)}>
                      {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`co_${i}`} label={t('item.coAgencies')} error={error(`co_${i}`)}>
                <select
                  id={`co_${i}`}
                  name={`co_${i}`}
                  multiple
                  size={3}
                  aria-describedby={describedBy(`co_${i}`, error(`co_${i}`))}
                >
                  {agencies.map((a) => (
                    <option value={String(a.id)} selected={many(`co_${i}`).includes(String(a.id))}>
                      {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`due_${i}`} label={t('checkin.due')} error={error(`due_${i}`)}>
                <input
                  id={`due_${i}`}
                  name={`due_${i}`}
                  type="date"
                  value={v(`due_${i}`)}
                  aria-describedby={describedBy(`due_${i}`, error(`due_${i}`))}
                />
              </Field>
              <div class="field checkbox">
                <input
                  id={`special_${i}`}
                  name={`special_${i}`}
                  type="checkbox"
                  value="1"
                  checked={v(`special_${i}`) === '1'}
                />
                <label for={`special_${i}`}>{t('checkin.specialControl')}</label>
              </div>
            </div>
          </fieldset>
        ))}
        <p>
          <a href={`/check-ins/${ci.id}?rows=${Math.min(MAX_DECISIONS, rows + 5)}#minutes-title`}>
            {t('checkin.moreRows')}
          </a>
        </p>
        <button type="submit">{t('checkin.recordMinutes')}</button>
      </form>
    </section>
  );
}

async function CheckInPage({
  c,
  ci,
  minutes,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  minutes?: MinutesState | undefined;
}) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const user = currentUser(c);
  const d = ci.digest as DigestSnapshot | null;
  const [requests, decisions, agencies, prev] = await Promise.all([
    checkInRequests(db, ci.id),
    checkInDecisions(db, ci.id),
    allAgencies(db),
    d && ci.roadmap_id ? previousDigestCheckIn(db, ci.roadmap_id, ci.meeting_at) : Promise.resolve(undefined),
  ]);
  const agencyName = (id: number | null) => {
    const a = agencies.find((x) => x.id === id);
    return a ? localized(locale, a.short_ru ?? a.title_ru, a.title_en) : '—';
  };
  const asked = isAgencyRole(user.role) && requests.some((r) => r.agency_id === user.agencyId);
  return (
    <article id="check-in" class="check-in">
      <p class="muted">{localized(locale, ci.roadmap_title_ru ?? '', ci.roadmap_title_en)}</p>
      <h1>{t('checkin.meetingOf', { when: formatDateTime(ci.meeting_at, locale, config.timeZone) })}</h1>
      <p>
        <StatusTag status={ci.status} t={t} />
        {ci.digest_at && (
          <span class="muted">
            {' '}
            {t('checkin.digestBuilt', { when: formatDateTime(ci.digest_at, locale, config.timeZone) })}
          </span>
        )}
      </p>
      <ul class="links no-print">
        {d && (
          <li>
            <a href={`/check-ins/${ci.id}/digest.xlsx`}>{t('checkin.downloadXlsx')}</a>
          </li>
        )}
        {ci.status !== 'skipped' && (
          <li>
            <a href={`/check-ins/${ci.id}/meeting.ics`}>{t('checkin.downloadIcs')}</a>
          </li>
        )}
        {asked && ci.status === 'collecting' && (
          <li>
            <a href={`/check-ins/${ci.id}/notes`}>{t('checkin.giveNotes')}</a>
          </li>
        )}
        <li>
          <a href="/check-ins">{t('checkin.allCheckIns')}</a>
        </li>
      </ul>
      {ci.status === 'skipped' && <p class="notice">{t('error.checkin.skippedHoliday')}</p>}
      {ci.status === 'collecting' && (
        <section aria-labelledby="requests-title">
          <p>{t('checkin.collectingHelp')}</p>
          <h2 id="requests-title">{t('checkin.requests')}</h2>
          {requests.length === 0 ? (
            <p class="muted">{t('checkin.noRequestsYet')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('item.agency')}</th>
                  <th scope="col">{t('checkin.itemsAsked')}</th>
                  <th scope="col">{t('checkin.answered')}</th>
                  <th scope="col">{t('checkin.chased')}</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr>
                    <td>{agencyName(r.agency_id)}</td>
                    <td>{r.item_ids.length}</td>
                    <td>
                      {r.answered_at
                        ? `${formatDateTime(r.answered_at, locale, config.timeZone)}${r.answered_by ? `, ${r.answered_by}` : ''}`
                        : t('checkin.notYet')}
                    </td>
                    <td>{r.chased_at ? formatDateTime(r.chased_at, locale, config.timeZone) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {d && <DigestView d={d} t={t} locale={locale} utcOffsetMinutes={c.var.deps.policy.utcOffsetMinutes} />}
      {d && prev?.digest && (
        <DiffView diff={diffDigests(prev.digest as DigestSnapshot, d)} d={d} t={t} locale={locale} />
      )}
      {ci.status === 'closed' && (
        <section aria-labelledby="minutes-title">
          <h2 id="minutes-title">{t('checkin.minutesTitle')}</h2>
          {ci.minutes ? (
            <p class="minutes-text">{ci.minutes}</p>
          ) : (
            decisions.length === 0 && <p class="muted">{t('checkin.noMinutes')}</p>
          )}
          {decisions.length > 0 && (
            <ol class="decisions">
              {decisions.map((x) => (
                <li>
                  <p class="minutes-text">{x.text}</p>
                  {x.control_item_id && (
                    <p class="muted">
                      <a href={`/items/${x.control_item_id}`}>{t('kind.instruction')}</a> —{' '}
                      {agencyName(x.agency_id)}
                      {x.co_agency_ids.length > 0 &&
                        ` (+ ${x.co_agency_ids.map(agencyName).join(', ')})`}, {t('checkin.due')}{' '}
                      {formatDate(x.due, locale)}
                      {x.special_control && ` · ${t('checkin.specialControl')}`}
                      {x.item_status && ` · ${t(`status.${x.item_status}`)}`}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      {ci.status === 'held' && isProjectOffice(user.role) && <MinutesForm c={c} ci={ci} state={minutes} />}
    </article>
  );
}

async function renderCheckIn(
  c: Context<AppEnv>,
  ci: CheckIn,
  minutes?: MinutesState,
  status: 200 | 409 | 422 = 200,
) {
  const title = c.var.t('checkin.meetingOf', {
    when: formatDateTime(ci.meeting_at, c.var.locale, c.var.deps.config.timeZone),
  });
  if (isHtmx(c)) return c.html(<CheckInPage c={c} ci={ci} minutes={minutes} />, status);
  c.status(status);
  return c.render(<CheckInPage c={c} ci={ci} minutes={minutes} />, { title, section: 'checkins' });
}

function parseDecisions(body: Record<string, unknown>): { decisions: DecisionInput[]; problems: Problem[] } {
  const rows = Math.min(MAX_DECISIONS, Math.max(0, Number(str(body.rows)) || DEFAULT_ROWS));
  const problems: Problem[] = [];
  const decisions: DecisionInput[] = [];
  const idOf = (raw: string, field: string) => {
    if (raw === '') return null;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) {
      problems.push({ field, key: 'error.checkin.unknownAgency' });
      return null;
    }
    return n;
  };
  for (let i = 0; i < rows; i++) {
    const co = body[`co_${i}`];
    const coRaw = Array.isArray(co) ? co.map(String) : typeof co === 'string' && co ? [co] : [];
    const due = str(body[`due_${i}`]).trim();
    decisions.push({
      text: str(body[`text_${i}`]),
      agencyId: idOf(str(body[`agency_${i}`]), `decisions.${i}.agency`),
      coAgencyIds: coRaw
        .map((x) => idOf(x, `decisions.${i}.coAgencies`))
        .filter((x): x is number => x !== null),
      due: due === '' ? null : due,
      specialControl: str(body[`special_${i}`]) === '1',
    });
  }
  return { decisions, problems };
}

// ---- Notes (agency users) -----------------------------------------------------------------------------

async function NotesPage({
  c,
  ci,
  problem,
  values,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  problem?: { field?: string | undefined; message: string } | undefined;
  values?: Values | undefined;
}) {
  const { t, locale } = c.var;
  const { config } = c.var.deps;
  const user = currentUser(c);
  const { request, items } = await agencyNoteItems(
    c.var.deps.db,
    ci.id,
    user.agencyId!,
    readContext(c).today,
  );
  const open = ci.status === 'collecting';
  return (
    <section id="notes" aria-labelledby="notes-title">
      <p>
        <a href={`/check-ins/${ci.id}`}>
          {t('checkin.meetingOf', { when: formatDateTime(ci.meeting_at, locale, config.timeZone) })}
        </a>
      </p>
      <h1 id="notes-title">{t('checkin.notesTitle')}</h1>
      {c.req.query('saved') && (
        <p class="notice" role="status">
          {t('checkin.notesSaved')}
        </p>
      )}
      {problem && !problem.field && (
        <p class="alert" role="alert">
          {problem.message}
        </p>
      )}
      {!request ? (
        <p class="muted">{t('checkin.notAsked')}</p>
      ) : !open ? (
        <p class="notice">{t('error.checkin.notesClosed')}</p>
      ) : null}
      {request && (
        <form method="post" action={`/check-ins/${ci.id}/notes`}>
          <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
          <p class="muted">{t('checkin.notesHelp', { max: MAX_NOTE })}</p>
          {items.map((i) => {
            const id = `note_${i.id}`;
            const error = problem?.field === id ? problem.message : undefined;
            return (
              <div class="note-item">
                <p>
                  <a href={`/items/${i.id}`}>{localized(locale, i.title_ru, i.title_en)}</a>{' '}
                  <span class="muted">
                    {i.number ? `№ ${i.number} · ` : ''}
                    {t('checkin.due')} {formatDate(i.current_due, locale)}
                    {i.overdue ? ` · ${t('status.overdue')}` : ''}
                  </span>
                </p>
                <Field id={id} label={t('checkin.note')} error={error}>
                  <textarea
                    id={id}
                    name={id}
                    rows={3}
                    maxlength={MAX_NOTE}
                    disabled={!open}
                    aria-describedby={describedBy(id, error)}
                  >
                    {values ? str(values[id]) : (i.note ?? '')}
                  </textarea>
                </Field>
                {i.note_author && <p class="muted">{t('checkin.noteBy', { name: i.note_author })}</p>}
              </div>
            );
          })}
          {open && <button type="submit">{t('checkin.saveNotes')}</button>}
        </form>
      )}
    </section>
  );
}

async function renderNotes(
  c: Context<AppEnv>,
  ci: CheckIn,
  problem?: { field?: string | undefined; message: string },
  values?: Values,
  status: 200 | 422 = 200,
) {
  if (isHtmx(c)) return c.html(<NotesPage c={c} ci={ci} problem={problem} values={values} />, status);
  c.status(status);
  return c.render(<NotesPage c={c} ci={ci} problem={problem} values={values} />, {
    title: c.var.t('checkin.notesTitle'),
    section: 'checkins',
  });
}

// ---- Routes -------------------------------------------------------------------------------------------

export function checkInRoutes() {
  const app = new Hono<AppEnv>();
  const office = requireRole('working_group', 'admin');
  const agencyUser = requireRole('agency_head', 'agency_executor');

  app.get('/', (c) => renderList(c));

  app.post('/schedule', office, (c) =>
    scheduleAction(c, 'saved', async (body) => {
      const s = parseScheduleForm(body);
      await saveScheduleSettings(c.var.deps.db, s, currentUser(c).id, (saved) =>
        temporalCall(() => ensureCheckInSchedule(c.var.deps.temporal, saved, scheduleCfg(c)).then(() => {})),
      );
    }),
  );

  for (const [path, paused] of [
    ['/schedule/pause', true],
    ['/schedule/resume', false],
  ] as const) {
    app.post(path, office, (c) =>
      scheduleAction(c, paused ? 'paused' : 'resumed', async (body) => {
        const s = await settingsOrDefault(c, roadmapIdOf(body));
        await saveScheduleSettings(c.var.deps.db, { ...s, paused }, currentUser(c).id, (saved) =>
          temporalCall(() =>
            ensureCheckInSchedule(c.var.deps.temporal, saved, scheduleCfg(c)).then(() => {}),
          ),
        );
      }),
    );
  }

  // "Run now": opens the cycle of the next meeting at once (Schedule trigger), unless it is already open.
  app.post('/schedule/trigger', office, (c) =>
    scheduleAction(c, 'triggered', async (body) => {
      const s = await settingsOrDefault(c, roadmapIdOf(body));
      const offset = c.var.deps.policy.utcOffsetMinutes;
      const meeting = nextMeetingDate(Date.now(), s.slot, offset);
      const existing = await c.var.deps.db
        .selectFrom('check_in')
        .select(['id', 'status'])
        .where('roadmap_id', '=', s.roadmapId)
        .where('meeting_at', '=', new Date(localTimeToInstant(meeting, s.slot.minute, offset)))
        .executeTakeFirst();
      if (existing?.status === 'skipped') {
        throw conflict('error.checkin.meetingSkipped', `the meeting of ${meeting} falls on a holiday`, {
          date: formatDate(meeting, c.var.locale),
        });
      }
      if (existing) {
        throw conflict('error.checkin.alreadyOpen', `check-in ${existing.id} already prepares that meeting`, {
          date: formatDate(meeting, c.var.locale),
        });
      }
      await temporalCall(async () => {
        await ensureCheckInSchedule(c.var.deps.temporal, s, scheduleCfg(c));
        await triggerCheckIn(c.var.deps.temporal, s.roadmapId);
      });
    }),
  );

  app.get('/:id', async (c) => renderCheckIn(c, await loadCheckIn(c, idParam(c))));

  app.get('/:id/digest.xlsx', async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    if (!ci.digest) throw notFound('error.checkin.noDigest', `check-in ${ci.id} has no digest yet`);
    const buf = await digestWorkbook(ci.digest as DigestSnapshot, c.var.t, c.var.locale);
    return c.body(new Uint8Array(buf), 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="check-in-${meetingDateOf(c, ci)}.xlsx"`,
    });
  });

  app.get('/:id/meeting.ics', async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    if (ci.status === 'skipped')
      throw notFound('error.checkin.skippedHoliday', `check-in ${ci.id} was skipped`);
    const { t, locale } = c.var;
    const { publicUrl } = c.var.deps.config;
    const url = `${publicUrl}/check-ins/${ci.id}`;
    const d = ci.digest as DigestSnapshot | null;
    const body = meetingIcs({
      checkInId: ci.id,
      meetingAt: ci.meeting_at,
      title: t('checkin.icsTitle', {
        roadmap: localized(locale, ci.roadmap_title_ru ?? '', ci.roadmap_title_en),
      }),
      description: [
        d
          ? t('checkin.icsSummary', { overdue: d.totals.overdue, closed: d.changes.closed.length })
          : t('checkin.collectingHelp'),
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
    const body = await c.req.parseBody({ all: true });
    const values = body as Values;
    const { t } = c.var;
    if (ci.status !== 'held') {
      throw conflict('error.checkin.notHeld', `check-in ${ci.id} is ${ci.status}`);
    }
    const parsed = parseDecisions(body);
    const input = { minutes: str(body.minutes), decisions: parsed.decisions };
    const checked = checkMinutes(input, { meetingDate: meetingDateOf(c, ci) });
    // Agencies must exist: checked here so the form says which row, before anything reaches Temporal.
    const known = new Set((await allAgencies(c.var.deps.db)).map((a) => a.id));
    input.decisions.forEach((d, i) => {
      if (d.agencyId !== null && !known.has(d.agencyId))
        parsed.problems.push({ field: `decisions.${i}.agency`, key: 'error.checkin.unknownAgency' });
      if (d.coAgencyIds.some((a) => !known.has(a)))
        parsed.problems.push({ field: `decisions.${i}.coAgencies`, key: 'error.checkin.unknownAgency' });
    });
    const problems = [...parsed.problems, ...checked.problems];
    if (problems.length) return renderCheckIn(c, ci, { problems, values }, 422);
    try {
      if (!ci.workflow_id)
        throw new ShtabError('conflict', 'no workflow', { key: 'error.checkin.notRunning' });
      await recordCheckInMinutes(c.var.deps.temporal, ci.workflow_id, {
        actor: actorOf(currentUser(c)),
        eventId: eventIdOf(body.eventId),
        minutes: input,
      });
    } catch (e) {
      if (
        !(e instanceof ShtabError) ||
        e.code === 'unavailable' ||
        e.code === 'not_found' ||
        e.code === 'forbidden'
      )
        throw e;
      const message = t(e.detail.key, e.detail.params);
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
          : { problems: [], values, general: message };
      return renderCheckIn(c, await loadCheckIn(c, ci.id), state, e.code === 'validation' ? 422 : 409);
    }
    return c.redirect(`/check-ins/${ci.id}`, 303);
  });

  app.get('/:id/notes', agencyUser, async (c) => renderNotes(c, await loadCheckIn(c, idParam(c))));

  app.post('/:id/notes', agencyUser, async (c) => {
    const ci = await loadCheckIn(c, idParam(c));
    const user = currentUser(c);
    const body = await c.req.parseBody();
    const { request } = await agencyNoteItems(c.var.deps.db, ci.id, user.agencyId!, readContext(c).today);
    if (!request)
      throw new ShtabError('forbidden', 'this agency was not asked', { key: 'error.checkin.notAsked' });
    const notes = Object.entries(body)
      .map(([k, v]) => ({ m: /^note_(\d{1,9})$/.exec(k), v }))
      .filter((x) => x.m)
      .map((x) => ({ itemId: Number(x.m![1]), body: str(x.v) }));
    try {
      await saveStatusNotes(c.var.deps.db, {
        checkInId: ci.id,
        agencyId: user.agencyId!,
        userId: user.id,
        notes,
      });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
      return renderNotes(
        c,
        ci,
        { field: e.detail.field, message: c.var.t(e.detail.key, e.detail.params) },
        body as Values,
        422,
      );
    }
    return c.redirect(`/check-ins/${ci.id}/notes?saved=1`, 303);
  });

  return app;
}
