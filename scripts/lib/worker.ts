import { fileURLToPath } from 'node:url';
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
  const worker = await Worker.create({
    connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowBundle: o.workflowBundle,
    activities: { ...createActivities(o), ...(o.extraActivities ?? {}) },
    interceptors: (o.metrics ?? createWorkerMetrics()).interceptors,
    // Small defaults: an item workflow is idle nearly all the time.
    maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 2_000),
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection };
}
