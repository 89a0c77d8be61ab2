import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.ts';

// The protective headers hono/secure-headers sends by default, and our CSP. They are set before the
// handler runs instead of after it (as that middleware does): touching `c.res.headers` after the fact
// turns @hono/node-server's lightweight response into a full WHATWG Response and streams the body through
// web streams, which cost a quarter of a cached dashboard's time (docs/performance.md). A handler that
// sets one of these headers itself (downloads add a sandboxing CSP) still replaces ours.

// Scripts: only our own files. The pages have no inline script, so a nonce would allow nothing more than
// 'self' does, and a per-response nonce would make every page unique: no whole-page cache (page-cache.ts).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const HEADERS: [string, string][] = [
  ['Content-Security-Policy', CSP],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  for (const [name, value] of HEADERS) c.header(name, value);
  await next();
});
