import type { Logger } from 'pino';
import { purgeOrphanAttachments } from '../db/attachments.ts';
import type { Db } from '../db/index.ts';
import { purgeExpiredSessions } from './auth/index.ts';

/**
 * Hourly clean-up the web process owns: expired sessions and uploads no submission took (a process that
 * died between storing the files and the Update). Idempotent, so every web instance may run it.
 */
export function startHousekeeping(o: { db: Db; log: Logger; everyMs?: number; orphanHours?: number }) {
  const runOnce = async () => {
    try {
      const files = await purgeOrphanAttachments(o.db, o.orphanHours ?? 24);
      await purgeExpiredSessions(o.db);
      if (files > 0) o.log.info({ files }, 'purged unlinked uploads');
    } catch (e) {
      o.log.warn({ err: e }, 'housekeeping failed; retrying next hour');
    }
  };
  const timer = setInterval(() => void runOnce(), o.everyMs ?? 3_600_000);
  timer.unref();
  void runOnce();
  return { runOnce, stop: () => clearInterval(timer) };
}
