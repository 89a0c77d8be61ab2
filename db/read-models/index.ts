export * from './items.ts';
export * from './dashboard.ts';
