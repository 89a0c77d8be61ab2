import { ensureScheduleSettings } from '../../db/check-ins.ts';
import type { Db } from '../../db/index.ts';
import { ensureCheckInSchedule, type CheckInScheduleConfig } from '../../workflows/check-in-schedule.ts';
import type { TemporalHandle } from '../../workflows/client.ts';

/**
 * Every roadmap has its weekly check-in Schedule, as its settings say (default Friday 10:00 in the
 * region's zone). Safe to run on every start and from several processes: create-or-update.
 */
export async function ensureCheckInSchedules(
  db: Db,
  temporal: TemporalHandle,
  cfg: CheckInScheduleConfig,
): Promise<number> {
  const settings = await ensureScheduleSettings(db);
  for (const s of settings) await ensureCheckInSchedule(temporal, s, cfg);
  return settings.length;
}
