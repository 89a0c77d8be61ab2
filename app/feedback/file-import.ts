import { createHash } from 'node:crypto';
import { mapHeader, rowObject, type ColumnSpec } from '../services/columns.ts';
import { readTable, TableFileError, type ImportIssue, type Table } from '../services/table-file.ts';
import type { RawFeedback } from '../../domain/feedback/intake.ts';
import type { FeedbackAppDeps } from './deps.ts';
import { ingestFeedback, SOURCE_NAME } from './ingest.ts';

/**
 * Reviews from a CSV or XLSX file in the shape of a typical export (ПОС, МФЦ, the regional portal):
 * Russian or English headers, checked whole like the score import — every problem with its row and
 * column, nothing stored if there is any. Rows with an id are idempotent (a re-uploaded file stores
 * nothing new); rows without one are new every time, so exports without ids should be uploaded once.
 */
export const FEEDBACK_COLUMNS: ColumnSpec<
  'id' | 'code' | 'channel' | 'date' | 'rating' | 'text' | 'municipality' | 'office' | 'categories' | 'title'
>[] = [
  {
    key: 'id',
    aliases: ['ID отзыва', 'Номер отзыва', 'id', 'review id', 'номер', 'идентификатор'],
    required: false,
  },
  { key: 'code', aliases: ['Код услуги', 'service code', 'code', 'код'], required: true },
  { key: 'channel', aliases: ['Канал', 'channel', 'источник отзыва', 'канал получения'], required: true },
  { key: 'date', aliases: ['Дата', 'date', 'дата отзыва', 'дата оценки'], required: true },
  { key: 'rating', aliases: ['Оценка', 'rating', 'score', 'балл'], required: true },
  {
    key: 'text',
    aliases: ['Текст', 'Комментарий', 'text', 'comment', 'текст отзыва', 'отзыв'],
    required: false,
  },
  {
    key: 'municipality',
    aliases: ['Муниципальное образование', 'municipality', 'мо', 'омсу', 'муниципалитет'],
    required: false,
  },
  { key: 'office', aliases: ['Офис', 'office', 'отделение мфц', 'мфц', 'место'], required: false },
  { key: 'categories', aliases: ['Категории', 'categories', 'категория', 'тематика'], required: false },
  { key: 'title', aliases: ['Наименование услуги', 'service', 'title', 'услуга'], required: false },
];

/** A file of a month of a large region (~250k reviews) fits; bigger exports are split by month. */
export const MAX_FEEDBACK_ROWS = 300_000;

const FIELD_COLUMN: Record<string, keyof typeof COLUMN_OF> = {
  sourceId: 'id',
  serviceCode: 'code',
  service: 'code',
  channel: 'channel',
  date: 'date',
  rating: 'rating',
  text: 'text',
  municipality: 'municipality',
  office: 'office',
};
const COLUMN_OF = {
  id: 0,
  code: 0,
  channel: 0,
  date: 0,
  rating: 0,
  text: 0,
  municipality: 0,
  office: 0,
  categories: 0,
};

export type FeedbackFileResult =
  | {
      ok: true;
      format: Table['format'];
      rows: number;
      inserted: number;
      duplicates: number;
      cases: number;
      importId: number;
    }
  | { ok: false; errors: ImportIssue[] };

export async function importFeedbackFile(
  deps: FeedbackAppDeps,
  input: { bytes: Uint8Array; filename: string; source: string; userId: number | null },
): Promise<FeedbackFileResult> {
  if (!SOURCE_NAME.test(input.source))
    return { ok: false, errors: [{ row: null, column: null, key: 'error.feedback.source' }] };
  let table: Table;
  try {
    table = await readTable(input.bytes, input.filename, { maxRows: MAX_FEEDBACK_ROWS });
  } catch (e) {
    if (e instanceof TableFileError) return { ok: false, errors: [e.issue] };
    throw e;
  }
  const { map, issues } = mapHeader(table, FEEDBACK_COLUMNS);
  if (issues.length) return { ok: false, errors: issues };
  const items: RawFeedback[] = table.rows.map((r) => {
    const o = rowObject(map, r) as Record<string, string>;
    return {
      sourceId: o.id || undefined,
      serviceCode: o.code,
      channel: o.channel,
      date: o.date,
      rating: o.rating,
      text: o.text || undefined,
      municipality: o.municipality || undefined,
      office: o.office || undefined,
      categories: o.categories || undefined,
    };
  });
  const res = await ingestFeedback(deps, {
    source: input.source,
    items,
    file: {
      filename: input.filename || 'upload',
      format: table.format,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      userId: input.userId,
    },
  });
  if (!res.ok) {
    const header = (k: string) => {
      const i = map.index[k as keyof typeof map.index];
      return i === undefined ? k : (map.header[i] ?? k);
    };
    return {
      ok: false,
      errors: res.issues.map((i) => {
        const col =
          FIELD_COLUMN[i.field.split('.')[0]!] ?? (i.field.startsWith('categories') ? 'categories' : null);
        return {
          row: i.index >= 0 ? table.rows[i.index]!.row : null,
          column: col ? header(col) : null,
          key: i.key,
          ...(i.params
            ? {
                params:
                  i.key === 'error.feedback.duplicateInBatch' && 'first' in i.params
                    ? { ...i.params, first: table.rows[Number(i.params.first)]!.row }
                    : i.params,
              }
            : {}),
        };
      }),
    };
  }
  return {
    ok: true,
    format: table.format,
    rows: res.received,
    inserted: res.inserted,
    duplicates: res.duplicates,
    cases: res.caseIds.length,
    importId: res.importId!,
  };
}
