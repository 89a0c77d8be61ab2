import type { Logger } from 'pino';
import { ensureAssignmentWorkflows } from '../../app/assignments/index.ts';
import { ensureCalendarRollout } from '../../app/calendar/index.ts';
import { ensureCheckInSchedules } from '../../app/check-ins/index.ts';
import { ensureItemWorkflows, sendControlDateRestores } from '../../app/control-items/index.ts';
import { ensureCaseWorkflows, ensureCheckChaseSchedule, ensureRematch } from '../../app/feedback/index.ts';
import { ensureDigestSchedule } from '../../app/notifications/index.ts';
import { ensureImprovementWorkflows } from '../../app/services/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import type { Db } from '../../db/index.ts';
import { DEFAULT_CASE_POLICY } from '../../domain/feedback/index.ts';
import { utcOffsetMinutesOf } from '../../domain/time-zone.ts';
import { isDependencyUnavailable } from '../../web/unavailable.ts';
import type { Config } from './config.ts';
import { policyFor } from './runtime.ts';

/** Waits between attempts of a step that met a dependency timing out or restarting (about a minute in all). */
const RETRY_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * One step of the start-up, again while Temporal or Postgres answers "unavailable" or times out (a loaded
 * machine, a server still settling): every step is create-or-update, so a repeat is harmless. Anything
 * else, or the last failure, stops the start as before.
 */
export async function step<T>(
  name: string,
  log: Pick<Logger, 'warn'>,
  run: () => Promise<T>,
  waits: readonly number[] = RETRY_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const wait = waits[attempt];
      if (wait === undefined || !isDependencyUnavailable(e)) throw e;
      log.warn(
        { step: name, err: (e as Error).message, retryInMs: wait },
        'start-up step: dependency unavailable, retrying',
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * What every process that runs a worker does at start (`npm start`, `npm run worker`): bring Temporal in
 * line with the database — a workflow for every open item, assignment, improvement and curator case, the
 * pending corrections and calendar rollout, a re-matching left unfinished, and the Schedules.
 */
export async function reconcileAtStart(o: { db: Db; temporal: TemporalHandle; config: Config; log: Logger }) {
  const { db, temporal, config, log } = o;
  const offset = utcOffsetMinutesOf(config.timeZone);
  const policy = policyFor(config);
  const openItems = await step('item workflows', log, () => ensureItemWorkflows({ db, temporal, policy }));
  // Control dates migration 0009 read back from the audit trail reach the running workflows once.
  await step('control date restores', log, () => sendControlDateRestores(db, temporal));
  // A calendar change saved while Temporal was unreachable reaches the open items now (once per version).
  await step('calendar rollout', log, () => ensureCalendarRollout({ db, temporal }));
  await step('improvement workflows', log, () => ensureImprovementWorkflows({ db, temporal, policy }));
  // The mystery-shopping plan's daily chase of overdue checks (issue 16).
  await step('check chase schedule', log, () =>
    ensureCheckChaseSchedule(temporal, { timeZone: config.timeZone, utcOffsetMinutes: offset }),
  );
  // Curator cases (issue 16) whose workflow was not started or was lost.
  await step('case workflows', log, () =>
    ensureCaseWorkflows({
      db,
      temporal,
      casePolicy: { ...DEFAULT_CASE_POLICY, utcOffsetMinutes: offset },
      publicUrl: config.publicUrl,
    }),
  );
  // A taxonomy edit saved while Temporal was unreachable: its re-matching of the reviews (issue 16).
  await step('rematch', log, () => ensureRematch({ db, temporal }));
  // Internal deadlines of the heads' assignments (issue 13).
  await step('assignment workflows', log, () => ensureAssignmentWorkflows({ db, temporal, policy }));
  // Weekly check-in: one Temporal Schedule per roadmap (issue 5).
  const checkInSchedules = await step('check-in schedules', log, () =>
    ensureCheckInSchedules(db, temporal, { timeZone: config.timeZone, utcOffsetMinutes: offset }),
  );
  // The daily notification digest for those who chose one email a day (issue 14).
  await step('digest schedule', log, () =>
    ensureDigestSchedule(temporal, { timeZone: config.timeZone, utcOffsetMinutes: offset }),
  );
  return { openItems, checkInSchedules };
}
