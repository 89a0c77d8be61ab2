export { createApp } from './app.tsx';
export type { AppDeps, WebConfig, SessionUser } from './env.ts';
export { hashPassword } from './auth/index.ts';
export { startHousekeeping } from './housekeeping.ts';
