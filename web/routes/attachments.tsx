import { Hono } from 'hono';
import { attachmentForDownload } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { idParam } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { contentDisposition } from '../uploads.ts';

/**
 * Files of submissions. Every signed-in user may read them (docs/decisions.md 6); uploads no submission
 * took do not exist for anyone. Always a download, never rendered by the browser: a hostile file cannot
 * run in our origin.
 */
export function attachmentRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/:id', async (c) => {
    const f = await attachmentForDownload(c.var.deps.db, idParam(c));
    if (!f) throw new ShtabError('not_found', 'no such attachment', { key: 'error.notFound' });
    // pg returns a Buffer, PGlite a Uint8Array: both view the same bytes.
    const bytes = new Uint8Array(f.content.buffer, f.content.byteOffset, f.content.byteLength);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': f.mime,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': contentDisposition(f.filename),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-store',
      ETag: `"${f.sha256}"`,
    });
  });
  return app;
}
