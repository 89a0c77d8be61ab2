import type { Actor } from '../roles.ts';
import { availableActions, type ItemAction } from './permissions.ts';
import { ITEM_STATUSES, type ItemState } from './types.ts';

/**
 * The actions this actor may take on this item in some state: who may act on it at all. An action outside
 * this set is refused as forbidden (403) whatever the item's status; one inside it but not in
 * availableActions() is only "not now" (409, from the workflow's validator). Derived from availableActions
 * over every status, with and without a pending extension request, co-executor parts and a report
 * waiting for the head's sign-off, so the role and
 * agency rules stay written once.
 */
export function authorizedActions(s: ItemState, actor: Actor): ItemAction[] {
  const out = new Set<ItemAction>();
  const pending = [null, { requestedDue: s.currentDue, eventId: '' }];
  for (const status of ITEM_STATUSES)
    for (const pendingExtension of pending)
      for (const partsFrom of [[], s.coAgencyIds])
        for (const signoffPending of [false, true])
          for (const a of availableActions(
            { ...s, status, pendingExtension, partsFrom, signoffPending },
            actor,
          ))
            out.add(a);
  return [...out];
}
