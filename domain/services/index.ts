export * from './types.ts';
export * from './period.ts';
export * from './rules.ts';
export * from './forms.ts';
