import type { Logger } from 'pino';
import type { Db } from '../../db/index.ts';
import type { TemporalHandle } from '../temporal.ts';
import { signalScoreImported } from './improvement-workflow.ts';
import { importScores, type ScoreImportResult } from './score-import.ts';

/**
 * A score file (CSV or XLSX) into the register, all or nothing (score-import.ts); improvements waiting
 * for a later score are then told (after the commit). Returns the import's result and the improvements
 * whose workflow could not be told: reconciliation nudges them later, and judging is idempotent.
 */
export async function importServiceScores(
  deps: { db: Db; temporal: TemporalHandle; log: Logger },
  input: { bytes: Uint8Array; filename: string; userId: number | null },
): Promise<{ result: ScoreImportResult; notSignalled: number[] }> {
  const result = await importScores(deps.db, input);
  if (!result.ok || result.improvements.length === 0) return { result, notSignalled: [] };
  const ids = result.improvements.map((i) => i.id);
  try {
    const missing = await signalScoreImported(deps.temporal, ids, {
      periods: result.periods,
      importId: result.importId,
    });
    return { result, notSignalled: missing };
  } catch (e) {
    deps.log.warn({ err: (e as Error).message }, 'score import: improvements not signalled');
    return { result, notSignalled: ids };
  }
}
