import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { DEFAULT_CHASE_POLICY, type ChasePolicy } from '../../domain/control-item/index.ts';
import {
  instantToLocalDate,
  localTimeToInstant,
  parseHhMm,
  type LocalDate,
} from '../../domain/local-date.ts';
import { updateItem } from '../../app/control-items/index.ts';
import { type TemporalHandle } from '../../app/temporal.ts';
import {
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  reopenUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  signOffUpdate,
  startWorkUpdate,
  submitUpdate,
  withdrawExtensionUpdate,
  withdrawSubmissionUpdate,
} from '../../workflows/definitions.ts';
import { actorOf, insertAgency, insertUser } from './fixtures.ts';

type User = Awaited<ReturnType<typeof insertUser>>;

/** The instant of a wall-clock time in the policy's region (Novosibirsk, UTC+7, by default). */
export function local(date: LocalDate, hhmm = '09:00', policy: ChasePolicy = DEFAULT_CHASE_POLICY) {
  return localTimeToInstant(date, parseHhMm(hhmm), policy.utcOffsetMinutes);
}

/** "2027-05-11 09:00" in the region for an instant. */
export function localStamp(at: Date | number, policy: ChasePolicy = DEFAULT_CHASE_POLICY) {
  const ms = typeof at === 'number' ? at : at.getTime();
  const date = instantToLocalDate(ms, policy.utcOffsetMinutes);
  const minutes = Math.floor((ms - localTimeToInstant(date, 0, policy.utcOffsetMinutes)) / 60_000);
  return `${date} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Three agencies and the people the notifications go to: A is responsible, B co-executes, C takes over
 * on reassignment. Two working-group members; one executor of A has no email (inbox only).
 */
export async function createCast(db: Db) {
  const [a, b, c] = [await insertAgency(db), await insertAgency(db), await insertAgency(db)];
  const user = (role: Parameters<typeof insertUser>[1], agencyId: number | null, login: string) =>
    insertUser(db, role, agencyId, { login: `${login}-${a.id}`, email: `${login}-${a.id}@example.test` });
  const cast = {
    a,
    b,
    c,
    execA: await user('agency_executor', a.id, 'exec-a'),
    headA: await user('agency_head', a.id, 'head-a'),
    execB: await user('agency_executor', b.id, 'exec-b'),
    headB: await user('agency_head', b.id, 'head-b'),
    execC: await user('agency_executor', c.id, 'exec-c'),
    headC: await user('agency_head', c.id, 'head-c'),
    wg1: await user('working_group', null, 'wg-1'),
    wg2: await user('working_group', null, 'wg-2'),
  };
  return cast;
}
export type Cast = Awaited<ReturnType<typeof createCast>>;

/** Lifecycle actions on one item, each a Temporal Update through updateItem (as the web sends them). */
export function itemActions(t: TemporalHandle, itemId: number) {
  const id = () => randomUUID();
  return {
    start: (u: User) => updateItem(t, itemId, startWorkUpdate, { actor: actorOf(u), eventId: id() }),
    submit: (u: User, text = 'Отчёт об исполнении', part = false) =>
      updateItem(t, itemId, submitUpdate, {
        actor: actorOf(u),
        eventId: id(),
        text,
        links: [],
        attachmentIds: [],
        part,
      }),
    /** An executor's report under a roadmap's sign-off rule: it goes to the agency head first. */
    submitToHead: (u: User, text = 'Отчёт об исполнении') =>
      updateItem(t, itemId, submitUpdate, {
        actor: actorOf(u),
        eventId: id(),
        text,
        links: [],
        attachmentIds: [],
        part: false,
        viaSignoff: true,
      }),
    signOff: (u: User, outcome: 'approve' | 'return', reason?: string) =>
      updateItem(t, itemId, signOffUpdate, {
        actor: actorOf(u),
        eventId: id(),
        outcome,
        ...(reason ? { reason } : {}),
      }),
    accept: (u: User) =>
      updateItem(t, itemId, reviewUpdate, { actor: actorOf(u), eventId: id(), outcome: 'accept' }),
    returnForRework: (u: User, reason: string, newDue?: LocalDate) =>
      updateItem(t, itemId, reviewUpdate, {
        actor: actorOf(u),
        eventId: id(),
        outcome: 'return',
        reason,
        ...(newDue ? { newDue } : {}),
      }),
    requestExtension: (u: User, requestedDue: LocalDate, reason = 'Нужно согласование с Минфином') =>
      updateItem(t, itemId, requestExtensionUpdate, {
        actor: actorOf(u),
        eventId: id(),
        requestedDue,
        reason,
      }),
    decideExtension: (u: User, approve: boolean, note?: string, grantedDue?: LocalDate) =>
      updateItem(t, itemId, decideExtensionUpdate, {
        actor: actorOf(u),
        eventId: id(),
        approve,
        ...(note ? { note } : {}),
        ...(grantedDue ? { grantedDue } : {}),
      }),
    reopen: (u: User, reason = 'Результат не подтверждён проверкой', reworkDue?: LocalDate) =>
      updateItem(t, itemId, reopenUpdate, {
        actor: actorOf(u),
        eventId: id(),
        reason,
        ...(reworkDue ? { reworkDue } : {}),
      }),
    reassign: (u: User, agencyId: number, reason = 'Перераспределение полномочий', coAgencyIds?: number[]) =>
      updateItem(t, itemId, reassignUpdate, {
        actor: actorOf(u),
        eventId: id(),
        agencyId,
        reason,
        ...(coAgencyIds ? { coAgencyIds } : {}),
      }),
    cancel: (u: User, reason = 'Мероприятие исключено из дорожной карты') =>
      updateItem(t, itemId, cancelUpdate, { actor: actorOf(u), eventId: id(), reason }),
    withdrawSubmission: (u: User, reason?: string) =>
      updateItem(t, itemId, withdrawSubmissionUpdate, {
        actor: actorOf(u),
        eventId: id(),
        ...(reason ? { reason } : {}),
      }),
    withdrawExtension: (u: User, reason?: string) =>
      updateItem(t, itemId, withdrawExtensionUpdate, {
        actor: actorOf(u),
        eventId: id(),
        ...(reason ? { reason } : {}),
      }),
  };
}

/**
 * The item's audit trail as readable lines, "2027-04-23 09:00 chase.reminder r10" for chases and
 * "2027-05-06 12:00 submitted" for transitions, in order. Times are the region's wall clock.
 */
export async function auditLines(db: Db, itemId: number, filter: (type: string) => boolean = () => true) {
  const rows = await db
    .selectFrom('event')
    .select(['type', 'at', 'data'])
    .where('control_item_id', '=', itemId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows
    .filter((r) => filter(r.type))
    .map((r) => {
      const key = r.type.startsWith('chase.') ? ` ${(r.data as { key: string }).key}` : '';
      return `${localStamp(r.at)} ${r.type}${key}`;
    });
}

export const isChase = (type: string) => type.startsWith('chase.');

export async function itemRow(db: Db, itemId: number) {
  return db.selectFrom('control_item').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
}

/** Outbox rows of an item as "kind → login" pairs, sorted, for exact comparisons. */
export async function outboxLines(db: Db, itemId: number) {
  const rows = await db
    .selectFrom('notification as n')
    .innerJoin('app_user as u', 'u.id', 'n.recipient_user_id')
    .select(['n.kind', 'u.login'])
    .where('n.control_item_id', '=', itemId)
    .execute();
  return rows.map((r) => `${r.kind} → ${r.login}`).sort();
}
