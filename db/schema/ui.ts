import type { CreatedAt } from './core.ts';
import type { Generated } from 'kysely';

// Tables of migration 0014 (issue 14).

export interface SavedViewTable {
  id: Generated<number>;
  user_id: number;
  /** Which list the view belongs to ('items': the roadmap list). */
  list: 'items';
  name: string;
  /** The list's query string (filters and sort), as its canonical URL has it. */
  query: string;
  created_at: CreatedAt;
}

export interface UiTables {
  saved_view: SavedViewTable;
}
