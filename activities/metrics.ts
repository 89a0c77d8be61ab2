import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { Counter, Registry } from 'prom-client';

/**
 * In-process counters of the worker: every activity attempt and every failed one, by activity type. A
 * failed attempt is retried by Temporal (a database outage shows up here long before anything is lost).
 * Non-retryable failures are counted separately: those are rule violations, not faults.
 */
export function createWorkerMetrics(registry: Registry = new Registry()) {
  const attempts = new Counter({
    name: 'shtab_activity_attempts_total',
    help: 'Activity attempts started by this worker process',
    labelNames: ['activity'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'shtab_activity_failures_total',
    help: 'Activity attempts that failed in this worker process (retryable: Temporal tries again)',
    labelNames: ['activity', 'retryable'] as const,
    registers: [registry],
  });
  const interceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        attempts.inc({ activity });
        try {
          return await next(input);
        } catch (e) {
          const retryable = !(e instanceof ApplicationFailure && e.nonRetryable);
          failures.inc({ activity, retryable: String(retryable) });
          throw e;
        }
      },
    },
  });
  return { registry, interceptors: { activity: [interceptor] } };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
