// The overdue-checks chase: one Temporal Schedule (daily) starting a short workflow per run.
export const CHECK_CHASE_WORKFLOW = 'chaseOverdueChecks';
export const checkChaseScheduleId = (prefix = '') => `${prefix}mystery-checks-chase`;
export const checkChaseWorkflowIdBase = (prefix = '') => `${prefix}mystery-checks-chase`;

export interface CheckChaseInput {
  utcOffsetMinutes: number;
}
