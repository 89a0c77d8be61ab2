export * from './timeline.ts';
export * from './schedule.ts';
export * from './minutes.ts';
export * from './digest.ts';
export * from './diff.ts';
export * from './requests.ts';
