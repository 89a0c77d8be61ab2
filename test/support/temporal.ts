import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities/index.ts';

// Worker state chatter buries test output; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_TEST_LOG_LEVEL as 'WARN') ?? 'WARN') });
} catch {
  /* already installed in this process */
}

/**
 * The Java time-skipping test server: timers fire as soon as the workflow would otherwise wait, so a year
 * of deadlines runs in seconds. Uses TEMPORAL_TEST_SERVER_PATH when set (no download), else the SDK's own.
 */
export async function createTimeSkippingEnv(attempts = 3): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  for (let i = 1; ; i++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping(
        path ? { server: { executable: { type: 'existing-path', path } } } : {},
      );
    } catch (e) {
      // The SDK gives the JVM 5 s to come up; on a loaded 2-core machine that is sometimes too little.
      if (i >= attempts || !/did not start within/.test(String((e as Error).message))) throw e;
    }
  }
}

export const workflowBundle = () => ({ codePath: inject('workflowBundlePath') });

/** A worker for the given connection with our real activities (and optional extra ones). */
export async function createTestWorker(opts: {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  extraActivities?: Record<string, (...a: never[]) => Promise<unknown>>;
}) {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    workflowBundle: workflowBundle(),
    activities: { ...createActivities(opts.deps), ...(opts.extraActivities ?? {}) },
  });
}

/** Client + native connection to the run's shared dev server, with a task queue unique to the caller. */
export async function connectDevServer() {
  const address = inject('temporalAddress');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomUUID()}`;
  const client = new Client({ connection });
  return {
    address,
    client,
    nativeConnection,
    taskQueue,
    /** Each test file has its own database, so its own workflow ids on the shared server. */
    workflowIdPrefix: `${taskQueue}-`,
    /** The handle the app and helpers take. */
    handle: { client, taskQueue, workflowIdPrefix: `${taskQueue}-` },
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}
