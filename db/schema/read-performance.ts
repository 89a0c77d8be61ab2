import type { ColumnType } from 'kysely';

/** Striped change counters of the read cache, one per kind of data; written only by bump_read_version(). */
export interface ReadVersionTable {
  scope: string;
  stripe: number;
  v: ColumnType<number, never, never>;
}

/** Per user: moves when one of their notices is added, read or removed (the unread badge on every page). */
export interface NoticeVersionTable {
  user_id: number;
  v: ColumnType<string, never, never>;
}

export interface ReadPerformanceTables {
  read_version: ReadVersionTable;
  notice_version: NoticeVersionTable;
}
