import type { Db } from '../../db/connect.ts';
import { foldTallies } from '../../db/feedback-store.ts';
import type { FeedbackAppDeps, TallyFolder } from './deps.ts';

// Intakes write their reviews only; folds add committed batches to the tallies the pages read, set-wise
// (db/feedback-store.ts foldTallies, docs/decisions.md §46). A process that takes reviews runs a folder: when
// intakes are rare each one is folded before its caller hears back (the citizen's review is in the scores
// of the next page); when they come in a stream at most one fold runs per interval and takes every batch
// committed since — one upsert per tally row per fold instead of one per batch, and no two intakes queue
// for the same tally rows. A sweep folds what another process left (it stopped between its commit and its
// fold): the pages show a review within the interval plus one fold of its commit, or within the sweep when
// the process that took it went away.

export const FOLD_INTERVAL_MS = 2_000;
export const FOLD_SWEEP_MS = 5_000;
const MAX_BATCHES = 1_000;
/** An intake this large folds on its own at once (a file upload): there is nothing to gain by waiting. */
export const FOLD_NOW_REVIEWS = 10_000;

export function startTallyFolder(o: {
  db: Db;
  intervalMs?: number;
  sweepMs?: number;
  /** An intake at least this large starts a fold at once (FOLD_NOW_REVIEWS). */
  foldNowReviews?: number;
  log?: { warn(o: object, msg?: string): void } | undefined;
}): TallyFolder {
  const intervalMs = o.intervalMs ?? FOLD_INTERVAL_MS;
  const foldNowReviews = o.foldNowReviews ?? FOLD_NOW_REVIEWS;
  let running: Promise<void> | null = null;
  let lastStart = 0;
  // A batch committed that the running (or no) fold may have missed; `urgent`: fold it right after.
  let dirty = false;
  let urgent = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const schedule = () => {
    if (timer || stopped) return;
    timer = setTimeout(
      () => {
        timer = null;
        void start();
      },
      Math.max(0, lastStart + intervalMs - Date.now()),
    );
    timer.unref();
  };
  const run = async () => {
    lastStart = Date.now();
    try {
      const r = await foldTallies(o.db, { wait: false, maxBatches: MAX_BATCHES });
      // Another process (or a re-matching batch) holds the fold: look again after the interval. A full
      // fold leaves more behind.
      if (r === null || r.batches === MAX_BATCHES) dirty = true;
    } catch (e) {
      dirty = true;
      o.log?.warn({ err: (e as Error).message }, 'feedback tallies not folded; retrying');
    }
  };
  const start = (): Promise<void> => {
    if (running) return running;
    dirty = false;
    urgent = false;
    running = run().finally(() => {
      running = null;
      if (urgent && !stopped) void start();
      else if (dirty) schedule();
    });
    return running;
  };
  const sweep = setInterval(() => void start(), o.sweepMs ?? FOLD_SWEEP_MS);
  sweep.unref();
  void start();

  return {
    async afterIntake(reviews) {
      if (reviews >= foldNowReviews) {
        // After the running fold, whose snapshot may predate this commit.
        if (running) urgent = dirty = true;
        else void start();
        return;
      }
      if (!running && !timer && Date.now() - lastStart >= intervalMs) return start();
      dirty = true;
      if (!running) schedule();
    },
    async flush() {
      if (running) await running;
      for (;;) {
        const r = await foldTallies(o.db, { wait: true, maxBatches: MAX_BATCHES });
        if (!r || r.batches < MAX_BATCHES) return;
      }
    },
    async stop() {
      stopped = true;
      clearInterval(sweep);
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}

/**
 * After an intake committed: through the process's folder when it has one (web processes), else a fold
 * right away (scripts, tests): the reviews are in the tallies when the intake returns. A failed fold leaves
 * the batch pending for the next one; the intake itself stands.
 */
export async function foldNow(deps: FeedbackAppDeps, reviews: number): Promise<void> {
  try {
    if (deps.fold) await deps.fold.afterIntake(reviews);
    else await foldTallies(deps.db);
  } catch (e) {
    deps.log?.warn({ err: (e as Error).message }, 'feedback tallies not folded; the next fold takes them');
  }
}
