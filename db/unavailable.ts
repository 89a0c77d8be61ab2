// Whether an error means "the database cannot be reached right now" (down, restarting, crashed, out of
// connections) rather than "this query is wrong": the web answers the first with 503 and a Retry-After,
// like a Temporal outage, instead of an internal error.

/** SQLSTATE classes and codes of a server that is going away, starting up or refusing connections. */
const UNAVAILABLE_SQLSTATE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** node-postgres' own messages for a connection that died or never came. */
const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
  /^Connection ended unexpectedly/,
];

export function isDatabaseUnavailable(e: unknown): boolean {
  for (let err = e, depth = 0; err && depth < 4; err = (err as { cause?: unknown }).cause, depth++) {
    if (typeof err !== 'object') return false;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.has(code) || NETWORK_CODES.has(code))) return true;
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string' && PG_MESSAGES.some((re) => re.test(message))) return true;
    // AggregateError (a connect that tried IPv4 and IPv6): unavailable when every attempt was.
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((x) => isDatabaseUnavailable(x)))
      return true;
  }
  return false;
}
