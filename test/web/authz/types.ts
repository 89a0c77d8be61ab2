import type { Db } from '../../../db/index.ts';

/** Who knocks: anonymous, each role, and agency users of the item's agency ("own") or another ("other"). */
export const PERSONAS = [
  'anonymous',
  'admin',
  'working_group',
  'leadership',
  'observer',
  'agency_head',
  'agency_executor',
  'other_agency_executor',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** Ids the matrix fixture creates, for concrete paths. */
export interface MatrixFixture {
  db: Db;
  /** An open item of the "own" agency, in progress, with a running workflow. */
  itemId: number;
  ownAgencyId: number;
  otherAgencyId: number;
  /** A life situation (for read-only pages). */
  lifeSituationId: number;
  /** The persona's login (null for anonymous); every fixture user's password is `password`. */
  loginOf: (p: Persona) => string | null;
  password: string;
  /** Items in other states, files and notifications for the item-page routes (authz/items.ts). */
  items: ItemsFixture;
  /** Ids created by features' fixture setups (FIXTURE_SETUPS), e.g. `serviceId`. */
  extra: Record<string, number>;
}

/** A feature's extra fixture rows for its routes' concrete paths; stores their ids in `f.extra`. */
export type FixtureSetup = (f: MatrixFixture) => Promise<void>;

export interface RouteCase {
  /** PUT: a JSON body (`form` as JSON), for the API. */
  method: 'GET' | 'POST' | 'PUT';
  /** The route pattern as Hono registers it, e.g. '/items/:id'. */
  pattern: string;
  /** A concrete path to request. */
  path: (f: MatrixFixture) => string;
  /** Form fields for POST; they should fail validation so allowed personas change nothing (expect 422). */
  form?: Record<string, string> | ((persona: Persona, f: MatrixFixture) => Record<string, string>);
  /** Expected status per persona; personas not listed get `otherwise`. */
  expect: Partial<Record<Persona, number>>;
  otherwise: number;
}

export interface ItemsFixture {
  /** An open item of the other agency, in progress. */
  otherItemId: number;
  /** An item of the own agency with an extension request waiting for the working group. */
  pendingItemId: number;
  /** An instruction of the own agency (leadership may cancel instructions). */
  instructionItemId: number;
  /** A file of a submission (readable by everyone signed in). */
  attachmentId: number;
  /** An upload no submission took: exists for nobody. */
  orphanAttachmentId: number;
  /** A notification addressed to the agency_executor persona. */
  notificationId: number;
}
