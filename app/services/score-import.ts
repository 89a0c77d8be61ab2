import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { comparePeriods, parsePeriod } from '../../domain/services/index.ts';
import { decimalCell, intCell, mapHeader, rowIssues, rowObject, type ColumnSpec } from './columns.ts';
import { readTable, TableFileError, type ImportIssue, type Table } from './table-file.ts';

/**
 * Citizen scores per service and period from a CSV or XLSX file. Every row is validated first (file,
 * header, values, duplicates, unknown services and agencies); any error → nothing is written and every
 * error is reported with its row and column. Otherwise one transaction upserts by (service, period), so
 * importing the same period again changes only what changed.
 */

export const SCORE_COLUMNS: ColumnSpec<'code' | 'period' | 'average' | 'count' | 'agency' | 'title'>[] = [
  { key: 'code', aliases: ['Код услуги', 'code', 'service code', 'код'], required: true },
  { key: 'period', aliases: ['Период', 'period', 'отчетный период', 'reporting period'], required: true },
  {
    key: 'average',
    aliases: ['Средняя оценка', 'average', 'avg', 'average score', 'средний балл', 'оценка', 'score'],
    required: true,
  },
  {
    key: 'count',
    aliases: ['Количество оценок', 'count', 'votes', 'ratings', 'число оценок', 'количество'],
    required: true,
  },
  { key: 'agency', aliases: ['Ведомство', 'agency', 'орган власти', 'ogv'], required: false },
  {
    key: 'title',
    aliases: ['Наименование услуги', 'title', 'service', 'service title', 'наименование', 'услуга'],
    required: false,
  },
];

const MAX_VOTES = 100_000_000;

const ScoreRow = z.object({
  code: z.string().trim().min(1, 'error.svc.import.required').max(64, 'error.svc.import.tooLong'),
  period: z.string().transform((v, ctx) => {
    if (v.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'error.svc.import.required' });
      return '';
    }
    const key = parsePeriod(v);
    if (!key)
      ctx.addIssue({ code: 'custom', message: 'error.svc.import.period', params: { value: v.slice(0, 40) } });
    return key ?? '';
  }),
  average: z.string().transform(decimalCell(1, 5)),
  count: z.string().transform(intCell(0, MAX_VOTES)),
  agency: z.string().trim().optional(),
  title: z.string().optional(),
  criteria: z.record(z.string(), z.string().transform(decimalCell(1, 5))).optional(),
});

interface ValidRow {
  row: number;
  code: string;
  period: string;
  average: number | null;
  votes: number;
  agency: string | undefined;
  criteria: Record<string, number> | null;
}

export type ScoreImportResult =
  | {
      ok: true;
      importId: number;
      format: Table['format'];
      rows: number;
      inserted: number;
      updated: number;
      unchanged: number;
      periods: string[];
      /** Improvements waiting for a score of one of the imported services: their workflows are told. */
      improvements: { id: number; serviceId: number }[];
    }
  | { ok: false; errors: ImportIssue[] };

const byRowThenColumn = (header: string[]) => (a: ImportIssue, b: ImportIssue) =>
  (a.row ?? 0) - (b.row ?? 0) || header.indexOf(a.column ?? '') - header.indexOf(b.column ?? '');

const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

export async function importScores(
  db: Db,
  input: { bytes: Uint8Array; filename: string; userId: number | null },
): Promise<ScoreImportResult> {
  let table: Table;
  try {
    table = await readTable(input.bytes, input.filename);
  } catch (e) {
    if (e instanceof TableFileError) return { ok: false, errors: [e.issue] };
    throw e;
  }
  const { map, issues: headerIssues } = mapHeader(table, SCORE_COLUMNS, { criteria: true });
  if (headerIssues.length) return { ok: false, errors: headerIssues };

  const errors: ImportIssue[] = [];
  const valid: ValidRow[] = [];
  const column = (k: keyof typeof map.index) => map.header[map.index[k]!]!;
  for (const r of table.rows) {
    const parsed = ScoreRow.safeParse(rowObject(map, r));
    if (!parsed.success) {
      errors.push(...rowIssues(map, r.row, parsed.error));
      continue;
    }
    const v = parsed.data;
    // Cross-field rules: an average needs votes, votes need an average.
    if (v.average === null && v.count > 0) {
      errors.push({ row: r.row, column: column('average'), key: 'error.svc.import.averageMissing' });
      continue;
    }
    if (v.average !== null && v.count === 0) {
      errors.push({ row: r.row, column: column('count'), key: 'error.svc.import.countZero' });
      continue;
    }
    const criteria = Object.fromEntries(
      Object.entries(v.criteria ?? {}).filter((e): e is [string, number] => e[1] !== null),
    );
    valid.push({
      row: r.row,
      code: v.code,
      period: v.period,
      average: v.average,
      votes: v.count,
      agency: v.agency || undefined,
      criteria: Object.keys(criteria).length ? criteria : null,
    });
  }

  // The same service and period twice in one file: which one is meant is not ours to guess.
  const firstRow = new Map<string, number>();
  for (const v of valid) {
    const k = `${norm(v.code)}|${v.period}`;
    const first = firstRow.get(k);
    if (first !== undefined)
      errors.push({
        row: v.row,
        column: column('code'),
        key: 'error.svc.import.duplicateRow',
        params: { code: v.code, first },
      });
    else firstRow.set(k, v.row);
  }

  const codes = [...new Set(valid.map((v) => norm(v.code)))];
  const services = codes.length
    ? await db
        .selectFrom('service as s')
        .innerJoin('agency as a', 'a.id', 's.agency_id')
        .select(['s.id', 's.code', 's.agency_id', 'a.code as agency_code', 'a.short_ru'])
        .where((eb) => eb(eb.fn('lower', ['s.code']), 'in', codes))
        .execute()
    : [];
  const serviceOf = new Map(services.map((s) => [norm(s.code), s]));
  const agencies = map.index.agency !== undefined ? await db.selectFrom('agency').selectAll().execute() : [];
  const agencyOf = (name: string) =>
    agencies.find((a) =>
      [a.code, a.short_ru, a.title_ru, a.title_en].some((x) => x && norm(x) === norm(name)),
    );

  for (const v of valid) {
    const s = serviceOf.get(norm(v.code));
    if (!s) {
      errors.push({
        row: v.row,
        column: column('code'),
        key: 'error.svc.import.unknownService',
        params: { code: v.code },
      });
      continue;
    }
    if (v.agency) {
      const a = agencyOf(v.agency);
      if (!a)
        errors.push({
          row: v.row,
          column: column('agency'),
          key: 'error.svc.import.unknownAgency',
          params: { agency: v.agency },
        });
      else if (a.id !== s.agency_id)
        errors.push({
          row: v.row,
          column: column('agency'),
          key: 'error.svc.import.agencyMismatch',
          params: { code: s.code, agency: s.short_ru ?? s.agency_code },
        });
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort(byRowThenColumn(map.header)) };

  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const periods = [...new Set(valid.map((v) => v.period))].sort(comparePeriods);
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(valid.map((v) => serviceOf.get(norm(v.code))!.id))];
    const existing = await trx
      .selectFrom('service_score')
      .select(['service_id', 'period', 'avg_score', 'votes', 'criteria'])
      .where('service_id', 'in', ids)
      .where('period', 'in', periods)
      .execute();
    const before = new Map(existing.map((e) => [`${e.service_id}|${e.period}`, e]));
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    const writes = [];
    for (const v of valid) {
      const serviceId = serviceOf.get(norm(v.code))!.id;
      const old = before.get(`${serviceId}|${v.period}`);
      if (!old) inserted++;
      else if (
        (old.avg_score === null ? null : Number(old.avg_score)) === v.average &&
        old.votes === v.votes &&
        sameJson(old.criteria, v.criteria)
      ) {
        unchanged++;
        continue;
      } else updated++;
      writes.push({
        service_id: serviceId,
        period: v.period,
        avg_score: v.average,
        votes: v.votes,
        criteria: v.criteria ? JSON.stringify(v.criteria) : null,
      });
    }
    for (let i = 0; i < writes.length; i += 500) {
      await trx
        .insertInto('service_score')
        .values(writes.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['service_id', 'period']).doUpdateSet((eb) => ({
            avg_score: eb.ref('excluded.avg_score'),
            votes: eb.ref('excluded.votes'),
            criteria: eb.ref('excluded.criteria'),
            imported_at: new Date(),
          })),
        )
        .execute();
    }
    const log = await trx
      .insertInto('score_import')
      .values({
        filename: input.filename.slice(0, 255),
        format: table.format,
        sha256,
        periods,
        rows: valid.length,
        inserted,
        updated,
        unchanged,
        imported_by: input.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const improvements = await trx
      .selectFrom('service_improvement')
      .select(['id', 'service_id as serviceId'])
      .where('service_id', 'in', ids)
      .where('status', '=', 'awaiting_score')
      .orderBy('id')
      .execute();
    return {
      ok: true as const,
      importId: log.id,
      format: table.format,
      rows: valid.length,
      inserted,
      updated,
      unchanged,
      periods,
      improvements,
    };
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  const canon = (x: unknown) =>
    x === null || x === undefined
      ? 'null'
      : JSON.stringify(Object.fromEntries(Object.entries(x as Record<string, unknown>).sort()));
  return canon(a) === canon(b);
}
