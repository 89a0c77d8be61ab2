import net from 'node:net';

/** Resolves when nothing listens on host:port; a listener there means the port is taken. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now (for tests and side servers). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A free port below the OS's ephemeral range (Linux: from 32768), for servers that keep their port in a
 * signed 16-bit column (Temporal's cluster_membership.rpc_port) and would collide with outgoing
 * connections' ports up there anyway. Random, then checked: two callers racing for one port are unlikely.
 */
export async function freeLowPort(host = '127.0.0.1', from = 20_000, to = 32_000): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`no free port between ${from} and ${to} on ${host}`);
}
