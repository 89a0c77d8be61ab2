import { condition } from '@temporalio/workflow';

/**
 * Baseline for the start-throughput benchmark: the cheapest workflow that, like an item, stays open
 * (one workflow task, then idle). Never started by the app.
 */
export async function benchNoop(): Promise<void> {
  await condition(() => false);
}
