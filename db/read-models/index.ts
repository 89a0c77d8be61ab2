export * from './items.ts';
export * from './dashboard.ts';
export * from './exports.ts';
