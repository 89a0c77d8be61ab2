import { isAgencyRole, isProjectOffice, type Actor } from '../roles.ts';
import { mayDecideExtensions, mayReview } from './transitions.ts';
import type { ItemState } from './types.ts';

export type ItemAction =
  | 'start'
  | 'submit'
  | 'submitPart'
  | 'review'
  | 'requestExtension'
  | 'decideExtension'
  | 'reassign'
  | 'cancel'
  | 'changeDeadline'
  | 'reopen'
  | 'signOff'
  | 'withdrawSubmission'
  | 'withdrawExtension';

/**
 * What this actor may do with the item now: the forms a page shows and the first check a route makes.
 * Mirrors the role/status rules of decide(); decide() stays the authority (field validation included).
 */
export function availableActions(s: ItemState, actor: Actor): ItemAction[] {
  const open = s.status !== 'done' && s.status !== 'cancelled';
  if (!open) {
    // «Вернуть на контроль»: the working group undoes an acceptance (not a service improvement's stage,
    // whose parent workflow has moved on).
    const reopenable = s.status === 'done' && s.kind !== 'service_improvement';
    return reopenable && isProjectOffice(actor.role) ? ['reopen'] : [];
  }
  const workable = s.status === 'assigned' || s.status === 'in_progress' || s.status === 'returned';
  const out: ItemAction[] = [];
  const agency = isAgencyRole(actor.role) ? actor.agencyId : null;
  if (agency !== null && agency === s.agencyId) {
    if (s.status === 'assigned') out.push('start');
    if (workable) {
      const partsReady = !s.requireCoExecutorParts || s.coAgencyIds.every((a) => s.partsFrom.includes(a));
      if (partsReady && !s.signoffPending) out.push('submit');
      if (!s.pendingExtension) out.push('requestExtension');
      if (s.signoffPending && actor.role === 'agency_head') out.push('signOff');
    }
    // Taking back what is not decided yet: the report under review, the extension request.
    if (s.status === 'submitted') out.push('withdrawSubmission');
    if (s.pendingExtension) out.push('withdrawExtension');
  }
  if (agency !== null && s.coAgencyIds.includes(agency) && workable && !s.partsFrom.includes(agency)) {
    out.push('submitPart');
  }
  if (s.status === 'submitted' && mayReview(s, actor)) out.push('review');
  if (s.pendingExtension && mayDecideExtensions(actor)) out.push('decideExtension');
  if (isProjectOffice(actor.role)) {
    out.push('reassign', 'cancel');
    if (!s.pendingExtension) out.push('changeDeadline');
  } else if (actor.role === 'leadership' && s.kind === 'instruction') {
    out.push('cancel');
  }
  return out;
}
