import {
  copyAttachments,
  deleteUnlinkedAttachments,
  storeAttachments,
  type NewAttachment,
} from '../../db/attachments.ts';
import { eventByKey } from '../../db/events.ts';
import type { Db } from '../../db/index.ts';
import { loadItemState } from '../../db/item-states.ts';
import {
  authorizedActions,
  availableActions,
  type Command,
  type ChasePolicy,
  type ItemAction,
  type ItemState,
  type ReopenArgs,
  type TransitionType,
} from '../../domain/control-item/index.ts';
import { conflict, forbidden, notFound, ShtabError, validation } from '../../domain/errors.ts';
import { isAgencyRole, type Actor } from '../../domain/roles.ts';
import { settleItemAssignments } from '../assignments/assign.ts';
import type { TemporalHandle } from '../temporal.ts';
import { policiesOf } from './put-under-control.ts';
import { reopenItem, updateItem, UPDATE_OF } from './workflow.ts';

type CommandType = Command['type'];
type ArgsOf<T extends CommandType> = Omit<Extract<Command, { type: T }>['args'], 'actor' | 'eventId'>;
/** Commands an edge may send (restoreControlDate is reconciliation's, not an action). */
type Plain = Exclude<CommandType, 'submit' | 'restoreControlDate'>;

/**
 * A lifecycle command as an edge hands it over: the Update's arguments without the actor and the event
 * id (the use case adds them). A report carries its files, not stored attachment ids; `part` left out
 * means "a co-executor's part when the actor's agency is a co-executor, else the report".
 */
export type ItemCommand =
  | { [T in Plain]: { type: T } & ArgsOf<T> }[Plain]
  | ({ type: 'submit' } & Omit<ArgsOf<'submit'>, 'attachmentIds' | 'part'> & {
        part?: boolean;
        files?: NewAttachment[];
        /** Files of this item's earlier reports (returned or withdrawn) the agency attaches again. */
        reattach?: number[];
      });

/**
 * A command whose fields an edge parses only once the actor is known to be allowed to take it, so that a
 * refusal (403) comes before any complaint about the input (422). `type` and `part` say which action it
 * is; `parse` throws a validation error or returns the command.
 */
export interface DeferredCommand {
  type: CommandType;
  part?: boolean;
  parse(): ItemCommand | Promise<ItemCommand>;
}

export interface RunItemCommand {
  actor: Actor;
  itemId: number;
  command: ItemCommand | DeferredCommand;
  /**
   * The action's idempotency key (the form's event id, the API's Idempotency-Key): it becomes the Update
   * id and the audit event's key. It belongs to one item, action and actor.
   */
  idempotencyKey: string;
}

export interface ItemCommandResult {
  /** The item's lifecycle state after the command. */
  state: ItemState;
  /** The same key was already used for this very action: nothing was done again. */
  repeated: boolean;
}

/** The audit event types each action writes: how a repeated key is recognised as the same action. */
const EVENTS_OF: Record<ItemAction, readonly TransitionType[]> = {
  start: ['started'],
  submit: ['submitted', 'signoff_requested'],
  submitPart: ['part_submitted'],
  review: ['accepted', 'returned', 'period_closed'],
  requestExtension: ['extension_requested'],
  decideExtension: ['extension_approved', 'extension_rejected'],
  reassign: ['reassigned'],
  cancel: ['cancelled'],
  changeDeadline: ['deadline_changed'],
  reopen: ['reopened'],
  signOff: ['signed_off', 'signoff_returned'],
  withdrawSubmission: ['submission_withdrawn'],
  withdrawExtension: ['extension_withdrawn'],
};

/** A submit is a co-executor's part when it says so, or (unsaid) when the actor's agency co-executes. */
function isPart(cmd: { type: CommandType; part?: boolean }, s: ItemState, actor: Actor): boolean {
  if (cmd.type !== 'submit') return false;
  return cmd.part ?? (actor.agencyId !== s.agencyId && s.coAgencyIds.includes(actor.agencyId ?? -1));
}

const involved = (s: ItemState, actor: Actor) =>
  actor.agencyId === s.agencyId || s.coAgencyIds.includes(actor.agencyId ?? -1);

/**
 * The one pipeline of an item action, for the web pages and the API alike:
 * 1. the item's state from the database;
 * 2. permission first: an action this actor may never take on this item is forbidden (403), whatever
 *    its status — before anything else is looked at;
 * 3. the repeat check: a key already recorded for this item, action and actor returns the item as it is
 *    (a double click, a retried request); the same key on another item, action or actor is refused (409);
 * 4. the command's own fields (an edge may defer parsing them to this point: DeferredCommand);
 * 5. the Temporal Update, whose synchronous validator runs decide() and is the authority on everything
 *    else (status, fields). The read model may lag the workflow, so "not now" is left to it too.
 */
export async function runItemCommand(
  deps: {
    db: Db;
    temporal: TemporalHandle;
    /** The region's chase policy: a reopened item's workflow may have to start again with it. */
    policy?: ChasePolicy;
  },
  input: RunItemCommand,
): Promise<ItemCommandResult> {
  const { db, temporal } = deps;
  const { actor, itemId, idempotencyKey: key } = input;
  const loaded = await loadItemState(db, itemId);
  if (!loaded) throw notFound('error.item.notFound', `item ${itemId} not found`);
  const part = isPart(input.command, loaded.state, actor);
  const action = (part ? 'submitPart' : input.command.type) as ItemAction;

  if (
    !availableActions(loaded.state, actor).includes(action) &&
    !authorizedActions(loaded.state, actor).includes(action)
  ) {
    if (isAgencyRole(actor.role) && !involved(loaded.state, actor))
      throw forbidden('error.forbidden.otherAgency', `item ${itemId} belongs to another agency`);
    throw forbidden('error.forbidden', `${actor.role} may not ${action} item ${itemId}`);
  }

  const sameAction = async () => {
    const e = await eventByKey(db, key);
    if (!e) return false;
    const ours =
      e.control_item_id === itemId &&
      (e.actor_user_id ?? 0) === actor.userId &&
      (EVENTS_OF[action] as readonly string[]).includes(e.type);
    if (!ours) {
      throw conflict('error.command.keyReused', `key ${key} was used for another action`, {
        key: key.slice(0, 64),
      });
    }
    return true;
  };
  if (await sameAction()) return { state: loaded.state, repeated: true };

  const command = 'parse' in input.command ? await input.command.parse() : input.command;
  if (command.type !== input.command.type) throw new Error('a deferred command parsed into another type');
  if (command.type === 'reassign') await checkAgencies(db, command.agencyId, command.coAgencyIds ?? []);
  const attachmentIds =
    command.type === 'submit'
      ? [
          ...(command.files?.length ? await storeAttachments(db, actor.userId, command.files) : []),
          ...(command.reattach?.length
            ? await copyAttachments(
                db,
                { itemId, agencyId: actor.agencyId, userId: actor.userId },
                command.reattach,
              )
            : []),
        ]
      : [];
  const { type, ...fields } = command;
  // The roadmap's rule, as it stands when the report is made: an executor's report goes to the head first.
  const viaSignoff =
    command.type === 'submit' &&
    !part &&
    actor.role === 'agency_executor' &&
    (await signoffRequired(db, loaded.row.roadmap_id));
  const args =
    command.type === 'submit'
      ? {
          actor,
          eventId: key,
          text: command.text,
          links: command.links,
          attachmentIds,
          part,
          ...(viaSignoff ? { viaSignoff } : {}),
        }
      : { ...fields, actor, eventId: key };
  try {
    const state =
      command.type === 'reopen'
        ? await reopen(deps, loaded, args as ReopenArgs)
        : await updateItem(temporal, itemId, UPDATE_OF[type], args as never);
    // A repeated post joins the first Update, which linked the first post's files, not these.
    await deleteUnlinkedAttachments(db, attachmentIds);
    // An assignment inside the agency ends with the report (or the item's closure, or another agency).
    await settleItemAssignments(deps, itemId);
    return { state, repeated: false };
  } catch (e) {
    if (!(e instanceof ShtabError) || e.code === 'unavailable') throw e;
    await deleteUnlinkedAttachments(db, attachmentIds);
    // A twin request (the same key, sent twice at once) may have done this very action meanwhile: that
    // is success, not a refusal.
    if (await sameAction()) {
      const now = await loadItemState(db, itemId);
      return { state: now!.state, repeated: true };
    }
    throw e;
  }
}

/**
 * After the reopen window an accepted item's workflow has completed: the Update goes with a start of the
 * same workflow id from the row (Update-with-Start), with its roadmap's policy.
 */
async function reopen(
  deps: { db: Db; temporal: TemporalHandle; policy?: ChasePolicy },
  loaded: { row: { roadmap_id: number | null }; state: ItemState },
  args: ReopenArgs,
) {
  if (!deps.policy) throw new Error('reopening needs the region chase policy');
  const policyOf = await policiesOf(deps.db, [loaded.row.roadmap_id], deps.policy);
  return reopenItem(deps.temporal, loaded.state, policyOf(loaded.row.roadmap_id), args);
}

/** The roadmap's rule that reports reach the working group only after the agency head signed them off. */
async function signoffRequired(db: Db, roadmapId: number | null): Promise<boolean> {
  if (roadmapId === null) return false;
  const r = await db
    .selectFrom('roadmap')
    .select('head_signoff_required')
    .where('id', '=', roadmapId)
    .executeTakeFirst();
  return r?.head_signoff_required ?? false;
}

/** A reassignment names agencies that exist (the workflow would persist a dangling id otherwise). */
async function checkAgencies(db: Db, agencyId: number, coAgencyIds: number[]) {
  const ids = [...new Set([agencyId, ...coAgencyIds])].filter((a) => Number.isSafeInteger(a) && a > 0);
  const known = new Set(
    ids.length
      ? (await db.selectFrom('agency').select('id').where('id', 'in', ids).execute()).map((a) => a.id)
      : [],
  );
  if (!known.has(agencyId))
    throw validation('agencyId', 'error.reassign.agency', 'choose the new responsible agency');
  if (coAgencyIds.some((a) => !known.has(a)))
    throw validation('coAgencyIds', 'error.reassign.agency', 'unknown co-executor agency');
}
