import type { Recurrence } from '../control-item/types.ts';
import type { LocalDate } from '../local-date.ts';

/** A cell as read from a spreadsheet: plain values only (rich text flattened, formulas by their result). */
export type RawCell = string | number | boolean | Date | null | { error: string };

export interface RawRow {
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  /** Cells by 0-based column index. */
  cells: RawCell[];
}

export interface RawSheet {
  name: string;
  rows: RawRow[];
}

/**
 * One problem found in a file, precise enough to fix it: the row and column as Excel shows them, and an
 * i18n key with parameters (rendered in the reader's language when shown).
 */
export interface ImportIssue {
  row: number | null;
  /** Column letter ("C"), when the problem is in one cell. */
  column: string | null;
  /** The column's header as written in the file ("Срок исполнения"). */
  header?: string;
  key: string;
  params?: Record<string, string | number>;
}

export type ImportJobErrors = ImportIssue[];

export type DeadlineSpec =
  | {
      kind: 'date';
      /** On a working day (a weekend or holiday in the file moves to the preceding working day). */
      due: LocalDate;
      /** The date as written, when it was moved. */
      written?: LocalDate;
    }
  | {
      kind: 'recurring';
      every: Recurrence;
      /** Last period to report on; null: open-ended, reported on until the item is cancelled. */
      until: LocalDate | null;
      /** «до 10 числа …»: the report is due on this day of a month… */
      dueDay?: number;
      /** …of the month the period ends in (0) or of the month after it (1, «следующего за отчётным»). */
      dueMonthOffset?: 0 | 1;
      /** «не позднее 5 рабочего дня месяца»: this many working days after the period ends. */
      dueWorkingDays?: number;
      /** An open-ended term («постоянно») read with the cadence the uploader chose. */
      openEnded?: true;
    };

/** How one row's deadline cell was read, for the import result page. */
export interface DeadlineReading {
  row: number;
  number: string;
  /** The cell as written. */
  written: string;
  spec: DeadlineSpec;
  /** The first (or only) deadline the item gets. */
  firstDue: LocalDate;
}

export interface LifecycleChange {
  itemId: number;
  number: string;
  row: number;
  reassign?: { agencyId: number; coAgencyIds: number[] };
  changeDeadline?: { due: LocalDate };
  /** Filled in when the change was sent to the item's workflow. */
  outcome?: 'applied' | 'rejected';
  error?: { key: string; params?: Record<string, string | number> };
}

/** What a finished (or applied) roadmap import did; shown on the job page and returned by the API. */
export interface ImportJobResult {
  roadmapId: number;
  inserted: number;
  insertedIds: number[];
  updated: number;
  unchanged: number;
  lifecycle: LifecycleChange[];
  /** Numbers of the roadmap absent from the file: reported, never deleted. */
  missing: { itemId: number; number: string; title: string }[];
  /** Closed items whose deadline or agency differs in the file: left as they are. */
  closedSkipped: { itemId: number; number: string; row: number }[];
  /** New items whose deadline has already passed: they start overdue. */
  pastDeadlines: { number: string; row: number; due: LocalDate }[];
  /** Deadlines on a weekend or holiday, moved to the preceding working day. */
  movedDeadlines: number;
  ignoredColumns: string[];
  sheet: string;
  headerRow: number;
  /** Per row, how its deadline was read (absent in results of imports before this field). */
  readings?: DeadlineReading[];
}
