/**
 * Serialises async sections inside a workflow: two Updates validated against the same state must not
 * both pass, so each handler re-decides under the lock. Deterministic: plain promise chaining.
 */
export function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return function withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
