import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteUnlinkedAttachments, storeAttachments } from '../../db/attachments.ts';
import { chasePolicyOf, itemStateFromRow } from '../../db/control-items.ts';
import {
  allAgencies,
  extensionHistory,
  getItem,
  latenessOf,
  itemSubmissions,
  itemTimeline,
  partsSubmittedBy,
  pendingExtensionRequest,
} from '../../db/read-models/index.ts';
import { availableActions, type ItemAction } from '../../domain/control-item/index.ts';
import { ShtabError, validation } from '../../domain/errors.ts';
import {
  cancelUpdate,
  decideExtensionUpdate,
  reassignUpdate,
  requestExtensionUpdate,
  reviewUpdate,
  startWorkUpdate,
  submitUpdate,
} from '../../workflows/definitions.ts';
import { reopenItem, updateItem } from '../../workflows/client.ts';
import { isHtmx } from '../auth/index.ts';
import { actorOf, currentUser, idParam, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { checkUploads, parseLinks } from '../uploads.ts';
import { ItemPage, ItemPanel, titleOf } from '../views/item/panel.tsx';
import type { FormProblem, Item, ItemView } from '../views/item/types.ts';

/** Paths whose forms carry files: the app gives them a larger body limit (see app.tsx). */
export const UPLOAD_PATH = /^\/items\/\d+\/submit$/;

async function loadItem(c: Context<AppEnv>, id: number): Promise<Item> {
  const item = await getItem(c.var.deps.db, id, readContext(c).today);
  if (!item) throw new ShtabError('not_found', `item ${id} not found`, { key: 'item.notFound' });
  return item;
}

/** The item as its workflow sees it, rebuilt from the read model: what availableActions needs. */
async function stateOf(c: Context<AppEnv>, item: Item) {
  const { db } = c.var.deps;
  const [pending, partsFrom] = await Promise.all([
    pendingExtensionRequest(db, item.id),
    partsSubmittedBy(db, item),
  ]);
  const state = itemStateFromRow(item, {
    pendingExtension: pending ? { requestedDue: pending.requested_due, eventId: pending.event_key } : null,
    partsFrom,
  });
  return { state, pending, partsFrom };
}

async function actionsFor(c: Context<AppEnv>, item: Item) {
  const { state } = await stateOf(c, item);
  return availableActions(state, actorOf(currentUser(c)));
}

async function itemView(c: Context<AppEnv>, item: Item): Promise<ItemView> {
  const { db, config } = c.var.deps;
  const [{ state, pending, partsFrom }, agencies, submissions, timeline, extensions] = await Promise.all([
    stateOf(c, item),
    allAgencies(db),
    itemSubmissions(db, item.id),
    itemTimeline(db, item.id),
    extensionHistory(db, item),
  ]);
  return {
    item,
    lateness: latenessOf(item, readContext(c)),
    extensions,
    reworkWorkingDays: c.var.deps.policy.reworkWorkingDays,
    actions: availableActions(state, actorOf(currentUser(c))),
    agencies,
    pending,
    submissions,
    timeline,
    partsFrom,
    uploadMaxBytes: config.uploadMaxBytes,
    timeZone: config.timeZone,
    locale: c.var.locale,
    t: c.var.t,
  };
}

/** The panel (htmx) or the whole page (plain post that failed), with the problem shown where it belongs. */
async function respond(
  c: Context<AppEnv>,
  id: number,
  problem?: FormProblem,
  status: 200 | 403 | 409 | 422 = 200,
) {
  const v = await itemView(c, await loadItem(c, id));
  const csrf = c.var.csrfToken ?? '';
  const p = problem ? { problem } : {};
  if (isHtmx(c)) return c.html(<ItemPanel v={v} csrf={csrf} {...p} />, status);
  c.status(status);
  return c.render(<ItemPage v={v} csrf={csrf} {...p} />, { title: titleOf(v), section: 'items' });
}

/**
 * Runs a lifecycle action through the item's workflow. Success: htmx gets the fresh panel, a plain form
 * post is redirected back (PRG). A rule violation comes back as the panel with the message next to the
 * field (422) or on top (403/409) and the typed values kept, never a blank page.
 */
async function runAction(
  c: Context<AppEnv>,
  id: number,
  action: ItemAction,
  eventId: string,
  values: Record<string, string | string[]>,
  call: () => Promise<unknown>,
) {
  const { db } = c.var.deps;
  // This user's action with this event id is already recorded (a double click or a retried post).
  const recorded = async () =>
    (await db
      .selectFrom('event')
      .select('id')
      .where('event_key', '=', eventId)
      .where('actor_user_id', '=', currentUser(c).id)
      .executeTakeFirst()) !== undefined;
  if (!(await recorded())) {
    const item = await loadItem(c, id);
    try {
      const allowed = await actionsFor(c, item);
      if (!allowed.includes(action)) {
        throw new ShtabError('forbidden', `action ${action} not allowed`, { key: 'error.forbidden' });
      }
      await call();
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code === 'unavailable' || e.code === 'not_found') throw e;
      // The twin request may have completed the same action meanwhile: that is success, not a refusal.
      if (await recorded()) return isHtmx(c) ? respond(c, id) : c.redirect(`/items/${id}`, 303);
      const status = e.code === 'validation' ? 422 : e.code === 'forbidden' ? 403 : 409;
      const message = c.var.t(e.detail.key, e.detail.params);
      return respond(c, id, { action, field: e.detail.field, message, values }, status);
    }
  }
  if (!isHtmx(c)) return c.redirect(`/items/${id}`, 303);
  return respond(c, id);
}

type Body = Record<string, string | File | (string | File)[]>;
/** The first text value of a field (forms are parsed with all: true, so repeated fields are arrays). */
const one = (v: unknown): string => {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
};
const many = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
const eventIdOf = (v: unknown) => {
  const s = one(v);
  return /^[\w-]{8,64}$/.test(s) ? s : randomUUID();
};
const form = async (c: Context<AppEnv>) => (await c.req.parseBody({ all: true })) as Body;
const keep = (body: Body, ...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, n === 'coAgencyIds' ? many(body[n]) : one(body[n])]));

export function itemRoutes() {
  const app = new Hono<AppEnv>();

  // The list at GET /items lives in roadmap-list.tsx (mounted on the same prefix).

  app.get('/:id', async (c) => {
    const v = await itemView(c, await loadItem(c, idParam(c)));
    return c.render(<ItemPage v={v} csrf={c.var.csrfToken ?? ''} />, { title: titleOf(v), section: 'items' });
  });

  app.post('/:id/start', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    return runAction(c, id, 'start', eventId, {}, () =>
      updateItem(c.var.deps.temporal, id, startWorkUpdate, { actor: actorOf(currentUser(c)), eventId }),
    );
  });

  // Report (or a co-executor's part): text, http(s) links and files. Files are stored first, unlinked;
  // the workflow's persist activity links them to the submission. Whatever the Update did not take is
  // deleted at once (a periodic purge catches a process that died in between).
  app.post('/:id/submit', async (c) => {
    const id = idParam(c);
    const { db, temporal, config } = c.var.deps;
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    const part = one(body.part) === '1';
    const user = currentUser(c);
    return runAction(
      c,
      id,
      part ? 'submitPart' : 'submit',
      eventId,
      keep(body, 'text', 'links'),
      async () => {
        const links = parseLinks(one(body.links));
        const files = await checkUploads(body.files, config.uploadMaxBytes);
        const attachmentIds = await storeAttachments(db, user.id, files);
        try {
          await updateItem(temporal, id, submitUpdate, {
            actor: actorOf(user),
            eventId,
            text: one(body.text),
            links,
            attachmentIds,
            part,
          });
        } catch (e) {
          if (e instanceof ShtabError && e.code !== 'unavailable')
            await deleteUnlinkedAttachments(db, attachmentIds);
          throw e;
        }
        // A duplicate post joins the first Update, which linked the first post's files, not these.
        await deleteUnlinkedAttachments(db, attachmentIds);
      },
    );
  });

  app.post('/:id/review', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    const outcome = one(body.outcome);
    return runAction(c, id, 'review', eventId, keep(body, 'reason', 'newDue'), () => {
      if (outcome !== 'accept' && outcome !== 'return') {
        throw validation('outcome', 'err.review.outcome', 'outcome must be accept or return');
      }
      return updateItem(c.var.deps.temporal, id, reviewUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        outcome,
        ...(outcome === 'return' && one(body.reason) ? { reason: one(body.reason) } : {}),
        ...(outcome === 'return' && one(body.newDue) ? { newDue: one(body.newDue) } : {}),
      });
    });
  });

  app.post('/:id/extension', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    return runAction(c, id, 'requestExtension', eventId, keep(body, 'requestedDue', 'reason'), () =>
      updateItem(c.var.deps.temporal, id, requestExtensionUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        requestedDue: one(body.requestedDue),
        reason: one(body.reason),
      }),
    );
  });

  app.post('/:id/extension/decision', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    const decision = one(body.decision);
    return runAction(c, id, 'decideExtension', eventId, keep(body, 'note', 'grantedDue'), () => {
      if (decision !== 'approve' && decision !== 'reject') {
        throw validation('decision', 'err.decision.choose', 'approve or reject');
      }
      const note = one(body.note).trim();
      const grantedDue = one(body.grantedDue).trim();
      return updateItem(c.var.deps.temporal, id, decideExtensionUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        approve: decision === 'approve',
        ...(note ? { note } : {}),
        ...(decision === 'approve' && grantedDue ? { grantedDue } : {}),
      });
    });
  });

  // «Вернуть на контроль»: an accepted item back to its executor. Within the reopen window its workflow
  // takes the Update; after it the same workflow id starts again from the row (Update-with-Start).
  app.post('/:id/reopen', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    return runAction(c, id, 'reopen', eventId, keep(body, 'reason', 'reworkDue'), async () => {
      const { db, temporal, policy } = c.var.deps;
      const item = await loadItem(c, id);
      const [{ state }, itemPolicy] = await Promise.all([
        stateOf(c, item),
        chasePolicyOf(db, item.roadmap_id, policy.utcOffsetMinutes),
      ]);
      const reworkDue = one(body.reworkDue).trim();
      return reopenItem(temporal, state, itemPolicy, {
        actor: actorOf(currentUser(c)),
        eventId,
        reason: one(body.reason),
        ...(reworkDue ? { reworkDue } : {}),
      });
    });
  });

  app.post('/:id/reassign', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    return runAction(
      c,
      id,
      'reassign',
      eventId,
      keep(body, 'agencyId', 'coAgencyIds', 'reason'),
      async () => {
        const known = new Set((await allAgencies(c.var.deps.db)).map((a) => a.id));
        const agencyId = Number(one(body.agencyId));
        if (!known.has(agencyId)) {
          throw validation('agencyId', 'err.reassign.agency', 'choose the new responsible agency');
        }
        const coAgencyIds = [...new Set(many(body.coAgencyIds).map(Number))];
        if (coAgencyIds.some((a) => !known.has(a))) {
          throw validation('coAgencyIds', 'err.reassign.agency', 'unknown co-executor agency');
        }
        return updateItem(c.var.deps.temporal, id, reassignUpdate, {
          actor: actorOf(currentUser(c)),
          eventId,
          agencyId,
          coAgencyIds: coAgencyIds.filter((a) => a !== agencyId),
          reason: one(body.reason),
        });
      },
    );
  });

  app.post('/:id/cancel', async (c) => {
    const id = idParam(c);
    const body = await form(c);
    const eventId = eventIdOf(body.eventId);
    return runAction(c, id, 'cancel', eventId, keep(body, 'reason'), () => {
      if (one(body.confirm) !== '1') {
        throw validation('confirm', 'err.cancel.confirm', 'confirm the cancellation');
      }
      return updateItem(c.var.deps.temporal, id, cancelUpdate, {
        actor: actorOf(currentUser(c)),
        eventId,
        reason: one(body.reason),
      });
    });
  });

  return app;
}
