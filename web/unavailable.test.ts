import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from './unavailable.ts';

/** What @grpc/grpc-js rejects with: an Error with a numeric code, details and metadata. */
const grpcError = (code: number) =>
  Object.assign(new Error(`${code} status`), { code, details: 'x', metadata: {} });

describe('isDependencyUnavailable', () => {
  it('is true for Temporal down, restarting or timing out', () => {
    expect(isDependencyUnavailable(grpcError(14))).toBe(true); // UNAVAILABLE
    expect(
      isDependencyUnavailable(new ServiceError('Failed to query Workflow', { cause: grpcError(4) })),
    ).toBe(true);
    expect(isDependencyUnavailable(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).toBe(true);
  });

  it('is true for Postgres down', () => {
    expect(isDependencyUnavailable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('is false for what is the request or the code', () => {
    expect(isDependencyUnavailable(grpcError(3))).toBe(false); // INVALID_ARGUMENT
    expect(isDependencyUnavailable(grpcError(5))).toBe(false); // NOT_FOUND
    expect(isDependencyUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
