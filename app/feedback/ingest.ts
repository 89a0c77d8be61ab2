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

  const result = await db.transaction().execute(async (trx) => {
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
    // Arrays column by column through unnest(): one statement per chunk, a few parameters however many rows.
    const inserted: {
      id: number;
      service_id: number;
      received_on: string;
      rating: number;
      municipality_id: number | null;
      topic_ids: number[];
      has_text: boolean;
      case_body: string | null;
    }[] = [];
    const CHUNK = 5000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const col = <T>(f: (r: (typeof rows)[number], j: number) => T) => part.map((r, j) => f(r, i + j));
      const res = await sql<(typeof inserted)[number]>`
        insert into feedback (source, source_id, service_id, channel, municipality_id, office, received_on,
          rating, body, categories, topic_ids, contact_name, contact_email, contact_phone, consent_at, import_id)
        select ${input.source}, u.source_id, u.service_id, u.channel, u.municipality_id, u.office, u.received_on,
          u.rating, u.body,
          coalesce((select array_agg(x) from json_array_elements_text(u.categories::json) x), '{}'),
          u.topic_ids::int[], u.contact_name, u.contact_email, u.contact_phone,
          case when coalesce(u.contact_name, u.contact_email, u.contact_phone) is not null then now() end,
          ${importId}::int
        from unnest(${col((r) => r.p.sourceId)}::text[], ${col((r) => r.service.id)}::int[],
          ${col((r) => r.p.channel)}::text[], ${col((r) => r.municipalityId)}::int[],
          ${col((r) => r.p.office)}::text[], ${col((r) => r.p.receivedOn)}::date[],
          ${col((r) => r.p.rating)}::smallint[], ${col((r) => r.p.text)}::text[],
          ${col((r) => (r.p.categories.length ? JSON.stringify(r.p.categories) : null))}::text[],
          ${col((_, j) => `{${topics[j]!.join(',')}}`)}::text[],
          ${col((r) => r.p.contact?.name ?? null)}::text[], ${col((r) => r.p.contact?.email ?? null)}::text[],
          ${col((r) => r.p.contact?.phone ?? null)}::text[])
          as u(source_id, service_id, channel, municipality_id, office, received_on, rating, body, categories,
            topic_ids, contact_name, contact_email, contact_phone)
        on conflict (source, source_id) where source_id is not null do nothing
        returning id, service_id, received_on, rating, municipality_id, topic_ids, body is not null as has_text,
          case when rating <= ${policy.maxRating} then body end as case_body`.execute(trx);
      inserted.push(...res.rows);
    }

    // Tallies: one delta per service and month, one per municipality and month (and their topics); each
    // written in key order so that concurrent batches lock rows in the same order (no deadlocks).
    type Delta = { a: number; m: string; v: number; sum: number; r: number[]; t: number };
    const bySvc = new Map<string, Delta>();
    const byArea = new Map<string, Delta>();
    const topicSvc = new Map<string, { a: number; m: string; topic: number; n: number }>();
    const topicArea = new Map<string, { a: number; m: string; topic: number; n: number }>();
    const pad = (n: number) => String(n).padStart(10, '0');
    const add = (map: Map<string, Delta>, a: number, m: string, f: (typeof inserted)[number]) => {
      const k = `${pad(a)}|${m}`;
      let d = map.get(k);
      if (!d) map.set(k, (d = { a, m, v: 0, sum: 0, r: [0, 0, 0, 0, 0], t: 0 }));
      d.v++;
      d.sum += f.rating;
      d.r[f.rating - 1]!++;
      if (f.has_text) d.t++;
    };
    const addTopic = (map: typeof topicSvc, a: number, m: string, topic: number) => {
      const k = `${pad(a)}|${m}|${pad(topic)}`;
      const x = map.get(k);
      if (x) x.n++;
      else map.set(k, { a, m, topic, n: 1 });
    };
    for (const f of inserted) {
      const m = monthOf(f.received_on);
      const mu = f.municipality_id ?? 0;
      add(bySvc, f.service_id, m, f);
      add(byArea, mu, m, f);
      for (const topic of f.topic_ids) {
        addTopic(topicSvc, f.service_id, m, topic);
        addTopic(topicArea, mu, m, topic);
      }
    }
    const sorted = <T>(map: Map<string, T>) => [...map.keys()].sort().map((k) => map.get(k)!);
    for (const [table, key, map] of [
      ['feedback_month', 'service_id', bySvc],
      ['feedback_area_month', 'municipality_id', byArea],
    ] as const) {
      const ts = sorted(map);
      if (!ts.length) continue;
      const t = sql.table(table);
      await sql`insert into ${t} (${sql.ref(key)}, month, votes, rating_sum, r1, r2, r3, r4, r5, with_text)
        select * from unnest(${ts.map((d) => d.a)}::int[], ${ts.map((d) => d.m)}::text[],
          ${ts.map((d) => d.v)}::int[], ${ts.map((d) => d.sum)}::int[], ${ts.map((d) => d.r[0])}::int[],
          ${ts.map((d) => d.r[1])}::int[], ${ts.map((d) => d.r[2])}::int[], ${ts.map((d) => d.r[3])}::int[],
          ${ts.map((d) => d.r[4])}::int[], ${ts.map((d) => d.t)}::int[])
        on conflict (${sql.ref(key)}, month) do update set
          votes = ${t}.votes + excluded.votes, rating_sum = ${t}.rating_sum + excluded.rating_sum,
          r1 = ${t}.r1 + excluded.r1, r2 = ${t}.r2 + excluded.r2, r3 = ${t}.r3 + excluded.r3,
          r4 = ${t}.r4 + excluded.r4, r5 = ${t}.r5 + excluded.r5,
          with_text = ${t}.with_text + excluded.with_text`.execute(trx);
    }
    for (const [table, key, map] of [
      ['feedback_topic_month', 'service_id', topicSvc],
      ['feedback_area_topic_month', 'municipality_id', topicArea],
    ] as const) {
      const tt = sorted(map);
      if (!tt.length) continue;
      const t = sql.table(table);
      await sql`insert into ${t} (${sql.ref(key)}, month, topic_id, n)
        select * from unnest(${tt.map((d) => d.a)}::int[], ${tt.map((d) => d.m)}::text[],
          ${tt.map((d) => d.topic)}::int[], ${tt.map((d) => d.n)}::int[])
        on conflict (${sql.ref(key)}, month, topic_id) do update set n = ${t}.n + excluded.n`.execute(trx);
    }

    // Curator cases for low ratings with a text.
    const cases: CaseState[] = [];
    const serviceOf = new Map(rows.map((r) => [r.service.id, r.service]));
    const recent = addDays(today, -CASE_MAX_AGE_DAYS);
    for (const f of inserted) {
      if (!opensCase(f.rating, f.case_body, policy.maxRating) || f.received_on < recent) continue;
      const svc = serviceOf.get(f.service_id)!;
      const due = caseDeadline(today, policy);
      const c = await trx
        .insertInto('feedback_case')
        .values({
          feedback_id: f.id,
          service_id: f.service_id,
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
        rating: f.rating,
        remark: f.case_body!,
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
    if (importId !== null)
      await trx
        .updateTable('feedback_import')
        .set({ inserted: inserted.length, duplicates: rows.length - inserted.length })
        .where('id', '=', importId)
        .execute();
    return { inserted: inserted.length, cases, importId };
  });

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
