import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { runItemCommand, type ItemCommand } from '../../app/control-items/index.ts';
import { markItemNotificationsRead } from '../../app/notifications/index.ts';
import { nextReportInQueue, unreadCount } from '../../db/read-models/index.ts';
import type { ItemAction } from '../../domain/control-item/index.ts';
import { ShtabError, validation } from '../../domain/errors.ts';
import { isHtmx } from '../auth/index.ts';
import { actorOf, currentUser, idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import {
  checked,
  choice,
  date,
  eventId,
  fieldValue,
  formSchema,
  ids,
  parseForm,
  readForm,
  text,
  type PostedForm,
} from '../forms.ts';
import { checkUploads, MAX_FILES, parseLinks } from '../uploads.ts';
import { ItemPage, ItemPanel, titleOf } from '../views/item/panel.tsx';
import type { FormProblem } from '../views/item/types.ts';
import { itemView, loadItem } from './item-view.tsx';

/** Paths whose forms carry files: the app gives them a larger body limit (see app.tsx). */
export const UPLOAD_PATH = /^\/items\/\d+\/submit$/;

/** Where a form posted from a home or the queue comes back to after success (a fixed set, never a URL). */
const BACKS = new Set(['/', '/review']);

/** The panel (htmx) or the whole page (plain post that failed), with the problem shown where it belongs. */
async function respond(
  c: Context<AppEnv>,
  id: number,
  problem?: FormProblem,
  status: 200 | 403 | 409 | 422 = 200,
  fromQueue = false,
) {
  const v = await itemView(c, await loadItem(c, id), { fromQueue });
  const csrf = c.var.csrfToken ?? '';
  const p = problem ? { problem } : {};
  // A refused form keeps the window where it is: its error summary takes the focus (and scrolls into view).
  if (problem && isHtmx(c)) c.header('HX-Reswap', 'outerHTML');
  if (isHtmx(c)) return c.html(<ItemPanel v={v} csrf={csrf} {...p} />, status);
  c.status(status);
  return c.render(<ItemPage v={v} csrf={csrf} {...p} />, { title: titleOf(v), section: 'items' });
}

const STATUS = { validation: 422, forbidden: 403, conflict: 409 } as const;

/**
 * Parse → call → render for one lifecycle action. The form's fields are parsed by `parse` only after the
 * use case found the actor allowed to take the action (runItemCommand, DeferredCommand). Success: htmx
 * gets the fresh panel, a plain post is redirected back (PRG). A refusal comes back as the panel with the
 * message next to the field (422) or on top (403/409) and the typed values kept, never a blank page.
 */
async function act(
  c: Context<AppEnv>,
  type: ItemCommand['type'],
  parse: (form: PostedForm) => ItemCommand | Promise<ItemCommand>,
) {
  const id = idParam(c);
  const form = await readForm(c);
  const key = parseForm(form.values, z.object({ eventId: eventId() })).eventId;
  const part = type === 'submit' ? fieldValue(form.values, 'part') === '1' : undefined;
  const queue = fieldValue(form.values, 'queue') === '1';
  const back = fieldValue(form.values, 'back');
  let command: ItemCommand | undefined;
  let toHead = false;
  try {
    const r = await runItemCommand(c.var.deps, {
      actor: actorOf(currentUser(c)),
      itemId: id,
      idempotencyKey: key,
      command: {
        type,
        ...(part !== undefined ? { part } : {}),
        parse: async () => (command = await parse(form)),
      },
    });
    toHead = type === 'submit' && !!r.state.signoffPending;
  } catch (e) {
    if (!(e instanceof ShtabError) || !(e.code in STATUS)) throw e;
    const message = c.var.t(e.detail.key, e.detail.params);
    const action: ItemAction = part ? 'submitPart' : type;
    const problem = { action, field: e.detail.field, message, values: form.values };
    return respond(c, id, problem, STATUS[e.code as keyof typeof STATUS], queue);
  }
  // A report under the roadmap's sign-off rule went to the head, not to the working group.
  flash(c, `flash.item.${toHead ? 'submitToHead' : command ? flashOf(command) : type}`);
  if (type === 'review' && queue) return nextInQueue(c, id);
  if (BACKS.has(back)) return c.redirect(back, 303);
  return isHtmx(c) ? respond(c, id) : c.redirect(`/items/${id}`, 303);
}

/** The message after an action: what was done, in the words of the form's button. */
function flashOf(cmd: ItemCommand): string {
  switch (cmd.type) {
    case 'submit':
      return cmd.part ? 'submitPart' : 'submit';
    case 'review':
      return cmd.outcome;
    case 'decideExtension':
      return cmd.approve ? 'approveExtension' : 'rejectExtension';
    case 'signOff':
      return cmd.outcome === 'approve' ? 'signOff' : 'signOffReturn';
    default:
      return cmd.type;
  }
}

/**
 * After a decision in queue mode the next report in the queue opens (the working group's queue, or a
 * leadership member's own instructions), the decision's message on top; the queue's page when none is
 * left. Queue-mode review forms post without htmx, so the redirect carries the message (web/flash.ts).
 */
async function nextInQueue(c: Context<AppEnv>, decided: number) {
  const user = currentUser(c);
  const next = await nextReportInQueue(c.var.deps.db, {
    after: decided,
    ...(user.role === 'leadership' ? { authorUserId: user.id } : {}),
  });
  const to = next ? `/items/${next.id}?queue=1` : user.role === 'leadership' ? '/' : '/review';
  return c.redirect(to, 303);
}

// The fields of each action's form. A problem's message is its i18n key (web/forms.ts).
// Dates come as day / month / year boxes (or one ISO value from API-like clients), checked here; whether
// a date is allowed (a working day, after the control date) is the workflow's to say.
const forms = {
  submit: formSchema({ text: text(), links: text(), reattach: ids('error.field.invalid') }),
  review: formSchema({
    outcome: choice(['accept', 'return'], 'error.review.outcome'),
    reason: text(),
    newDue: date(),
    comment: text().transform((v) => v.trim()),
    confirm: checked(),
  }),
  withdraw: formSchema({ reason: text().transform((v) => v.trim()) }),
  extension: formSchema({ requestedDue: date(), reason: text() }),
  decision: formSchema({
    decision: choice(['approve', 'reject'], 'error.decision.choose'),
    note: text(),
    grantedDue: date(),
  }),
  reopen: formSchema({ reason: text(), reworkDue: date() }),
  // Unknown agencies are the use case's to refuse (after the permission check): here only numbers.
  reassign: formSchema({
    agencyId: text().transform((v) => (/^\d{1,9}$/.test(v) ? Number(v) : 0)),
    coAgencyIds: ids('error.reassign.agency'),
    reason: text(),
  }),
  cancel: formSchema({
    confirm: checked().refine((v) => v, { error: 'error.cancel.confirm' }),
    reason: text(),
  }),
  signOff: z.object({
    outcome: choice(['approve', 'return'], 'error.signoff.outcome'),
    reason: text(),
  }),
};

export function itemRoutes() {
  const app = new Hono<AppEnv>();

  // The list at GET /items lives in roadmap-list.tsx (mounted on the same prefix).

  app.get('/:id', async (c) => {
    const item = await loadItem(c, idParam(c));
    // Opening the item reads its notices; the header's count is taken again after that.
    const user = currentUser(c);
    if (await markItemNotificationsRead(c.var.deps.db, { userId: user.id, itemId: item.id }))
      c.set('unread', await unreadCount(c.var.deps.db, user.id));
    const v = await itemView(c, item);
    return c.render(<ItemPage v={v} csrf={c.var.csrfToken ?? ''} />, { title: titleOf(v), section: 'items' });
  });

  app.post('/:id/start', (c) => act(c, 'start', () => ({ type: 'start' })));

  // Report (or a co-executor's part): text, http(s) links and files, checked here and stored by the use
  // case, which the workflow's persist activity links to the submission.
  app.post('/:id/submit', (c) =>
    act(c, 'submit', async (form) => {
      const v = parseForm(form.values, forms.submit);
      const links = parseLinks(v.links);
      const uploads = form.files('files');
      // Files attached again count against the limit like new ones.
      if (uploads.length + v.reattach.length > MAX_FILES)
        throw validation('files', 'error.upload.tooMany', `at most ${MAX_FILES} files`, { max: MAX_FILES });
      const files = await checkUploads(uploads, c.var.deps.config.uploadMaxBytes);
      return {
        type: 'submit',
        text: v.text,
        links,
        files,
        reattach: v.reattach,
        part: fieldValue(form.values, 'part') === '1',
      };
    }),
  );

  app.post('/:id/review', (c) =>
    act(c, 'review', (form) => {
      const v = parseForm(form.values, forms.review);
      // Taking an item off control is confirmed on the form (the API's callers decide for themselves).
      if (v.outcome === 'accept' && !v.confirm)
        throw validation('confirm', 'error.accept.confirm', 'confirm that the report is checked');
      return {
        type: 'review',
        outcome: v.outcome,
        ...(v.outcome === 'return' && v.reason ? { reason: v.reason } : {}),
        ...(v.outcome === 'return' && v.newDue ? { newDue: v.newDue } : {}),
        ...(v.outcome === 'accept' && v.comment ? { comment: v.comment } : {}),
      };
    }),
  );

  // The agency takes back its report under review, or its extension request, before a decision.
  app.post('/:id/withdraw', (c) =>
    act(c, 'withdrawSubmission', (form) => {
      const { reason } = parseForm(form.values, forms.withdraw);
      return { type: 'withdrawSubmission', ...(reason ? { reason } : {}) };
    }),
  );
  app.post('/:id/extension/withdraw', (c) =>
    act(c, 'withdrawExtension', (form) => {
      const { reason } = parseForm(form.values, forms.withdraw);
      return { type: 'withdrawExtension', ...(reason ? { reason } : {}) };
    }),
  );

  app.post('/:id/extension', (c) =>
    act(c, 'requestExtension', (form) => ({
      type: 'requestExtension',
      ...parseForm(form.values, forms.extension),
    })),
  );

  app.post('/:id/extension/decision', (c) =>
    act(c, 'decideExtension', (form) => {
      const v = parseForm(form.values, forms.decision);
      const note = v.note.trim();
      const grantedDue = v.grantedDue;
      const approve = v.decision === 'approve';
      return {
        type: 'decideExtension',
        approve,
        ...(note ? { note } : {}),
        ...(approve && grantedDue ? { grantedDue } : {}),
      };
    }),
  );

  // «Вернуть на контроль»: an accepted item back to its executor (the use case sends it as
  // Update-with-Start: after the reopen window the item's workflow has completed).
  app.post('/:id/reopen', (c) =>
    act(c, 'reopen', (form) => {
      const v = parseForm(form.values, forms.reopen);
      return { type: 'reopen', reason: v.reason, ...(v.reworkDue ? { reworkDue: v.reworkDue } : {}) };
    }),
  );

  app.post('/:id/reassign', (c) =>
    act(c, 'reassign', (form) => {
      const v = parseForm(form.values, forms.reassign);
      return {
        type: 'reassign',
        agencyId: v.agencyId,
        coAgencyIds: v.coAgencyIds.filter((a) => a !== v.agencyId),
        reason: v.reason,
      };
    }),
  );

  // The agency head's sign-off of an executor's report (a roadmap's rule): it goes to the working group,
  // or back to the executor with the head's comment.
  app.post('/:id/signoff', (c) =>
    act(c, 'signOff', (form) => {
      const v = parseForm(form.values, forms.signOff);
      return {
        type: 'signOff',
        outcome: v.outcome,
        ...(v.outcome === 'return' && v.reason.trim() ? { reason: v.reason.trim() } : {}),
      };
    }),
  );

  app.post('/:id/cancel', (c) =>
    act(c, 'cancel', (form) => ({ type: 'cancel', reason: parseForm(form.values, forms.cancel).reason })),
  );

  return app;
}
