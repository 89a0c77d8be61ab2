import { ShtabError } from '../errors.ts';
import type { Actor } from '../roles.ts';
import { CASE_ANSWER_MAX, type CaseChaseKind } from './cases.ts';
import type { CaseStatus } from './types.ts';

/** What the feedbackCase workflow keeps: small, and enough to check every Update without a query. */
export interface CaseState {
  caseId: number;
  status: CaseStatus;
  due: string;
  curatorUserId: number | null;
  agencyId: number;
  escalationLevel: number;
  /** Keys of chase steps done (casePlan), so a re-created workflow repeats none. */
  done: string[];
  fixed: boolean | null;
}

export interface AnswerCaseArgs {
  eventId: string;
  actor: Actor;
  text: string;
  fixed: boolean | null;
}

export interface RecordFixArgs {
  eventId: string;
  actor: Actor;
  fixed: boolean;
}

/** The service's curator, a head of the service's agency, the working group and admins answer cases. */
export function mayAnswerCase(actor: Actor, s: Pick<CaseState, 'curatorUserId' | 'agencyId'>): boolean {
  if (actor.role === 'admin' || actor.role === 'working_group') return true;
  if (actor.userId > 0 && actor.userId === s.curatorUserId) return true;
  return actor.role === 'agency_head' && actor.agencyId === s.agencyId;
}

/** The answer Update's rule: allowed person, open case, a text within limits. Throws ShtabError. */
export function decideAnswer(s: CaseState, a: AnswerCaseArgs): CaseState {
  if (!mayAnswerCase(a.actor, s))
    throw new ShtabError('forbidden', 'only the curator or the agency head answers', {
      key: 'error.feedback.caseForbidden',
    });
  if (s.status !== 'open')
    throw new ShtabError('conflict', 'the case is answered already', { key: 'error.feedback.caseAnswered' });
  const text = typeof a.text === 'string' ? a.text.trim() : '';
  if (!text || text.length > CASE_ANSWER_MAX)
    throw new ShtabError('validation', 'answer text required', {
      key: text ? 'error.feedback.tooLong' : 'error.feedback.required',
      field: 'text',
      params: { max: CASE_ANSWER_MAX },
    });
  return { ...s, status: a.fixed === null ? 'answered' : 'closed', fixed: a.fixed };
}

/** "Was it fixed?" after an answer that could not say yet. */
export function decideFix(s: CaseState, a: RecordFixArgs): CaseState {
  if (!mayAnswerCase(a.actor, s))
    throw new ShtabError('forbidden', 'only the curator or the agency head answers', {
      key: 'error.feedback.caseForbidden',
    });
  if (s.status !== 'answered')
    throw new ShtabError('conflict', 'nothing to record', { key: 'error.feedback.caseNotAwaitingFix' });
  return { ...s, status: 'closed', fixed: a.fixed };
}

export const ESCALATION_LEVEL: Record<CaseChaseKind, number> = {
  opened: 0,
  reminder: 0,
  escalate_head: 1,
  escalate_wg: 2,
};
