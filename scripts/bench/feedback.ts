// Benchmark (issue 16): a year of a large region's reviews — 3 million — through the batch API and through
// file uploads of the web app (its own process, as `npm run web` builds it), each as rows/s against a plain
// Postgres COPY of the same rows into a copy of the table (same columns, defaults and indexes) in the same
// run; then the pages that show scores at that volume, p99 against the page goal.
//   npm run bench -- --only feedback          (BENCH_FEEDBACK_ROWS=300000 for a smaller year; --quick = 150k)
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { CASE_MAX_RATING_KEY } from '../../domain/feedback/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import { NEGATIVE_REMARKS, NEUTRAL_REMARKS, POSITIVE_REMARKS } from '../../db/seed/catalog/feedback.ts';
import { createRandom } from '../../db/seed/random.ts';
import { createApiToken } from '../../app/api-tokens/index.ts';
import { SESSION_COOKIE } from '../../web/auth/index.ts';
import { hashPassword } from '../../web/index.ts';
import { WebClient } from '../../test/support/web.ts';
import { benchDatabase } from './env.ts';
import { pool, seconds, type Bench, type BenchResult } from './harness.ts';
import { startServer, stop } from './pages.ts';

const SERVICES = 2000;
const MUNICIPALITIES = 60;
const BATCH = 1000;
const API_CONCURRENCY = 4;
const FILE_ROWS = 50_000;
const RATIO_GOAL = 0.3;
const P99_GOAL_MS = 100;
const CHANNELS = ['mfc', 'mfc', 'mfc', 'epgu', 'epgu', 'rpgu', 'pos', 'hotline', 'web'] as const;

interface Review {
  sourceId: string;
  serviceCode: string;
  channel: string;
  municipality: string;
  date: string;
  rating: number;
  text: string | null;
}

/** Review `i` of a year: deterministic, ratings spread like the Gosuslugi rating, a third with a remark. */
export function review(i: number, today: string, prefix: string): Review {
  const r = createRandom(i * 7919 + 17);
  const band = r.next();
  const rating = band < 0.55 ? 5 : band < 0.75 ? 4 : band < 0.85 ? 3 : band < 0.92 ? 2 : 1;
  const pool = rating <= 2 ? NEGATIVE_REMARKS : rating === 3 ? NEUTRAL_REMARKS : POSITIVE_REMARKS;
  const withText = rating <= 2 ? r.chance(0.75) : r.chance(0.25);
  return {
    sourceId: `${prefix}-${i}`,
    // A few services get most reviews (a region's mass services), like the real register.
    serviceCode: `S${String(1 + Math.floor(SERVICES * r.next() ** 3)).padStart(4, '0')}`,
    channel: CHANNELS[i % CHANNELS.length]!,
    municipality: `M${String(1 + (i % MUNICIPALITIES)).padStart(2, '0')}`,
    date: addDays(today, -(i % 365)),
    rating,
    text: withText ? `${r.pick(pool)} (${1 + (i % 97)})` : null,
  };
}

const csvCell = (v: string | number | null) =>
  v === null ? '' : typeof v === 'number' ? String(v) : /[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

export async function setup(db: Db) {
  const agency = await db
    .insertInto('agency')
    .values({ code: 'REG', title_ru: 'Министерство', title_en: 'Ministry' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('agency')
    .values(
      Array.from({ length: MUNICIPALITIES }, (_, i) => ({
        code: `M${String(i + 1).padStart(2, '0')}`,
        title_ru: `Муниципальный район ${i + 1}`,
        title_en: `District ${i + 1}`,
        kind: 'municipality' as const,
      })),
    )
    .execute();
  for (let i = 0; i < SERVICES; i += 1000)
    await db
      .insertInto('service')
      .values(
        Array.from({ length: Math.min(1000, SERVICES - i) }, (_, j) => ({
          code: `S${String(i + j + 1).padStart(4, '0')}`,
          title_ru: `Услуга ${i + j + 1}`,
          agency_id: agency.id,
        })),
      )
      .execute();
  const wg = await db
    .insertInto('app_user')
    .values({
      login: 'bench.wg',
      display_name: 'Рабочая группа',
      password_hash: await hashPassword('bench'),
      role: 'working_group',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Curator cases start a workflow each: that is Temporal's start rate (docs/performance.md, "Roadmap
  // import"), not intake. The bench measures intake, so no rating opens a case here.
  await db
    .insertInto('setting')
    .values({ key: CASE_MAX_RATING_KEY, value: JSON.stringify(0) })
    .execute();
  const { token } = await createApiToken(db, { name: 'bench', subject: { userId: wg.id }, createdBy: wg.id });
  return { token };
}

/** COPY of the same rows into a copy of the feedback table (columns, defaults, indexes), through psql. */
async function copyBaseline(url: string, db: Db, n: number, today: string): Promise<number> {
  await sql`create table feedback_copy (like feedback including all)`.execute(db);
  const child = spawn(
    'psql',
    [
      url,
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `copy feedback_copy (source, source_id, service_id, channel, municipality_id, received_on, rating, body) from stdin with (format csv)`,
    ],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const ids = new Map(
    (await db.selectFrom('service').select(['id', 'code']).execute()).map((s) => [s.code, s.id]),
  );
  const munis = new Map(
    (await db.selectFrom('agency').select(['id', 'code']).where('kind', '=', 'municipality').execute()).map(
      (m) => [m.code, m.id],
    ),
  );
  const done = new Promise<number>((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(0) : reject(new Error(`psql exited ${code}`)))),
  );
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i += 10_000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(n, i + 10_000); j++) {
      const r = review(j, today, 'copy');
      lines.push(
        [
          'copy',
          r.sourceId,
          ids.get(r.serviceCode)!,
          r.channel,
          munis.get(r.municipality)!,
          r.date,
          r.rating,
          r.text,
        ]
          .map(csvCell)
          .join(','),
      );
    }
    if (!child.stdin!.write(lines.join('\n') + '\n')) await new Promise((r) => child.stdin!.once('drain', r));
  }
  child.stdin!.end();
  await done;
  return seconds(t0);
}

/**
 * Waits until every committed intake is folded into the tallies (the web process's folder does it, docs/
 * decisions.md §46): an intake counts as done when the pages show it, not when its response came.
 */
async function drained(db: Db) {
  for (;;) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from feedback_batch where folded_at is null`.execute(db);
    if (r.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function load(url: string, headers: Record<string, string>, duration: number) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, headers, connections: 8, duration, timeout: 10 }, (err, res) =>
      err ? reject(err) : resolve(res),
    ),
  );
}

export const feedbackBench: Bench = {
  name: 'feedback',
  description: 'a year of reviews (3 M) through the API and file uploads vs COPY; score pages at that volume',
  async run(ctx) {
    const n = Number(process.env.BENCH_FEEDBACK_ROWS ?? (ctx.quick ? 150_000 : 3_000_000));
    const database = await benchDatabase('feedback');
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      const { db } = database;
      const today = instantToLocalDate(Date.now(), 420);
      const { token } = await setup(db);
      // The baseline is read twice, before and after the intakes, and the faster reading counts: on a
      // shared machine one reading alone varied by 2× between runs.
      const copyBefore = n / (await copyBaseline(database.url, db, n, today));
      ctx.log(`COPY ${n} rows, before: ${copyBefore.toFixed(0)} rows/s`);
      await sql`drop table feedback_copy`.execute(db);
      await sql`vacuum analyze`.execute(db);

      server = await startServer(database.url);
      const base = server.url;
      // The batch API: 1,000 reviews a request, 4 in flight (an integration catching up on a backlog).
      const batches = Math.ceil(n / BATCH);
      let apiInserted = 0;
      const t0 = process.hrtime.bigint();
      await pool(batches, API_CONCURRENCY, async (b) => {
        const items = [];
        for (let i = b * BATCH; i < Math.min(n, (b + 1) * BATCH); i++) {
          const r = review(i, today, 'api');
          items.push({ ...r, text: r.text ?? undefined });
        }
        const res = await fetch(`${base}/api/v1/feedback`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ source: 'bench-api', items }),
        });
        if (res.status !== 200)
          throw new Error(`batch ${b}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
        apiInserted += ((await res.json()) as { inserted: number }).inserted;
      });
      const apiAnswered = seconds(t0);
      await drained(db);
      const apiS = seconds(t0);
      const apiRate = apiInserted / apiS;
      ctx.log(
        `API: ${apiInserted} reviews in ${apiS.toFixed(1)} s to the tallies (${apiRate.toFixed(0)} rows/s; last answer at ${apiAnswered.toFixed(1)} s)`,
      );

      // File uploads: CSV exports of 50,000 reviews each, one after another, as the working group uploads them.
      const wg = new WebClient(base);
      await wg.login('bench.wg', 'bench');
      await wg.get('/citizens/import');
      const header = 'ID отзыва;Код услуги;Канал;Дата;Оценка;Текст;Муниципальное образование';
      let fileInserted = 0;
      let fileS = 0;
      for (let i = 0; i < n; i += FILE_ROWS) {
        const lines = [header];
        for (let j = i; j < Math.min(n, i + FILE_ROWS); j++) {
          const r = review(j, today, 'file');
          lines.push(
            [r.sourceId, r.serviceCode, r.channel, r.date, r.rating, r.text, r.municipality]
              .map(csvCell)
              .join(';'),
          );
        }
        const form = new FormData();
        form.set('_csrf', wg.csrf ?? '');
        form.set('source', 'bench-file');
        form.set('file', new Blob([lines.join('\r\n')], { type: 'text/csv' }), `reviews-${i}.csv`);
        const t1 = process.hrtime.bigint();
        const res = await wg.request('/citizens/import', { method: 'POST', body: form });
        fileS += seconds(t1);
        const m = /новых отзывов: (\d+)/.exec(res.text);
        if (res.status !== 200 || !m)
          throw new Error(`upload ${i}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
        fileInserted += Number(m[1]);
      }
      // The last upload's reviews in the tallies too (each upload starts its fold and answers).
      const t2 = process.hrtime.bigint();
      await drained(db);
      fileS += seconds(t2);
      const fileRate = fileInserted / fileS;
      ctx.log(
        `files: ${fileInserted} reviews in ${fileS.toFixed(1)} s to the tallies (${fileRate.toFixed(0)} rows/s)`,
      );
      const copyAfter = n / (await copyBaseline(database.url, db, n, today));
      await sql`drop table feedback_copy`.execute(db);
      const copyRate = Math.max(copyBefore, copyAfter);
      ctx.log(
        `COPY ${n} rows, after: ${copyAfter.toFixed(0)} rows/s; baseline ${copyRate.toFixed(0)} rows/s`,
      );
      const counts = await sql<{ reviews: number; tallies: number; topics: number }>`select
        (select count(*) from feedback)::int as reviews, (select count(*) from feedback_month)::int as tallies,
        (select count(*) from feedback_topic_month)::int as topics`.execute(db);
      ctx.log(`database: ${JSON.stringify(counts.rows[0])}`);

      const results: BenchResult[] = [
        {
          bench: 'feedback',
          metric: `COPY of ${n} reviews (plain Postgres, same table shape; faster of two readings: ${copyBefore.toFixed(0)} before, ${copyAfter.toFixed(0)} after)`,
          value: copyRate,
          unit: 'rows/s',
        },
        {
          bench: 'feedback',
          metric: `batch API, ${BATCH} per request, ${API_CONCURRENCY} in flight, until in the tallies`,
          value: apiRate,
          unit: 'rows/s',
          baseline: { metric: 'COPY rows/s', value: copyRate },
          ratio: apiRate / copyRate,
          goal: `≥ ${RATIO_GOAL}× COPY`,
          pass: apiRate / copyRate >= RATIO_GOAL && apiInserted === n,
        },
        {
          bench: 'feedback',
          metric: `file upload, CSV of ${FILE_ROWS} reviews each, until in the tallies`,
          value: fileRate,
          unit: 'rows/s',
          baseline: { metric: 'COPY rows/s', value: copyRate },
          ratio: fileRate / copyRate,
          goal: `≥ ${RATIO_GOAL}× COPY`,
          pass: fileRate / copyRate >= RATIO_GOAL && fileInserted === n,
        },
      ];

      // The pages that show scores, at this volume, as the roles that open them.
      const busiest = await db
        .selectFrom('feedback_month')
        .select(['service_id', sql<number>`sum(votes)::int`.as('v')])
        .groupBy('service_id')
        .orderBy('v', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const code = (
        await db
          .selectFrom('service')
          .select('code')
          .where('id', '=', busiest.service_id)
          .executeTakeFirstOrThrow()
      ).code;
      const muni = await db
        .selectFrom('agency')
        .select('id')
        .where('code', '=', 'M01')
        .executeTakeFirstOrThrow();
      const cookie = `${SESSION_COOKIE}=${wg.cookie(SESSION_COOKIE)}`;
      const pages: { name: string; path: string; headers: Record<string, string> }[] = [
        {
          name: 'service card with scores from reviews',
          path: `/services/${busiest.service_id}`,
          headers: { cookie },
        },
        { name: 'what worries citizens, region', path: '/citizens', headers: { cookie } },
        {
          name: 'what worries citizens, a municipality',
          path: `/citizens?mo=${muni.id}`,
          headers: { cookie },
        },
        { name: 'dashboard with the panel', path: '/dashboard', headers: { cookie } },
        { name: 'public review page', path: `/feedback/${code}`, headers: {} },
        {
          name: 'API feedback-scores by month',
          path: `/api/v1/services/${busiest.service_id}/feedback-scores?by=month`,
          headers: { authorization: `Bearer ${token}` },
        },
      ];
      const duration = ctx.quick ? 3 : 8;
      for (const p of pages) {
        const headers = { ...p.headers, 'accept-encoding': 'gzip' };
        await load(base + p.path, headers, 1);
        const res = await load(base + p.path, headers, duration);
        ctx.log(
          `${p.name.padEnd(40)} p50 ${res.latency.p50} ms  p99 ${res.latency.p99} ms  ${res.requests.average.toFixed(0)} req/s${res.non2xx ? `  ${res.non2xx} non-2xx` : ''}`,
        );
        results.push({
          bench: 'feedback',
          metric: `${p.name} p99 at ${n * 2} reviews (p50 ${res.latency.p50} ms, ${res.requests.average.toFixed(0)} req/s)`,
          value: res.latency.p99,
          unit: 'ms',
          goal: `≤ ${P99_GOAL_MS} ms`,
          pass: res.latency.p99 <= P99_GOAL_MS && !res.errors && !res.non2xx,
        });
      }
      return results;
    } finally {
      if (server) await stop(server.child);
      await database.drop();
    }
  },
};
