import type { Db } from '../../db/index.ts';
import { parseDateList } from '../../domain/calendar/index.ts';
import type { Actor } from '../../domain/roles.ts';
import { requireAdmin } from '../reference/shared.ts';
import { saveCalendarYear, type CalendarChange } from './calendar.ts';
import type { ColumnSpec } from '../services/columns.ts';
import {
  duplicates,
  readRows,
  sortIssues,
  type FileOutcome,
  type ImportIssue,
} from '../reference/table-import.ts';

// A year of the production calendar uploaded as CSV/XLSX: one row per date that differs from the usual
// week — «Дата» and «Тип» (выходной / праздничный / нерабочий → a day off; рабочий → a working weekend
// day). Every row is checked; the year's own rules (calendarYearProblems) are checked by the save.

type Column = 'date' | 'type' | 'note';
export const CALENDAR_COLUMNS: ColumnSpec<Column>[] = [
  { key: 'date', aliases: ['Дата', 'date', 'day', 'день'], required: true },
  { key: 'type', aliases: ['Тип', 'Тип дня', 'type', 'kind', 'вид'], required: true },
  { key: 'note', aliases: ['Примечание', 'Праздник', 'Основание', 'note', 'comment'], required: false },
];

const OFF = [
  'выходной',
  'выходной день',
  'праздничный',
  'праздник',
  'праздничный день',
  'нерабочий',
  'нерабочий день',
  'day off',
  'holiday',
  'off',
];
const WORKING = [
  'рабочий',
  'рабочий день',
  'рабочая суббота',
  'рабочее воскресенье',
  'working',
  'working day',
  'work',
];

export async function readCalendarFile(
  file: { bytes: Uint8Array; filename: string },
  year: number,
): Promise<FileOutcome<{ daysOff: string[]; workingWeekends: string[] }>> {
  const read = await readRows(file, CALENDAR_COLUMNS);
  if (!read.ok) return read;
  const { rows, column, map } = read;
  const errors: ImportIssue[] = [];
  const found: { row: number; item: { date: string; off: boolean } }[] = [];
  for (const r of rows) {
    const { dates, bad } = parseDateList(r.cells.date, year);
    const type = r.cells.type.trim().toLowerCase().replace(/ё/g, 'е');
    const off = OFF.includes(type) ? true : WORKING.includes(type) ? false : null;
    if (!r.cells.date) errors.push({ row: r.row, column: column('date'), key: 'error.svc.import.required' });
    else if (dates.length !== 1 || bad.length)
      errors.push({
        row: r.row,
        column: column('date'),
        key: 'error.calendar.fileDate',
        params: { value: r.cells.date.slice(0, 40) },
      });
    else if (!dates[0]!.startsWith(`${year}-`))
      errors.push({
        row: r.row,
        column: column('date'),
        key: 'error.calendar.otherYear',
        params: { value: dates[0]!, year },
      });
    if (off === null)
      errors.push({
        row: r.row,
        column: column('type'),
        key: 'error.calendar.fileType',
        params: { value: r.cells.type.slice(0, 40) },
      });
    if (dates.length === 1 && !bad.length && off !== null && dates[0]!.startsWith(`${year}-`))
      found.push({ row: r.row, item: { date: dates[0]!, off } });
  }
  errors.push(
    ...duplicates(
      found,
      (x) => x.date,
      (row, first, x) => ({
        row,
        column: column('date'),
        key: 'error.calendar.fileDuplicate',
        params: { value: x.date, first },
      }),
    ),
  );
  if (errors.length) return { ok: false, errors: sortIssues(map.header, errors) };
  return {
    ok: true,
    daysOff: found.filter((f) => f.item.off).map((f) => f.item.date),
    workingWeekends: found.filter((f) => !f.item.off).map((f) => f.item.date),
  };
}

/** A year from a file: read and checked whole, then saved like a typed one (problems as whole-file issues). */
export async function importCalendarYear(
  db: Db,
  actor: Actor,
  o: { year: number; source: string; file: { bytes: Uint8Array; filename: string } },
): Promise<FileOutcome<CalendarChange>> {
  requireAdmin(actor);
  const read = await readCalendarFile(o.file, o.year);
  if (!read.ok) return read;
  const r = await saveCalendarYear(db, actor, {
    year: o.year,
    source: o.source,
    daysOff: read.daysOff,
    workingWeekends: read.workingWeekends,
  });
  if (!r.ok)
    return {
      ok: false,
      errors: r.problems.map((p) => ({
        row: null,
        column: p.field,
        key: p.key,
        ...(p.params ? { params: p.params } : {}),
      })),
    };
  return r;
}
