export const IMPROVEMENT_STATUSES = [
  'planning',
  'implementing',
  'awaiting_score',
  'improved',
  'cancelled',
] as const;
export type ImprovementStatus = (typeof IMPROVEMENT_STATUSES)[number];
export const OPEN_IMPROVEMENT_STATUSES: readonly ImprovementStatus[] = [
  'planning',
  'implementing',
  'awaiting_score',
];

export const CHECK_KINDS = ['mystery_shopping', 'timing'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
export const CHECK_STATUSES = ['scheduled', 'done', 'cancelled'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Where a citizen can get the service. */
export const CHANNELS = ['epgu', 'mfc', 'office', 'post', 'rpgu', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
