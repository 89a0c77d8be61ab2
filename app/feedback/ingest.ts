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

    // Tallies: one delta per service, month and municipality; written in key order so that concurrent
    // batches lock rows in the same order (no deadlocks).
    const tally = new Map<
      string,
      { s: number; m: string; mu: number; v: number; sum: number; r: number[]; t: number }
    >();
    const topicTally = new Map<string, { s: number; m: string; mu: number; topic: number; n: number }>();
    for (const f of inserted) {
      const m = monthOf(f.received_on);
      const mu = f.municipality_id ?? 0;
      const k = `${String(f.service_id).padStart(10, '0')}|${m}|${String(mu).padStart(10, '0')}`;
      let t = tally.get(k);
      if (!t) tally.set(k, (t = { s: f.service_id, m, mu, v: 0, sum: 0, r: [0, 0, 0, 0, 0], t: 0 }));
      t.v++;
      t.sum += f.rating;
      t.r[f.rating - 1]!++;
      if (f.has_text) t.t++;
      for (const topic of f.topic_ids) {
        const tk = `${k}|${String(topic).padStart(10, '0')}`;
        const x = topicTally.get(tk);
        if (x) x.n++;
        else topicTally.set(tk, { s: f.service_id, m, mu, topic, n: 1 });
      }
    }
    const ts = [...tally.keys()].sort().map((k) => tally.get(k)!);
    if (ts.length)
      await sql`insert into feedback_month (service_id, month, municipality_id, votes, rating_sum, r1, r2, r3, r4, r5, with_text)
        select * from unnest(${ts.map((t) => t.s)}::int[], ${ts.map((t) => t.m)}::text[], ${ts.map((t) => t.mu)}::int[],
          ${ts.map((t) => t.v)}::int[], ${ts.map((t) => t.sum)}::int[], ${ts.map((t) => t.r[0])}::int[],
          ${ts.map((t) => t.r[1])}::int[], ${ts.map((t) => t.r[2])}::int[], ${ts.map((t) => t.r[3])}::int[],
          ${ts.map((t) => t.r[4])}::int[], ${ts.map((t) => t.t)}::int[])
        on conflict (service_id, month, municipality_id) do update set
          votes = feedback_month.votes + excluded.votes, rating_sum = feedback_month.rating_sum + excluded.rating_sum,
          r1 = feedback_month.r1 + excluded.r1, r2 = feedback_month.r2 + excluded.r2,
          r3 = feedback_month.r3 + excluded.r3, r4 = feedback_month.r4 + excluded.r4,
          r5 = feedback_month.r5 + excluded.r5, with_text = feedback_month.with_text + excluded.with_text`.execute(
        trx,
      );
    const tt = [...topicTally.keys()].sort().map((k) => topicTally.get(k)!);
    if (tt.length)
      await sql`insert into feedback_topic_month (service_id, month, municipality_id, topic_id, n)
        select * from unnest(${tt.map((t) => t.s)}::int[], ${tt.map((t) => t.m)}::text[],
          ${tt.map((t) => t.mu)}::int[], ${tt.map((t) => t.topic)}::int[], ${tt.map((t) => t.n)}::int[])
        on conflict (service_id, month, municipality_id, topic_id) do update set n = feedback_topic_month.n + excluded.n`.execute(
        trx,
      );

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
