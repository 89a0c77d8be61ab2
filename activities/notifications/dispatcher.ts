import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Mailer } from './mailer.ts';

export interface DispatcherDeps {
  db: Db;
  mailer: Mailer;
  log?: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };
  intervalMs?: number;
  /** How long a claimed row stays invisible to other dispatchers while it is being sent. */
  leaseSeconds?: number;
  maxAttempts?: number;
}

/**
 * Sends the outbox. A row is claimed by pushing its send_after into the future (a lease), sent outside any
 * transaction, then marked sent. Claims use SKIP LOCKED so several workers can share the table; a crash
 * between "sent" and "marked" can resend one message, which carries the same Message-ID.
 */
export function createDispatcher(deps: DispatcherDeps) {
  const { db, mailer } = deps;
  const lease = deps.leaseSeconds ?? 120;
  const maxAttempts = deps.maxAttempts ?? 12;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function claim() {
    return db
      .updateTable('notification')
      .set({
        send_after: sql`now() + make_interval(secs => ${lease})`,
        attempts: sql`attempts + 1`,
      })
      .where(
        'id',
        '=',
        (eb) =>
          eb
            .selectFrom('notification')
            .select('id')
            .where('sent_at', 'is', null)
            .where('recipient_email', 'is not', null)
            // People who chose one email a day get these in their digest (activities/notifications/digest.ts).
            .where('digest_id', 'is', null)
            .where((eb) =>
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('app_user as u')
                    .select('u.id')
                    .whereRef('u.id', '=', 'notification.recipient_user_id')
                    .where('u.notify_mode', '=', 'digest'),
                ),
              ),
            )
            .where('send_after', '<=', sql<Date>`now()`)
            .where('attempts', '<', maxAttempts)
            .orderBy('id')
            .limit(1)
            .forUpdate()
            .skipLocked() as never,
      )
      .returning([
        'id',
        'idempotency_key',
        'recipient_email',
        'subject',
        'body_text',
        'body_html',
        'attempts',
      ])
      .executeTakeFirst();
  }

  async function runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      if (stopped) break;
      const row = await claim();
      if (!row || !row.recipient_email) break;
      try {
        await mailer.send({
          to: row.recipient_email,
          subject: row.subject,
          text: row.body_text,
          html: row.body_html,
          idempotencyKey: row.idempotency_key,
        });
        await db
          .updateTable('notification')
          .set({ sent_at: sql`now()`, last_error: null })
          .where('id', '=', row.id)
          .execute();
        sent++;
      } catch (e) {
        const backoff = Math.min(3600, 30 * 2 ** (row.attempts - 1));
        await db
          .updateTable('notification')
          .set({
            last_error: String((e as Error).message).slice(0, 500),
            send_after: sql`now() + make_interval(secs => ${backoff})`,
          })
          .where('id', '=', row.id)
          .execute();
        deps.log?.warn(
          { notification: row.id, attempts: row.attempts, err: (e as Error).message },
          'email not sent; will retry',
        );
        break; // SMTP trouble: stop this round instead of failing every row
      }
    }
    return sent;
  }

  /** Runs a round now (or joins the running one). Activities call it after committing new rows. */
  function kick(): Promise<number> {
    running ??= runOnce().finally(() => (running = undefined));
    return running;
  }

  return {
    runOnce,
    kick,
    start() {
      stopped = false;
      const tick = () => {
        kick()
          .catch((e) => deps.log?.warn({ err: (e as Error).message }, 'notification round failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, deps.intervalMs ?? 5_000);
          });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
