import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// The provider's refresh tokens are kept in the session table so that any web process can re-check a
// session. They are sealed with AES-256-GCM under a key derived from the OpenID client secret: a copy of
// the table alone is of no use (the secret is needed to redeem a token anyway). A new secret makes old
// tokens unreadable, which ends those sessions at their next re-check.

export interface SecretBox {
  seal(plain: string): string;
  /** The plain text, or null when it was sealed under another key or tampered with. */
  open(sealed: string): string | null;
}

export function createSecretBox(secret: string, purpose: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', secret, 'shtab', purpose, 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        body.toString('base64url'),
        c.getAuthTag().toString('base64url'),
      ].join('.');
    },
    open(sealed) {
      const [v, iv, body, tag] = sealed.split('.');
      if (v !== 'v1' || !iv || body === undefined || !tag) return null;
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
