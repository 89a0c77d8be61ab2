import type { Db } from '../../db/connect.ts';
import type { FeedbackCasePolicy } from '../../domain/feedback/cases.ts';
import { instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import type { TemporalHandle } from '../temporal.ts';
import type { TallyFolder } from './fold.ts';

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
