import type { Recurrence } from '../control-item/types.ts';
import { formatLocalDate, type LocalDate } from '../local-date.ts';
import { HEADER_RU, recognizeHeader, REQUIRED_COLUMNS, type ColumnKey } from './columns.ts';
import { parseDeadline } from './deadline.ts';
import {
  agencyMatcher,
  directionMatcher,
  lifeSituationMatcher,
  type AgencyRef,
  type DirectionRef,
  type LifeSituationRef,
  type MatchResult,
} from './references.ts';
import { cellText, columnLetter, isEmptyCell, splitList } from './text.ts';
import type { DeadlineSpec, ImportIssue, RawCell, RawRow, RawSheet } from './types.ts';

/** One measure of the file, validated and resolved to ids. */
export interface RoadmapRow {
  row: number;
  number: string;
  title: string;
  deadline: DeadlineSpec;
  /** The deadline cell as written (dates as the sheet shows them), for the result page. */
  deadlineText: string;
  agencyId: number;
  /** undefined: the file has no such column (an existing item keeps what it has). */
  coAgencyIds: number[] | undefined;
  deliverable: string | null | undefined;
  lifeSituationId: number | null | undefined;
  /** The direction's code; null: the cell is empty; undefined: the file has no such column. */
  direction: string | null | undefined;
}

export interface ParsedRoadmap {
  sheet: string;
  headerRow: number;
  /** Data rows seen (sections and blank rows excluded). */
  dataRows: number;
  rows: RoadmapRow[];
  issues: ImportIssue[];
  /** Headers of columns the import does not use. */
  ignoredColumns: string[];
  /** Where each recognised column is (letter as Excel shows it) and its header as written. */
  columns: Partial<Record<ColumnKey, { letter: string; header: string }>>;
}

export interface RoadmapReferences {
  agencies: AgencyRef[];
  lifeSituations: LifeSituationRef[];
  /** The social rating's directions and the region's spheres (absent: a file's direction is unknown). */
  directions?: DirectionRef[];
}

export interface ParseOptions {
  today: LocalDate;
  /** The cadence the uploader chose for open-ended rows («постоянно»); absent: they are refused. */
  openEndedEvery?: Recurrence | null;
  onRow?: (done: number, total: number) => void;
}

export const LIMITS = { maxRows: 20_000, number: 32, title: 2_000, deliverable: 2_000 } as const;
/** How many rows above the table a header may sit (title block, approval stamp…). */
const HEADER_SCAN_ROWS = 30;

interface Column {
  index: number;
  header: string;
}
type Columns = Partial<Record<ColumnKey, Column>>;

interface HeaderFound {
  headerRow: number;
  columns: Columns;
  ignored: string[];
  duplicate?: { key: ColumnKey; headers: string[] };
}

function readHeader(r: RawRow): HeaderFound {
  const columns: Columns = {};
  const ignored: string[] = [];
  let duplicate: HeaderFound['duplicate'];
  r.cells.forEach((c, index) => {
    const header = cellText(c).replace(/\s+/g, ' ');
    if (!header) return;
    const key = recognizeHeader(header);
    if (!key) {
      ignored.push(header);
      return;
    }
    const seen = columns[key];
    if (seen) duplicate ??= { key, headers: [seen.header, header] };
    else columns[key] = { index, header };
  });
  return { headerRow: r.row, columns, ignored, ...(duplicate ? { duplicate } : {}) };
}

/** The header row: the first row naming every required column (or the closest miss, for the error). */
export function findHeader(sheet: RawSheet): { found: HeaderFound } | { issue: ImportIssue } {
  let best: HeaderFound | null = null;
  for (const r of sheet.rows.slice(0, HEADER_SCAN_ROWS)) {
    const h = readHeader(r);
    if (REQUIRED_COLUMNS.every((k) => h.columns[k])) {
      if (h.duplicate) {
        return {
          issue: {
            row: h.headerRow,
            column: null,
            key: 'error.import.header.duplicate',
            params: { column: HEADER_RU[h.duplicate.key], headers: h.duplicate.headers.join('», «') },
          },
        };
      }
      return { found: h };
    }
    if (!best || Object.keys(h.columns).length > Object.keys(best.columns).length) best = h;
  }
  if (best && Object.keys(best.columns).length >= 2) {
    const missing = REQUIRED_COLUMNS.filter((k) => !best.columns[k]).map((k) => HEADER_RU[k]);
    return {
      issue: {
        row: best.headerRow,
        column: null,
        key: 'error.import.header.missing',
        params: { columns: missing.join(', ') },
      },
    };
  }
  return {
    issue: {
      row: null,
      column: null,
      key: 'error.import.header.notFound',
      params: { columns: REQUIRED_COLUMNS.map((k) => HEADER_RU[k]).join(', ') },
    },
  };
}

/** "1 2 3 4 5 6 7" under the header: the column numbering many roadmaps print. */
function isNumberingRow(r: RawRow): boolean {
  const vals = r.cells.map(cellText).filter(Boolean);
  return vals.length >= 3 && vals.every((v, i) => /^\d+\.?$/.test(v) && (i === 0 || +v > +vals[i - 1]!));
}

const PLAIN_NUMBER = /^[\dIVXivx]+(\.\d+)*\.?$/;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Picks the sheet with the table and validates every row. Pure: references come in, nothing goes out. */
export function parseRoadmapSheets(
  sheets: RawSheet[],
  refs: RoadmapReferences,
  opts: ParseOptions,
): ParsedRoadmap {
  let firstIssue: ImportIssue | null = null;
  for (const sheet of sheets) {
    const h = findHeader(sheet);
    if ('found' in h) return parseRows(sheet, h.found, refs, opts);
    firstIssue ??= h.issue;
  }
  return {
    sheet: sheets[0]?.name ?? '',
    headerRow: 0,
    dataRows: 0,
    rows: [],
    issues: [firstIssue ?? { row: null, column: null, key: 'error.import.noSheet' }],
    ignoredColumns: [],
    columns: {},
  };
}

/** The message for an agency name that matched nothing: a disabled agency, the closest names, or none. */
function unknownAgency(value: string, m: MatchResult): [string, Record<string, string>] {
  if (m.ok || m.reason === 'ambiguous') return ['error.import.agency.unknown', { value }];
  if (m.reason === 'disabled')
    return ['error.import.agency.disabled', { value, agency: m.candidates.join('; ') }];
  if (m.suggestions.length)
    return ['error.import.agency.unknownSuggest', { value, suggestions: m.suggestions.join('; ') }];
  return ['error.import.agency.unknown', { value }];
}

function parseRows(
  sheet: RawSheet,
  header: HeaderFound,
  refs: RoadmapReferences,
  opts: ParseOptions,
): ParsedRoadmap {
  const { columns } = header;
  const located = Object.fromEntries(
    Object.entries(columns).map(([k, c]) => [k, { letter: columnLetter(c.index), header: c.header }]),
  );
  const issues: ImportIssue[] = [];
  const rows: RoadmapRow[] = [];
  const matchAgency = agencyMatcher(refs.agencies);
  const matchLs = lifeSituationMatcher(refs.lifeSituations);
  const matchDirection = directionMatcher(refs.directions ?? []);
  const firstRowOf = new Map<string, number>();
  // undefined until a heading row names (or clears) a life situation.
  let section: number | null | undefined;
  let dataRows = 0;

  const body = sheet.rows.filter((r) => r.row > header.headerRow);
  if (body[0] && isNumberingRow(body[0])) body.shift();
  if (body.length > LIMITS.maxRows) {
    return {
      sheet: sheet.name,
      headerRow: header.headerRow,
      dataRows: body.length,
      rows: [],
      issues: [{ row: null, column: null, key: 'error.import.tooManyRows', params: { max: LIMITS.maxRows } }],
      ignoredColumns: header.ignored,
      columns: located,
    };
  }

  body.forEach((r, i) => {
    opts.onRow?.(i + 1, body.length);
    const cell = (k: ColumnKey): RawCell => (columns[k] ? (r.cells[columns[k].index] ?? null) : null);
    const text = (k: ColumnKey) => collapse(cellText(cell(k)));
    const flagged = new Set<ColumnKey>();
    // One problem per cell: the first one found is the one to fix.
    const problem = (k: ColumnKey, key: string, params?: ImportIssue['params']) => {
      const c = columns[k]!;
      if (flagged.has(k)) return;
      flagged.add(k);
      issues.push({
        row: r.row,
        column: columnLetter(c.index),
        header: c.header,
        key,
        ...(params ? { params } : {}),
      });
    };
    const used = Object.values(columns).map((c) => r.cells[c.index] ?? null);
    if (used.every((c) => isEmptyCell(c))) return;

    // A heading row ("2. Жизненная ситуация «Многодетная семья»") sets the life situation of what follows.
    const detailEmpty = (['deadline', 'responsible', 'coExecutors', 'deliverable'] as const).every((k) =>
      isEmptyCell(cell(k)),
    );
    const num = text('number');
    const title = text('title');
    if (detailEmpty && (!num || !title) && !(num && PLAIN_NUMBER.test(num) && !title)) {
      section = sectionLifeSituation(num || title, matchLs);
      return;
    }
    dataRows++;

    for (const [k, c] of Object.entries(columns) as [ColumnKey, Column][]) {
      const v = r.cells[c.index];
      if (v && typeof v === 'object' && !(v instanceof Date))
        problem(k, 'error.import.cellError', { value: cellText(v) });
    }
    const before = issues.length;

    const number = num.replace(/\.$/, '');
    if (!number) problem('number', 'error.import.required');
    else if (number.length > LIMITS.number) problem('number', 'error.import.tooLong', { max: LIMITS.number });
    else if (firstRowOf.has(number)) {
      problem('number', 'error.import.duplicateNumber', { number, first: firstRowOf.get(number)! });
    } else firstRowOf.set(number, r.row);

    if (!title) problem('title', 'error.import.required');
    else if (title.length > LIMITS.title) problem('title', 'error.import.tooLong', { max: LIMITS.title });

    const deadline = parseDeadline(cell('deadline'), { openEndedEvery: opts.openEndedEvery ?? null });
    if (deadline.kind === 'error') problem('deadline', deadline.key, deadline.params);
    else if (deadline.kind === 'recurring' && deadline.until !== null && deadline.until < opts.today) {
      problem('deadline', 'error.import.deadline.untilPast', { value: text('deadline') });
    }

    let agencyId = 0;
    const resp = text('responsible');
    if (!resp) problem('responsible', 'error.import.required');
    else {
      const m = matchAgency(resp);
      if (m.ok) agencyId = m.id;
      else if (m.reason === 'unknown' && splitList(resp.replace(/,/g, ';')).length > 1) {
        problem('responsible', 'error.import.responsible.several', { value: resp });
      } else if (m.reason === 'ambiguous') {
        problem('responsible', 'error.import.agency.ambiguous', {
          value: resp,
          candidates: m.candidates.join('; '),
        });
      } else problem('responsible', ...unknownAgency(resp, m));
    }

    const coAgencyIds: number[] = [];
    if (columns.coExecutors) {
      const unknown: { name: string; m: MatchResult }[] = [];
      const ambiguous: string[] = [];
      for (const piece of splitList(cellText(cell('coExecutors')))) {
        let parts = [{ text: piece, m: matchAgency(piece) }];
        // Commas separate agencies too, unless a title itself contains one (tried first).
        if (!parts[0]!.m.ok && piece.includes(',')) {
          parts = piece
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
            .map((p) => ({ text: p, m: matchAgency(p) }));
        }
        for (const { text: name, m } of parts) {
          if (m.ok) {
            if (m.id !== agencyId && !coAgencyIds.includes(m.id)) coAgencyIds.push(m.id);
          } else if (m.reason === 'ambiguous') ambiguous.push(`${name} (${m.candidates.join(', ')})`);
          else unknown.push({ name, m });
        }
      }
      if (unknown.length === 1) problem('coExecutors', ...unknownAgency(unknown[0]!.name, unknown[0]!.m));
      else if (unknown.length)
        problem('coExecutors', 'error.import.agency.unknown', {
          value: unknown.map((u) => u.name).join('; '),
        });
      else if (ambiguous.length) {
        problem('coExecutors', 'error.import.agency.ambiguous', {
          value: ambiguous.join('; '),
          candidates: '',
        });
      }
    }

    const deliverable = text('deliverable');
    if (deliverable.length > LIMITS.deliverable) {
      problem('deliverable', 'error.import.tooLong', { max: LIMITS.deliverable });
    }

    let lifeSituationId = section ?? (columns.lifeSituation ? null : undefined);
    const ls = text('lifeSituation');
    if (ls) {
      const m = matchLs(ls);
      if (m.ok) lifeSituationId = m.id;
      else if (m.reason === 'ambiguous')
        problem('lifeSituation', 'error.import.lifeSituation.ambiguous', {
          value: ls,
          candidates: m.candidates.join('; '),
        });
      else problem('lifeSituation', 'error.import.lifeSituation.unknown', { value: ls });
    }

    let direction: string | null | undefined = columns.direction ? null : undefined;
    const dir = text('direction');
    if (dir) {
      const m = matchDirection(dir);
      if (m.ok) direction = m.code ?? null;
      else if (m.reason === 'ambiguous')
        problem('direction', 'error.import.direction.ambiguous', {
          value: dir,
          candidates: m.candidates.join('; '),
        });
      else problem('direction', 'error.import.direction.unknown', { value: dir });
    }

    if (issues.length === before && deadline.kind !== 'error') {
      rows.push({
        row: r.row,
        number,
        title,
        deadline,
        deadlineText:
          cell('deadline') instanceof Date
            ? formatLocalDate(deadlineDateOf(cell('deadline') as Date), 'ru')
            : text('deadline'),
        agencyId,
        coAgencyIds: columns.coExecutors ? coAgencyIds : undefined,
        deliverable: columns.deliverable ? deliverable || null : undefined,
        lifeSituationId,
        direction,
      });
    }
  });

  if (dataRows === 0 && issues.length === 0) {
    issues.push({ row: header.headerRow, column: null, key: 'error.import.noRows' });
  }

  // Recurring reports without an end date stay open-ended (until cancelled), past the roadmap's horizon.

  return {
    sheet: sheet.name,
    headerRow: header.headerRow,
    dataRows,
    rows,
    issues,
    ignoredColumns: header.ignored,
    columns: located,
  };
}

function sectionLifeSituation(text: string, match: (t: string) => MatchResult): number | null {
  const candidates = [
    text,
    ...[...text.matchAll(/[«"“]([^»"”]+)[»"”]/g)].map((m) => m[1]!),
    text.replace(/^[\dIVXivx.\s]+/, '').replace(/^жизненн\S+ ситуаци\S+\s*/i, ''),
  ];
  for (const c of candidates) {
    const m = match(c);
    if (m.ok) return m.id;
  }
  return null;
}

/** An Excel date cell's calendar date (cells carry UTC midnight). */
const deadlineDateOf = (d: Date): LocalDate => d.toISOString().slice(0, 10);
