// `npm run cluster`: Shtab as in production, on this machine — PostgreSQL, Temporal Server 1.29.1 on it,
// 2 worker and 2 web processes, nginx in front. The same versions, commands and settings as
// docker-compose.yml (scripts/cluster/settings.ts). Stops everything on Ctrl-C; a second run reuses --dir.
//   npm run cluster [-- --dir ./cluster-data] [--port 3000] [--temporal-port 7233] [--workers 2] [--webs 2]
//                      [--no-seed] [--from-backup shtab-backup.tar.gz]
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StartupError } from '../domain/startup-error.ts';
import { startCluster } from './cluster/index.ts';
import { REPLICAS } from './cluster/settings.ts';
import { exitOnStartupError } from './lib/runtime.ts';

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: './cluster-data' },
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'temporal-port': { type: 'string', default: process.env.TEMPORAL_PORT ?? '7233' },
      workers: { type: 'string', default: String(REPLICAS.worker) },
      webs: { type: 'string', default: String(REPLICAS.web) },
      'no-seed': { type: 'boolean', default: false },
      'from-backup': { type: 'string' },
    },
  });
  const dir = path.resolve(values.dir);
  const stateFile = path.join(dir, 'cluster.json');
  if (existsSync(stateFile)) {
    const { pid } = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number };
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      /* stale */
    }
    if (alive)
      throw new StartupError(
        `a cluster is already running on ${dir} (pid ${pid})`,
        'stop it (Ctrl-C in its terminal) or use another --dir',
      );
  }
  const started = Date.now();
  const cluster = await startCluster({
    dir,
    port: Number(values.port),
    temporalPort: Number(values['temporal-port']),
    workers: Number(values.workers),
    webs: Number(values.webs),
    seedDemo: !values['no-seed'],
    ...(values['from-backup'] ? { fromBackup: path.resolve(values['from-backup']) } : {}),
    ...(process.env.SMTP_URL ? { smtpUrl: process.env.SMTP_URL } : {}),
    log: (l) => console.log(`cluster: ${l}`),
  });
  writeFileSync(
    stateFile,
    JSON.stringify({
      pid: process.pid,
      url: cluster.url,
      databaseUrl: cluster.databaseUrl,
      pgPort: cluster.postgres.port,
    }),
  );
  console.log(
    [
      '',
      `Штаб / Shtab cluster is running: ${cluster.url} (nginx → ${cluster.webs.length} web processes)`,
      `  workers: ${cluster.workers.length} (pids ${cluster.workers.map((w) => w.pid).join(', ')}); web: pids ${cluster.webs.map((w) => w.pid).join(', ')}`,
      `  Temporal Server ${cluster.temporalAddress} on PostgreSQL ${cluster.postgres.port} (${cluster.postgres.dataDir})`,
      `  Shtab's database: ${cluster.databaseUrl}`,
      `  logs: ${path.join(dir, 'logs')}; backup while it runs: DATABASE_URL=${cluster.databaseUrl} npm run backup -- shtab-backup.tar.gz`,
      '  demo logins (password "demo"): rg, fzg, admin, mtsr.head, mtsr.exec, observer',
      `  started in ${((Date.now() - started) / 1000).toFixed(1)} s; stop with Ctrl-C`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nstopping the cluster…');
    await cluster.stop();
    rmSync(stateFile, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch(exitOnStartupError);
