import { sql } from 'kysely';
import { enqueueCaseOpened } from '../../activities/feedback/index.ts';
import type { CaseState } from '../../domain/feedback/case-state.ts';
import { CASE_MAX_AGE_DAYS, caseDeadline, opensCase } from '../../domain/feedback/cases.ts';
import { addDays } from '../../domain/local-date.ts';
import { parseFeedback, type ParsedFeedback, type RawFeedback } from '../../domain/feedback/intake.ts';
import { monthOf } from '../../domain/feedback/period.ts';
import { matchTopics } from '../../domain/feedback/taxonomy.ts';
import { startFeedbackCase } from '../../workflows/feedback-case-client.ts';
import { todayOf, type FeedbackAppDeps } from './deps.ts';
import { effectiveCasePolicy } from './settings.ts';
import { loadTaxonomy } from './taxonomy.ts';

/** A sender's name: what makes its ids unique ("pos", "mfc-ais", "file", "web"). */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
export const MAX_BATCH = 1000;

export interface IngestIssue {
  /** Position of the review in the batch (0-based). */
  index: number;
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

export interface IngestInput {
  source: string;
  items: readonly RawFeedback[];
  /** A file upload: its log row is written in the same transaction and the reviews point at it. */
  file?: { filename: string; format: 'csv' | 'xlsx'; sha256: string; userId: number | null };
}

export type IngestResult =
  | {
      ok: true;
      received: number;
      inserted: number;
      /** Already on record under the same source and id (a repeated batch): skipped, not changed. */
      duplicates: number;
      caseIds: number[];
      importId: number | null;
    }
  | { ok: false; issues: IngestIssue[] };

/**
 * The one write path for reviews, whatever brought them (JSON API, file upload, the public page, the
 * seed): every review is checked first and nothing is written if any is wrong; then one transaction
 * inserts the new ones (a source's id already on record is skipped: repeats are harmless), adds them to
 * the monthly tallies and topic tallies the pages read, and opens a curator case for each low rating with a
 * text. The cases' workflows start after the commit.
 */
export async function ingestFeedback(deps: FeedbackAppDeps, input: IngestInput): Promise<IngestResult> {
  const { db } = deps;
  const issues: IngestIssue[] = [];
  if (!SOURCE_NAME.test(input.source))
    issues.push({ index: -1, field: 'source', key: 'error.feedback.source' });
  if (input.items.length === 0) issues.push({ index: -1, field: 'items', key: 'error.feedback.empty' });
  if (input.items.length > MAX_BATCH && !input.file)
    issues.push({ index: -1, field: 'items', key: 'error.feedback.tooMany', params: { max: MAX_BATCH } });
  if (issues.length) return { ok: false, issues };

  const today = todayOf(deps);
  const parsed: (ParsedFeedback | null)[] = input.items.map((raw, index) => {
    const r = parseFeedback(raw ?? {}, today);
    if (r.ok) return r.value;
    for (const i of r.issues) issues.push({ index, ...i });
    return null;
  });
  const firstOf = new Map<string, number>();
  parsed.forEach((p, index) => {
    if (!p?.sourceId) return;
    const first = firstOf.get(p.sourceId);
    if (first === undefined) firstOf.set(p.sourceId, index);
    else issues.push({ index, field: 'sourceId', key: 'error.feedback.duplicateInBatch', params: { first } });
  });

  // References: services by id or code, municipalities by agency code.
  const ok = parsed.filter((p): p is ParsedFeedback => p !== null);
  const ids = [...new Set(ok.flatMap((p) => ('id' in p.service ? [p.service.id] : [])))];
  const codes = [
    ...new Set(
      ok.flatMap((p) => ('code' in p.service ? [p.service.code, p.service.code.toUpperCase()] : [])),
    ),
  ];
  const munis = [
    ...new Set(ok.flatMap((p) => (p.municipality ? [p.municipality, p.municipality.toUpperCase()] : []))),
  ];
  const [services, municipalities] = await Promise.all([
    ids.length || codes.length
      ? db
          .selectFrom('service')
          .select(['id', 'code', 'agency_id', 'curator_user_id', 'title_ru'])
          .where((eb) =>
            eb.or([
              ...(ids.length ? [eb('id', 'in', ids)] : []),
              ...(codes.length ? [eb('code', 'in', codes)] : []),
            ]),
          )
          .execute()
      : [],
    munis.length
      ? db
          .selectFrom('agency')
          .select(['id', 'code'])
          .where('kind', '=', 'municipality')
          .where('code', 'in', munis)
          .execute()
      : [],
  ]);
  const byId = new Map(services.map((s) => [s.id, s]));
  const byCode = new Map(services.map((s) => [s.code, s]));
  const muniOf = new Map(municipalities.map((m) => [m.code, m.id]));
  const rows: { p: ParsedFeedback; service: (typeof services)[number]; municipalityId: number | null }[] = [];
  parsed.forEach((p, index) => {
    if (!p) return;
    const service =
      'id' in p.service
        ? byId.get(p.service.id)
        : (byCode.get(p.service.code) ?? byCode.get(p.service.code.toUpperCase()));
    if (!service) {
      const field = 'id' in p.service ? 'serviceId' : 'serviceCode';
      const value = 'id' in p.service ? String(p.service.id) : p.service.code;
      issues.push({
        index,
        field,
        key: 'error.feedback.unknownService',
        params: { value: value.slice(0, 64) },
      });
      return;
    }
    let municipalityId: number | null = null;
    if (p.municipality) {
      municipalityId = muniOf.get(p.municipality) ?? muniOf.get(p.municipality.toUpperCase()) ?? null;
      if (municipalityId === null) {
        issues.push({
          index,
          field: 'municipality',
          key: 'error.feedback.unknownMunicipality',
          params: { value: p.municipality.slice(0, 64) },
        });
        return;
      }
    }
    rows.push({ p, service, municipalityId });
  });
  if (issues.length) return { ok: false, issues: issues.sort((a, b) => a.index - b.index) };

  const [taxonomy, policy] = await Promise.all([loadTaxonomy(db), effectiveCasePolicy(db, deps.casePolicy)]);
  const topics = rows.map((r) => (r.p.text ? matchTopics(r.p.text, taxonomy) : []));

  const write = () =>
    db.transaction().execute(async (trx) => {
      let importId: number | null = null;
      if (input.file) {
        importId = (
          await trx
            .insertInto('feedback_import')
            .values({
              filename: input.file.filename.slice(0, 255),
              format: input.file.format,
              sha256: input.file.sha256,
              source: input.source,
              rows: rows.length,
              inserted: 0,
              duplicates: 0,
              imported_by: input.file.userId,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // The references checked above stay valid until commit: the services and municipalities of the batch are
      // locked once against deletion (the reviews carry no foreign keys; migration 0009 says why).
      const svcIds = [...new Set(rows.map((r) => r.service.id))].sort((a, b) => a - b);
      await sql`select id from service where id = any(${svcIds}::int[]) order by id for key share`.execute(
        trx,
      );
      const muIds = [...new Set(rows.flatMap((r) => (r.municipalityId ? [r.municipalityId] : [])))].sort(
        (a, b) => a - b,
      );
      if (muIds.length)
        await sql`select id from agency where id = any(${muIds}::int[]) order by id for key share`.execute(
          trx,
        );

      // Repeats are skipped: the sender's ids already on record (one index lookup for the batch). A batch
      // sent twice at the same moment meets the unique index instead; the caller retries (see below).
      const ids = rows.flatMap((r) => (r.p.sourceId ? [r.p.sourceId] : []));
      const seen = new Set<string>();
      for (let i = 0; i < ids.length; i += 10_000) {
        const found = await sql<{ source_id: string }>`select source_id from feedback
        where source = ${input.source} and source_id = any(${ids.slice(i, i + 10_000)}::text[])`.execute(trx);
        for (const f of found.rows) seen.add(f.source_id);
      }
      const recent = addDays(today, -CASE_MAX_AGE_DAYS);
      const fresh: { r: (typeof rows)[number]; topics: number[]; opens: boolean }[] = [];
      rows.forEach((r, j) => {
        if (r.p.sourceId && seen.has(r.p.sourceId)) return;
        const opens = opensCase(r.p.rating, r.p.text, policy.maxRating) && r.p.receivedOn >= recent;
        fresh.push({ r, topics: topics[j]!, opens });
      });

      // Reviews that open no case in bulk: arrays column by column through unnest(), a few parameters
      // however many rows, nothing returned. Those that open a case one by one (a few per batch): their id.
      const insertReviews = (part: typeof fresh) =>
        sql<{ id: number }>`
        insert into feedback (source, source_id, service_id, channel, municipality_id, office, received_on,
          rating, body, categories, topic_ids, contact_name, contact_email, contact_phone, consent_at, import_id)
        select ${input.source}, u.source_id, u.service_id, u.channel, u.municipality_id, u.office, u.received_on,
          u.rating, u.body,
          case when u.categories is null then '{}'::text[]
            else array(select json_array_elements_text(u.categories::json)) end,
          u.topic_ids::int[], u.contact_name, u.contact_email, u.contact_phone,
          case when coalesce(u.contact_name, u.contact_email, u.contact_phone) is not null then now() end,
          ${importId}::int
        from unnest(${part.map((x) => x.r.p.sourceId)}::text[], ${part.map((x) => x.r.service.id)}::int[],
          ${part.map((x) => x.r.p.channel)}::text[], ${part.map((x) => x.r.municipalityId)}::int[],
          ${part.map((x) => x.r.p.office)}::text[], ${part.map((x) => x.r.p.receivedOn)}::date[],
          ${part.map((x) => x.r.p.rating)}::smallint[], ${part.map((x) => x.r.p.text)}::text[],
          ${part.map((x) => (x.r.p.categories.length ? JSON.stringify(x.r.p.categories) : null))}::text[],
          ${part.map((x) => `{${x.topics.join(',')}}`)}::text[],
          ${part.map((x) => x.r.p.contact?.name ?? null)}::text[],
          ${part.map((x) => x.r.p.contact?.email ?? null)}::text[],
          ${part.map((x) => x.r.p.contact?.phone ?? null)}::text[])
          as u(source_id, service_id, channel, municipality_id, office, received_on, rating, body, categories,
            topic_ids, contact_name, contact_email, contact_phone)
        returning id`.execute(trx);
      const bulk = fresh.filter((x) => !x.opens);
      for (let i = 0; i < bulk.length; i += 5000) await insertReviews(bulk.slice(i, i + 5000));
      const caseRows: { id: number; x: (typeof fresh)[number] }[] = [];
      for (const x of fresh.filter((y) => y.opens))
        caseRows.push({ id: (await insertReviews([x])).rows[0]!.id, x });

      // Tallies: one delta per service and month, one per municipality and month (and their topics), all
      // four written by one statement, each in key order so that concurrent intakes lock rows in the same
      // order (no deadlocks).
      type Delta = { a: number; m: string; v: number; sum: number; r: number[]; t: number };
      const bySvc = new Map<string, Delta>();
      const byArea = new Map<string, Delta>();
      const topicSvc = new Map<string, { a: number; m: string; topic: number; n: number }>();
      const topicArea = new Map<string, { a: number; m: string; topic: number; n: number }>();
      const pad = (n: number) => String(n).padStart(10, '0');
      const add = (map: Map<string, Delta>, a: number, m: string, rating: number, hasText: boolean) => {
        const k = `${pad(a)}|${m}`;
        let d = map.get(k);
        if (!d) map.set(k, (d = { a, m, v: 0, sum: 0, r: [0, 0, 0, 0, 0], t: 0 }));
        d.v++;
        d.sum += rating;
        d.r[rating - 1]!++;
        if (hasText) d.t++;
      };
      const addTopic = (map: typeof topicSvc, a: number, m: string, topic: number) => {
        const k = `${pad(a)}|${m}|${pad(topic)}`;
        const x = map.get(k);
        if (x) x.n++;
        else map.set(k, { a, m, topic, n: 1 });
      };
      for (const { r, topics: ts } of fresh) {
        const m = monthOf(r.p.receivedOn);
        const mu = r.municipalityId ?? 0;
        add(bySvc, r.service.id, m, r.p.rating, r.p.text !== null);
        add(byArea, mu, m, r.p.rating, r.p.text !== null);
        for (const topic of ts) {
          addTopic(topicSvc, r.service.id, m, topic);
          addTopic(topicArea, mu, m, topic);
        }
      }
      const sorted = <T>(map: Map<string, T>) => [...map.keys()].sort().map((k) => map.get(k)!);
      const upsertTally = (table: string, key: string, ts: Delta[]) => {
        const t = sql.table(table);
        return sql`insert into ${t} (${sql.ref(key)}, month, votes, rating_sum, r1, r2, r3, r4, r5, with_text)
        select * from unnest(${ts.map((d) => d.a)}::int[], ${ts.map((d) => d.m)}::text[],
          ${ts.map((d) => d.v)}::int[], ${ts.map((d) => d.sum)}::int[], ${ts.map((d) => d.r[0])}::int[],
          ${ts.map((d) => d.r[1])}::int[], ${ts.map((d) => d.r[2])}::int[], ${ts.map((d) => d.r[3])}::int[],
          ${ts.map((d) => d.r[4])}::int[], ${ts.map((d) => d.t)}::int[])
        on conflict (${sql.ref(key)}, month) do update set
          votes = ${t}.votes + excluded.votes, rating_sum = ${t}.rating_sum + excluded.rating_sum,
          r1 = ${t}.r1 + excluded.r1, r2 = ${t}.r2 + excluded.r2, r3 = ${t}.r3 + excluded.r3,
          r4 = ${t}.r4 + excluded.r4, r5 = ${t}.r5 + excluded.r5,
          with_text = ${t}.with_text + excluded.with_text`;
      };
      const upsertTopics = (
        table: string,
        key: string,
        tt: { a: number; m: string; topic: number; n: number }[],
      ) => {
        const t = sql.table(table);
        return sql`insert into ${t} (${sql.ref(key)}, month, topic_id, n)
        select * from unnest(${tt.map((d) => d.a)}::int[], ${tt.map((d) => d.m)}::text[],
          ${tt.map((d) => d.topic)}::int[], ${tt.map((d) => d.n)}::int[])
        on conflict (${sql.ref(key)}, month, topic_id) do update set n = ${t}.n + excluded.n`;
      };
      if (fresh.length) {
        const ts = sorted(topicSvc);
        const ta = sorted(topicArea);
        await sql`with s as (${upsertTally('feedback_month', 'service_id', sorted(bySvc))}),
        a as (${upsertTally('feedback_area_month', 'municipality_id', sorted(byArea))})
        ${ts.length ? sql`, ts as (${upsertTopics('feedback_topic_month', 'service_id', ts)})` : sql``}
        ${ta.length ? sql`, ta as (${upsertTopics('feedback_area_topic_month', 'municipality_id', ta)})` : sql``}
        select 1`.execute(trx);
      }

      // Curator cases for low ratings with a text.
      const cases: CaseState[] = [];
      for (const { id, x } of caseRows) {
        const svc = x.r.service;
        const due = caseDeadline(today, policy);
        const c = await trx
          .insertInto('feedback_case')
          .values({
            feedback_id: id,
            service_id: svc.id,
            agency_id: svc.agency_id,
            curator_user_id: svc.curator_user_id,
            opened_on: today,
            due,
          })
          .returning(['id'])
          .executeTakeFirstOrThrow();
        await enqueueCaseOpened(trx, deps.publicUrl, {
          caseId: c.id,
          agencyId: svc.agency_id,
          curatorUserId: svc.curator_user_id,
          service: svc.title_ru,
          rating: x.r.p.rating,
          remark: x.r.p.text!,
          due,
        });
        cases.push({
          caseId: c.id,
          status: 'open',
          due,
          curatorUserId: svc.curator_user_id,
          agencyId: svc.agency_id,
          escalationLevel: 0,
          done: [],
          fixed: null,
        });
      }
      const inserted = fresh;
      // The intake's own row: its audit, and the write that moves the read cache's version (migration 0009).
      await trx
        .insertInto('feedback_batch')
        .values({
          source: input.source,
          received: rows.length,
          inserted: inserted.length,
          import_id: importId,
        })
        .execute();
      if (importId !== null)
        await trx
          .updateTable('feedback_import')
          .set({ inserted: inserted.length, duplicates: rows.length - inserted.length })
          .where('id', '=', importId)
          .execute();
      return { inserted: inserted.length, cases, importId };
    });
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (e) {
    // The same ids arrived in another transaction between our lookup and our insert (a batch resent while
    // the first was still being written): once that one committed, a second attempt skips them.
    if ((e as { code?: string }).code !== '23505') throw e;
    result = await write();
  }

  if (deps.temporal && result.cases.length) {
    for (const c of result.cases) {
      try {
        await startFeedbackCase(deps.temporal, c, policy);
      } catch (e) {
        // Committed: the worker's reconciliation starts it (ensureCaseWorkflows).
        deps.log?.warn({ err: (e as Error).message, caseId: c.caseId }, 'case workflow not started');
      }
    }
  }
  return {
    ok: true,
    received: rows.length,
    inserted: result.inserted,
    duplicates: rows.length - result.inserted,
    caseIds: result.cases.map((c) => c.caseId),
    importId: result.importId,
  };
}
