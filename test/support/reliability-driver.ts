import { expect } from 'vitest';
import type { Db } from '../../db/index.ts';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { resolvePolicy, type ItemState, type ItemStatus } from '../../domain/control-item/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { startControlItem, updateItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import {
  controlItemWorkflowId,
  reviewUpdate,
  startWorkUpdate,
  stateQuery,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { actorOf, insertAgency, insertItem, insertUser } from './fixtures.ts';
import { sleep, waitFor, type Random } from './reliability-fixtures.ts';
import type { ReceivedMail } from './smtp-receiver.ts';

// A load driver for the fault-injection tests: many items, each walked through start → (submit → return)*
// → submit → accept by a lane, one Update at a time per item, every Update with its own event id. On a
// transient error (worker gone, server restarting) the same Update is sent again with the same id — what
// the web does when a user retries — so the log says exactly which transitions must exist afterwards.

export type OpKind = 'start' | 'submit' | 'return' | 'accept';
export interface Op {
  kind: OpKind;
  eventId: string;
}
export interface ItemScript {
  itemId: number;
  agencyId: number;
  ops: Op[];
  /** Status after the last op. */
  final: ItemStatus;
}
export interface OpResult {
  itemId: number;
  op: Op;
  attempts: number;
  status: ItemStatus;
  version: number;
  ms: number;
}

export type User = Awaited<ReturnType<typeof insertUser>>;

/**
 * Agencies, each with one executor and one head, and two working-group members; everyone has an email
 * (and, given a hash, a password to sign in through the web with).
 */
export async function createDriverCast(db: Db, agencies: number, passwordHash?: string) {
  const extra = passwordHash ? { password_hash: passwordHash } : {};
  const list: { id: number; exec: User; head: User }[] = [];
  for (let i = 0; i < agencies; i++) {
    const a = await insertAgency(db);
    list.push({
      id: a.id,
      exec: await insertUser(db, 'agency_executor', a.id, extra),
      head: await insertUser(db, 'agency_head', a.id, extra),
    });
  }
  const wg = [
    await insertUser(db, 'working_group', null, extra),
    await insertUser(db, 'working_group', null, extra),
  ];
  return { agencies: list, wg };
}
export type DriverCast = Awaited<ReturnType<typeof createDriverCast>>;

/**
 * Scripts for items: `rounds` returns before the final report (seeded), and one item in `openEvery` is
 * left under review (its workflow must keep running). Counts submissions + reviews.
 */
export function planScripts(
  rand: Random,
  items: { id: number; agency_id: number }[],
  o: { minRounds: number; maxRounds: number; openEvery: number },
) {
  let reports = 0;
  const scripts: ItemScript[] = items.map((it, i) => {
    const ops: Op[] = [];
    const op = (kind: OpKind) => ops.push({ kind, eventId: `rel-${it.id}-${ops.length}-${kind}` });
    op('start');
    const rounds = rand.int(o.minRounds, o.maxRounds);
    for (let r = 0; r < rounds; r++) {
      op('submit');
      op('return');
    }
    op('submit');
    const open = i % o.openEvery === o.openEvery - 1;
    if (!open) op('accept');
    reports += ops.length - 1;
    return { itemId: it.id, agencyId: it.agency_id, ops, final: open ? 'submitted' : 'done' };
  });
  return { scripts, reports };
}

const EXPECTED: Record<OpKind, ItemStatus> = {
  start: 'in_progress',
  submit: 'submitted',
  return: 'returned',
  accept: 'done',
};

/** Sends one op as `exec` (start, submit) or `wg` (reviews) and returns the item's state after it. */
export type OpSender = (s: ItemScript, op: Op, who: { exec: User; wg: User }) => Promise<ItemState>;

export interface DriverOptions {
  temporal: TemporalHandle;
  /** How ops are sent; default: Temporal Updates straight from this process. */
  send?: OpSender;
  cast: DriverCast;
  scripts: ItemScript[];
  lanes: number;
  /** Give up (fail) when the whole run takes longer. */
  deadlineMs: number;
  /** Called after every completed op with the number completed so far. */
  onProgress?: (done: number) => Promise<void> | void;
  /** Called with each op's result as it completes. */
  onResult?: (r: OpResult) => void;
  /** A pause before each op (a person reading the page), in ms. */
  thinkMs?: () => number;
  /** Errors the caller considers transient besides non-domain ones (e.g. `unavailable`). */
  isTransient?: (e: unknown) => boolean;
  /** Send ops of a script from this index on (a second phase resumes where the first stopped). */
  fromOp?: Map<number, number>;
}

/** Runs the scripts; returns every op's result and the errors that were retried. */
export async function runDriver(o: DriverOptions) {
  const started = Date.now();
  const results: OpResult[] = [];
  const retried: string[] = [];
  const failures: string[] = [];
  const agencyOf = new Map(o.cast.agencies.map((a) => [a.id, a]));
  let next = 0;
  let done = 0;

  async function send(s: ItemScript, op: Op, i: number): Promise<ItemState> {
    const ag = agencyOf.get(s.agencyId)!;
    const wg = o.cast.wg[i % 2]!;
    if (o.send) return o.send(s, op, { exec: ag.exec, wg });
    switch (op.kind) {
      case 'start':
        return updateItem(o.temporal, s.itemId, startWorkUpdate, {
          actor: actorOf(ag.exec),
          eventId: op.eventId,
        });
      case 'submit':
        return updateItem(o.temporal, s.itemId, submitUpdate, {
          actor: actorOf(ag.exec),
          eventId: op.eventId,
          text: `Отчёт ${op.eventId}`,
          links: [],
          attachmentIds: [],
          part: false,
        });
      case 'return':
        return updateItem(o.temporal, s.itemId, reviewUpdate, {
          actor: actorOf(wg),
          eventId: op.eventId,
          outcome: 'return',
          reason: `Доработать (${op.eventId})`,
        });
      case 'accept':
        return updateItem(o.temporal, s.itemId, reviewUpdate, {
          actor: actorOf(wg),
          eventId: op.eventId,
          outcome: 'accept',
        });
    }
  }

  async function lane() {
    while (next < o.scripts.length && failures.length === 0) {
      const s = o.scripts[next++]!;
      for (let i = o.fromOp?.get(s.itemId) ?? 0; i < s.ops.length; i++) {
        const op = s.ops[i]!;
        if (o.thinkMs) await sleep(o.thinkMs());
        const t0 = Date.now();
        for (let attempt = 1; ; attempt++) {
          try {
            const state = await send(s, op, i);
            if (state.status !== EXPECTED[op.kind]) {
              failures.push(`${op.eventId}: status ${state.status}, expected ${EXPECTED[op.kind]}`);
            }
            const r = {
              itemId: s.itemId,
              op,
              attempts: attempt,
              status: state.status,
              version: state.version,
              ms: Date.now() - t0,
            };
            results.push(r);
            o.onResult?.(r);
            break;
          } catch (e) {
            // An accept whose reply was lost (server restarted after it completed): the retry finds the
            // item closed. It counts as done only when the workflow's own state says so (a query during
            // the reopen window, its result after it).
            if (op.kind === 'accept' && e instanceof ShtabError && e.detail.key === 'error.item.closed') {
              const h = o.temporal.client.workflow.getHandle(
                controlItemWorkflowId(s.itemId, o.temporal.workflowIdPrefix),
              );
              const final =
                (await h.describe()).status.name === 'RUNNING'
                  ? await h.query(stateQuery)
                  : ((await h.result()) as ItemState);
              if (final.status === 'done') {
                const r = {
                  itemId: s.itemId,
                  op,
                  attempts: attempt,
                  status: final.status,
                  version: final.version,
                  ms: Date.now() - t0,
                };
                results.push(r);
                o.onResult?.(r);
                break;
              }
            }
            const domain = e instanceof ShtabError && !(o.isTransient?.(e) ?? false);
            if (domain || Date.now() - started > o.deadlineMs) {
              failures.push(
                `${op.eventId} (attempt ${attempt}): ${(e as Error).name}: ${(e as Error).message}`,
              );
              return;
            }
            retried.push(`${op.eventId}: ${(e as Error).name}: ${(e as Error).message.split('\n')[0]}`);
            await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
          }
        }
        done++;
        await o.onProgress?.(done);
      }
    }
  }

  await Promise.all(Array.from({ length: o.lanes }, lane));
  return { results, retried, failures, ms: Date.now() - started };
}

export interface VerifyOptions {
  db: Db;
  temporal: TemporalHandle;
  cast: DriverCast;
  scripts: ItemScript[];
  results: OpResult[];
  smtp: { messages: ReceivedMail[] };
  /** Restarts the worker so its dispatcher sends what is left (called after leases are expired). */
  restartWorker: () => Promise<void>;
  /** How many emails may have been sent twice (a dispatcher killed between SMTP and marking its row). */
  maxResends: number;
}

/**
 * What must hold after a run whatever crashed during it: every op's transition exists exactly once (event,
 * submission, item row), every notification row and email exactly once, and every workflow answers — open
 * ones take a further review, closed ones completed with the accepted state. Returns counts for the log.
 */
export async function verifyRun(v: VerifyOptions) {
  const { db, temporal, cast, scripts } = v;
  const ids = scripts.map((s) => s.itemId);
  const eventIds = scripts.flatMap((s) => s.ops.map((o) => o.eventId));
  expect(v.results).toHaveLength(eventIds.length);

  // 1. The audit trail: one event per op, under the op's key, nothing else on these items.
  const events = await db
    .selectFrom('event')
    .select(['event_key'])
    .where('control_item_id', 'in', ids)
    .execute();
  expect(events.map((e) => e.event_key).sort()).toEqual([...eventIds].sort());

  // 2. Submissions: exactly one row per submit op, numbered rounds, each review's outcome on the right one.
  const subs = await db
    .selectFrom('submission')
    .select(['event_key', 'control_item_id', 'outcome', 'round'])
    .where('control_item_id', 'in', ids)
    .orderBy('id')
    .execute();
  const submitIds = scripts.flatMap((s) => s.ops.filter((o) => o.kind === 'submit').map((o) => o.eventId));
  expect(subs.map((s) => s.event_key).sort()).toEqual([...submitIds].sort());
  for (const s of scripts) {
    const mine = subs.filter((x) => x.control_item_id === s.itemId);
    const outcomes = s.ops
      .filter((o) => o.kind === 'return' || o.kind === 'accept')
      .map((o) => (o.kind === 'return' ? 'returned' : 'accepted'));
    expect(
      mine.map((x) => x.outcome),
      `item ${s.itemId}`,
    ).toEqual([...outcomes, ...(s.final === 'submitted' ? [null] : [])]);
    expect(mine.map((x) => x.round)).toEqual(mine.map((_, i) => i + 1));
  }

  // 3. Item rows: the status and version the driver last saw.
  const last = new Map(v.results.map((r) => [r.itemId, r]));
  const itemRows = await db
    .selectFrom('control_item')
    .select(['id', 'status', 'version'])
    .where('id', 'in', ids)
    .execute();
  expect(itemRows.map((r) => ({ id: r.id, status: r.status, version: r.version }))).toEqual(
    itemRows.map((r) => ({
      id: r.id,
      status: scripts.find((x) => x.itemId === r.id)!.final,
      version: last.get(r.id)!.version,
    })),
  );

  // 4. Notifications: the exact rows the transitions call for, one per event × recipient.
  const expected = new Map<string, number>();
  const add = (kind: string, n: number) => expected.set(kind, (expected.get(kind) ?? 0) + n);
  for (const s of scripts)
    for (const o of s.ops) {
      if (o.kind === 'submit') add('submitted', cast.wg.length);
      if (o.kind === 'return') add('returned', 2); // the agency's executor and head
      if (o.kind === 'accept') add('accepted', 2);
    }
  const notes = await db
    .selectFrom('notification')
    .select(['idempotency_key', 'kind'])
    .where('control_item_id', 'in', ids)
    .execute();
  const byKind = new Map<string, number>();
  for (const n of notes) byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
  expect(Object.fromEntries(byKind)).toEqual(Object.fromEntries(expected));
  expect(new Set(notes.map((n) => n.idempotency_key)).size).toBe(notes.length);

  // 5. Every workflow continues: the open ones answer a query with the row's state and accept a final
  //    review now; the accepted ones hold the accepted state — still running through the reopen window
  //    (docs/decisions.md §31), or completed after it.
  let reviewedAfter = 0;
  for (const s of scripts) {
    const h = temporal.client.workflow.getHandle(controlItemWorkflowId(s.itemId, temporal.workflowIdPrefix));
    const d = await h.describe();
    if (s.final === 'done') {
      expect(['RUNNING', 'COMPLETED'], `item ${s.itemId}`).toContain(d.status.name);
      const state =
        d.status.name === 'RUNNING' ? await h.query(stateQuery) : ((await h.result()) as ItemState);
      expect({ status: state.status, version: state.version }, `item ${s.itemId}`).toEqual({
        status: 'done',
        version: last.get(s.itemId)!.version,
      });
    } else {
      expect(d.status.name, `item ${s.itemId}`).toBe('RUNNING');
      expect((await h.query(stateQuery)).version).toBe(last.get(s.itemId)!.version);
      const after = await updateItem(temporal, s.itemId, reviewUpdate, {
        actor: actorOf(cast.wg[0]!),
        eventId: `rel-${s.itemId}-final-accept`,
        outcome: 'accept',
      });
      expect(after.status).toBe('done');
      reviewedAfter++;
    }
  }

  // 6. Email: every row with an address reaches the SMTP server. A dispatcher killed between "claimed" and
  //    "marked sent" leaves its row leased for 120 s: expire those leases rather than wait them out.
  await db.updateTable('notification').set({ send_after: new Date() }).where('sent_at', 'is', null).execute();
  await v.restartWorker();
  await waitFor(
    'every notification to be sent',
    async () =>
      (await db
        .selectFrom('notification')
        .select('id')
        .where('control_item_id', 'in', ids)
        .where('sent_at', 'is', null)
        .where('recipient_email', 'is not', null)
        .executeTakeFirst()) === undefined,
    120_000,
  );
  const mailed = await db
    .selectFrom('notification')
    .select(['idempotency_key'])
    .where('control_item_id', 'in', ids)
    .where('recipient_email', 'is not', null)
    .execute();
  const keyOf = (raw: string) => /^X-Shtab-Notification: (.+)$/im.exec(raw)?.[1]?.trim() ?? '';
  const delivered = v.smtp.messages.map((m) => keyOf(m.raw));
  const distinct = new Set(delivered);
  expect([...distinct].sort()).toEqual(mailed.map((n) => n.idempotency_key).sort());
  // A resend can only come from a dispatcher killed between SMTP and marking the row; it carries the same
  // Message-ID (receivers drop it). The dispatcher sends one row at a time: at most one per crash.
  const idsOf = new Map<string, Set<string>>();
  for (const m of v.smtp.messages)
    idsOf.set(keyOf(m.raw), (idsOf.get(keyOf(m.raw)) ?? new Set()).add(m.messageId));
  expect([...idsOf.values()].every((x) => x.size === 1)).toBe(true);
  const resent = delivered.length - distinct.size;
  expect(resent).toBeLessThanOrEqual(v.maxResends);
  return {
    events: events.length,
    submissions: subs.length,
    notifications: notes.length,
    emails: distinct.size,
    resent,
    reviewedAfter,
  };
}

/** `n` items due in 60 days (no reminder fires during a run), spread over the cast's agencies, started. */
export async function startItems(db: Db, temporal: TemporalHandle, cast: DriverCast, n: number, tz: string) {
  const offset = utcOffsetMinutesOf(tz);
  const policy = resolvePolicy(null, offset);
  const due = precedingWorkingDay(addDays(instantToLocalDate(Date.now(), offset), 60));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const { row, state } = await insertItem(db, {
      agencyId: cast.agencies[i % cast.agencies.length]!.id,
      due,
    });
    rows.push(row);
    await startControlItem(temporal, state, policy);
  }
  return rows;
}

/** Logs progress every `every` ops (a stuck run shows where it stopped). */
export function progressLog(what: string, total: number, every = 100) {
  const t0 = Date.now();
  return (done: number) => {
    if (done % every === 0 || done === total)
      console.log(`[reliability] ${what}: ${done}/${total} ops, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
}
