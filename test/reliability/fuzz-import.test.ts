import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../domain/control-item/index.ts';
import { addDays } from '../../domain/local-date.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { hashPassword } from '../../web/index.ts';
import { insertUser } from '../support/fixtures.ts';
import {
  brief,
  FUZZ_SEED,
  fuzzParams,
  hasMessage,
  nastyString,
  tableDigests,
} from '../support/fuzz-fixtures.ts';
import {
  OFFSET,
  roadmapXlsx,
  ru,
  seedImportReferences,
  todayLocal,
  waitForJob,
  workingOnOrAfter,
  type Cell,
} from '../support/import-fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

// Roadmap imports with fuzzed content on the real stack (web upload → import_job → roadmapImport workflow
// → Postgres): an .xlsx whose cells are anything, random bytes, CSV. The upload is refused at once with a
// message on the file field, or the job ends "done", or it ends "failed" with every error tied to a row
// (or to the file) and not one row of the programme written.
const PROGRAMME = ['control_item', 'roadmap', 'life_situation', 'agency', 'item_period'];

describe(`fuzzed roadmap imports (seed ${FUZZ_SEED})`, () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let refs: Awaited<ReturnType<typeof seedImportReferences>>;
  let wg: WebClient;
  let token: string;
  const tally = new Map<string, number>();
  const report = (label: string) => {
    console.log(`fuzz import, ${label}: ${[...tally].map(([k, n]) => `${k}×${n}`).join(' ')}`);
    tally.clear();
  };
  const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);

  beforeAll(async () => {
    console.log(`fuzz import: FUZZ_SEED=${FUZZ_SEED}`);
    stack = await startTestStack({
      publicUrl: 'http://t',
      workerStartsWorkflows: true,
      deps: { utcOffsetMinutes: OFFSET },
      app: { policy: resolvePolicy(null, OFFSET) },
    });
    ({ tdb, temporal, web } = stack);
    refs = await seedImportReferences(tdb.db);
    const wgUser = await insertUser(tdb.db, 'working_group', null, {
      login: 'fz-wg',
      password_hash: await hashPassword('pw'),
    });
    token = (
      await createApiToken(tdb.db, { name: 'fz', subject: { userId: wgUser.id }, createdBy: wgUser.id })
    ).token;
    wg = new WebClient(web.url);
    await wg.login('fz-wg', 'pw');
  });
  afterAll(async () => {
    await stack?.close();
  });

  function upload(file: Uint8Array, name: string, roadmap = String(refs.roadmapId)) {
    const fd = new FormData();
    fd.set('_csrf', wg.csrf ?? '');
    fd.set('roadmap', roadmap);
    fd.set('file', new Blob([new Uint8Array(file)]), name);
    return wg.request('/imports', { method: 'POST', body: fd });
  }

  /** Uploads, follows the job to its end, and checks the all-or-nothing promise. */
  async function importAndCheck(file: Uint8Array, name: string, what: string) {
    const before = await tableDigests(tdb.db, PROGRAMME);
    const jobsBefore = await tdb.db.selectFrom('import_job').select('id').execute();
    const res = await upload(file, name);
    expect(res.status, `${res.status} ${what}`).toBeLessThan(500);
    expect([303, 422], `${res.status} ${what}`).toContain(res.status);
    if (res.status === 422) {
      count('refused at upload');
      // The form's message at the file field; or, for a part without a filename (so a text field, not a
      // file) holding NULs, the up-front refusal that names the field.
      expect(res.text, what).toMatch(/id="import-file-error"|«file»/);
      expect(hasMessage(res.text), what).toBe(true);
      expect(await tdb.db.selectFrom('import_job').select('id').execute(), `no job: ${what}`).toEqual(
        jobsBefore,
      );
      expect(await tableDigests(tdb.db, PROGRAMME), `nothing stored: ${what}`).toEqual(before);
      return null;
    }
    const jobId = Number(/\/imports\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    const job = await waitForJob(tdb.db, jobId, 120_000);
    count(`job ${job.status}`);
    if (job.status === 'failed') {
      const errors = job.errors as { row: number | null; column: string | null; key: string }[];
      expect(errors.length, what).toBeGreaterThan(0);
      for (const e of errors) {
        expect(e.key, `${what}: ${JSON.stringify(e)}`).toMatch(/^error\.import\./);
        // A row problem names its row; a whole-file problem (corrupt, no header, empty) has none.
        if (e.column !== null) expect(e.row, `${what}: ${JSON.stringify(e)}`).toEqual(expect.any(Number));
      }
      // The job page shows the messages (translated, not keys).
      const page = await wg.get(`/imports/${jobId}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/error\.import\./);
      expect(await tableDigests(tdb.db, PROGRAMME), `nothing stored: ${what}`).toEqual(before);
    }
    return job;
  }

  it('an .xlsx with any cells → done, or failed with every error on its row and nothing written', async () => {
    const today = todayLocal();
    const due = fc.integer({ min: 20, max: 300 }).map((d) => ru(workingOnOrAfter(addDays(today, d))));
    const good: fc.Arbitrary<Cell>[] = [
      fc.tuple(fc.nat(9), fc.nat(30)).map(([a, b]) => `${a + 1}.${b + 1}`),
      fc.string({ minLength: 1, maxLength: 40 }),
      due,
      fc.constantFrom('Минтруд', 'MZ', 'МФЦ', 'Минобр'),
      fc.constantFrom(null, 'Минздрав', 'MO; МФЦ'),
      fc.constantFrom(null, 'Протокол', 'Приказ'),
      fc.constantFrom(null, 'Многодетная семья', 'Переезд в другой регион'),
    ];
    const odd: fc.Arbitrary<Cell> = fc.oneof(
      nastyString.filter((s) => s.length < 40_000), // an xlsx cell holds at most 32 767 characters
      fc.double().map((x) => x as Cell),
      fc.date({ min: new Date('1900-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
      fc.constant(null),
    );
    const row = fc.tuple(...good.map((g) => fc.oneof({ weight: 4, arbitrary: g }, odd)));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 0, maxLength: 6 }), async (rows) => {
        let file: Buffer;
        try {
          file = await roadmapXlsx(rows);
        } catch {
          return; // exceljs refuses to write this workbook (e.g. a cell over its limit): nothing to import
        }
        await importAndCheck(file, 'roadmap.xlsx', `xlsx ${brief(rows)}`);
      }),
      fuzzParams(40),
    );
    report('xlsx cells');
  });

  it('random bytes, CSV or a truncated workbook as the file → a message on the file field or a failed job', async () => {
    const valid = await roadmapXlsx([
      ['1.1', 'Мероприятие', ru(workingOnOrAfter(addDays(todayLocal(), 40))), 'MZ'],
    ]);
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }),
      fc
        .array(
          fc.array(
            nastyString.filter((s) => s.length < 200),
            { maxLength: 5 },
          ),
          { maxLength: 5 },
        )
        .map((rows) => new TextEncoder().encode(rows.map((r) => r.join(';')).join('\n'))),
      fc.nat(valid.length - 1).map((n) => new Uint8Array(valid.subarray(0, n))),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const x = new Uint8Array(valid);
        x[i] = b;
        return x;
      }),
    );
    const name = fc.oneof(
      fc.constantFrom('roadmap.xlsx', 'план.csv', 'x'),
      nastyString.filter((s) => s.length < 300),
    );
    await fc.assert(
      fc.asyncProperty(file, name, async (bytes, n) => {
        await importAndCheck(bytes, n, `file of ${bytes.length} bytes named ${brief(n)}`);
      }),
      fuzzParams(40),
    );
    report('files');
  });

  it('the API import endpoint: random bytes → 422 naming the file, no job', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const jobsBefore = await tdb.db.selectFrom('import_job').select('id').execute();
        const fd = new FormData();
        fd.set('file', new Blob([new Uint8Array(bytes)]), 'r.xlsx');
        const res = await fetch(`${web.url}/api/v1/roadmaps/${refs.roadmapId}/imports`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: fd,
        });
        const body = (await res.json()) as { error?: { field?: string; message?: string } };
        count(String(res.status));
        if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) return; // a zip goes on to the job
        expect(res.status).toBe(422);
        expect(body.error?.field).toBe('file');
        expect(body.error?.message).toMatch(/\S/);
        expect(await tdb.db.selectFrom('import_job').select('id').execute()).toEqual(jobsBefore);
      }),
      fuzzParams(30),
    );
    report('api');
  });
});
