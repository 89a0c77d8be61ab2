import { randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.ts';

// The protective headers hono/secure-headers sends by default, plus our CSP. They are set before the
// handler runs instead of after it (as that middleware does): touching `c.res.headers` after the fact
// turns @hono/node-server's lightweight response into a full WHATWG Response and streams the body through
// web streams, which cost a quarter of a cached dashboard's time (docs/performance.md). A handler that
// sets one of these headers itself (downloads add a sandboxing CSP) still replaces ours.

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'nonce-{nonce}'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const FIXED: [string, string][] = [
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

/** A fresh CSP nonce per response (`c.var.nonce`, which the layout puts on its script tag). */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  const nonce = randomBytes(16).toString('base64');
  c.set('nonce', nonce);
  for (const [name, value] of FIXED) c.header(name, value);
  c.header('Content-Security-Policy', CSP.replace('{nonce}', nonce));
  await next();
});
