import { readFileSync } from 'node:fs';
import { startClusterWithClients, type Cluster, type ClusterOptions } from '../../scripts/cluster/index.ts';

/**
 * `npm run cluster`'s cluster for a test file: the same code, a temp dir, Postgres without fsync, a
 * progress log. Plus a database pool and a Temporal client of the test's own.
 */
export async function startTestCluster(o: ClusterOptions = {}) {
  const t0 = Date.now();
  const tc = await startClusterWithClients({
    fastPostgres: true,
    ...o,
    log: (l) => console.log(`[cluster] ${l.split('\n')[0]}`),
  });
  console.log(`[cluster] up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return tc;
}
export type TestCluster = Awaited<ReturnType<typeof startTestCluster>>;

/** nginx's access log: status, method, uri, the upstreams tried and their statuses. */
export function accessLog(cluster: Cluster) {
  return readFileSync(cluster.nginx.accessLog, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      // `$status $request_method $uri $upstream_addr $upstream_status $request_time`; a retried request
      // lists each upstream tried, comma-separated ("127.0.0.1:1, 127.0.0.1:2" / "502, 200").
      const m = /^(\d{3}) (\S+) (\S+) (.*) (\S+)$/.exec(line);
      if (!m) return { status: 0, method: '', uri: '', upstreams: [] as string[], statuses: [] as string[] };
      const [addrs, statuses] = splitUpstream(m[4]!);
      return { status: Number(m[1]), method: m[2]!, uri: m[3]!, upstreams: addrs, statuses };
    });
}

function splitUpstream(s: string): [string[], string[]] {
  // "a:1, b:2 502, 200" → addresses before the first status-looking token.
  const tokens = s.split(/,?\s+/).filter(Boolean);
  const i = tokens.findIndex((t) => /^(\d{3}|-)$/.test(t));
  return i < 0 ? [tokens, []] : [tokens.slice(0, i), tokens.slice(i)];
}
