import type {
  agencyExecutors,
  assignableItems,
  escalatedToHead,
  executorsLoad,
  signoffQueue,
} from '../../../db/read-models/index.ts';
import { lateness } from '../../../domain/control-item/lateness.ts';
import type { LocalDate } from '../../../domain/local-date.ts';
import { assignmentLateness, suggestInternalDue } from '../../../domain/people/assignment.ts';
import { instantToLocalDate } from '../../../domain/local-date.ts';
import { formatDate, formatDateTime, type Locale, type Translate } from '../../i18n/index.ts';
import { DateField, ErrorSummary, formView, SelectField } from '../form.tsx';
import { DataTable, type Column } from '../table.tsx';
import { FormKeys, HomeSection, ItemLink, LatenessText, TodoList } from './shared.tsx';
import { ruOf, UserText } from '../components.tsx';

type Escalated = Awaited<ReturnType<typeof escalatedToHead>>[number];
type Signoff = Awaited<ReturnType<typeof signoffQueue>>[number];
type Load = Awaited<ReturnType<typeof executorsLoad>>[number];
type Assignable = Awaited<ReturnType<typeof assignableItems>>[number];
type Executor = Awaited<ReturnType<typeof agencyExecutors>>[number];

/** A refused assignment: shown next to its row's field, with what was typed. */
export interface AssignProblem {
  itemId: number;
  field: string;
  message: string;
  values: Record<string, string>;
}

interface Props {
  agencyName: string;
  escalated: Escalated[];
  signoff: Signoff[];
  load: Load[];
  assignable: Assignable[];
  executors: Executor[];
  today: LocalDate;
  utcOffsetMinutes: number;
  timeZone: string;
  csrf: string;
  problem?: AssignProblem | undefined;
  locale: Locale;
  t: Translate;
}

const excerpt = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The head's row form: which executor, by when (the internal deadline). */
function AssignForm({ r, p }: { r: Assignable; p: Props }) {
  const { t, csrf, problem } = p;
  const mine = problem?.itemId === r.id ? problem : undefined;
  const f = formView(
    `assign-${r.id}`,
    mine
      ? { values: mine.values, issues: [{ field: mine.field || 'form', message: mine.message }] }
      : undefined,
  );
  return (
    <form method="post" action={`/items/${r.id}/assign`} class="assign-form">
      <FormKeys csrf={csrf} back="/" />
      <ErrorSummary f={f} t={t} fields={['assigneeUserId', 'internalDue']} />
      <SelectField
        f={f}
        t={t}
        name="assigneeUserId"
        label={t('home.head.assignee')}
        options={p.executors.map((e) => ({
          value: String(e.id),
          label: e.display_name,
          lang: ruOf(e.display_name),
        }))}
        empty={t('home.head.chooseExecutor')}
        required
      />
      <DateField
        f={f}
        t={t}
        name="internalDue"
        label={t('home.head.internalDue')}
        value={suggestInternalDue(r.current_due, p.today)}
        required
      />
      <button type="submit" class="small">
        {r.assignment_id ? t('home.head.reassign') : t('home.head.assign')}
      </button>
    </form>
  );
}

/**
 * The agency head's landing page: what the ladder brought to them, the reports waiting for their
 * signature, their executors' load (internal deadlines' lateness included — the head's business, not the
 * programme's figures), and the items to hand to an executor.
 */
export function HeadHome(p: Props) {
  const { t, locale, today } = p;
  const signoffCols: Column<Signoff>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    {
      label: t('home.head.report'),
      cell: (r) => (
        <>
          <span class="block" lang={ruOf(r.body)}>
            {excerpt(r.body) || '—'}
          </span>
          <span class="muted">
            <UserText text={r.author_name ?? '—'} />, {formatDateTime(r.submitted_at, locale, p.timeZone)}
          </span>
        </>
      ),
    },
    { label: t('home.col.due'), class: 'nowrap', cell: (r) => formatDate(r.current_due, locale) },
    {
      label: t('home.col.next'),
      cell: (r) => (
        <span class="row-actions">
          <form method="post" action={`/items/${r.id}/signoff`} class="inline">
            <FormKeys csrf={p.csrf} back="/" />
            <input type="hidden" name="outcome" value="approve" />
            <button type="submit" class="small">
              {t('action.signOff')}
            </button>
          </form>{' '}
          <a href={`/items/${r.id}#act-signoff`}>{t('home.head.returnSignoff')}</a>
        </span>
      ),
    },
  ];
  const escalatedCols: Column<Escalated>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    { label: t('home.col.due'), class: 'nowrap', cell: (r) => formatDate(r.current_due, locale) },
    {
      label: t('home.col.lateness'),
      cell: (r) => (
        <LatenessText lateness={lateness({ status: r.status, currentDue: r.current_due }, today)} t={t} />
      ),
    },
    {
      label: t('item.escalation'),
      cell: (r) => (
        <span class={`esc esc-${r.escalation_level}`}>{t(`escalation.level.${r.escalation_level}`)}</span>
      ),
    },
    {
      label: t('home.head.executor'),
      cell: (r) => (r.executor_name ? <UserText text={r.executor_name} /> : <span class="muted">—</span>),
    },
  ];
  const loadCols: Column<Load>[] = [
    {
      label: t('home.head.executor'),
      rowHeader: true,
      wide: true,
      cell: (r) => <UserText text={r.display_name} />,
    },
    { label: t('home.head.open'), class: 'num', cell: (r) => r.open },
    { label: t('home.head.overdue'), class: 'num', cell: (r) => r.overdue },
    {
      label: t('home.head.assignments'),
      cell: (r) =>
        r.assignments.length === 0 ? (
          <span class="muted">—</span>
        ) : (
          <ul class="plain">
            {r.assignments.map((a) => {
              const closedOn = a.closed_at
                ? instantToLocalDate(a.closed_at.getTime(), p.utcOffsetMinutes)
                : null;
              const late = assignmentLateness(
                { status: a.status, internalDue: a.internal_due, closedOn },
                today,
              );
              return (
                <li>
                  <ItemLink item={{ ...a, id: a.item_id, kind: 'measure' }} locale={locale} t={t} />{' '}
                  <span class="muted">
                    {a.status === 'reported'
                      ? t('home.head.reportedBy', { date: formatDate(a.internal_due, locale) })
                      : t('home.head.internalBy', { date: formatDate(a.internal_due, locale) })}
                  </span>{' '}
                  <LatenessText lateness={late} t={t} internal />
                </li>
              );
            })}
          </ul>
        ),
    },
  ];
  const assignCols: Column<Assignable>[] = [
    {
      label: t('home.col.item'),
      rowHeader: true,
      wide: true,
      cell: (r) => <ItemLink item={r} locale={locale} t={t} />,
    },
    { label: t('home.col.due'), class: 'nowrap', cell: (r) => formatDate(r.current_due, locale) },
    {
      label: t('home.head.assignedTo'),
      cell: (r) =>
        r.assignee_name ? (
          <>
            <UserText text={r.assignee_name} />
            <span class="muted block">
              {t('home.head.internalBy', { date: formatDate(r.internal_due!, locale) })}
            </span>
          </>
        ) : (
          <span class="muted">{t('home.head.notAssigned')}</span>
        ),
    },
    { label: t('home.head.assign'), cell: (r) => <AssignForm r={r} p={p} /> },
  ];
  const lateInternal = p.load.reduce(
    (n, e) =>
      n +
      e.assignments.filter(
        (a) =>
          a.status === 'open' &&
          assignmentLateness({ status: 'open', internalDue: a.internal_due, closedOn: null }, today).state ===
            'overdue',
      ).length,
    0,
  );
  const unassigned = p.assignable.filter((r) => !r.assignment_id).length;
  return (
    <section class="home home-head">
      <h1>{t('home.head.title', { agency: p.agencyName })}</h1>
      <TodoList
        t={t}
        none={t('home.head.leadNone')}
        items={[
          {
            href: '#head-signoff',
            n: p.signoff.length,
            text: t('home.head.todoSignoff', { n: p.signoff.length }),
          },
          {
            href: '#head-escalated',
            n: p.escalated.length,
            text: t('home.head.todoEscalated', { n: p.escalated.length }),
          },
          { href: '#head-load', n: lateInternal, text: t('home.head.todoLate', { n: lateInternal }) },
          { href: '#head-assign', n: unassigned, text: t('home.head.todoAssign', { n: unassigned }) },
        ]}
      />
      <HomeSection
        id="head-signoff"
        title={t('home.head.signoff')}
        count={p.signoff.length}
        intro={t('home.head.signoffIntro')}
      >
        <DataTable
          columns={signoffCols}
          rows={p.signoff}
          empty={t('home.head.signoffEmpty')}
          class="home-table"
        />
      </HomeSection>
      <HomeSection
        id="head-escalated"
        title={t('home.head.escalated')}
        count={p.escalated.length}
        intro={t('home.head.escalatedIntro')}
      >
        <DataTable
          columns={escalatedCols}
          rows={p.escalated}
          empty={t('home.head.escalatedEmpty')}
          class="home-table"
          rowClass={() => 'overdue'}
        />
      </HomeSection>
      <HomeSection id="head-load" title={t('home.head.load')} intro={t('home.head.loadIntro')}>
        <DataTable columns={loadCols} rows={p.load} empty={t('home.head.loadEmpty')} class="home-table" />
      </HomeSection>
      <HomeSection id="head-assign" title={t('home.head.assignTitle')} intro={t('home.head.assignIntro')}>
        <DataTable
          columns={assignCols}
          rows={p.assignable}
          empty={t('home.head.assignEmpty')}
          class="home-table"
        />
      </HomeSection>
      <p>
        <a href="/my">{t('home.head.allTasks')}</a>
      </p>
    </section>
  );
}
