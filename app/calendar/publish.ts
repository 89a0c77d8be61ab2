import type { Db } from '../../db/index.ts';
import type { CalendarYearInput } from '../../domain/calendar/index.ts';
import type { Actor } from '../../domain/roles.ts';
import type { Outcome } from '../reference/shared.ts';
import type { FileOutcome } from '../reference/table-import.ts';
import type { TemporalHandle } from '../temporal.ts';
import { removeCalendarYear, saveCalendarYear, type CalendarChange } from './calendar.ts';
import { importCalendarYear } from './file.ts';
import { startCalendarRollout } from './rollout.ts';

// A calendar change as the edges make it: saved (and in force in this process), then rolled out to the
// open items' workflows. When Temporal cannot be reached the change stays saved and `rolledOut` is false:
// the worker's start-up reconciliation (ensureCalendarRollout) or the next change rolls it out.

type Deps = { db: Db; temporal: TemporalHandle; log?: { warn: (o: object, m: string) => void } };
export type Published = CalendarChange & { rolledOut: boolean };

async function publish(deps: Deps, change: CalendarChange): Promise<Published> {
  try {
    await startCalendarRollout(deps.temporal, change.version);
    return { ...change, rolledOut: true };
  } catch (e) {
    deps.log?.warn({ err: (e as Error).message, version: change.version }, 'calendar rollout not started');
    return { ...change, rolledOut: false };
  }
}

export async function enterCalendarYear(
  deps: Deps,
  actor: Actor,
  input: CalendarYearInput,
): Promise<Outcome<Published>> {
  const r = await saveCalendarYear(deps.db, actor, input);
  return r.ok ? { ok: true, ...(await publish(deps, r)) } : r;
}

export async function uploadCalendarYear(
  deps: Deps,
  actor: Actor,
  o: Parameters<typeof importCalendarYear>[2],
): Promise<FileOutcome<Published>> {
  const r = await importCalendarYear(deps.db, actor, o);
  return r.ok ? { ok: true, ...(await publish(deps, r)) } : r;
}

export async function dropCalendarYear(deps: Deps, actor: Actor, year: number): Promise<Published> {
  return publish(deps, await removeCalendarYear(deps.db, actor, year));
}
