import type { AnswerCaseArgs, CaseState, RecordFixArgs } from '../../domain/feedback/case-state.ts';
import type { CaseChaseKind } from '../../domain/feedback/cases.ts';

/** The activities a feedbackCase workflow calls. Workflows import this type only. */
export interface FeedbackCaseActivities {
  /** A reminder to the curator, or an escalation (agency head, then working group); once per key. */
  chaseCase(input: { caseId: number; kind: CaseChaseKind; key: string; at: number }): Promise<CaseState>;
  /** Stores the answer (and "fixed"), emails the citizen who left an address with consent; once per event. */
  recordCaseAnswer(
    input: AnswerCaseArgs & { caseId: number; at: number; next: CaseState },
  ): Promise<CaseState>;
  recordCaseFix(input: RecordFixArgs & { caseId: number; at: number; next: CaseState }): Promise<CaseState>;
  /** Reminds checkers of overdue planned checks (and the working group), once per check and week. */
  chaseOverdueChecks(input: { today: string }): Promise<{ chased: number }>;
}
