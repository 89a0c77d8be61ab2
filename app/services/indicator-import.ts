import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { comparePeriods, parsePeriod } from '../../domain/services/index.ts';
import { decimalCell, mapHeader, rowIssues, rowObject, type ColumnSpec } from './columns.ts';
import { readTable, TableFileError, type ImportIssue, type Table } from './table-file.ts';

/**
 * Plan/actual values of a life situation's indicators per period, from CSV or XLSX. Same rules as the score
 * import: validate everything first, report every error by row and column, write all or nothing, upsert by
 * (indicator, period). A plan or actual column that is absent leaves stored values alone.
 */

export const INDICATOR_COLUMNS: ColumnSpec<'code' | 'period' | 'plan' | 'actual' | 'title' | 'unit'>[] = [
  { key: 'code', aliases: ['Код показателя', 'indicator', 'code', 'indicator code', 'код'], required: true },
  { key: 'period', aliases: ['Период', 'period', 'отчетный период'], required: true },
  { key: 'plan', aliases: ['План', 'plan', 'плановое значение', 'target'], required: false },
  { key: 'actual', aliases: ['Факт', 'actual', 'фактическое значение', 'fact'], required: false },
  {
    key: 'title',
    aliases: ['Наименование показателя', 'title', 'показатель', 'наименование'],
    required: false,
  },
  { key: 'unit', aliases: ['Единица измерения', 'unit', 'ед. изм'], required: false },
];

const LIMIT = 1e9;
const IndicatorRow = z.object({
  code: z.string().trim().min(1, 'error.svc.import.required').max(64, 'error.svc.import.tooLong'),
  period: z.string().transform((v, ctx) => {
    const key = parsePeriod(v);
    if (!key)
      ctx.addIssue({
        code: 'custom',
        message: v.trim() ? 'error.svc.import.period' : 'error.svc.import.required',
        params: { value: v.slice(0, 40) },
      });
    return key ?? '';
  }),
  plan: z
    .string()
    .transform(decimalCell(-LIMIT, LIMIT, 4))
    .optional(),
  actual: z
    .string()
    .transform(decimalCell(-LIMIT, LIMIT, 4))
    .optional(),
  title: z.string().optional(),
  unit: z.string().optional(),
});

export type IndicatorImportResult =
  | { ok: true; format: Table['format']; rows: number; periods: string[] }
  | { ok: false; errors: ImportIssue[] };

export async function importIndicatorValues(
  db: Db,
  input: { lifeSituationId: number; bytes: Uint8Array; filename: string },
): Promise<IndicatorImportResult> {
  let table: Table;
  try {
    table = await readTable(input.bytes, input.filename);
  } catch (e) {
    if (e instanceof TableFileError) return { ok: false, errors: [e.issue] };
    throw e;
  }
  const { map, issues } = mapHeader(table, INDICATOR_COLUMNS);
  if (!issues.length && map.index.plan === undefined && map.index.actual === undefined)
    issues.push({
      row: table.headerRow,
      column: INDICATOR_COLUMNS[3]!.aliases[0]!,
      key: 'error.svc.import.headerMissing',
    });
  if (issues.length) return { ok: false, errors: issues };

  const indicators = await db
    .selectFrom('indicator')
    .select(['id', 'code'])
    .where('life_situation_id', '=', input.lifeSituationId)
    .execute();
  const byCode = new Map(indicators.map((i) => [i.code.toLowerCase(), i.id]));
  const col = (k: keyof typeof map.index) => map.header[map.index[k]!]!;
  const errors: ImportIssue[] = [];
  const rows: {
    row: number;
    indicatorId: number;
    period: string;
    plan?: number | null;
    actual?: number | null;
  }[] = [];
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const parsed = IndicatorRow.safeParse(rowObject(map, r));
    if (!parsed.success) {
      errors.push(...rowIssues(map, r.row, parsed.error));
      continue;
    }
    const v = parsed.data;
    const id = byCode.get(v.code.toLowerCase());
    if (id === undefined) {
      errors.push({
        row: r.row,
        column: col('code'),
        key: 'error.svc.import.unknownIndicator',
        params: { code: v.code },
      });
      continue;
    }
    const k = `${id}|${v.period}`;
    const first = seen.get(k);
    if (first !== undefined) {
      errors.push({
        row: r.row,
        column: col('code'),
        key: 'error.svc.import.duplicateRow',
        params: { code: v.code, first },
      });
      continue;
    }
    seen.set(k, r.row);
    rows.push({
      row: r.row,
      indicatorId: id,
      period: v.period,
      ...(map.index.plan !== undefined ? { plan: v.plan ?? null } : {}),
      ...(map.index.actual !== undefined ? { actual: v.actual ?? null } : {}),
    });
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)) };

  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await trx
        .insertInto('indicator_value')
        .values({
          indicator_id: r.indicatorId,
          period: r.period,
          plan: r.plan ?? null,
          actual: r.actual ?? null,
        })
        .onConflict((oc) =>
          oc.columns(['indicator_id', 'period']).doUpdateSet({
            ...(r.plan !== undefined ? { plan: r.plan } : {}),
            ...(r.actual !== undefined ? { actual: r.actual } : {}),
          }),
        )
        .execute();
    }
  });
  return {
    ok: true,
    format: table.format,
    rows: rows.length,
    periods: [...new Set(rows.map((r) => r.period))].sort(comparePeriods),
  };
}
