export * from './items.ts';
export * from './dashboard.ts';
export * from './rag.ts';
export * from './agencies.ts';
export * from './life-situations.ts';
export * from './service-kpi.ts';
