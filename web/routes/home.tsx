import { Hono, type Context } from 'hono';
import {
  agencyExecutors,
  citizensWorries,
  assignableItems,
  escalatedToHead,
  executorItems,
  executorsLoad,
  extensionThreshold,
  getAgency,
  lastCheckIns,
  leadershipInstructions,
  overdueItems,
  pendingExtensions,
  reportsToReview,
  signoffQueue,
  upcomingCheckIns,
} from '../../db/read-models/index.ts';
import { forLeadership } from '../../domain/people/decisions.ts';
import { currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { ExecutorHome, toWeekRow } from '../views/home/executor.tsx';
import { HeadHome, type AssignProblem } from '../views/home/head.tsx';
import { LeadershipHome } from '../views/home/leadership.tsx';
import { OfficeHome, type OfficeContext } from '../views/home/office.tsx';
import { renderDashboard } from './dashboard.tsx';

// `/`: each role lands on its own first screen, which says what to do next (issue 13). Admins and
// observers land on the programme dashboard, which stays at /dashboard for everyone.

export const officeContext = (c: Context<AppEnv>): OfficeContext => ({
  today: readContext(c).today,
  utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes,
  timeZone: c.var.deps.config.timeZone,
  csrf: c.var.csrfToken ?? '',
  locale: c.var.locale,
  t: c.var.t,
});

/** The agency head's home; `problem` when an assignment made from it was refused (422). */
export async function renderHeadHome(c: Context<AppEnv>, problem?: AssignProblem, status: 200 | 422 = 200) {
  const user = currentUser(c);
  const { db } = c.var.deps;
  const { today } = readContext(c);
  const agencyId = user.agencyId!;
  const [agency, escalated, signoff, load, assignable, executors] = await Promise.all([
    getAgency(db, agencyId),
    escalatedToHead(db, { agencyId, today }),
    signoffQueue(db, agencyId),
    executorsLoad(db, { agencyId, today }),
    assignableItems(db, { agencyId }),
    agencyExecutors(db, agencyId),
  ]);
  c.status(status);
  return c.render(
    <HeadHome
      agencyName={agency ? localized(c.var.locale, agency.short_ru ?? agency.title_ru, agency.title_en) : ''}
      escalated={escalated}
      signoff={signoff}
      load={load}
      assignable={assignable}
      executors={executors}
      today={today}
      utcOffsetMinutes={c.var.deps.policy.utcOffsetMinutes}
      timeZone={c.var.deps.config.timeZone}
      csrf={c.var.csrfToken ?? ''}
      problem={problem}
      locale={c.var.locale}
      t={c.var.t}
    />,
    { title: c.var.t('home.head.titleShort'), section: 'home' },
  );
}

export function homeRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const user = currentUser(c);
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const { today } = readContext(c);
    if (user.role === 'agency_executor' && user.agencyId !== null) {
      const rows = await executorItems(db, { userId: user.id, agencyId: user.agencyId, today });
      return c.render(
        <ExecutorHome
          rows={rows.map(toWeekRow)}
          today={today}
          name={user.displayName}
          csrf={c.var.csrfToken ?? ''}
          locale={locale}
          t={t}
        />,
        { title: t('home.exec.title'), section: 'home' },
      );
    }
    if (user.role === 'agency_head' && user.agencyId !== null) return renderHeadHome(c);
    if (user.role === 'working_group') {
      const [reports, extensions, threshold, overdue, upcoming, last] = await Promise.all([
        reportsToReview(db),
        pendingExtensions(db),
        extensionThreshold(db),
        overdueItems(db, { today, limit: 30 }),
        upcomingCheckIns(db),
        lastCheckIns(db),
      ]);
      return c.render(
        <OfficeHome
          c={officeContext(c)}
          reports={reports}
          extensions={extensions}
          threshold={threshold}
          overdue={overdue}
          upcoming={upcoming}
          last={last}
        />,
        { title: t('home.wg.title'), section: 'home' },
      );
    }
    if (user.role === 'leadership') {
      const [extensions, threshold, top, reports, instructions, red, worries, upcoming, last] =
        await Promise.all([
          pendingExtensions(db),
          extensionThreshold(db),
          overdueItems(db, { today, limit: 50, minLevel: 4 }),
          reportsToReview(db, { authorUserId: user.id }),
          leadershipInstructions(db, { authorUserId: user.id, today }),
          overdueItems(db, { today, limit: 25 }),
          citizensWorries(db, today),
          upcomingCheckIns(db),
          lastCheckIns(db),
        ]);
      return c.render(
        <LeadershipHome
          c={officeContext(c)}
          extensions={extensions.filter((x) => forLeadership(x, { threshold, userId: user.id }))}
          threshold={threshold}
          top={top.rows.filter((r) => r.open_instructions === 0)}
          reports={reports}
          instructions={instructions}
          red={red}
          worries={worries}
          meetings={{ upcoming, last }}
        />,
        { title: t('home.lead.title'), section: 'home' },
      );
    }
    // Admins and observers (and an agency user without an agency): the programme dashboard.
    return renderDashboard(c);
  });

  return app;
}
