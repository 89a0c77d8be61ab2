// Lifecycle scenarios on the time-skipping server, shared by the year tests and scripts/record-histories.ts.
// Each one starts an item's workflow at a pinned instant, drives it through Updates at hand-picked
// wall-clock times of the region (UTC+7, chases at 09:00) and returns when the workflow has finished.
// The expected dates are derived in test/workflows/control-item-year.test.ts.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../db/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY, type ChasePolicy } from '../../domain/control-item/index.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import { stateQuery } from '../../workflows/definitions.ts';
import { itemActions, local, type Cast } from './control-item-fixtures.ts';
import { insertItem } from './fixtures.ts';
import { sleepUntil } from './time-skipping.ts';

export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  db: Db;
  cast: Cast;
  temporal: TemporalHandle;
  policy?: ChasePolicy;
}

export interface ScenarioResult {
  itemId: number;
  workflowId: string;
  firstRunId: string;
}

export interface Scenario {
  name: string;
  /** Where the test server's clock starts. */
  startAt: number;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

/** Inserts the item, starts its workflow and returns the helpers a scenario drives it with. */
export async function begin(ctx: ScenarioContext, item: Parameters<typeof insertItem>[1]) {
  const { row, state } = await insertItem(ctx.db, item);
  const handle = await startControlItem(ctx.temporal, state, ctx.policy ?? DEFAULT_CHASE_POLICY);
  const at = (date: string, hhmm: string) => sleepUntil(ctx.env, local(date, hhmm));
  return {
    itemId: row.id,
    workflowId: handle.workflowId,
    firstRunId: handle.firstExecutionRunId,
    handle,
    act: itemActions(ctx.temporal, row.id),
    at,
  };
}

/** Due after the May holidays; nobody reports; the ladder and repeats run until the item is cancelled. */
export const ladderThenCancel: Scenario = {
  name: 'ladder-then-cancel',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '1.1',
      title: 'Проактивное назначение пособия',
    });
    await s.at('2027-06-18', '12:00');
    await s.act.cancel(cast.wg1);
    await s.handle.result();
    // A month more on the clock: a cancelled item is never chased again.
    await s.at('2027-07-31', '12:00');
    return s;
  },
};

/** An extension asked for just before the May holidays and approved: the plan moves to the new date. */
export const extensionReplan: Scenario = {
  name: 'extension-replan',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '1.2',
      title: 'Реестр многодетных семей',
    });
    await s.at('2027-05-04', '12:00');
    await s.act.requestExtension(cast.headA, '2027-06-14');
    await s.at('2027-05-07', '12:00');
    await s.act.decideExtension(cast.wg1, true, 'Согласовано');
    await s.at('2027-06-11', '12:00');
    await s.act.submit(cast.execA);
    await s.at('2027-06-15', '11:00');
    await s.act.accept(cast.wg2);
    await s.handle.result();
    return s;
  },
};

/** Submitted, returned twice (default rework time, then an explicit date on a Sunday), accepted. */
export const twoReworkRounds: Scenario = {
  name: 'two-rework-rounds',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '1.3',
      title: 'Единое окно для переезжающих',
    });
    await s.at('2027-05-06', '12:00');
    await s.act.submit(cast.execA, 'Отчёт, первая редакция');
    await s.at('2027-05-06', '15:00');
    await s.act.returnForRework(cast.wg1, 'Нет данных по районам');
    await s.at('2027-05-13', '12:00');
    await s.act.submit(cast.execA, 'Отчёт, вторая редакция');
    await s.at('2027-05-14', '10:00');
    await s.act.returnForRework(cast.wg1, 'Нет подписи руководителя', '2027-05-23');
    await s.at('2027-05-21', '12:00');
    await s.act.submit(cast.execA, 'Отчёт, третья редакция');
    await s.at('2027-05-24', '11:00');
    await s.act.accept(cast.wg2);
    await s.handle.result();
    return s;
  },
};

/** A quarterly report from Q4 2026 to Q3 2027: each period reported on its due day and accepted. */
export const quarterlyYear: Scenario = {
  name: 'quarterly-year',
  startAt: local('2026-10-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-01-15',
      number: '2.1',
      title: 'Ежеквартальный отчёт о достижении показателей',
      recurrence: { every: 'quarterly', periodKey: '2026-Q4', until: '2027-09-30', dueDays: 5 },
    });
    for (const due of ['2027-01-15', '2027-04-07', '2027-07-07', '2027-10-07']) {
      await s.at(due, '12:00');
      await s.act.submit(cast.execA, `Отчёт за период (срок ${due})`);
      await s.at(due, '15:00');
      await s.act.accept(cast.wg1);
    }
    await s.handle.result();
    return s;
  },
};

/**
 * The history budget's item: one year from assignment to the deadline, every reminder of every round
 * sent, the report submitted on each due day after the "due today" reminder, returned twice, accepted.
 */
export const oneYearTwoReturns: Scenario = {
  name: 'one-year-two-returns',
  startAt: local('2026-05-12', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '3.1',
      title: 'Цифровой профиль многодетной семьи',
    });
    for (const [day, last] of [
      ['2027-05-11', false],
      ['2027-05-18', false],
      ['2027-05-25', true],
    ] as const) {
      await s.at(day, '12:00');
      await s.act.submit(cast.execA);
      await s.at(day, '15:00');
      if (last) await s.act.accept(cast.wg1);
      else await s.act.returnForRework(cast.wg1, 'Доработать расчёты');
    }
    await s.handle.result();
    return s;
  },
};

/**
 * The history budget's typical item: one year from assignment to the deadline (11 May 2027), reported
 * two weeks early, returned twice before the control date and accepted on time. The first return gets
 * the default rework window, which would end before the control date, so the rework is due on it; the
 * second an explicit earlier date.
 */
export const onTimeTwoReturns: Scenario = {
  name: 'one-year-on-time-two-returns',
  startAt: local('2026-05-12', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '3.2',
      title: 'Электронная очередь в МФЦ',
    });
    await s.at('2027-04-26', '12:00');
    await s.act.submit(cast.execA, 'Отчёт, первая редакция');
    await s.at('2027-04-27', '11:00');
    await s.act.returnForRework(cast.wg1, 'Нет данных по районам');
    await s.at('2027-05-04', '12:00');
    await s.act.submit(cast.execA, 'Отчёт, вторая редакция');
    await s.at('2027-05-05', '11:00');
    await s.act.returnForRework(cast.wg1, 'Нет подписи руководителя', '2027-05-07');
    await s.at('2027-05-06', '15:00');
    await s.act.submit(cast.execA, 'Отчёт, третья редакция');
    await s.at('2027-05-07', '11:00');
    await s.act.accept(cast.wg2);
    await s.handle.result();
    return s;
  },
};

/**
 * Everyone who should hear of an item hears of it: a co-executor's part, an extension request left
 * pending when the item is reassigned to agency C (it is withdrawn), the catch-up reminder the new
 * agency gets, a return for rework and the acceptance.
 */
export const notifiedLifecycle: Scenario = {
  name: 'notified-lifecycle',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      coAgencyIds: [cast.b.id],
      requireCoParts: true,
      number: '5.1',
      title: 'Уведомления о ходе исполнения',
    });
    await s.at('2027-04-26', '12:00');
    await s.act.submit(cast.execB, 'Часть соисполнителя', true);
    await s.at('2027-04-27', '12:00');
    await s.act.requestExtension(cast.headA, '2027-06-14');
    await s.at('2027-05-04', '12:00');
    await s.act.reassign(cast.wg1, cast.c.id, 'Передача полномочий');
    await s.at('2027-05-07', '12:00');
    await s.act.submit(cast.execC, 'Сводный отчёт');
    await s.at('2027-05-07', '15:00');
    await s.act.returnForRework(cast.wg2, 'Приложите протокол');
    await s.at('2027-05-13', '12:00');
    await s.act.submit(cast.execC, 'Сводный отчёт с протоколом');
    await s.at('2027-05-14', '11:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * The responsible agency asks for more time; while the request waits, the working group swaps the
 * co-executor (B → C). The request stands (same responsible agency) and is approved afterwards.
 */
export const coExecutorSwapKeepsExtension: Scenario = {
  name: 'co-executor-swap-keeps-extension',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      coAgencyIds: [cast.b.id],
      number: '7.1',
      title: 'Смена соисполнителя',
    });
    await s.at('2027-04-27', '12:00');
    await s.act.requestExtension(cast.headA, '2027-06-11');
    await s.at('2027-04-28', '12:00');
    await s.act.reassign(cast.wg1, cast.a.id, 'Соисполнителем назначено ведомство В', [cast.c.id]);
    await s.at('2027-04-29', '12:00');
    await s.act.decideExtension(cast.wg2, true);
    await s.at('2027-06-10', '12:00');
    await s.act.submit(cast.execA);
    await s.at('2027-06-10', '15:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/** The same swap, and the item is then left alone until it is cancelled: chasing after the swap shows
 * whether the request still stands (recorded with both workflow versions for replay). */
export const coExecutorSwapThenCancel: Scenario = {
  name: 'co-executor-swap-then-cancel',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-05-11', coAgencyIds: [cast.b.id] });
    await s.at('2027-04-27', '12:00');
    await s.act.requestExtension(cast.headA, '2027-06-11');
    await s.at('2027-04-28', '12:00');
    await s.act.reassign(cast.wg1, cast.a.id, 'Соисполнителем назначено ведомство В', [cast.c.id]);
    await s.at('2027-05-20', '12:00');
    await s.act.cancel(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * Nobody reports by the deadline: the ladder runs up to the leadership red list (esc4 on 19 May 2027), the
 * report comes the day after, is returned for rework after the deadline, reported again and accepted.
 * Recorded before the control-date change (a return then moved the deadline and reset the escalation).
 */
export const returnAfterDeadline: Scenario = {
  name: 'return-after-deadline',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '4.1',
      title: 'Сопровождение многодетных семей',
    });
    await s.at('2027-05-20', '12:00');
    await s.act.submit(cast.execA, 'Отчёт с опозданием');
    await s.at('2027-05-21', '11:00');
    await s.act.returnForRework(cast.wg1, 'Нет приложений');
    await s.at('2027-05-27', '12:00');
    await s.act.submit(cast.execA, 'Отчёт с приложениями');
    await s.at('2027-05-28', '11:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * A monthly report, January–March 2027 (due the 5th working day after each month): January on its due
 * day, February late after the ladder started, returned and accepted, March early.
 */
export const monthlyWithLatePeriod: Scenario = {
  name: 'monthly-late-period',
  startAt: local('2027-01-11', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-02-05',
      number: '6.1',
      title: 'Ежемесячный мониторинг обращений',
      recurrence: { every: 'monthly', periodKey: '2027-01', until: '2027-03-31', dueDays: 5 },
    });
    await s.at('2027-02-05', '12:00');
    await s.act.submit(cast.execA, 'Отчёт за январь');
    await s.at('2027-02-05', '15:00');
    await s.act.accept(cast.wg1);
    // February's report is due 5 March 2027; it comes on 12 March, after esc1–esc3.
    await s.at('2027-03-12', '12:00');
    await s.act.submit(cast.execA, 'Отчёт за февраль');
    await s.at('2027-03-15', '11:00');
    await s.act.returnForRework(cast.wg1, 'Нет данных по районам');
    await s.at('2027-03-17', '12:00');
    await s.act.submit(cast.execA, 'Отчёт за февраль, исправленный');
    await s.at('2027-03-17', '15:00');
    await s.act.accept(cast.wg1);
    // March's report is due 7 April 2027; it comes two working days early.
    await s.at('2027-04-05', '12:00');
    await s.act.submit(cast.execA, 'Отчёт за март');
    await s.at('2027-04-05', '15:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * Accepted, then put back under control («вернуть на контроль») within the reopen window, reported again and
 * accepted; the workflow completes when the window after the second acceptance ends.
 */
export const reopenWithinWindow: Scenario = {
  name: 'reopen-within-window',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-05-11', number: '4.3' });
    await s.at('2027-04-27', '12:00');
    await s.act.submit(cast.execA);
    await s.at('2027-04-28', '11:00');
    await s.act.accept(cast.wg1);
    await s.at('2027-04-29', '10:00');
    await s.act.reopen(cast.wg2, 'Проверка показала, что реестр не опубликован');
    await s.at('2027-05-07', '12:00');
    await s.act.submit(cast.execA, 'Реестр опубликован');
    await s.at('2027-05-07', '15:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * Put under control on 20 May 2027, six working days after its control date (11 May): the ladder steps
 * already due go out as one notice (esc4, to the executor, the agency head and the working group), not
 * one per step; chasing goes on with the repeats until it is cancelled.
 */
export const arrivesLate: Scenario = {
  name: 'arrives-late',
  startAt: local('2027-05-20', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '7.1',
      title: 'Импортировано с опозданием',
    });
    await s.at('2027-06-10', '12:00');
    await s.act.cancel(cast.wg1, 'Исключено из дорожной карты');
    await s.handle.result();
    return s;
  },
};

/**
 * The agency takes back what it sent before a decision: a report under review (it comes back in progress
 * and is sent again), then an extension request; the second report is accepted.
 */
export const withdrawnBeforeReview: Scenario = {
  name: 'withdrawn-before-review',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-05-11', number: '7.2' });
    await s.at('2027-04-27', '12:00');
    await s.act.submit(cast.execA, 'Отчёт без приложения');
    await s.at('2027-04-27', '15:00');
    await s.act.withdrawSubmission(cast.execA, 'Забыли приложить приказ');
    await s.at('2027-04-28', '10:00');
    await s.act.requestExtension(cast.headA, '2027-06-14');
    await s.at('2027-04-28', '16:00');
    await s.act.withdrawExtension(cast.headA, 'Успеваем в срок');
    await s.at('2027-05-06', '12:00');
    await s.act.submit(cast.execA, 'Отчёт с приказом');
    await s.at('2027-05-07', '11:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

/**
 * An instruction (поручение) with a co-executor: the co-executor's part, the head's report, a return for
 * rework, the executor's second report and the working group's acceptance. Recorded as v6 before issue 13
 * (head sign-off, the author's review): the submit and review paths those changes touch, as they ran.
 */
export const instructionReported: Scenario = {
  name: 'instruction-reported',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, {
      agencyId: cast.a.id,
      due: '2027-04-30',
      coAgencyIds: [cast.b.id],
      kind: 'instruction',
      title: 'Представить предложения по сокращению сроков выдачи разрешений',
    });
    await s.at('2027-04-20', '12:00');
    await s.act.submit(cast.execB, 'Предложения соисполнителя', true);
    await s.at('2027-04-22', '12:00');
    await s.act.submit(cast.headA, 'Сводные предложения');
    await s.at('2027-04-23', '11:00');
    await s.act.returnForRework(cast.wg1, 'Нет расчёта сроков по районам');
    await s.at('2027-04-27', '12:00');
    await s.act.submit(cast.execA, 'Сводные предложения с расчётом');
    await s.at('2027-04-28', '11:00');
    await s.act.accept(cast.wg2);
    await s.handle.result();
    return s;
  },
};

/**
 * The head's sign-off (a roadmap's rule, issue 13): the executor's report goes to the head, who returns it
 * with a comment; the second one is signed off, reaches the working group and is accepted. The control
 * date's last reminder falls while the head has the report: it goes to the head. Recorded as v7.
 */
export const headSignoff: Scenario = {
  name: 'head-signoff',
  startAt: local('2027-04-01', '10:00'),
  async run(ctx) {
    const { cast } = ctx;
    const s = await begin(ctx, { agencyId: cast.a.id, due: '2027-04-30', number: '8.1', title: 'Регламент' });
    await s.at('2027-04-19', '12:00');
    await s.act.submitToHead(cast.execA, 'Проект регламента');
    await s.at('2027-04-20', '11:00');
    await s.act.signOff(cast.headA, 'return', 'Нет согласования с МФЦ');
    await s.at('2027-04-26', '12:00');
    await s.act.submitToHead(cast.execA, 'Проект регламента, согласованный с МФЦ');
    await s.at('2027-04-30', '10:00');
    await s.act.signOff(cast.headA, 'approve');
    await s.at('2027-04-30', '15:00');
    await s.act.accept(cast.wg1);
    await s.handle.result();
    return s;
  },
};

export const SCENARIOS = [
  ladderThenCancel,
  extensionReplan,
  twoReworkRounds,
  quarterlyYear,
  oneYearTwoReturns,
  notifiedLifecycle,
  coExecutorSwapKeepsExtension,
  coExecutorSwapThenCancel,
  returnAfterDeadline,
  monthlyWithLatePeriod,
  reopenWithinWindow,
  arrivesLate,
  withdrawnBeforeReview,
  instructionReported,
  headSignoff,
];

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * For a dev server that suggests continue-as-new after a handful of events (real time, not the
 * time-skipping server, which never suggests it). An item 20 working days overdue, with repeat chasers
 * every working day, is put under control: the whole ladder fires at once, the history outgrows the
 * threshold and the workflow continues as new, mid-ladder and again after an extension is asked for and
 * rejected. Then it is cancelled.
 */
export async function overdueAcrossContinueAsNew(ctx: {
  db: Db;
  cast: Cast;
  temporal: TemporalHandle;
}): Promise<ScenarioResult & { policy: ChasePolicy }> {
  const { db, cast, temporal } = ctx;
  const policy: ChasePolicy = { ...DEFAULT_CHASE_POLICY, repeatEveryWorkingDays: 1 };
  const today = instantToLocalDate(Date.now(), policy.utcOffsetMinutes);
  const { row, state } = await insertItem(db, { agencyId: cast.a.id, due: addWorkingDays(today, -20) });
  const handle = await startControlItem(temporal, state, policy);
  const current = temporal.client.workflow.getHandle(handle.workflowId);
  const chases = async () =>
    (
      await db
        .selectFrom('event')
        .select('id')
        .where('control_item_id', '=', row.id)
        .where('type', 'like', 'chase.%')
        .execute()
    ).length;
  // Twenty working days late on arrival: the ladder's steps and the repeats already due collapse into one
  // notice (esc4, PATCHES.collapseDueLadder); the next repeat is tomorrow.
  await until(
    'the collapsed ladder',
    async () => (await chases()) >= 1 && (await current.query(stateQuery)).chasesDone.includes('esc4'),
  );
  const act = itemActions(temporal, row.id);
  // Two rounds of extension request and refusal: enough history for several runs, and a pending request
  // that a run may have to hand over to the next.
  for (const days of [10, 15]) {
    await act.requestExtension(cast.headA, addWorkingDays(today, days), 'Ждём заключение прокуратуры');
    await act.decideExtension(cast.wg1, false, 'Срок не продлевается');
    await until('a quiet workflow', async () => (await current.query(stateQuery)).pendingExtension === null);
  }
  await act.cancel(cast.wg1);
  await handle.result();
  return { itemId: row.id, workflowId: handle.workflowId, firstRunId: handle.firstExecutionRunId, policy };
}
