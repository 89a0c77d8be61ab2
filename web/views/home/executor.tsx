import {
  groupWeek,
  weekEnd,
  WEEK_GROUPS,
  workingDue,
  type WeekGroup,
  type WeekItem,
} from '../../../domain/people/week.ts';
import { assignmentLateness } from '../../../domain/people/assignment.ts';
import { lateness } from '../../../domain/control-item/lateness.ts';
import type { LocalDate } from '../../../domain/local-date.ts';
import type { executorItems } from '../../../db/read-models/index.ts';
import { formatDate, type Locale, type Translate } from '../../i18n/index.ts';
import { Said, StatusBadge, WHO } from '../components.tsx';
import { DataTable, type Column } from '../table.tsx';
import { FormKeys, HomeSection, ItemLink, LatenessText, TodoList } from './shared.tsx';

type Row = Awaited<ReturnType<typeof executorItems>>[number];
/** A row with the fields the week's rules read (domain/people/week.ts). */
export type ExecutorRow = Row & WeekItem;

export const toWeekRow = (r: Row): ExecutorRow => ({
  ...r,
  currentDue: r.current_due,
  reworkDue: r.rework_due,
  internalDue: r.internal_due,
  signoffPending: r.signoff_pending,
  extensionPending: r.extension_pending,
});

interface Props {
  rows: ExecutorRow[];
  today: LocalDate;
  name: string;
  csrf: string;
  locale: Locale;
  t: Translate;
}

/** The one thing to do next on a row: a button when it is one click, else a link to the right form. */
function NextAction({ r, csrf, t }: { r: ExecutorRow; csrf: string; t: Translate }) {
  const base = `/items/${r.id}`;
  if (!r.responsible) return <a href={`${base}#act-submit`}>{t('home.exec.submitPart')}</a>;
  if (r.status === 'submitted') return <span class="muted">{t('home.exec.waitReview')}</span>;
  if (r.signoff_pending) return <span class="muted">{t('home.exec.waitSignoff')}</span>;
  if (r.extension_pending) return <span class="muted">{t('home.exec.waitExtension')}</span>;
  if (r.status === 'assigned') {
    return (
      <form method="post" action={`${base}/start`} class="inline">
        <FormKeys csrf={csrf} back="/" />
        <button type="submit" class="small">
          {t('action.start')}
        </button>
      </form>
    );
  }
  return (
    <span class="row-actions">
      <a href={`${base}#act-submit`}>
        {r.status === 'returned' ? t('home.exec.rework') : t('home.exec.submit')}
      </a>
      {r.overdue && (
        <>
          {' · '}
          <a href={`${base}#act-extension`}>{t('home.exec.askTime')}</a>
        </>
      )}
    </span>
  );
}

/**
 * An executor's landing page: their week. Overdue first, then what is due by Sunday, then later, then
 * what waits for someone else's decision; every row says what to do next and does it in one step.
 */
export function ExecutorHome({ rows, today, name, csrf, locale, t }: Props) {
  const groups = groupWeek(rows, today);
  const columns: Column<ExecutorRow>[] = [
    {
      label: t('home.col.item'),
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
      rowHeader: true,
      wide: true,
    },
    {
      label: t('home.col.due'),
      class: 'nowrap',
      cell: (r) => (
        <>
          {formatDate(workingDue(r), locale)}
          {r.internal_due && r.internal_due < r.current_due && (
            <span class="muted block">
              {t('home.exec.internalOf', { date: formatDate(r.current_due, locale) })}
            </span>
          )}
          {r.status === 'returned' && r.rework_due && (
            <span class="muted block">{t('home.exec.reworkDue')}</span>
          )}
        </>
      ),
    },
    {
      label: t('home.col.status'),
      cell: (r) => (
        <>
          <StatusBadge status={r.status} t={t} />
          {!r.responsible && <span class="muted block">{t('home.exec.coPart')}</span>}
        </>
      ),
    },
    {
      label: t('home.col.lateness'),
      cell: (r) => {
        const control = lateness({ status: r.status, currentDue: r.current_due }, today);
        if (control.state !== 'none') return <LatenessText lateness={control} t={t} />;
        return r.internal_due ? (
          <LatenessText
            lateness={assignmentLateness(
              { status: 'open', internalDue: r.internal_due, closedOn: null },
              today,
            )}
            t={t}
            internal
          />
        ) : (
          <span class="muted">—</span>
        );
      },
    },
    { label: t('home.col.next'), cell: (r) => <NextAction r={r} csrf={csrf} t={t} /> },
  ];
  const titles: Record<WeekGroup, string> = {
    overdue: t('home.exec.overdue'),
    thisWeek: t('home.exec.thisWeek', { date: formatDate(weekEnd(today), locale) }),
    later: t('home.exec.later'),
    waiting: t('home.exec.waiting'),
  };
  return (
    <section class="home home-executor">
      <h1>{t('home.exec.title')}</h1>
      <p class="lead">
        <Said message={t('home.exec.hello', { name: WHO })} who={name} />
      </p>
      <TodoList
        t={t}
        none={t('home.exec.leadNone')}
        items={[
          {
            href: '#week-overdue',
            n: groups.overdue.length,
            text: t('home.exec.todoOverdue', { n: groups.overdue.length }),
          },
          {
            href: '#week-thisWeek',
            n: groups.thisWeek.length,
            text: t('home.exec.todoWeek', { n: groups.thisWeek.length }),
          },
          {
            href: '#week-waiting',
            n: groups.waiting.length,
            text: t('home.exec.todoWaiting', { n: groups.waiting.length }),
          },
        ]}
      />
      {WEEK_GROUPS.map((g) => (
        <HomeSection id={`week-${g}`} title={titles[g]} count={groups[g].length}>
          <DataTable
            columns={columns}
            rows={groups[g]}
            empty={t(`home.exec.empty.${g}`)}
            class={`home-table week-${g}`}
            rowClass={(r) => (g === 'overdue' || r.overdue ? 'overdue' : undefined)}
          />
        </HomeSection>
      ))}
      <p>
        <a href="/my">{t('home.exec.allTasks')}</a>
      </p>
    </section>
  );
}
