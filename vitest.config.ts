import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, colocated *.test.ts, no servers) and `integration` (test/: a real Temporal
// dev server and Postgres started once per run by the global setup; browser tests drive Debian Chromium).
export default defineConfig({
  test: {
    pool: 'forks', // the Temporal native addon crashes under worker threads (sdk-typescript #876)
    // expect.poll waits for outcomes that pass through Temporal and Postgres; the 1 s default is shorter
    // than one Update round trip on a loaded 2-core CI machine. Passing polls still return at once.
    expect: { poll: { timeout: 15_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: [
            'domain/**/*.test.ts',
            'db/**/*.test.ts',
            'activities/**/*.test.ts',
            'app/**/*.test.ts',
            'web/**/*.test.ts',
            'workflows/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/timing/**', 'test/reliability/**', 'test/cluster/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        // The explicit wall-clock goal (a 30-day timer in < 5 s) runs alone, after everything else,
        // so parallel test files cannot starve it of CPU.
        extends: true,
        test: {
          name: 'timing',
          sequence: { groupOrder: 2 },
          include: ['test/timing/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
      {
        // Fault injection, load and fuzzing (docs/reliability.md): they kill and restart their own servers
        // and measure latency, so they run last, one file at a time, with nothing else competing.
        extends: true,
        test: {
          name: 'reliability',
          sequence: { groupOrder: 3 },
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
      {
        // A production-shaped cluster per file (scripts/cluster: PostgreSQL, Temporal Server, 2 workers, 2 web
        // processes, nginx): faults, backup and restore, several web processes. Last, one file at a time.
        extends: true,
        test: {
          name: 'cluster',
          sequence: { groupOrder: 4 },
          include: ['test/cluster/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
