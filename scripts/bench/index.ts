// `npm run bench [-- --quick] [-- --only name,name]`: runs the benchmarks, prints a table and writes
// bench-results/latest.json. Figures are ratios against baselines measured in the same run.
import os from 'node:os';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { clusterScaleBench } from './cluster-scale.ts';
import { mixedLoadBench } from './mixed-load.ts';
import { printTable, writeResults, type Bench, type BenchResult } from './harness.ts';
import { feedbackBench } from './feedback.ts';
import { firstViewBench } from './first-view.ts';
import { pagesBench } from './pages.ts';
import { roadmapImportBench } from './roadmap-import.ts';
import { scaleBench } from './scale.ts';
import { workerMemoryBench } from './worker-memory.ts';
import { workflowHistoryBench } from './workflow-history.ts';
import { workflowStartsBench } from './workflow-starts.ts';

const BENCHES: Bench[] = [
  scaleBench,
  pagesBench,
  workflowStartsBench,
  workflowHistoryBench,
  workerMemoryBench,
  roadmapImportBench,
  clusterScaleBench,
  mixedLoadBench,
  feedbackBench,
  firstViewBench,
];

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg
    ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',')
    : null;
  const selected = BENCHES.filter((b) => !only || only.includes(b.name));
  const results: BenchResult[] = [];
  for (const b of selected) {
    console.log(`\n▶ ${b.name}: ${b.description}${quick ? ' (quick)' : ''}`);
    const started = Date.now();
    try {
      results.push(...(await b.run({ quick, log: (m) => console.log(`  ${m}`) })));
    } catch (e) {
      console.error(`  ${b.name} failed: ${(e as Error).stack ?? e}`);
      results.push({ bench: b.name, metric: 'failed', value: NaN, unit: '', pass: false });
    }
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log('');
  printTable(results);
  const file = writeResults(results, {
    at: new Date().toISOString(),
    quick,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
  });
  console.log(`\nresults: ${file}`);
  process.exit(results.some((r) => r.pass === false) ? 1 : 0);
}

void main();
