import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { step } from './start-reconcile.ts';

/** What @grpc/grpc-js rejects with: an Error with a numeric code, details and metadata. */
const grpcError = (code: number) =>
  Object.assign(new Error(`${code} status`), { code, details: 'x', metadata: {} });

const quiet = { warn: () => {} };

describe('a start-up step', () => {
  it('is repeated while Temporal times out or is unavailable, then goes on', async () => {
    let calls = 0;
    const warned: unknown[] = [];
    const result = await step(
      'digest schedule',
      { warn: (o: unknown) => void warned.push(o) },
      async () => {
        calls++;
        // The CI failure: describeSchedule ran into DEADLINE_EXCEEDED on a loaded machine.
        if (calls === 1) throw new ServiceError('Failed to describe schedule', { cause: grpcError(4) });
        if (calls === 2) throw grpcError(14);
        return 'updated';
      },
      [1, 1, 1],
    );
    expect(result).toBe('updated');
    expect(calls).toBe(3);
    expect(warned).toHaveLength(2);
  });

  it('stops at once on anything else, and after the last wait', async () => {
    let calls = 0;
    await expect(
      step('x', quiet, async () => {
        calls++;
        throw grpcError(3); // INVALID_ARGUMENT: a mistake, not an outage
      }),
    ).rejects.toThrow('3 status');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      step(
        'x',
        quiet,
        async () => {
          calls++;
          throw grpcError(14);
        },
        [1, 1],
      ),
    ).rejects.toThrow('14 status');
    expect(calls).toBe(3);
  });
});
