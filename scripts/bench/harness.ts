import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One measured figure, optionally against a baseline measured in the same run. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: { metric: string; value: number };
  /** value ÷ baseline (or the inverse when lower is better), as the goal states it. */
  ratio?: number;
  goal?: string;
  pass?: boolean;
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export interface BenchContext {
  /** Smaller sizes for a quick look (`--quick`). */
  quick: boolean;
  log(msg: string): void;
}

export function printTable(results: BenchResult[]) {
  const rows = results.map((r) => [
    r.bench,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.metric}: ${fmt(r.baseline.value)}` : '',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : '',
    r.goal ?? '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED',
  ]);
  const head = ['bench', 'metric', 'value', 'baseline', 'ratio', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

const fmt = (x: number) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);

export function writeResults(results: BenchResult[], meta: Record<string, unknown>) {
  const dir = path.resolve('bench-results');
  mkdirSync(dir, { recursive: true });
  const doc = JSON.stringify({ ...meta, results }, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(path.join(dir, `bench-${stamp}.json`), doc);
  writeFileSync(path.join(dir, 'latest.json'), doc);
  return path.join(dir, 'latest.json');
}

/** Runs fn with `concurrency` lanes over `n` indices. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
}

export const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;

/** CPU seconds (user + system) a process has used so far (Linux /proc; all its threads). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
