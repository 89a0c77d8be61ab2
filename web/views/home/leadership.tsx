import type { leadershipInstructions } from '../../../db/read-models/index.ts';
import { lateness } from '../../../domain/control-item/lateness.ts';
import { instantToLocalDate } from '../../../domain/local-date.ts';
import { extensionShift } from '../../../domain/people/decisions.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { localized } from '../../context.ts';
import { formatPercent } from '../format.ts';
import { Said, StatusBadge, UserText, WHO } from '../components.tsx';
import { WorriesPanel } from '../feedback-views.tsx';
import { agencyColumn, dueColumn, roadmapColumn } from '../item-columns.tsx';
import { DataTable, type Column } from '../table.tsx';
import type { Last, OfficeContext, Overdue, PendingExtension, Report, Upcoming } from './office.tsx';
import { HomeSection, ItemLink, LatenessText, TodoList } from './shared.tsx';

type Instruction = Awaited<ReturnType<typeof leadershipInstructions>>[number];

export interface LeadershipProps {
  c: OfficeContext;
  /** Extension requests above the threshold, or on their own instructions. */
  extensions: PendingExtension[];
  threshold: number;
  /** Items at the top of the escalation ladder without an open instruction yet. */
  top: Overdue[];
  /** Reports on their own instructions. */
  reports: Report[];
  instructions: Instruction[];
  red: { total: number; rows: Overdue[] };
  /** What citizens complained about most in the last month (issue 16). */
  worries: Parameters<typeof WorriesPanel>[0]['problems'];
  /** The meetings being prepared (their agenda: what was asked last week and whether it is done), the last one. */
  meetings: { upcoming: Upcoming[]; last: Last[] };
}

const give = (id: number) => `/instructions/new?source=${id}`;

/** Items at the top of the ladder shown on the home; the red list below has them all. */
const TOP_SHOWN = 5;

/**
 * The first deputy governor's landing page, readable in 30 seconds: what waits for their decision, what
 * they asked and whether it is done, what is off track (each row a «дать поручение» away), what citizens
 * complain about.
 */
export function LeadershipHome(p: LeadershipProps) {
  const { t, locale, today } = p.c;
  const cx = { t, locale };
  const openInstructions = p.instructions.filter((i) => i.status !== 'done' && i.status !== 'cancelled');
  const lateInstructions = openInstructions.filter((i) => i.overdue).length;
  const when = (at: Date) => formatDateTime(at, locale, p.c.timeZone);

  const extCols: Column<PendingExtension>[] = [
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
      cell: (r) => (
        <>
          {formatDate(r.previous_due, locale)} → {formatDate(r.requested_due, locale)}
          <span class="muted block">{t('home.wg.shiftDays', { days: extensionShift(r) })}</span>
        </>
      ),
    },
    { label: t('timeline.reason'), cell: (r) => <UserText text={r.reason} /> },
    {
      label: t('home.col.next'),
      cell: (r) => <a href={`/items/${r.id}#act-extension-decision`}>{t('home.wg.decide')}</a>,
    },
  ];
  const topCols: Column<Overdue>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    roadmapColumn(cx),
    agencyColumn(cx, undefined, false),
    {
      label: t('home.col.lateness'),
      cell: (r) => (
        <LatenessText lateness={lateness({ status: r.status, currentDue: r.current_due }, today)} t={t} />
      ),
    },
    { label: t('home.col.next'), cell: (r) => <a href={give(r.id)}>{t('home.lead.give')}</a> },
  ];
  const reportCols: Column<Report>[] = [
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
      label: t('home.col.next'),
      cell: (r) => <a href={`/items/${r.id}?queue=1#act-review`}>{t('home.lead.review')}</a>,
    },
  ];
  const instrCols: Column<Instruction>[] = [
    {
      label: t('home.lead.instruction'),
      rowHeader: true,
      wide: true,
      cell: (r) => (
        <>
          <ItemLink item={{ ...r, kind: 'measure' }} locale={locale} t={t} />
          {r.special_control && <span class="badge tag">{t('checkIn.specialControl')}</span>}
          <span class="muted block">
            {r.check_in_id && r.meeting_at
              ? t('home.lead.fromMeeting', { when: formatDateTime(r.meeting_at, locale, p.c.timeZone) })
              : t('home.lead.givenOn', {
                  date: formatDate(instantToLocalDate(r.created_at.getTime(), p.c.utcOffsetMinutes), locale),
                })}
            {r.given_by_role && r.given_by_role !== 'leadership' && r.given_by_name && (
              <>
                {' · '}
                <Said message={t('home.lead.onBehalf', { who: WHO })} who={r.given_by_name} />
              </>
            )}
          </span>
        </>
      ),
    },
    roadmapColumn(cx),
    agencyColumn(cx, undefined, false),
    dueColumn(cx),
    {
      label: t('home.col.status'),
      cell: (r) => (
        <>
          <StatusBadge status={r.status} overdue={r.overdue} t={t} />
          {r.signoff_pending && <span class="muted block">{t('home.exec.waitSignoff')}</span>}
        </>
      ),
    },
    {
      label: t('home.col.lateness'),
      cell: (r) => (
        <LatenessText
          lateness={lateness(
            {
              status: r.status,
              currentDue: r.current_due,
              accepted: r.accepted_at
                ? instantToLocalDate(r.accepted_at.getTime(), p.c.utcOffsetMinutes)
                : null,
            },
            today,
          )}
          t={t}
        />
      ),
    },
  ];
  const redCols: Column<Overdue>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    roadmapColumn(cx),
    agencyColumn(cx),
    dueColumn(cx),
    {
      label: t('home.col.lateness'),
      cell: (r) => (
        <LatenessText lateness={lateness({ status: r.status, currentDue: r.current_due }, today)} t={t} />
      ),
    },
    {
      label: t('item.escalation'),
      cell: (r) => <span class={`esc esc-${r.escalation_level}`}>{t(`dash.esc.${r.escalation_level}`)}</span>,
    },
    {
      label: t('home.col.next'),
      cell: (r) => (
        <>
          <a href={give(r.id)}>{t('home.lead.give')}</a>
          {r.open_instructions > 0 && (
            <span class="muted block">{t('home.lead.alreadyGiven', { n: r.open_instructions })}</span>
          )}
        </>
      ),
    },
  ];
  return (
    <section class="home home-leadership">
      <h1>{t('home.lead.title')}</h1>
      <TodoList
        t={t}
        none={t('home.lead.decideEmpty')}
        items={[
          {
            href: '#lead-reports',
            n: p.reports.length,
            text: t('home.lead.todoReports', { n: p.reports.length }),
          },
          {
            href: '#lead-extensions',
            n: p.extensions.length,
            text: t('home.lead.todoExtensions', { n: p.extensions.length }),
          },
          { href: '#lead-top', n: p.top.length, text: t('home.lead.todoTop', { n: p.top.length }) },
          {
            href: '#lead-mine',
            n: openInstructions.length,
            text: t('home.lead.todoMine', { open: openInstructions.length, late: lateInstructions }),
          },
          ...p.meetings.upcoming.map((m) => ({
            href: `/check-ins/${m.id}`,
            n: 1,
            text: t('home.lead.todoMeeting', { when: when(m.meeting_at) }),
          })),
          // What citizens complain about most, in one line; the panel below has the rest.
          ...p.worries.topics.slice(0, 1).map((w) => ({
            href: '#worries-h',
            n: 1,
            text: t('home.lead.todoWorries', {
              topic: localized(locale, w.topic.title_ru, w.topic.title_en),
              share: formatPercent(w.share, locale),
            }),
          })),
        ]}
      />
      {p.reports.length > 0 && (
        <HomeSection id="lead-reports" title={t('home.lead.reports')} count={p.reports.length}>
          <DataTable columns={reportCols} rows={p.reports} empty="" class="home-table" />
        </HomeSection>
      )}
      {p.extensions.length > 0 && (
        <HomeSection
          id="lead-extensions"
          title={t('home.lead.extensions', { days: p.threshold })}
          count={p.extensions.length}
        >
          <DataTable columns={extCols} rows={p.extensions} empty="" class="home-table" />
        </HomeSection>
      )}
      <HomeSection
        id="lead-mine"
        title={t('home.lead.mine')}
        count={openInstructions.length}
        {...(p.instructions.length > openInstructions.length
          ? {
              // The count is what is still open; the table also shows what was finished lately.
              intro: t('home.lead.mineIntro', {
                open: openInstructions.length,
                late: lateInstructions,
                done: p.instructions.length - openInstructions.length,
              }),
            }
          : {})}
      >
        <DataTable
          columns={instrCols}
          rows={p.instructions}
          empty={t('home.lead.mineEmpty')}
          class="home-table"
          rowClass={(r) => (r.overdue ? 'overdue' : undefined)}
        />
      </HomeSection>
      <HomeSection id="lead-meetings" title={t('home.lead.meetings')}>
        {p.meetings.upcoming.length === 0 ? (
          <p class="muted">{t('home.lead.noMeeting')}</p>
        ) : (
          <ul class="plain meetings">
            {p.meetings.upcoming.map((m) => (
              <li>
                <a href={`/check-ins/${m.id}`}>{t('home.lead.agenda', { when: when(m.meeting_at) })}</a>
                {m.status === 'collecting' && (
                  <span class="muted">
                    {' '}
                    · {t('home.wg.answers', { answered: m.answered, asked: m.requests })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        {p.meetings.last.map((m) => (
          <p>
            <a href={`/check-ins/${m.id}`}>{t('home.wg.lastMeeting', { when: when(m.meeting_at) })}</a>
          </p>
        ))}
      </HomeSection>
      {p.top.length > 0 && (
        <HomeSection
          id="lead-top"
          title={t('home.lead.top')}
          count={p.top.length}
          intro={t('home.lead.topIntro')}
        >
          <DataTable
            columns={topCols}
            rows={p.top.slice(0, TOP_SHOWN)}
            empty=""
            class="home-table"
            rowClass={() => 'overdue'}
          />
          {p.top.length > TOP_SHOWN && (
            <p class="muted">{t('dash.shownOf', { shown: TOP_SHOWN, total: p.top.length })}</p>
          )}
        </HomeSection>
      )}
      <HomeSection
        id="lead-red"
        title={t('home.lead.red')}
        count={p.red.total}
        intro={t('home.lead.redIntro')}
      >
        <DataTable
          columns={redCols}
          rows={p.red.rows}
          empty={t('dash.redList.empty')}
          class="home-table red-list"
        />
        {p.red.total > p.red.rows.length && (
          <p>
            <a href="/items?status=overdue">{t('dash.redListAll')}</a>
          </p>
        )}
      </HomeSection>
      <WorriesPanel problems={p.worries} t={t} locale={locale} />
      <p>
        <a href="/dashboard">{t('home.lead.dashboard')}</a>
      </p>
    </section>
  );
}
