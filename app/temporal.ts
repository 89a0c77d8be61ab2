// The Temporal client side: what every use case that starts or talks to a workflow shares. Not part of
// the workflow bundle (workflows/index.ts imports nothing from app/).
import {
  isGrpcServiceError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ShtabError, type ErrorCode, type ErrorDetail } from '../domain/errors.ts';

export interface TemporalHandle {
  client: Client;
  taskQueue: string;
  /** Prepended to workflow ids (TEMPORAL_WORKFLOW_ID_PREFIX); empty by default. */
  workflowIdPrefix?: string;
  /**
   * The client shares the NativeConnection of a worker that polls `taskQueue` (createShtabWorker sets it
   * for the activities): new workflows are started eagerly, their first task handed to that worker in the
   * start response instead of going through the task queue. Needs a NativeConnection, else the SDK throws.
   */
  eagerStart?: boolean;
}

const KNOWN_CODES: ErrorCode[] = ['validation', 'forbidden', 'not_found', 'conflict', 'unavailable'];

/** The ShtabError a workflow's Update validator or handler raised, rebuilt on the caller's side. */
export function shtabErrorOfUpdate(e: unknown): ShtabError | null {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const code = e.cause.type as ErrorCode;
    if (KNOWN_CODES.includes(code)) {
      const detail = (e.cause.details?.[0] ?? { key: 'error.generic' }) as ErrorDetail;
      return new ShtabError(code, e.cause.message, detail);
    }
  }
  return null;
}

/** Temporal could not be reached: what was written stays, reconciliation finishes the rest (503). */
export const unavailable = (e: unknown) =>
  e instanceof ShtabError
    ? e
    : new ShtabError('unavailable', `temporal unavailable: ${(e as Error).message}`, {
        key: 'error.unavailable',
      });

/** gRPC status codes of a frontend that is down, restarting or overloaded (not the request's fault). */
const UNAVAILABLE_GRPC = new Set([
  4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */,
]);

/**
 * Temporal could not be reached or did not answer in time — a server restart the client's own retries did
 * not ride out, an Update whose call timed out. The web answers 503 for it, as for Postgres down.
 */
export function isTemporalUnavailable(e: unknown): boolean {
  for (let err = e, depth = 0; err && depth < 4; err = (err as { cause?: unknown }).cause, depth++) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(err) && UNAVAILABLE_GRPC.has(err.code)) return true;
  }
  return false;
}

/**
 * Creates a Schedule, or brings an existing one in line with `options`: safe on every start and from
 * several processes (web and worker start together; whoever creates it second updates it instead).
 */
export async function createOrUpdateSchedule(
  t: TemporalHandle,
  scheduleId: string,
  options: Omit<ScheduleOptions, 'scheduleId'>,
): Promise<'created' | 'updated'> {
  const handle = t.client.schedule.getHandle(scheduleId);
  const update = () => handle.update(() => options as never);
  try {
    await update();
    return 'updated';
  } catch (e) {
    if (!(e instanceof ScheduleNotFoundError)) throw e;
  }
  try {
    await t.client.schedule.create({ scheduleId, ...options });
    return 'created';
  } catch (e) {
    if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    await update();
    return 'updated';
  }
}
