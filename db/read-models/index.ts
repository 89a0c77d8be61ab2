export * from './items.ts';
export * from './dashboard.ts';
export * from './item-detail.ts';
export * from './tasks.ts';
export * from './inbox.ts';
