import type { Scope } from '../read-cache.ts';

/**
 * The kinds of data (db/migrations/0017-scoped-versions.ts) each cached read reads: the read cache reuses
 * its result until one of these moves, so a submission keeps the services KPI and a batch of reviews keeps
 * the red list. A read missing a kind it reads would show stale figures: test/db/read-scopes.test.ts runs
 * each read and checks every table Postgres saw it scan against this list.
 */
export const READ_SCOPES = {
  /** programmeFigures, agencyStats, and the dashboard's progress, burn-up, red list and deadlines. */
  programme: ['items', 'reference'],
  lifeSituationServiceCounts: ['services', 'reference'],
  /** lifeSituationSummaries with its services' counts. */
  lifeSituationSummaries: ['items', 'services', 'reference'],
  serviceKpi: ['services', 'feedback', 'reference'],
  /** citizensWorries and topProblems (the citizens' page). */
  citizensProblems: ['feedback', 'services', 'reference'],
  /** countItems and listItems (the roadmap list: a measure's direction is its service's unless set). */
  roadmapList: ['items', 'services', 'reference'],
} as const satisfies Record<string, readonly Scope[]>;
