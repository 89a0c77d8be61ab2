export * from './items.ts';
export * from './dashboard.ts';
export * from './check-in.ts';
