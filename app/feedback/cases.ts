import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { sql, type SqlBool } from 'kysely';
import { caseStateById } from '../../db/feedback-store.ts';
import { checkCaseAnswer } from '../../domain/feedback/cases.ts';
import { decideAnswer, decideFix, mayAnswerCase, type CaseState } from '../../domain/feedback/case-state.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import { shtabErrorOfUpdate } from '../temporal.ts';
import {
  answerCaseUpdate,
  feedbackCaseWorkflowId,
  recordFixUpdate,
} from '../../workflows/feedback-case-definitions.ts';
import { startFeedbackCase } from './workflow.ts';
import type { FeedbackAppDeps } from './deps.ts';
import { effectiveCasePolicy } from './settings.ts';

async function stateOrNotFound(deps: FeedbackAppDeps, caseId: number): Promise<CaseState> {
  try {
    return await caseStateById(deps.db, caseId);
  } catch {
    throw new ShtabError('not_found', `case ${caseId} not found`, { key: 'error.feedback.caseNotFound' });
  }
}

async function runUpdate<A>(
  deps: FeedbackAppDeps,
  caseId: number,
  def: typeof answerCaseUpdate | typeof recordFixUpdate,
  args: A & { eventId: string },
): Promise<CaseState> {
  if (!deps.temporal)
    throw new ShtabError('unavailable', 'temporal unavailable', { key: 'error.unavailable' });
  const handle = deps.temporal.client.workflow.getHandle(
    feedbackCaseWorkflowId(caseId, deps.temporal.workflowIdPrefix),
  );
  try {
    return (await handle.executeUpdate(def as never, { args: [args], updateId: args.eventId })) as CaseState;
  } catch (e) {
    const domain = shtabErrorOfUpdate(e);
    if (domain) throw domain;
    if (e instanceof WorkflowNotFoundError)
      throw new ShtabError('conflict', 'the case workflow is not running', {
        key: 'error.feedback.caseNotRunning',
      });
    throw e;
  }
}

/**
 * The curator answers a case: the form is checked here (field errors, 422), the rule (who, which status)
 * by the same pure decideAnswer() the workflow's validator runs, then the workflow's Update persists it and
 * emails the citizen. `eventId` (the form's) makes a double post join the first Update.
 */
export async function answerCase(
  deps: FeedbackAppDeps,
  o: { caseId: number; actor: Actor; form: { text?: unknown; fixed?: unknown }; eventId?: string },
): Promise<CaseState> {
  const state = await stateOrNotFound(deps, o.caseId);
  // Who may answer is told before what is wrong with the form (no validation details to outsiders).
  if (!mayAnswerCase(o.actor, state))
    throw new ShtabError('forbidden', 'not the curator', { key: 'error.feedback.caseForbidden' });
  const checked = checkCaseAnswer(o.form);
  if (!checked.ok) {
    const i = checked.issues[0]!;
    throw new ShtabError('validation', i.key, {
      key: i.key,
      field: i.field,
      ...(i.params ? { params: i.params } : {}),
    });
  }
  const args = { eventId: o.eventId ?? randomUUID(), actor: o.actor, ...checked.value };
  // A repeated post of the form that answered (double click, retry after the workflow closed) gets the
  // case as it is now instead of "already answered".
  if (o.eventId && (await answeredBy(deps, o.caseId, o.eventId))) return state;
  decideAnswer(state, args);
  return runUpdate(deps, o.caseId, answerCaseUpdate, args);
}

export async function recordCaseFix(
  deps: FeedbackAppDeps,
  o: { caseId: number; actor: Actor; fixed: unknown; eventId?: string },
): Promise<CaseState> {
  const state = await stateOrNotFound(deps, o.caseId);
  if (!mayAnswerCase(o.actor, state))
    throw new ShtabError('forbidden', 'not the curator', { key: 'error.feedback.caseForbidden' });
  if (o.fixed !== 'yes' && o.fixed !== 'no')
    throw new ShtabError('validation', 'fixed?', { key: 'error.feedback.fixedChoice', field: 'fixed' });
  const args = { eventId: o.eventId ?? randomUUID(), actor: o.actor, fixed: o.fixed === 'yes' };
  if (o.eventId && (await answeredBy(deps, o.caseId, o.eventId))) return state;
  decideFix(state, args);
  return runUpdate(deps, o.caseId, recordFixUpdate, args);
}

export const canAnswer = mayAnswerCase;

async function answeredBy(deps: FeedbackAppDeps, caseId: number, eventId: string) {
  const row = await deps.db
    .selectFrom('event')
    .select('id')
    .where('event_key', 'in', [`feedback-case-${caseId}:answer`, `feedback-case-${caseId}:fix`])
    .where(sql<SqlBool>`data->>'updateId' = ${eventId}`)
    .executeTakeFirst();
  return !!row;
}

/**
 * Cases still open or awaiting "fixed" get their workflow if it is missing (a start that failed after the
 * intake committed, a lost workflow). Starting an existing one is harmless.
 */
export async function ensureCaseWorkflows(deps: FeedbackAppDeps): Promise<number> {
  if (!deps.temporal) return 0;
  const policy = await effectiveCasePolicy(deps.db, deps.casePolicy);
  const open = await deps.db
    .selectFrom('feedback_case')
    .select('id')
    .where('status', '!=', 'closed')
    .orderBy('id')
    .execute();
  for (const c of open) await startFeedbackCase(deps.temporal, await caseStateById(deps.db, c.id), policy);
  return open.length;
}
