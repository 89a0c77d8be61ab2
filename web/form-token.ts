import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.ts';

/**
 * Tokens of the public review form, which has no session to hang a CSRF token on. A token is
 * `<issued-ms>.<nonce>.<hmac(service, issued, nonce)>` under a secret kept in the database (every web
 * process signs and checks alike). It proves the post comes from a form we rendered for this service,
 * how long ago (a post within seconds of rendering is a script: the time trap), and its nonce becomes the
 * review's source id, so a double submit stores one review.
 */
const SECRET_KEY = 'feedback.formSecret';
const secrets = new WeakMap<Db, Promise<Buffer>>();

function secretOf(db: Db): Promise<Buffer> {
  let s = secrets.get(db);
  if (!s) {
    s = (async () => {
      const fresh = randomBytes(32).toString('base64url');
      await db
        .insertInto('setting')
        .values({ key: SECRET_KEY, value: JSON.stringify(fresh) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db
        .selectFrom('setting')
        .select('value')
        .where('key', '=', SECRET_KEY)
        .executeTakeFirstOrThrow();
      return Buffer.from(String(row.value), 'base64url');
    })();
    s.catch(() => secrets.delete(db));
    secrets.set(db, s);
  }
  return s;
}

const mac = (secret: Buffer, serviceId: number, issued: number, nonce: string) =>
  createHmac('sha256', secret).update(`${serviceId}.${issued}.${nonce}`).digest('base64url');

export async function issueFormToken(db: Db, serviceId: number, now = Date.now()): Promise<string> {
  const nonce = randomBytes(12).toString('base64url');
  return `${now}.${nonce}.${mac(await secretOf(db), serviceId, now, nonce)}`;
}

export type TokenCheck =
  { ok: true; nonce: string } | { ok: false; reason: 'invalid' | 'tooFast' | 'expired' };

export async function checkFormToken(
  db: Db,
  serviceId: number,
  token: string,
  o: { minAgeMs: number; maxAgeMs: number; now?: number },
): Promise<TokenCheck> {
  const m = /^(\d{13})\.([\w-]{16})\.([\w-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const issued = Number(m[1]);
  const want = Buffer.from(mac(await secretOf(db), serviceId, issued, m[2]!));
  const got = Buffer.from(m[3]!);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'invalid' };
  const age = (o.now ?? Date.now()) - issued;
  if (age < o.minAgeMs) return { ok: false, reason: 'tooFast' };
  if (age > o.maxAgeMs) return { ok: false, reason: 'expired' };
  return { ok: true, nonce: m[2]! };
}
