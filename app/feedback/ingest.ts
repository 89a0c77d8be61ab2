import { sql } from 'kysely';
import { holdReferences, insertReviews, type ReviewRow } from '../../db/feedback-store.ts';
import type { CaseState } from '../../domain/feedback/case-state.ts';
import { CASE_MAX_AGE_DAYS, caseDeadline, opensCase } from '../../domain/feedback/cases.ts';
import { addDays } from '../../domain/local-date.ts';
import { parseFeedback, type ParsedFeedback, type RawFeedback } from '../../domain/feedback/intake.ts';
import { worryTopics } from '../../domain/feedback/taxonomy.ts';
import { startFeedbackCase } from './workflow.ts';
import { todayOf, type FeedbackAppDeps } from './deps.ts';
import { foldNow } from './fold.ts';
import { effectiveCasePolicy } from './settings.ts';
import { loadStampedTaxonomy } from './taxonomy.ts';

class ReferencesChanged extends Error {}

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
 * inserts the new ones (a source's id already on record is skipped: repeats are harmless) with the intake's
 * `feedback_batch` row, and opens a curator case for each low rating with a text. After the commit the
 * batch is folded into the monthly tallies and topic tallies the pages read — at once, or by the process's
 * folder within its interval (docs/decisions.md §46) — and the cases' workflows start.
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
              ...(ids.length ? [sql<boolean>`id = any(${ids}::int[])`] : []),
              ...(codes.length ? [sql<boolean>`code = any(${codes}::text[])`] : []),
            ]),
          )
          .execute()
      : [],
    munis.length
      ? db
          .selectFrom('agency')
          .select(['id', 'code'])
          .where('kind', '=', 'municipality')
          .where(sql<boolean>`code = any(${munis}::text[])`)
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

  const [{ stamp, taxonomy }, policy] = await Promise.all([
    loadStampedTaxonomy(db),
    effectiveCasePolicy(db, deps.casePolicy),
  ]);
  const recent = addDays(today, -CASE_MAX_AGE_DAYS);
  const prepared = rows.map((r) => {
    const review: ReviewRow = {
      sourceId: r.p.sourceId,
      serviceId: r.service.id,
      channel: r.p.channel,
      municipalityId: r.municipalityId,
      office: r.p.office,
      receivedOn: r.p.receivedOn,
      rating: r.p.rating,
      text: r.p.text,
      categories: r.p.categories,
      topicIds: worryTopics(r.p.rating, r.p.text, taxonomy),
      contact: r.p.contact,
    };
    const opens = opensCase(r.p.rating, r.p.text, policy.maxRating) && r.p.receivedOn >= recent;
    return { review, service: r.service, opens };
  });

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
      // The rules stay as matched until commit: an edit of the taxonomy waits for intakes in flight (its
      // re-matching then sees their reviews), and one that committed since the matching above is applied
      // here — so no review is stored with topics of rules the re-matching has already passed.
      await sql`select id from feedback_topic order by id for share`.execute(trx);
      const now = await loadStampedTaxonomy(trx);
      if (now.stamp !== stamp)
        for (const x of prepared)
          x.review.topicIds = worryTopics(x.review.rating, x.review.text, now.taxonomy);
      // The references checked above stay valid until commit (a service deleted since: check again).
      const held = await holdReferences(
        trx,
        prepared.map((x) => x.service.id),
        prepared.flatMap((x) => (x.review.municipalityId ? [x.review.municipalityId] : [])),
      );
      if (!held) throw new ReferencesChanged();
      // The batch's id first: its reviews carry it, and the fold finds them by it (§46).
      const batchId = (
        await sql<{
          id: number;
        }>`select nextval(pg_get_serial_sequence('feedback_batch', 'id'))::int as id`.execute(trx)
      ).rows[0]!.id;
      // Reviews that open no case in bulk, only the count and range of their ids returned; those that open
      // one with their ids. A sender's id on record is skipped by the insert itself (repeats are harmless).
      // The tallies are not touched here: the fold adds the batch to them after the commit.
      const bulk = await insertReviews(
        trx,
        input.source,
        importId,
        prepared.filter((x) => !x.opens).map((x) => x.review),
        { batchId },
      );
      const candidates = prepared.filter((x) => x.opens);
      const stored = await insertReviews(
        trx,
        input.source,
        importId,
        candidates.map((x) => x.review),
        { returning: true, batchId },
      );
      // The stored ones come back in the order given, the skipped ones (ids on record) left out; a review
      // without a sender's id is never skipped.
      const opening: { x: (typeof prepared)[number]; reviewId: number }[] = [];
      let next = 0;
      for (const x of candidates) {
        const got = stored.ids[next];
        if (got && got.sourceId === x.review.sourceId) {
          opening.push({ x, reviewId: got.id });
          next++;
        }
      }
      const inserted = bulk.inserted + stored.inserted;
      const ends = [bulk.first, bulk.last, stored.first, stored.last].filter((v): v is number => v !== null);
      // Curator cases for low ratings with a text; the case's workflow tells the curator.
      const due = caseDeadline(today, policy);
      const cases: CaseState[] = [];
      if (opening.length) {
        const rowsOut = await trx
          .insertInto('feedback_case')
          .values(
            opening.map(({ x, reviewId }) => ({
              feedback_id: reviewId,
              service_id: x.service.id,
              agency_id: x.service.agency_id,
              curator_user_id: x.service.curator_user_id,
              opened_on: today,
              due,
            })),
          )
          .returning(['id', 'agency_id', 'curator_user_id'])
          .execute();
        for (const c of rowsOut)
          cases.push({
            caseId: c.id,
            status: 'open',
            due,
            curatorUserId: c.curator_user_id,
            agencyId: c.agency_id,
            escalationLevel: 0,
            done: [],
            fixed: null,
          });
      }
      // The intake's own row: its audit, and the write that moves the read cache's version (migration 0012).
      await trx
        .insertInto('feedback_batch')
        .values({
          id: batchId,
          source: input.source,
          received: rows.length,
          inserted,
          import_id: importId,
          first_id: ends.length ? Math.min(...ends) : null,
          last_id: ends.length ? Math.max(...ends) : null,
          // Nothing new (a batch sent again): nothing to fold.
          folded_at: inserted ? null : sql<Date>`now()`,
        })
        .execute();
      if (importId !== null)
        await trx
          .updateTable('feedback_import')
          .set({ inserted, duplicates: rows.length - inserted })
          .where('id', '=', importId)
          .execute();
      return { inserted, cases, importId };
    });
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (e) {
    // A service or municipality went away between the check and the lock: check again, which now says so.
    if (e instanceof ReferencesChanged) return ingestFeedback(deps, input);
    throw e;
  }

  // Into the tallies the pages read: now, or within the folder's interval when intakes come in a stream.
  if (result.inserted) await foldNow(deps, result.inserted);

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
