import { Hono, type Context } from 'hono';
import {
  dropCalendarYear,
  enterCalendarYear,
  uploadCalendarYear,
  type Published,
} from '../../../app/calendar/index.ts';
import type { FileOutcome } from '../../../app/reference/index.ts';
import { calendarYearRows } from '../../../db/read-models/index.ts';
import { isWorkingDay, parseDateList, RU_CALENDAR, yearSource } from '../../../domain/calendar/index.ts';
import { ShtabError, type FieldIssue } from '../../../domain/errors.ts';
import { addDays, isoWeekday } from '../../../domain/local-date.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, readContext } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { flash } from '../../flash.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { adminForm } from '../../views/admin-form.tsx';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { ErrorSummary, FileField, formView, TextareaField, TextField } from '../../views/form.tsx';
import { Csrf } from '../../views/service-views.tsx';
import { Quoted, Said, UserText, WHO } from '../../views/components.tsx';
import { ImportIssues } from '../../views/import-issues.tsx';
import { DataTable } from '../../views/table.tsx';

// The working-day calendar: which years have a table (entered here, the built-in decree or its draft) and
// which run on the rule-based fallback; the administrator enters or uploads a year's days off and working
// weekends (the government decree published each autumn), or removes an entered year. Each change is in
// force at once and every open item's workflow re-plans its reminders (app/calendar).

const office = requireRole('working_group', 'admin');
const admin = requireRole('admin');

/** Weekdays off and working weekends of a year as the calendar in force has them. */
function yearDays(year: number) {
  const off: string[] = [];
  const work: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) {
    const weekend = isoWeekday(d) >= 6;
    const working = isWorkingDay(d);
    if (!weekend && !working) off.push(d);
    if (weekend && working) work.push(d);
  }
  return { off, work };
}

async function CalendarPage({
  c,
  values,
  problems,
  upload,
}: {
  c: Context<AppEnv>;
  values?: FormValues | undefined;
  problems?: FieldIssue[] | undefined;
  upload?: FileOutcome<Published> | undefined;
}) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const role = currentUser(c).role;
  const thisYear = Number(readContext(c).today.slice(0, 4));
  const entered = await calendarYearRows(db);
  const years = [
    ...new Set([
      ...Object.keys(RU_CALENDAR).map(Number),
      ...entered.map((e) => e.year),
      thisYear - 1,
      thisYear,
      thisYear + 1,
      thisYear + 2,
    ]),
  ]
    .filter((y) => y >= thisYear - 1)
    .sort((a, b) => a - b);
  const wanted = Number(c.req.query('year') ?? values?.year ?? thisYear + 1);
  const editYear = Number.isInteger(wanted) && wanted >= 2000 && wanted <= 2100 ? wanted : thisYear + 1;
  const prefill = (() => {
    if (values) return values;
    const own = entered.find((e) => e.year === editYear);
    if (own)
      return {
        year: String(editYear),
        source: own.source,
        daysOff: own.days_off.join(', '),
        workingWeekends: own.working_weekends.join(', '),
      };
    const { off, work } = yearDays(editYear);
    return { year: String(editYear), source: '', daysOff: off.join(', '), workingWeekends: work.join(', ') };
  })();
  const f = adminForm(t, 'calendar', prefill, problems);
  const up = formView('calendar-upload');
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="calendar" role={role} />
      <h2>{t('admin.calendar.title')}</h2>
      <p class="hint">{t('admin.calendar.intro')}</p>
      <DataTable
        rows={years}
        class="admin-list"
        empty={null}
        rowId={(y) => `year-${y}`}
        rowClass={(y) => (yearSource(y) === 'fallback' ? 'warn' : undefined)}
        columns={[
          { label: t('admin.calendar.year'), rowHeader: true, cell: (y) => y },
          {
            label: t('admin.calendar.source'),
            wide: true,
            cell: (y) => {
              const kind = yearSource(y);
              const own = entered.find((e) => e.year === y);
              return (
                <>
                  <strong>{t(`admin.calendar.kind.${kind}`)}</strong>
                  <br />
                  <span class="muted">
                    {own ? (
                      // The decree's name and the person are typed text (Russian): marked, not translated.
                      <>
                        <UserText text={own.source} />
                        {' · '}
                        <Said
                          message={t('admin.calendar.enteredBy', {
                            who: WHO,
                            at: formatDateTime(own.updated_at, locale, config.timeZone),
                          })}
                          who={own.updated_by_name ?? '—'}
                        />
                      </>
                    ) : kind === 'fallback' ? (
                      t('admin.calendar.fallbackHint')
                    ) : (
                      <UserText text={RU_CALENDAR[y]!.source} />
                    )}
                  </span>
                </>
              );
            },
          },
          { label: t('admin.calendar.daysOff'), class: 'num', cell: (y) => yearDays(y).off.length },
          { label: t('admin.calendar.workingWeekends'), class: 'num', cell: (y) => yearDays(y).work.length },
          role === 'admin' && {
            label: t('admin.roadmaps.actions'),
            cell: (y) => (
              <span class="row-actions">
                <a href={`/admin/calendar?year=${y}#calendar-form`}>
                  {t('admin.calendar.enter')}
                  <span class="sr-only"> {y}</span>
                </a>
                {entered.some((e) => e.year === y) && (
                  <form method="post" action={`/admin/calendar/${y}/delete`} class="inline">
                    <Csrf c={c} />
                    <button type="submit" class="link">
                      {t('admin.calendar.remove')}
                      <span class="sr-only"> {y}</span>
                    </button>
                  </form>
                )}
              </span>
            ),
          },
        ]}
      />
      {role === 'admin' && (
        <>
          <form
            method="post"
            action="/admin/calendar"
            class="stacked narrow-form"
            id="calendar-form"
            novalidate
          >
            <h3>{t('admin.calendar.formTitle')}</h3>
            <p class="hint">
              <Quoted text={t('admin.calendar.formHint')} />
            </p>
            <Csrf c={c} />
            <ErrorSummary f={f} t={t} />
            <TextField
              f={f}
              t={t}
              name="year"
              label={t('admin.calendar.year')}
              inputmode="numeric"
              maxlength={4}
              width="short"
            />
            <TextField
              f={f}
              t={t}
              name="source"
              label={t('admin.calendar.decree')}
              hint={t('admin.calendar.decreeHint')}
              maxlength={500}
            />
            <TextareaField
              f={f}
              t={t}
              name="daysOff"
              label={t('admin.calendar.daysOff')}
              hint={t('admin.calendar.daysOffHint')}
              rows={4}
            />
            <TextareaField
              f={f}
              t={t}
              name="workingWeekends"
              label={t('admin.calendar.workingWeekends')}
              hint={t('admin.calendar.workingHint')}
              rows={2}
            />
            <button type="submit">{t('admin.calendar.save')}</button>
          </form>
          <form
            method="post"
            action="/admin/calendar/import"
            enctype="multipart/form-data"
            class="stacked narrow-form"
            id="calendar-upload"
          >
            <h3>{t('admin.calendar.uploadTitle')}</h3>
            <p class="hint">
              <Quoted text={t('admin.calendar.uploadHint')} />
            </p>
            <Csrf c={c} />
            {upload && !upload.ok && (
              <ImportIssues
                issues={upload.errors}
                t={t}
                summary={t('svc.import.failed', { n: upload.errors.length })}
              />
            )}
            <TextField
              f={up}
              t={t}
              name="year"
              label={t('admin.calendar.year')}
              inputmode="numeric"
              maxlength={4}
              width="short"
              value={String(editYear)}
            />
            <TextField f={up} t={t} name="source" label={t('admin.calendar.decree')} maxlength={500} />
            <FileField
              f={up}
              t={t}
              name="file"
              label={t('admin.calendar.file')}
              accept=".xlsx,.csv"
              required
            />
            <button type="submit">{t('admin.calendar.upload')}</button>
          </form>
        </>
      )}
      <p class="muted">{t('admin.calendar.today', { date: formatDate(readContext(c).today, locale) })}</p>
    </section>
  );
}

const yearOf = (v: string) => (/^\d{4}$/.test(v.trim()) ? Number(v.trim()) : NaN);

export function adminCalendarRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('admin.calendar.title'),
    section: 'admin' as const,
  });
  // After a change: the calendar page, with what was done (and whether the workflows are told yet).
  const saved = (c: Context<AppEnv>, r: Published) => {
    flash(c, r.rolledOut ? 'flash.calendar.saved' : 'flash.calendar.savedLater');
    return c.redirect('/admin/calendar', 303);
  };

  app.get('/calendar', office, (c) => c.render(<CalendarPage c={c} />, title(c)));
  app.post('/calendar', admin, async (c) => {
    const { values } = await readForm(c);
    const year = yearOf(fieldValue(values, 'year'));
    const problems: FieldIssue[] = [];
    const list = (name: string) => {
      const { dates, bad } = parseDateList(fieldValue(values, name), Number.isNaN(year) ? 2000 : year);
      if (bad.length)
        problems.push({
          field: name,
          key: 'error.calendar.badDates',
          params: { value: bad.slice(0, 3).join(', ') },
        });
      return dates;
    };
    const input = {
      year,
      source: fieldValue(values, 'source'),
      daysOff: list('daysOff'),
      workingWeekends: list('workingWeekends'),
    };
    const r = problems.length
      ? ({ ok: false, problems } as const)
      : await enterCalendarYear(c.var.deps, actorOf(currentUser(c)), input);
    if (!r.ok) {
      c.status(422);
      return c.render(<CalendarPage c={c} values={values} problems={r.problems} />, title(c));
    }
    return saved(c, r);
  });
  app.post('/calendar/import', admin, async (c) => {
    const form = await readForm(c);
    const [file] = form.files('file');
    const year = yearOf(fieldValue(form.values, 'year'));
    const r: FileOutcome<Published> = !file
      ? { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] }
      : Number.isNaN(year)
        ? { ok: false, errors: [{ row: null, column: null, key: 'error.calendar.year' }] }
        : await uploadCalendarYear(c.var.deps, actorOf(currentUser(c)), {
            year,
            source: fieldValue(form.values, 'source'),
            file: { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name || 'upload' },
          });
    if (!r.ok) {
      c.status(422);
      return c.render(<CalendarPage c={c} upload={r} />, title(c));
    }
    return saved(c, r);
  });
  app.post('/calendar/:year/delete', admin, async (c) => {
    const year = yearOf(c.req.param('year'));
    if (Number.isNaN(year)) throw new ShtabError('not_found', 'no such year', { key: 'error.notFound' });
    return saved(c, await dropCalendarYear(c.var.deps, actorOf(currentUser(c)), year));
  });
  return app;
}
