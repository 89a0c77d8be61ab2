import type {
  agencyExecutors,
  allAgencies,
  directions,
  extensionHistory,
  getItem,
  instructionOrigin,
  itemAssignments,
  itemComments,
  itemSubmissions,
  itemTimeline,
  pendingExtensionRequest,
} from '../../../db/read-models/index.ts';
import type { LocalDate } from '../../../domain/local-date.ts';
import type { ItemAction, Lateness } from '../../../domain/control-item/index.ts';
import type { Locale, Translate } from '../../i18n/index.ts';

export type Item = NonNullable<Awaited<ReturnType<typeof getItem>>>;
export type Agency = Awaited<ReturnType<typeof allAgencies>>[number];
export type Direction = Awaited<ReturnType<typeof directions>>[number];
export type PendingExtension = NonNullable<Awaited<ReturnType<typeof pendingExtensionRequest>>>;
export type TimelineEvent = Awaited<ReturnType<typeof itemTimeline>>[number];
export type Submission = Awaited<ReturnType<typeof itemSubmissions>>[number];
export type Extension = Awaited<ReturnType<typeof extensionHistory>>[number];

/** A rejected action: the message goes next to its field (or on top), and the form keeps what was typed. */
export interface FormProblem {
  action: ItemAction;
  field?: string | undefined;
  message: string;
  values?: Record<string, string | string[]>;
}

/** A refused assignment or comment: the message next to its field, the form keeps what was typed. */
export interface PeopleProblem {
  form: 'assign' | 'comment' | 'direction';
  field?: string | undefined;
  message: string;
  values: Record<string, string>;
}

/** The people around the item (issue 13): its thread, the head's assignments, an instruction's origin. */
export interface ItemPeopleView {
  comments: Awaited<ReturnType<typeof itemComments>>;
  assignments: Awaited<ReturnType<typeof itemAssignments>>;
  origin: Awaited<ReturnType<typeof instructionOrigin>> | null;
  /** The agency's executors, for its head's assignment form (empty for everyone else). */
  executors: Awaited<ReturnType<typeof agencyExecutors>>;
  canAssign: boolean;
  canComment: boolean;
  /** Leadership and the working group may give an instruction about this item. */
  canGive: boolean;
  /** The working group and admins set the measure's direction. */
  canSetDirection: boolean;
  today: LocalDate;
  utcOffsetMinutes: number;
  problem?: PeopleProblem | undefined;
}

/** Everything the item panel renders, loaded once per request. */
export interface ItemView {
  people: ItemPeopleView;
  /** Opened from the review queue: after a decision the next report opens. */
  fromQueue: boolean;
  /** Its place in that queue («отчёт 2 из 8»); null when it is not (or no longer) in it. */
  queuePosition: { at: number; of: number } | null;
  item: Item;
  /** Working days past the control date (domain/control-item/lateness.ts). */
  lateness: Lateness;
  /** Approved extensions of the current control date, oldest first. */
  extensions: Extension[];
  /** The policy's default rework window, for the return form's hint. */
  reworkWorkingDays: number;
  actions: ItemAction[];
  agencies: Agency[];
  /** The social rating's directions and the regional spheres, in their order. */
  directions: Direction[];
  pending: PendingExtension | undefined;
  submissions: Submission[];
  timeline: TimelineEvent[];
  partsFrom: number[];
  uploadMaxBytes: number;
  timeZone: string;
  locale: Locale;
  t: Translate;
}

/** Short agency name in the page's language. */
export function agencyName(v: Pick<ItemView, 'agencies' | 'locale'>, id: unknown): string {
  const a = v.agencies.find((x) => x.id === id);
  if (!a) return typeof id === 'number' ? `#${id}` : '—';
  return v.locale === 'en' ? a.title_en : (a.short_ru ?? a.title_ru);
}

/** A direction's title in the page's language (its code when it is not in the table). */
export function directionName(v: Pick<ItemView, 'directions' | 'locale'>, code: unknown): string | null {
  if (typeof code !== 'string' || !code) return null;
  const d = v.directions.find((x) => x.code === code);
  if (!d) return code;
  return v.locale === 'en' ? d.title_en : d.title_ru;
}
