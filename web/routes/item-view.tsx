import type { Context } from 'hono';
import { mayComment } from '../../app/comments/index.ts';
import { mayGiveInstructions } from '../../app/instructions/index.ts';
import { itemStatesOf } from '../../db/item-states.ts';
import {
  agencyExecutors,
  allAgencies,
  directions,
  extensionHistory,
  getItem,
  instructionOrigin,
  itemAssignments,
  itemComments,
  itemSubmissions,
  itemTimeline,
  latenessOf,
  pendingExtensionRequest,
  queuePosition,
} from '../../db/read-models/index.ts';
import { availableActions, WAITING_ON_EXECUTOR } from '../../domain/control-item/index.ts';
import { notFound } from '../../domain/errors.ts';
import { isProjectOffice } from '../../domain/roles.ts';
import { actorOf, currentUser, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import type { Item, ItemPeopleView, ItemView, PeopleProblem } from '../views/item/types.ts';

// Everything the item page shows, loaded once per request: the item page's actions (items.tsx) and the
// people's forms around it (item-people.tsx) render it.

export async function loadItem(c: Context<AppEnv>, id: number): Promise<Item> {
  const item = await getItem(c.var.deps.db, id, readContext(c).today);
  if (!item) throw notFound('error.item.notFound', `item ${id} not found`);
  return item;
}

export async function itemView(
  c: Context<AppEnv>,
  item: Item,
  opts: { peopleProblem?: PeopleProblem | undefined; fromQueue?: boolean } = {},
): Promise<ItemView> {
  const { db, config } = c.var.deps;
  const fromQueue = opts.fromQueue ?? c.req.query('queue') === '1';
  const user = currentUser(c);
  const [states, pending, agencies, dirs, submissions, timeline, extensions, people, position] =
    await Promise.all([
      itemStatesOf(db, [item]),
      pendingExtensionRequest(db, item.id),
      allAgencies(db),
      directions(db),
      itemSubmissions(db, item.id),
      itemTimeline(db, item.id),
      extensionHistory(db, item),
      itemPeopleView(c, item, opts.peopleProblem),
      // The leadership's queue is the reports on their own instructions; the working group's, all of them.
      fromQueue
        ? queuePosition(db, {
            itemId: item.id,
            ...(user.role === 'leadership' ? { authorUserId: user.id } : {}),
          })
        : Promise.resolve(null),
    ]);
  const state = states.get(item.id)!;
  return {
    people,
    // Opened from the review queue (?queue=1, or a review form posted from such a page).
    fromQueue,
    queuePosition: position,
    item,
    lateness: latenessOf(item, readContext(c)),
    extensions,
    reworkWorkingDays: c.var.deps.policy.reworkWorkingDays,
    actions: availableActions(state, actorOf(user)),
    agencies,
    directions: dirs,
    pending,
    submissions,
    timeline,
    partsFrom: state.partsFrom,
    uploadMaxBytes: config.uploadMaxBytes,
    timeZone: config.timeZone,
    locale: c.var.locale,
    t: c.var.t,
  };
}

/** What the item page shows of the people around the item, and which of their forms this viewer gets. */
export async function itemPeopleView(
  c: Context<AppEnv>,
  item: Item,
  problem?: PeopleProblem,
): Promise<ItemPeopleView> {
  const { db } = c.var.deps;
  const user = currentUser(c);
  const actor = actorOf(user);
  const head = user.role === 'agency_head' && user.agencyId === item.agency_id;
  const canAssign = head && WAITING_ON_EXECUTOR.includes(item.status) && !item.signoff_pending;
  const [comments, assignments, origin, executors] = await Promise.all([
    itemComments(db, item.id),
    itemAssignments(db, item.id),
    item.kind === 'instruction' ? instructionOrigin(db, item) : Promise.resolve(null),
    canAssign ? agencyExecutors(db, item.agency_id) : Promise.resolve([]),
  ]);
  return {
    comments,
    assignments,
    origin,
    executors,
    canAssign,
    canComment: mayComment(actor, item),
    canGive: mayGiveInstructions(actor),
    canSetDirection: isProjectOffice(actor.role),
    today: readContext(c).today,
    utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes,
    ...(problem ? { problem } : {}),
  };
}
