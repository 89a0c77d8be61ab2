import { proxyActivities } from '@temporalio/workflow';
import type { FeedbackCaseActivities } from '../activities/feedback/types.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import type { CheckChaseInput } from './check-chase-definitions.ts';

const acts = proxyActivities<FeedbackCaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One run of the daily Schedule: reminds the checkers of planned mystery-shopping checks that are overdue
 * (scheduled before today, not done). The activity writes each reminder once per check and week, so a run
 * repeated (catch-up, "run now") sends nothing twice.
 */
export async function chaseOverdueChecks(input: CheckChaseInput): Promise<{ chased: number }> {
  return acts.chaseOverdueChecks({ today: instantToLocalDate(Date.now(), input.utcOffsetMinutes) });
}
