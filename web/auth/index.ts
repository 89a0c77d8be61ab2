export { hashPassword, verifyPassword } from '../../app/auth/password.ts';
export {
  createSession,
  destroySession,
  createSessionLoader,
  type SessionLoader,
  purgeExpiredSessions,
  SESSION_COOKIE,
} from './sessions.ts';
export { createLoginLimiter, type LoginLimiter } from './rate-limit.ts';
export {
  csrfMiddleware,
  isHtmx,
  LANG_COOKIE,
  requireRole,
  requireUser,
  sessionMiddleware,
} from './middleware.ts';
