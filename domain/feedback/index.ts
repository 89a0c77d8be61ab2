export * from './types.ts';
export * from './period.ts';
export * from './scores.ts';
export * from './intake.ts';
export * from './taxonomy.ts';
export * from './cases.ts';
export * from './default-taxonomy.ts';
export * from './case-state.ts';
