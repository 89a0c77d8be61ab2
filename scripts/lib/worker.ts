import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

export type { WorkflowBundleOption };
import { createActivities, type ActivityDeps } from '../../activities/index.ts';
import { createWorkerMetrics, type WorkerMetrics } from '../../activities/metrics.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** Bundles workflows/ once (webpack, a few seconds); pass the result to every worker of the process. */
export async function bundleWorkflows(): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return { code };
}

const noop = () => {};
const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: console.error,
  log: noop,
};

export interface WorkerOptions extends ActivityDeps {
  address: string;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundleOption;
  /** Extra activities (tests register probes; other modules add theirs). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Counters of failed activity attempts (a fresh registry when not given). */
  metrics?: WorkerMetrics;
}

export async function createShtabWorker(o: WorkerOptions) {
  const connection = await NativeConnection.connect({ address: o.address });
  // Activities that start item workflows on this worker's own task queue (import jobs) do it over the
  // worker's connection with eager start: the first workflow task comes back in the start response and
  // runs here, skipping a round through the task queue — less server work per start, and a new import
  // job's task no longer waits behind thousands of queued first tasks (docs/performance.md).
  const temporal =
    o.temporal && o.temporal.taskQueue === o.taskQueue
      ? { ...o.temporal, client: new Client({ connection, namespace: o.namespace }), eagerStart: true }
      : o.temporal;
  const worker = await Worker.create({
    connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowBundle: o.workflowBundle,
    activities: {
      ...createActivities({ ...o, ...(temporal ? { temporal } : {}) }),
      ...(o.extraActivities ?? {}),
    },
    interceptors: (o.metrics ?? createWorkerMetrics()).interceptors,
    // An item workflow is idle nearly all the time and its history is short, so a cache miss is a cheap
    // replay, while each cached workflow holds ~0.35 MB: 2,000 put the worker over 1 GB RSS, 500 keep it
    // well under (docs/performance.md, "Worker memory").
    maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 500),
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
