import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, createSmtpMailer } from '../../activities/notifications/index.ts';
import {
  digestScheduleHandle,
  ensureDigestSchedule,
  setNotifyMode,
  triggerDigest,
} from '../../app/notifications/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import { connectDevServer, createTestWorker } from '../support/temporal.ts';

// The daily digest (issue 14): people who chose one email a day get their notices as one email, sent by
// the digest's Temporal Schedule (a dev server: the time-skipping server has no Schedules), grouped per
// item; the dispatcher never mails their notices one by one; a second run the same day sends nothing.
const PUBLIC_URL = 'https://shtab.example.ru';

let tdb: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let worker: Worker;
let running: Promise<void>;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;

beforeAll(async () => {
  [tdb, temporal, smtp] = await Promise.all([createTestDatabase(), connectDevServer(), startSmtpReceiver()]);
  worker = await createTestWorker({
    connection: temporal.nativeConnection,
    taskQueue: temporal.taskQueue,
    deps: { db: tdb.db, publicUrl: PUBLIC_URL },
  });
  running = worker.run();
});
afterAll(async () => {
  await digestScheduleHandle(temporal.handle)
    .delete()
    .catch(() => {});
  worker?.shutdown();
  await running;
  await temporal?.close();
  await smtp?.close();
  await tdb?.drop();
});

/** Waits for the Schedule's n-th run to have started and finished. */
async function runFinished(n: number) {
  const handle = digestScheduleHandle(temporal.handle);
  const actions = await expect
    .poll(async () => (await handle.describe()).info.recentActions, { timeout: 30_000 })
    .toHaveLength(n)
    .then(async () => (await handle.describe()).info.recentActions);
  const run = actions.at(-1)!.action;
  await temporal.client.workflow
    .getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId)
    .result();
}

/** An outbox row as the transition activities write it. */
const notice = (userId: number, email: string, itemId: number, key: string, subject: string) =>
  tdb.db
    .insertInto('notification')
    .values({
      idempotency_key: key,
      recipient_user_id: userId,
      recipient_email: email,
      control_item_id: itemId,
      kind: 'returned',
      subject,
      body_text: `${subject}\nПричина: нет приложений\n\nОткрыть в Штабе: ${PUBLIC_URL}/items/${itemId}`,
    })
    .execute();

describe('the daily notification digest', () => {
  it('mails a digest reader one email a day, grouped per item; immediate readers get theirs at once', async () => {
    const agency = await insertAgency(tdb.db);
    const digestUser = await insertUser(tdb.db, 'agency_executor', agency.id, {
      email: 'digest@example.test',
    });
    const eager = await insertUser(tdb.db, 'agency_executor', agency.id, { email: 'eager@example.test' });
    await setNotifyMode(tdb.db, { userId: digestUser.id, mode: 'digest' });
    const a = (
      await insertItem(tdb.db, { agencyId: agency.id, due: '2030-01-31', number: '3.1', title: 'Реестр' })
    ).row;
    const b = (
      await insertItem(tdb.db, { agencyId: agency.id, due: '2030-01-31', number: '3.2', title: 'Портал' })
    ).row;
    await notice(digestUser.id, 'digest@example.test', a.id, 'k1', 'Возвращено на доработку: № 3.1');
    await notice(digestUser.id, 'digest@example.test', a.id, 'k2', 'Напоминание: № 3.1');
    await notice(digestUser.id, 'digest@example.test', b.id, 'k3', 'Снято с контроля: № 3.2');
    await notice(eager.id, 'eager@example.test', a.id, 'k4', 'Возвращено на доработку: № 3.1');

    // The dispatcher sends the immediate reader's notice and leaves the digest reader's.
    const dispatcher = createDispatcher({
      db: tdb.db,
      mailer: createSmtpMailer(smtp.url, 'Штаб <noreply@shtab.local>'),
    });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(smtp.messages.map((m) => m.envelopeTo[0])).toEqual(['eager@example.test']);

    // The Schedule's run (as its time came): one digest row, the three notices marked as sent in it.
    await ensureDigestSchedule(temporal.handle, { timeZone: 'Asia/Novosibirsk', utcOffsetMinutes: 420 });
    await triggerDigest(temporal.handle);
    await runFinished(1);
    const digest = await tdb.db
      .selectFrom('notification')
      .selectAll()
      .where('kind', '=', 'digest')
      .executeTakeFirstOrThrow();
    expect(digest).toMatchObject({ recipient_user_id: null, recipient_email: 'digest@example.test' });
    expect(digest.subject).toMatch(/^Сводка уведомлений за \d\d\.\d\d\.\d{4}: 3$/);
    // Per item: the item's line, then its notices.
    expect(digest.body_text).toContain(
      `№ 3.1 «Реестр» — ${PUBLIC_URL}/items/${a.id}\n  • Возвращено на доработку: № 3.1`,
    );
    expect(digest.body_text).toContain(
      `№ 3.2 «Портал» — ${PUBLIC_URL}/items/${b.id}\n  • Снято с контроля: № 3.2`,
    );
    const listed = await tdb.db
      .selectFrom('notification')
      .select(['idempotency_key', 'digest_id', 'sent_at', 'read_at'])
      .where('recipient_user_id', '=', digestUser.id)
      .orderBy('id')
      .execute();
    expect(listed.map((n) => [n.idempotency_key, n.digest_id, n.sent_at !== null, n.read_at])).toEqual([
      ['k1', digest.id, true, null],
      ['k2', digest.id, true, null],
      ['k3', digest.id, true, null],
    ]);

    // The digest goes out as one email; the notices stay unread in the inbox.
    expect(await dispatcher.runOnce()).toBe(1);
    const mails = smtp.messages.filter((m) => m.envelopeTo[0] === 'digest@example.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Уведомления, пришедшие с прошлой сводки: 3.');

    // Run again the same day: nothing new to send, nothing written twice.
    await notice(digestUser.id, 'digest@example.test', b.id, 'k5', 'Напоминание: № 3.2');
    await triggerDigest(temporal.handle);
    await runFinished(2);
    const digests = await tdb.db
      .selectFrom('notification')
      .select('id')
      .where('kind', '=', 'digest')
      .execute();
    expect(digests).toHaveLength(1);
    const k5 = await tdb.db
      .selectFrom('notification')
      .select(['digest_id', 'sent_at'])
      .where('idempotency_key', '=', 'k5')
      .executeTakeFirstOrThrow();
    // It waits for tomorrow's digest (the key is per person and day) and is never mailed alone.
    expect(k5).toEqual({ digest_id: null, sent_at: null });
    expect(await dispatcher.runOnce()).toBe(0);
  });
});
