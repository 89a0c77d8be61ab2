export * from './items.ts';
export * from './dashboard.ts';
export * from './exports.ts';
export * from './item-detail.ts';
export * from './tasks.ts';
export * from './inbox.ts';
export * from './services.ts';
export * from './service-kpi.ts';
