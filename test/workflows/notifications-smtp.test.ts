import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { ChaseInput, TransitionInput } from '../../activities/control-item/types.ts';
import {
  createDispatcher,
  createSmtpMailer,
  type Dispatcher,
  type Mailer,
} from '../../activities/notifications/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import {
  auditLines,
  createCast,
  itemActions,
  itemRow,
  local,
  type Cast,
} from '../support/control-item-fixtures.ts';
import { notifiedLifecycle } from '../support/control-item-scenarios.ts';
import { insertItem, insertUser } from '../support/fixtures.ts';
import { fetchRunHistories } from '../support/histories.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { startSmtpReceiver, type ReceivedMail } from '../support/smtp-receiver.ts';
import { workflowBundle } from '../support/temporal.ts';
import { createPinnedTimeSkippingEnv, sleepUntil } from '../support/time-skipping.ts';

// Notifications end to end: workflow → activities → outbox (Postgres) → dispatcher → nodemailer → a real
// SMTP server. The exact set of emails, nothing twice — also when the worker dies in the middle.
const PUBLIC_URL = 'https://shtab.example.ru';
const FROM = 'Штаб <noreply@shtab.local>';

// Each test has its own database: working-group notices go to every working-group member there is.
let tdb: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
beforeAll(async () => {
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  await smtp?.close();
});
beforeEach(async () => {
  tdb = await createTestDatabase();
  smtp.messages.length = 0; // item ids start over in every database
});
afterEach(async () => {
  await tdb?.drop();
});

/** Received mail of one item as "login: subject" lines, sorted. */
function mailLines(mails: ReceivedMail[], itemId: number) {
  return mails
    .filter((m) => m.text.includes(`${PUBLIC_URL}/items/${itemId}\n`))
    .map((m) => `${m.envelopeTo.join(',').split('@')[0]}: ${m.subject}`)
    .sort();
}

/** A worker plus its dispatcher, wired like scripts/lib/runtime.ts runWorker. */
async function startWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  opts: {
    mailer?: Mailer;
    override?: Partial<ReturnType<typeof createActivities>>;
    noCache?: boolean;
  } = {},
) {
  const dispatcher: Dispatcher | null = opts.mailer
    ? createDispatcher({ db: tdb.db, mailer: opts.mailer })
    : null;
  const activities = createActivities({
    db: tdb.db,
    publicUrl: PUBLIC_URL,
    onNotificationsQueued: () => void dispatcher?.kick().catch(() => {}),
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: workflowBundle(),
    activities: { ...activities, ...opts.override },
    // The time-skipping server never hands a dead worker's sticky tasks back to the shared queue (a
    // real server does after stickyQueueScheduleToStartTimeout): workers that will "die" keep no cache.
    ...(opts.noCache ? { maxCachedWorkflows: 0 } : {}),
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await dispatcher?.stop();
    },
    flush: () => dispatcher?.runOnce() ?? Promise.resolve(0),
  };
}

describe('notifications over real SMTP', () => {
  it('sends exactly the expected emails, in Russian, with a link to the item; no-email users keep inbox rows', async () => {
    const env = await createPinnedTimeSkippingEnv(notifiedLifecycle.startAt);
    const mailer = createSmtpMailer(smtp.url, FROM);
    try {
      const cast = await createCast(tdb.db);
      // A second executor of agency A without an email address: inbox only.
      const quiet = await insertUser(tdb.db, 'agency_executor', cast.a.id, { email: null });
      const taskQueue = `smtp-${randomUUID()}`;
      const w = await startWorker(env, taskQueue, { mailer });
      let itemId: number;
      try {
        ({ itemId } = await notifiedLifecycle.run({
          env,
          db: tdb.db,
          cast,
          temporal: { client: env.client, taskQueue },
        }));
        await w.flush();
      } finally {
        await w.stop();
      }

      const head = '№ 5.1 «Уведомления о ходе исполнения»';
      const l = (u: { login: string }) => u.login;
      const { execA, headA, execC, headC, wg1, wg2 } = cast;
      // 10 working days before Tue 11 May: Fri 23 Apr. The r5 of Fri 30 Apr falls while the extension
      // request waits (paused); on Tue 4 May agency C takes over and gets it at once — with the true
      // count: 5, 6, 7, 11 May = 4 working days left. r1 on Fri 7 May. The return on 7 May sets the
      // rework due date 11, 12, 13, 14, 17 May → 17 May; the control date stays 11 May, so C hears it is
      // overdue on 12 May and its head on 13 May, before the report comes again that noon.
      expect(mailLines(smtp.messages, itemId)).toEqual(
        [
          `${l(execA)}: Напоминание: срок через 10 рабочих дней — ${head}`,
          `${l(execA)}: Соисполнитель представил свою часть: ${head}`,
          `${l(wg1)}: Запрос на продление срока: ${head}`,
          `${l(wg2)}: Запрос на продление срока: ${head}`,
          `${l(execC)}: Вам передано на исполнение: ${head}`,
          `${l(headC)}: Вам передано на исполнение: ${head}`,
          `${l(headA)}: Передано другому ведомству: ${head}`,
          `${l(execC)}: Напоминание: срок через 4 рабочих дня — ${head}`,
          `${l(execC)}: Напоминание: срок через 1 рабочий день — ${head}`,
          `${l(wg1)}: Представлен отчёт: ${head}`,
          `${l(wg2)}: Представлен отчёт: ${head}`,
          `${l(execC)}: Возвращено на доработку: ${head}`,
          `${l(headC)}: Возвращено на доработку: ${head}`,
          `${l(execC)}: Просрочено: ${head}`,
          `${l(headC)}: Эскалация (уровень 2): просрочено ${head}`,
          `${l(wg1)}: Представлен отчёт: ${head}`,
          `${l(wg2)}: Представлен отчёт: ${head}`,
          `${l(execC)}: Снято с контроля: ${head}`,
          `${l(headC)}: Снято с контроля: ${head}`,
        ].sort(),
      );
      const mine = smtp.messages.filter((m) => m.text.includes(`/items/${itemId}\n`));
      expect(new Set(mine.map((m) => m.messageId)).size).toBe(mine.length);
      expect(mine.every((m) => /^<[0-9a-f]{32}@shtab>$/.test(m.messageId))).toBe(true);
      const returned = mine.find((m) => m.subject.startsWith('Возвращено'))!;
      expect(returned.text).toContain('Причина: Приложите протокол');
      expect(returned.text).toContain('Срок доработки — 17.05.2027.');
      expect(returned.text).toContain('Контрольный срок — 11.05.2027.');
      expect(returned.text).toContain(`Открыть в Штабе: ${PUBLIC_URL}/items/${itemId}`);

      // Outbox: every row with an address is sent once; the quiet executor's two rows wait in the inbox.
      const rows = await tdb.db
        .selectFrom('notification')
        .select(['recipient_user_id', 'recipient_email', 'sent_at', 'kind'])
        .where('control_item_id', '=', itemId)
        .execute();
      expect(rows.filter((r) => r.recipient_email !== null)).toHaveLength(mine.length);
      expect(rows.filter((r) => r.recipient_email !== null).every((r) => r.sent_at !== null)).toBe(true);
      expect(rows.filter((r) => r.recipient_user_id === quiet.id).map((r) => [r.kind, r.sent_at])).toEqual([
        ['reminder', null],
        ['part_submitted', null],
      ]);

      // The extension request the reassignment left behind is withdrawn, not pending forever.
      expect(
        await tdb.db
          .selectFrom('extension_request')
          .select(['status', 'decision_note'])
          .where('control_item_id', '=', itemId)
          .execute(),
      ).toEqual([{ status: 'withdrawn', decision_note: 'reassigned' }]);
      expect(await itemRow(tdb.db, itemId)).toMatchObject({ status: 'done', agency_id: cast.c.id });
    } finally {
      mailer.close();
      await env.teardown();
    }
  });

  it('keeps every notification in the outbox, unsent, when SMTP is not configured', async () => {
    const env = await createPinnedTimeSkippingEnv(local('2027-04-01', '10:00'));
    try {
      const cast = await createCast(tdb.db);
      const taskQueue = `nosmtp-${randomUUID()}`;
      const w = await startWorker(env, taskQueue);
      const { row, state } = await insertItem(tdb.db, { agencyId: cast.a.id, due: '2027-05-11' });
      try {
        await startControlItem({ client: env.client, taskQueue }, state, DEFAULT_CHASE_POLICY);
        await sleepUntil(env, local('2027-05-06', '12:00'));
        await itemActions({ client: env.client, taskQueue }, row.id).submit(cast.execA);
      } finally {
        await w.stop();
      }
      const rows = await tdb.db
        .selectFrom('notification as n')
        .innerJoin('app_user as u', 'u.id', 'n.recipient_user_id')
        .select(['n.kind', 'u.login', 'n.sent_at', 'n.attempts', 'n.recipient_email'])
        .where('n.control_item_id', '=', row.id)
        .orderBy('n.id')
        .execute();
      expect(rows.map((r) => `${r.kind} → ${r.login}`)).toEqual([
        `reminder → ${cast.execA.login}`, // r10, 23 Apr
        `reminder → ${cast.execA.login}`, // r5, 30 Apr
        `submitted → ${cast.wg1.login}`,
        `submitted → ${cast.wg2.login}`,
      ]);
      expect(rows.every((r) => r.sent_at === null && r.attempts === 0 && r.recipient_email)).toBe(true);
      expect(smtp.messages.some((m) => m.text.includes(`/items/${row.id}\n`))).toBe(false);
    } finally {
      await env.teardown();
    }
  });
});

describe('a dispatcher that dies between sending and marking', () => {
  it('resends the message later with the same Message-ID, so mail clients show it once', async () => {
    const cast = await createCast(tdb.db);
    const { row } = await insertItem(tdb.db, { agencyId: cast.a.id, due: '2027-05-11' });
    await tdb.db
      .insertInto('notification')
      .values({
        idempotency_key: `crash-test:${row.id}:${cast.execA.id}`,
        recipient_user_id: cast.execA.id,
        recipient_email: cast.execA.email,
        control_item_id: row.id,
        kind: 'reminder',
        subject: 'Напоминание: срок сегодня',
        body_text: `Срок сегодня.\n\nОткрыть в Штабе: ${PUBLIC_URL}/items/${row.id}\n`,
        body_html: null,
      })
      .execute();
    const smtpMailer = createSmtpMailer(smtp.url, FROM);
    let dying = true;
    const mailer: Mailer = {
      async send(m) {
        await smtpMailer.send(m);
        if (dying) {
          dying = false;
          throw new Error('killed after the SMTP server accepted the message');
        }
      },
      close: () => smtpMailer.close(),
    };
    try {
      const dispatcher = createDispatcher({ db: tdb.db, mailer });
      expect(await dispatcher.runOnce()).toBe(0);
      // The row is not marked sent and backs off; let the back-off pass.
      await tdb.db
        .updateTable('notification')
        .set({ send_after: new Date(0) })
        .execute();
      expect(await dispatcher.runOnce()).toBe(1);
      expect(await dispatcher.runOnce()).toBe(0);
    } finally {
      mailer.close();
    }
    const got = smtp.messages.filter((m) => m.text.includes(`/items/${row.id}\n`));
    expect(got).toHaveLength(2);
    expect(got[0]!.messageId).toBe(got[1]!.messageId);
    expect(got[0]!.subject).toBe('Напоминание: срок сегодня');
    const [n] = await tdb.db.selectFrom('notification').select(['attempts', 'sent_at']).execute();
    expect(n!.attempts).toBe(2);
    expect(n!.sent_at).not.toBeNull();
  });
});

describe('a worker restarted in the middle', () => {
  /**
   * Activities that do their real work, then — once — behave like a process killed right after the
   * commit: they never report back, until the worker shuts down under them.
   */
  function dyingAfterCommit<I>(real: (i: I) => Promise<void>, when: (i: I) => boolean) {
    let died = false;
    let signal!: () => void;
    const committed = new Promise<void>((r) => (signal = r));
    const fn = async (input: I) => {
      await real(input);
      if (died || !when(input)) return;
      died = true;
      signal();
      await Context.current().cancelled; // rejects when the worker shuts down
    };
    return { fn, committed };
  }

  it('records every chase, transition and email exactly once across two crashes', async () => {
    const env = await createPinnedTimeSkippingEnv(local('2027-04-01', '10:00'));
    const cast = await createCast(tdb.db);
    const mailer = createSmtpMailer(smtp.url, FROM);
    const taskQueue = `restart-${randomUUID()}`;
    const temporal = { client: env.client, taskQueue };
    const real = createActivities({ db: tdb.db, publicUrl: PUBLIC_URL });
    const { row, state } = await insertItem(tdb.db, {
      agencyId: cast.a.id,
      due: '2027-05-11',
      number: '6.1',
      title: 'Перезапуск исполнителя',
    });
    const act = itemActions(temporal, row.id);
    try {
      // Worker 1 dies after committing the third chase (r1, Fri 7 May 09:00).
      const chase3 = dyingAfterCommit<ChaseInput>(
        (i) => real.recordChase(i),
        (i) => i.step.key === 'r1',
      );
      const w1 = await startWorker(env, taskQueue, {
        mailer,
        override: { recordChase: chase3.fn },
        noCache: true,
      });
      const handle = await startControlItem(temporal, state, DEFAULT_CHASE_POLICY);
      const toNoon = sleepUntil(env, local('2027-05-07', '12:00'));
      await chase3.committed;
      await w1.stop();

      // Worker 2 takes over: the chase is retried (and writes nothing twice); then it dies after
      // committing the return for rework, while the Update is still waiting for its answer.
      const back = dyingAfterCommit<TransitionInput>(
        (i) => real.persistTransition(i),
        (i) => i.type === 'returned',
      );
      const w2 = await startWorker(env, taskQueue, {
        mailer,
        override: { persistTransition: back.fn },
        noCache: true,
      });
      await toNoon;
      expect((await act.submit(cast.execA)).status).toBe('submitted');
      await sleepUntil(env, local('2027-05-07', '15:00'));
      const returning = act.returnForRework(cast.wg1, 'Нет расчётов');
      await back.committed;
      await w2.stop();

      // Worker 3 (plain) finishes: the Update gets its answer, the item runs to the end.
      const w3 = await startWorker(env, taskQueue, { mailer, noCache: true });
      try {
        const returned = await returning;
        // Rework due 7 May + 5 working days: 11, 12, 13, 14, 17 May; the control date stays 11 May.
        expect(returned).toMatchObject({
          status: 'returned',
          currentDue: '2027-05-11',
          reworkDue: '2027-05-17',
          reviewRound: 1,
        });
        await sleepUntil(env, local('2027-05-14', '12:00'));
        await act.submit(cast.execA);
        await sleepUntil(env, local('2027-05-14', '15:00'));
        await act.accept(cast.wg2);
        await handle.result();
        await w3.flush();
      } finally {
        await w3.stop();
      }

      expect(await auditLines(tdb.db, row.id)).toEqual([
        '2027-04-23 09:00 chase.reminder r10',
        '2027-04-30 09:00 chase.reminder r5',
        '2027-05-07 09:00 chase.reminder r1',
        '2027-05-07 12:00 submitted',
        '2027-05-07 15:00 returned',
        '2027-05-12 09:00 chase.overdue esc1', // the control date (11 May) has passed
        '2027-05-13 09:00 chase.escalation esc2',
        '2027-05-14 09:00 chase.reminder w1.1', // the rework due date (17 May) − 1 working day
        '2027-05-14 12:00 submitted',
        '2027-05-14 15:00 accepted',
      ]);
      expect(await itemRow(tdb.db, row.id)).toMatchObject({ status: 'done', chases_sent: 6, version: 4 });
      const head = '№ 6.1 «Перезапуск исполнителя»';
      const { execA, headA, wg1, wg2 } = cast;
      expect(mailLines(smtp.messages, row.id)).toEqual(
        [
          `${execA.login}: Напоминание: срок через 10 рабочих дней — ${head}`,
          `${execA.login}: Напоминание: срок через 5 рабочих дней — ${head}`,
          `${execA.login}: Напоминание: срок через 1 рабочий день — ${head}`,
          `${execA.login}: Просрочено: ${head}`,
          `${headA.login}: Эскалация (уровень 2): просрочено ${head}`,
          `${execA.login}: Напоминание: срок доработки через 1 рабочий день — ${head}`,
          `${wg1.login}: Представлен отчёт: ${head}`,
          `${wg2.login}: Представлен отчёт: ${head}`,
          `${execA.login}: Возвращено на доработку: ${head}`,
          `${headA.login}: Возвращено на доработку: ${head}`,
          `${wg1.login}: Представлен отчёт: ${head}`,
          `${wg2.login}: Представлен отчёт: ${head}`,
          `${execA.login}: Снято с контроля: ${head}`,
          `${headA.login}: Снято с контроля: ${head}`,
        ].sort(),
      );
      const mine = smtp.messages.filter((m) => m.text.includes(`/items/${row.id}\n`));
      expect(new Set(mine.map((m) => m.messageId)).size).toBe(14);
      // The crashes were real: both activities ran a second attempt, on the next worker.
      const [run] = await fetchRunHistories(env.client, handle.workflowId, handle.firstExecutionRunId);
      const retried = run!.history.events.filter(
        (e) =>
          e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_STARTED' &&
          e.activityTaskStartedEventAttributes.attempt > 1,
      );
      expect(retried).toHaveLength(2);
    } finally {
      mailer.close();
      await env.teardown();
    }
  });
});
