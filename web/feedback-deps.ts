import type { Context } from 'hono';
import type { FeedbackAppDeps } from '../app/feedback/index.ts';
import { DEFAULT_CASE_POLICY } from '../domain/feedback/index.ts';
import { readContext } from './context.ts';
import type { AppEnv } from './env.ts';

/** The feedback use cases' dependencies from the web app's own (no separate wiring per process). */
export function feedbackDepsOf(c: Context<AppEnv>): FeedbackAppDeps {
  const deps = c.get('deps');
  return {
    db: deps.db,
    temporal: deps.temporal,
    casePolicy: { ...DEFAULT_CASE_POLICY, utcOffsetMinutes: deps.policy.utcOffsetMinutes },
    publicUrl: deps.config.publicUrl,
    log: deps.log,
    fold: deps.feedbackFolder,
    today: () => readContext(c).today,
  };
}
