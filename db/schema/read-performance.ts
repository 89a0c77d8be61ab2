import type { ColumnType } from 'kysely';

/** Striped change counter of the read cache; written only by the bump_read_version() trigger. */
export interface ReadVersionTable {
  stripe: number;
  v: ColumnType<number, never, never>;
}

export interface ReadPerformanceTables {
  read_version: ReadVersionTable;
}
