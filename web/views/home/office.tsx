import type {
  lastCheckIns,
  overdueItems,
  pendingExtensions,
  reportsToReview,
  upcomingCheckIns,
} from '../../../db/read-models/index.ts';
import { lateness } from '../../../domain/control-item/lateness.ts';
import { instantToLocalDate, type LocalDate } from '../../../domain/local-date.ts';
import { extensionShift } from '../../../domain/people/decisions.ts';
import { localized } from '../../context.ts';
import { formatDate, formatDateTime, type Locale, type Translate } from '../../i18n/index.ts';
import { UserText } from '../components.tsx';
import { agencyColumn, dueColumn, roadmapColumn } from '../item-columns.tsx';
import { DataTable, type Column } from '../table.tsx';
import { FormKeys, HomeSection, ItemLink, LatenessText, TodoList } from './shared.tsx';

export type Report = Awaited<ReturnType<typeof reportsToReview>>[number];
export type PendingExtension = Awaited<ReturnType<typeof pendingExtensions>>[number];
export type Overdue = Awaited<ReturnType<typeof overdueItems>>['rows'][number];
export type Upcoming = Awaited<ReturnType<typeof upcomingCheckIns>>[number];
export type Last = Awaited<ReturnType<typeof lastCheckIns>>[number];

export interface OfficeContext {
  today: LocalDate;
  utcOffsetMinutes: number;
  timeZone: string;
  csrf: string;
  locale: Locale;
  t: Translate;
}

const pick = (name: string, id: number, label: string) => (
  <>
    <input type="checkbox" id={`${name}-${id}`} name="itemIds" value={String(id)} />
    <label for={`${name}-${id}`} class="sr-only">
      {label}
    </label>
  </>
);

/**
 * Reports waiting for review, oldest first, with the control date and how late each report came (the one
 * lateness function, counted to the day it reached the working group). Each opens in queue mode: after a
 * decision the next report opens. Ticked rows are accepted together.
 */
export function ReviewQueue({ rows, c, back }: { rows: Report[]; c: OfficeContext; back: string }) {
  const { t, locale } = c;
  const cx = { t, locale };
  const reported = (r: Report) =>
    r.submitted_at ? instantToLocalDate(r.submitted_at.getTime(), c.utcOffsetMinutes) : null;
  const columns: Column<Report>[] = [
    {
      label: t('home.col.select'),
      hideLabel: true,
      cell: (r) => pick('accept', r.id, t('home.wg.selectItem', { item: r.number ?? `#${r.id}` })),
    },
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} query="?queue=1" />,
    },
    roadmapColumn(cx),
    agencyColumn(cx, undefined, false),
    dueColumn(cx),
    {
      label: t('review.submittedAt'),
      class: 'nowrap',
      cell: (r) => (r.submitted_at ? formatDateTime(r.submitted_at, locale, c.timeZone) : '—'),
    },
    {
      label: t('home.wg.latenessAtReport'),
      cell: (r) => (
        <LatenessText
          lateness={lateness({ status: 'done', currentDue: r.current_due, accepted: reported(r) }, c.today)}
          t={t}
        />
      ),
    },
    { label: t('item.reviewRound'), class: 'num', cell: (r) => r.review_round },
  ];
  return (
    <>
      {rows.length > 0 && (
        <p>
          <a class="button" href={`/items/${rows[0]!.id}?queue=1`}>
            {t('home.wg.startQueue')}
          </a>
        </p>
      )}
      <form method="post" action="/review/accept" class="bulk">
        <FormKeys csrf={c.csrf} back={back} />
        <DataTable
          columns={columns}
          rows={rows}
          empty={t('review.reportsEmpty')}
          class="home-table review-queue"
        />
        {rows.length > 0 && (
          <p class="bulk-actions">
            <button type="submit">{t('home.wg.acceptSelected')}</button>{' '}
            <span class="muted">{t('home.wg.acceptHint')}</span>
          </p>
        )}
      </form>
    </>
  );
}

/** Extension requests, with how far each moves the control date and whether it is the leadership's. */
export function ExtensionRequests({
  rows,
  c,
  threshold,
}: {
  rows: PendingExtension[];
  c: OfficeContext;
  threshold: number;
}) {
  const { t, locale } = c;
  const cx = { t, locale };
  const columns: Column<PendingExtension>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    roadmapColumn(cx),
    agencyColumn(cx, undefined, false),
    {
      label: t('review.dates'),
      class: 'nowrap',
      cell: (r) => `${formatDate(r.previous_due, locale)} → ${formatDate(r.requested_due, locale)}`,
    },
    {
      label: t('home.wg.shift'),
      cell: (r) => (
        <>
          {t('home.wg.shiftDays', { days: extensionShift(r) })}
          {extensionShift(r) >= threshold && (
            <span class="badge tag block">{t('home.wg.leadershipDecides')}</span>
          )}
        </>
      ),
    },
    { label: t('timeline.reason'), cell: (r) => <UserText text={r.reason} /> },
    {
      label: t('home.col.next'),
      cell: (r) => <a href={`/items/${r.id}#act-extension-decision`}>{t('home.wg.decide')}</a>,
    },
  ];
  return <DataTable columns={columns} rows={rows} empty={t('review.extensionsEmpty')} class="home-table" />;
}

/** Overdue items the working group may remind (once a day each), most escalated first. */
export function RemindList({ rows, total, c }: { rows: Overdue[]; total: number; c: OfficeContext }) {
  const { t, locale } = c;
  const cx = { t, locale };
  const columns: Column<Overdue>[] = [
    {
      label: t('home.col.select'),
      hideLabel: true,
      cell: (r) => pick('remind', r.id, t('home.wg.selectItem', { item: r.number ?? `#${r.id}` })),
    },
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    roadmapColumn(cx),
    agencyColumn(cx, undefined, false),
    dueColumn(cx),
    {
      label: t('home.col.lateness'),
      cell: (r) => (
        <LatenessText lateness={lateness({ status: r.status, currentDue: r.current_due }, c.today)} t={t} />
      ),
    },
    {
      label: t('home.wg.reminded'),
      class: 'nowrap',
      cell: (r) =>
        r.reminded_at ? formatDateTime(r.reminded_at, locale, c.timeZone) : <span class="muted">—</span>,
    },
  ];
  return (
    <form method="post" action="/review/remind" class="bulk">
      <FormKeys csrf={c.csrf} back="/" />
      {total > rows.length && <p class="muted">{t('dash.shownOf', { shown: rows.length, total })}</p>}
      <DataTable
        columns={columns}
        rows={rows}
        empty={t('dash.redList.empty')}
        class="home-table"
        rowClass={() => 'overdue'}
      />
      {rows.length > 0 && (
        <p class="bulk-actions">
          <button type="submit" class="secondary">
            {t('home.wg.remindSelected')}
          </button>{' '}
          <span class="muted">{t('home.wg.remindHint')}</span>
        </p>
      )}
    </form>
  );
}

/** The next meeting of each roadmap (being prepared) and a link to the last one. */
export function NextMeetings({
  upcoming,
  last,
  c,
}: {
  upcoming: Upcoming[];
  last: Last[];
  c: OfficeContext;
}) {
  const { t, locale } = c;
  return (
    <>
      {upcoming.length === 0 ? (
        <p class="muted">{t('home.wg.noMeeting')}</p>
      ) : (
        <ul class="plain meetings">
          {upcoming.map((m) => (
            <li>
              <a href={`/check-ins/${m.id}`}>
                {t('checkIn.meetingOf', { when: formatDateTime(m.meeting_at, locale, c.timeZone) })}
              </a>{' '}
              <span class="muted">
                · {localized(locale, m.roadmap_title_ru, m.roadmap_title_en)} ·{' '}
                {m.status === 'held'
                  ? t('home.wg.minutesDue')
                  : t('home.wg.answers', { answered: m.answered, asked: m.requests })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {last.length > 0 && (
        <p>
          {last.map((m) => (
            <a href={`/check-ins/${m.id}`} class="block">
              {t('home.wg.lastMeeting', { when: formatDateTime(m.meeting_at, locale, c.timeZone) })}
            </a>
          ))}
        </p>
      )}
      <p>
        <a href="/check-ins">{t('home.wg.allMeetings')}</a>
      </p>
    </>
  );
}

/** The working group's landing page. */
export function OfficeHome(p: {
  c: OfficeContext;
  reports: Report[];
  extensions: PendingExtension[];
  threshold: number;
  overdue: { total: number; rows: Overdue[] };
  upcoming: Upcoming[];
  last: Last[];
}) {
  const { t } = p.c;
  return (
    <section class="home home-office">
      <h1>{t('home.wg.title')}</h1>
      <TodoList
        t={t}
        none={t('home.wg.leadNone')}
        items={[
          { href: '#wg-queue', n: p.reports.length, text: t('home.wg.todoReports', { n: p.reports.length }) },
          {
            href: '#wg-extensions',
            n: p.extensions.length,
            text: t('home.wg.todoExtensions', { n: p.extensions.length }),
          },
          {
            href: '#wg-meeting',
            n: p.upcoming.length,
            text: t('home.wg.todoMeeting', { n: p.upcoming.length }),
          },
          { href: '#wg-overdue', n: p.overdue.total, text: t('home.wg.todoOverdue', { n: p.overdue.total }) },
        ]}
      />
      <HomeSection id="wg-queue" title={t('home.wg.queue')} count={p.reports.length}>
        <ReviewQueue rows={p.reports} c={p.c} back="/" />
      </HomeSection>
      <HomeSection id="wg-extensions" title={t('review.extensions', { n: p.extensions.length })}>
        <ExtensionRequests rows={p.extensions} c={p.c} threshold={p.threshold} />
      </HomeSection>
      <HomeSection id="wg-meeting" title={t('home.wg.meeting')}>
        <NextMeetings upcoming={p.upcoming} last={p.last} c={p.c} />
      </HomeSection>
      <HomeSection
        id="wg-overdue"
        title={t('home.wg.overdue')}
        count={p.overdue.total}
        intro={t('home.wg.overdueIntro')}
      >
        <RemindList rows={p.overdue.rows} total={p.overdue.total} c={p.c} />
      </HomeSection>
    </section>
  );
}
