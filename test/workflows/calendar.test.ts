import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { enterCalendarYear } from '../../app/calendar/index.ts';
import { putUnderControl, startControlItem } from '../../app/control-items/index.ts';
import {
  addWorkingDays,
  BUILT_IN_CALENDAR,
  installCalendar,
  isWorkingDay,
  precedingWorkingDay,
} from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY, type ChaseStep } from '../../domain/control-item/index.ts';
import { addDays, isoWeekday, localTimeToInstant } from '../../domain/local-date.ts';
import { controlItemWorkflowId, nextChaseQuery } from '../../workflows/definitions.ts';
import { actorOf, insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// The working-day calendar reaches running workflows (docs/decisions.md §41): entering next year's
// decree moves an open item's reminder timer — asserted on the workflow (its nextChase query and the
// timer it starts after the calendar's signal), on the dev server with real time. And two workflows on
// one worker keep their own calendars apart.

const policy = { ...DEFAULT_CHASE_POLICY, reminderWorkingDaysBefore: [10, 0] };
const nextYear = new Date().getUTCFullYear() + 1;

/** Weekdays off and working weekend days of a year, as the calendar in force has them now. */
function daysOf(year: number) {
  const daysOff: string[] = [];
  const workingWeekends: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) {
    const weekend = isoWeekday(d) >= 6;
    if (!weekend && !isWorkingDay(d)) daysOff.push(d);
    if (weekend && isWorkingDay(d)) workingWeekends.push(d);
  }
  return { daysOff, workingWeekends };
}

describe('the working-day calendar in running workflows', () => {
  let stack: TestStack;
  let agencyId: number;
  const due = precedingWorkingDay(`${nextYear}-02-26`);
  /** A working weekday between the 10-day reminder and the deadline: the decree makes it a day off. */
  const extraDayOff = addWorkingDays(due, -4);

  beforeAll(async () => {
    stack = await startTestStack({ workerStartsWorkflows: true, app: { policy } });
    agencyId = (await insertAgency(stack.tdb.db)).id;
  });
  afterAll(async () => {
    installCalendar(BUILT_IN_CALENDAR);
    await stack?.close();
  });

  const nextChase = (itemId: number) =>
    stack.temporal.client.workflow
      .getHandle(controlItemWorkflowId(itemId, stack.temporal.workflowIdPrefix))
      .query(nextChaseQuery);

  async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (ok(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('keeps two workflows on one worker on their own calendars', async () => {
    const a = await insertItem(stack.tdb.db, { agencyId, due });
    const b = await insertItem(stack.tdb.db, { agencyId, due });
    const own = daysOf(nextYear);
    await startControlItem(stack.temporal.handle, a.state, policy, {
      version: 99,
      years: {
        [nextYear]: { daysOff: [...own.daysOff, extraDayOff].sort(), workingWeekends: own.workingWeekends },
      },
    });
    await startControlItem(stack.temporal.handle, b.state, policy);
    const [ra, rb] = await Promise.all([nextChase(a.row.id), nextChase(b.row.id)]);
    expect(rb?.date).toBe(addWorkingDays(due, -10));
    // A's calendar has one more day off before the deadline: its reminder is one working day earlier.
    expect(ra?.date).toBe(addWorkingDays(rb!.date, -1));
  });

  it('moves an open item’s reminder timer when next year’s decree is entered', async () => {
    const admin = await insertUser(stack.tdb.db, 'admin', null);
    const deps = {
      db: stack.tdb.db,
      temporal: stack.temporal.handle,
      policy,
      log: pino({ level: 'silent' }),
    };
    const [item] = await putUnderControl(deps, [
      {
        item: {
          kind: 'measure',
          title_ru: 'Мероприятие со сроком в следующем году',
          agency_id: agencyId,
          due,
        },
        creation: { eventKey: `calendar-test-${Date.now()}`, actor: actorOf(admin), at: new Date() },
      },
    ]);
    const before = (await nextChase(item!.id)) as ChaseStep;
    expect(before.key).toBe('r10');
    expect(before.date).toBe(addWorkingDays(due, -10));
    expect(before.at).toBeGreaterThan(Date.now());

    const { daysOff, workingWeekends } = daysOf(nextYear);
    const saved = await enterCalendarYear(deps, actorOf(admin), {
      year: nextYear,
      source: `Постановление Правительства РФ о переносе выходных дней в ${nextYear} году (тест)`,
      daysOff: [...daysOff, extraDayOff],
      workingWeekends,
    });
    expect(saved).toMatchObject({ ok: true, rolledOut: true });
    // The test process installed the new calendar with the save: the expected date follows from it.
    const expected = addWorkingDays(due, -10);
    expect(expected).not.toBe(before.date);
    const after = await eventually(
      () => nextChase(item!.id),
      (s) => s?.date === expected,
    );
    expect(after?.date).toBe(expected);
    expect(after?.at).toBe(localTimeToInstant(expected, policy.notifyAtMinute, policy.utcOffsetMinutes));

    // The workflow itself re-planned: after the signal it started a timer that fires at the new moment.
    const handle = stack.temporal.client.workflow.getHandle(
      controlItemWorkflowId(item!.id, stack.temporal.workflowIdPrefix),
    );
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const signalled = events.findIndex(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarChanged',
    );
    expect(signalled).toBeGreaterThan(0);
    const timer = events.slice(signalled).find((e) => e.timerStartedEventAttributes);
    expect(timer).toBeDefined();
    const startedAt = Number(timer!.eventTime!.seconds) * 1000;
    const timeout = timer!.timerStartedEventAttributes!.startToFireTimeout!;
    const firesAt = startedAt + Number(timeout.seconds) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
    expect(Math.abs(firesAt - after!.at)).toBeLessThan(5_000);
  });
});
