import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/index.ts';
import { precedingWorkingDay } from '../../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../../domain/local-date.ts';
import type { Actor } from '../../../domain/roles.ts';
import { startControlItem, updateItem } from '../../../app/control-items/index.ts';
import { type TemporalHandle } from '../../../app/temporal.ts';
import { requestExtensionUpdate, submitUpdate } from '../../../workflows/definitions.ts';
import { insertItem } from '../../support/fixtures.ts';
import type { ItemsFixture, Persona, RouteCase } from './types.ts';

export type { ItemsFixture };

/** Items, files and a notification the item-page routes are checked against. */
export async function createItemsFixture(o: {
  db: Db;
  temporal: TemporalHandle;
  ownAgencyId: number;
  otherAgencyId: number;
  actorOf: (p: Persona) => Actor;
}): Promise<ItemsFixture> {
  const { db, temporal } = o;
  const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
  const due = precedingWorkingDay(addDays(today, 60));
  const start = async (agencyId: number, kind: 'measure' | 'instruction' = 'measure') => {
    const { row, state } = await insertItem(db, { agencyId, due, kind });
    await startControlItem(temporal, state, DEFAULT_CHASE_POLICY);
    return row.id;
  };
  const otherItemId = await start(o.otherAgencyId);
  const pendingItemId = await start(o.ownAgencyId);
  await updateItem(temporal, pendingItemId, requestExtensionUpdate, {
    actor: o.actorOf('agency_executor'),
    eventId: randomUUID(),
    requestedDue: precedingWorkingDay(addDays(due, 30)),
    reason: 'Нужна экспертиза',
  });
  const instructionItemId = await start(o.ownAgencyId, 'instruction');

  // A submitted report with a file on the other agency's item (files are readable by all signed in).
  const exec = o.actorOf('other_agency_executor');
  const file = (name: string) => ({
    uploaded_by: exec.userId,
    filename: name,
    mime: 'application/pdf',
    size_bytes: 9,
    sha256: 'x'.repeat(64),
    content: new TextEncoder().encode('%PDF-1.4\n'),
  });
  const [linked, orphan] = await db
    .insertInto('attachment')
    .values([file('report.pdf'), file('orphan.pdf')])
    .returning('id')
    .execute();
  const submittedItem = await start(o.otherAgencyId);
  await updateItem(temporal, submittedItem, submitUpdate, {
    actor: exec,
    eventId: randomUUID(),
    text: 'Отчёт',
    links: [],
    attachmentIds: [linked!.id],
    part: false,
  });

  const note = await db
    .insertInto('notification')
    .values({
      idempotency_key: `matrix:${randomUUID()}`,
      recipient_user_id: o.actorOf('agency_executor').userId,
      kind: 'reminder',
      subject: 'Напоминание',
      body_text: 'Срок через 5 рабочих дней',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  return {
    otherItemId,
    pendingItemId,
    instructionItemId,
    attachmentId: linked!.id,
    orphanAttachmentId: orphan!.id,
    notificationId: note.id,
  };
}

const agencyUsers = { agency_head: 200, agency_executor: 200, other_agency_executor: 200 };
const projectOffice = { admin: 200, working_group: 200 };

/**
 * The item page's routes. Posts carry invalid input, so a persona that may act gets 422 and nothing
 * changes; a persona that may take the action but not in the item's state gets 409; everyone else is
 * refused (403) before the input or the state is looked at.
 */
export const ITEM_ROUTES: RouteCase[] = [
  {
    method: 'GET',
    pattern: '/items/:id',
    path: (f) => `/items/${f.items.otherItemId}`,
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'POST',
    pattern: '/items/:id/submit',
    path: (f) => `/items/${f.items.otherItemId}/submit`,
    form: { text: '', part: '0' },
    // Another agency's item: only its own executor may report.
    expect: { anonymous: 401, other_agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension',
    path: (f) => `/items/${f.itemId}/extension`,
    form: { requestedDue: '', reason: '' },
    expect: { anonymous: 401, agency_head: 422, agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension',
    path: (f) => `/items/${f.items.otherItemId}/extension`,
    form: { requestedDue: '', reason: '' },
    expect: { anonymous: 401, other_agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension',
    path: (f) => `/items/${f.items.pendingItemId}/extension`,
    form: { requestedDue: '', reason: '' },
    // One request at a time: while one waits, its agency may not file another (409); others never may.
    expect: { anonymous: 401, agency_head: 409, agency_executor: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension/decision',
    path: (f) => `/items/${f.items.pendingItemId}/extension/decision`,
    form: { decision: 'reject', note: 'x'.repeat(2001) },
    // The leadership decides extension requests too (those above the working group's threshold).
    expect: { anonymous: 401, admin: 422, working_group: 422, leadership: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension/decision',
    path: (f) => `/items/${f.itemId}/extension/decision`,
    form: { decision: 'reject', note: '' },
    // Nothing to decide on this item: "not now" for the deciders, "never" for the rest.
    expect: { anonymous: 401, admin: 409, working_group: 409, leadership: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/reassign',
    path: (f) => `/items/${f.itemId}/reassign`,
    form: { agencyId: '', reason: '' },
    expect: { anonymous: 401, admin: 422, working_group: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/cancel',
    path: (f) => `/items/${f.itemId}/cancel`,
    form: { reason: 'не нужно' },
    // No confirmation: refused next to the checkbox.
    expect: { anonymous: 401, admin: 422, working_group: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/cancel',
    path: (f) => `/items/${f.items.instructionItemId}/cancel`,
    form: { reason: '' },
    // Leadership may withdraw its own instructions.
    expect: { anonymous: 401, admin: 422, working_group: 422, leadership: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/reopen',
    path: (f) => `/items/${f.itemId}/reopen`,
    form: { reason: 'Результат не подтверждён' },
    // «Вернуть на контроль» is the working group's, and only for an accepted item: this one is open.
    expect: { anonymous: 401, admin: 409, working_group: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/views',
    path: () => '/items/views',
    form: { name: 'Просроченные', query: 'status=overdue' },
    // Everyone signed in keeps their own views.
    expect: { anonymous: 401 },
    otherwise: 303,
  },
  {
    method: 'POST',
    pattern: '/items/views/:id/delete',
    path: () => '/items/views/999999/delete',
    // Someone else's view does not exist for you.
    expect: { anonymous: 401 },
    otherwise: 404,
  },
  {
    method: 'POST',
    pattern: '/items/:id/withdraw',
    path: (f) => `/items/${f.itemId}/withdraw`,
    form: {},
    // The responsible agency may take back its report, once there is one under review: not now (409).
    expect: { anonymous: 401, agency_head: 409, agency_executor: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/extension/withdraw',
    path: (f) => `/items/${f.itemId}/extension/withdraw`,
    form: {},
    // No request is pending on this item: not now for its agency, never for anyone else.
    expect: { anonymous: 401, agency_head: 409, agency_executor: 409 },
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/attachments/:id',
    path: (f) => `/attachments/${f.items.attachmentId}`,
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/attachments/:id',
    path: (f) => `/attachments/${f.items.orphanAttachmentId}`,
    expect: { anonymous: 303 },
    otherwise: 404,
  },
  {
    method: 'GET',
    pattern: '/my',
    path: () => '/my',
    // The working group has its own queue; leadership and observers act on nothing.
    expect: { anonymous: 303, admin: 303, working_group: 303, ...agencyUsers },
    otherwise: 403,
  },
  {
    method: 'GET',
    pattern: '/review',
    path: () => '/review',
    expect: {
      anonymous: 303,
      agency_head: 303,
      agency_executor: 303,
      other_agency_executor: 303,
      ...projectOffice,
    },
    otherwise: 403,
  },
  { method: 'GET', pattern: '/inbox', path: () => '/inbox', expect: { anonymous: 303 }, otherwise: 200 },
  {
    method: 'POST',
    pattern: '/inbox/:id/read',
    path: (f) => `/inbox/${f.items.notificationId}/read`,
    // Someone else's notification does not exist for you.
    expect: { anonymous: 401, agency_executor: 200 },
    otherwise: 404,
  },
  {
    method: 'POST',
    pattern: '/inbox/items/:id/read',
    path: (f) => `/inbox/items/${f.itemId}/read`,
    // Marks the caller's own notices of the item (none is fine): nobody reads another's.
    expect: { anonymous: 401 },
    otherwise: 200,
  },
  {
    method: 'POST',
    pattern: '/inbox/read-all',
    path: () => '/inbox/read-all',
    expect: { anonymous: 401 },
    otherwise: 200,
  },
];
