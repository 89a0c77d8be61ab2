import type { Db } from '../../db/connect.ts';
import type { FeedbackCasePolicy } from '../../domain/feedback/cases.ts';
import { instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import type { TemporalHandle } from '../temporal.ts';

/** What the feedback use cases need; the web, the API, imports, the seed and benches all pass the same. */
export interface FeedbackAppDeps {
  db: Db;
  /** Absent (benches, the seed): case rows are written and the worker's reconciliation starts their workflows. */
  temporal?: TemporalHandle | undefined;
  casePolicy: FeedbackCasePolicy;
  /** Base URL for links in notifications. */
  publicUrl: string;
  log?: { warn(o: object, msg?: string): void } | undefined;
  /** The process's folder of new reviews into the tallies (web processes); absent: each intake folds at once. */
  fold?: TallyFolder | undefined;
  /** The region's calendar date now (tests pin it). */
  today?: () => LocalDate;
}

export const todayOf = (d: FeedbackAppDeps) =>
  d.today ? d.today() : instantToLocalDate(Date.now(), d.casePolicy.utcOffsetMinutes);

/** Folds new reviews into the tallies the pages read (app/feedback/fold.ts startTallyFolder, §46). */
export interface TallyFolder {
  /**
   * After an intake of `reviews` new reviews committed: folds now and waits when no fold ran within the
   * interval; starts a fold at once without waiting when the intake alone is worth one (a file: the next
   * upload is read while it runs); else one follows within the interval.
   */
  afterIntake(reviews: number): Promise<void>;
  /** Folds everything pending, waiting for a fold of another process if need be (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}
