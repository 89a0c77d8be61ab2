export * from './items.ts';
export * from './dashboard.ts';
export * from './services.ts';
export * from './service-kpi.ts';
