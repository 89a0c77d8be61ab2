import type { Worker } from '@temporalio/worker';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { startControlItem } from '../../app/control-items/index.ts';
import { insertItem } from './fixtures.ts';
import { createTestDatabase, type TestDatabase } from './pg.ts';
import { connectDevServer, createTestWorker } from './temporal.ts';
import { startTestApp, WebClient } from './web.ts';

/** Postgres + the run's dev server with a real worker + the web app: what a user's click goes through. */
export async function startWebStack() {
  const [tdb, temporal] = await Promise.all([createTestDatabase(), connectDevServer()]);
  const worker: Worker = await createTestWorker({
    connection: temporal.nativeConnection,
    taskQueue: temporal.taskQueue,
    deps: { db: tdb.db, publicUrl: 'http://shtab.test' },
  });
  const running = worker.run();
  const web = await startTestApp({ db: tdb.db, temporal: temporal.handle });
  return {
    tdb,
    db: tdb.db,
    temporal,
    web,
    async close() {
      await web.close();
      worker.shutdown();
      await running;
      await temporal.close();
      await tdb.drop();
    },
  };
}
export type WebStack = Awaited<ReturnType<typeof startWebStack>>;

export const regionToday = () => instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
/** A working day about `days` calendar days from today. */
export const dueIn = (days: number): LocalDate => precedingWorkingDay(addDays(regionToday(), days));

/** An item under control: its row and a running workflow. */
export async function controlledItem(s: WebStack, v: Parameters<typeof insertItem>[1]) {
  const { row, state } = await insertItem(s.db, v);
  await startControlItem(s.temporal.handle, state, DEFAULT_CHASE_POLICY);
  return row;
}

export const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

/** A multipart form post as a browser sends it (htmx: CSRF header; plain: `_csrf` field). */
export function postMultipart(
  client: WebClient,
  path: string,
  fields: Record<string, string | string[]>,
  files: UploadFile[] = [],
  opts: { htmx?: boolean } = {},
) {
  const body = new FormData();
  if (!opts.htmx) body.append('_csrf', client.csrf ?? '');
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  for (const f of files) {
    body.append('files', new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type ?? '' }), f.name);
  }
  if (files.length === 0) body.append('files', new Blob([]), '');
  return client.request(path, { method: 'POST', body, htmx: opts.htmx ?? false });
}

/** A form post with repeated fields (checkbox groups), which WebClient.post cannot express. */
export function postForm(
  client: WebClient,
  path: string,
  fields: Record<string, string | string[]>,
  opts: { htmx?: boolean } = {},
) {
  const body = new URLSearchParams();
  if (!opts.htmx) body.append('_csrf', client.csrf ?? '');
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return client.request(path, { method: 'POST', body, htmx: opts.htmx ?? false });
}

/** The eventId of the form that posts to `action` on a page. */
export function eventIdFor(html: string, action: string): string {
  const at = html.indexOf(`action="${action}"`);
  if (at < 0) throw new Error(`no form posting to ${action}`);
  const m = /name="eventId" value="([^"]+)"/.exec(html.slice(at));
  if (!m) throw new Error(`no eventId in the form posting to ${action}`);
  return m[1]!;
}

/** Visible text of an HTML fragment, roughly: tags dropped, entities of the escaper decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
