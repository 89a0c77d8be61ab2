import { addDays, type LocalDate } from '../local-date.ts';
import { FEEDBACK_CHANNELS, isFeedbackChannel, type FeedbackChannel } from './types.ts';

/**
 * Validation of one review as any intake path receives it (JSON API item, file row, public form). Pure and
 * fast (a year of a large region is millions of rows): plain checks, no schema library. References
 * (service, municipality) are checked against the database by the application layer afterwards.
 */

export const FEEDBACK_LIMITS = {
  text: 2000,
  office: 200,
  source: 64,
  sourceId: 128,
  categories: 10,
  category: 100,
  name: 100,
  email: 254,
  phone: 32,
  serviceCode: 64,
} as const;

/** The earliest date a review may carry; older dates are typing mistakes, not history. */
export const EARLIEST_FEEDBACK_DATE = '2015-01-01';

export interface FeedbackIssue {
  /** The input's field ("rating", "contact.email"); the caller prefixes its own path or row. */
  field: string;
  /** i18n key. */
  key: string;
  params?: Record<string, string | number>;
}

export interface ParsedFeedback {
  sourceId: string | null;
  service: { id: number } | { code: string };
  channel: FeedbackChannel;
  /** A municipality's agency code (agency kind municipality); resolved by the caller. */
  municipality: string | null;
  office: string | null;
  receivedOn: LocalDate;
  rating: 1 | 2 | 3 | 4 | 5;
  text: string | null;
  categories: string[];
  contact: { name: string | null; email: string | null; phone: string | null } | null;
}

export type FeedbackParse = { ok: true; value: ParsedFeedback } | { ok: false; issues: FeedbackIssue[] };

/** C0 controls other than tab, LF and CR; DEL; C1 controls; bidi overrides that can disguise text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const hasControlChars = (s: string) => CONTROL.test(s);

const EMAIL = /^[^\s@<>"'`,;:()\[\]\\]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,24}$/i;
const PHONE = /^\+?[\d\s()-]{5,30}$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** A real calendar day, checked without building a Date (intake runs this millions of times). */
function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]!) return false;
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

/** What people write a date as: 2025-07-31, 31.07.2025, 31.07.25; an ISO timestamp's date part. */
export function parseFeedbackDate(raw: string): LocalDate | null {
  const s = raw.trim();
  let d: string | null = null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) d = `${m[1]}-${m[2]}-${m[3]}`;
  m = d ? null : /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(s);
  if (m) {
    const y = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    d = `${y}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  return d && validDay(+d.slice(0, 4), +d.slice(5, 7), +d.slice(8, 10)) ? d : null;
}

/** Channel as sources spell it: our codes, or the Russian names people put in exports. */
const CHANNEL_NAMES: Record<string, FeedbackChannel> = {
  мфц: 'mfc',
  'региональный портал': 'rpgu',
  рпгу: 'rpgu',
  епгу: 'epgu',
  госуслуги: 'epgu',
  пос: 'pos',
  'платформа обратной связи': 'pos',
  'горячая линия': 'hotline',
  'выезд куратора': 'curator_visit',
  'визит куратора': 'curator_visit',
  'анкета на сайте': 'web',
  сайт: 'web',
};
export function parseChannel(raw: string): FeedbackChannel | null {
  const s = raw.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
  if (isFeedbackChannel(s)) return s;
  return CHANNEL_NAMES[s] ?? null;
}

const str = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

export interface RawFeedback {
  sourceId?: unknown;
  serviceId?: unknown;
  serviceCode?: unknown;
  channel?: unknown;
  municipality?: unknown;
  office?: unknown;
  date?: unknown;
  rating?: unknown;
  text?: unknown;
  categories?: unknown;
  contact?: unknown;
  consent?: unknown;
}

/**
 * One review, checked whole: every problem is reported (by field), none is fixed silently. `today` bounds
 * the date (a review from the future is a mistake; a day of slack covers time zones of the sender).
 */
function addIssue(issues: FeedbackIssue[], field: string, key: string, params?: FeedbackIssue['params']) {
  issues.push({ field, key, ...(params ? { params } : {}) });
}

/** A text field: type, control characters, length; blank → null. */
function textField(issues: FeedbackIssue[], field: string, v: unknown, max: number): string | null {
  if (v === undefined || v === null) return null;
  const s = str(v);
  if (s === null) {
    addIssue(issues, field, 'error.feedback.type');
    return null;
  }
  if (hasControlChars(s)) {
    addIssue(issues, field, 'error.feedback.controlChars');
    return null;
  }
  const t = s.indexOf('\r') >= 0 ? s.trim().replace(/\r\n?/g, '\n') : s.trim();
  if (t.length > max) {
    addIssue(issues, field, 'error.feedback.tooLong', { max });
    return null;
  }
  return t === '' ? null : t;
}

/** The latest date a review may carry for a given today (one day of slack), computed once per day. */
let bound = { today: '', latest: '' };
const latestFor = (today: LocalDate) =>
  bound.today === today ? bound.latest : (bound = { today, latest: addDays(today, 1) }).latest;

export function parseFeedback(raw: RawFeedback, today: LocalDate): FeedbackParse {
  const issues: FeedbackIssue[] = [];
  const add = (field: string, key: string, params?: FeedbackIssue['params']) =>
    addIssue(issues, field, key, params);
  const text = (field: string, v: unknown, max: number) => textField(issues, field, v, max);

  const sourceId = text('sourceId', raw.sourceId, FEEDBACK_LIMITS.sourceId);

  let service: ParsedFeedback['service'] | null = null;
  if (raw.serviceId !== undefined && raw.serviceId !== null && raw.serviceId !== '') {
    const n = typeof raw.serviceId === 'number' ? raw.serviceId : Number(str(raw.serviceId) ?? NaN);
    if (!Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647) add('serviceId', 'error.feedback.service');
    else service = { id: n };
  } else {
    const code = text('serviceCode', raw.serviceCode, FEEDBACK_LIMITS.serviceCode);
    if (code) service = { code };
    else if (!issues.some((i) => i.field === 'serviceCode')) add('service', 'error.feedback.required');
  }

  let channel: FeedbackChannel | null = null;
  const ch = str(raw.channel);
  if (ch === null || ch.trim() === '') add('channel', 'error.feedback.required');
  else {
    channel = parseChannel(ch);
    if (!channel) add('channel', 'error.feedback.channel', { allowed: FEEDBACK_CHANNELS.join(', ') });
  }

  const municipality = text('municipality', raw.municipality, FEEDBACK_LIMITS.serviceCode);
  const office = text('office', raw.office, FEEDBACK_LIMITS.office);

  let receivedOn: LocalDate | null = null;
  const ds = str(raw.date);
  if (ds === null || ds.trim() === '') add('date', 'error.feedback.required');
  else {
    receivedOn = parseFeedbackDate(ds);
    if (!receivedOn) add('date', 'error.feedback.date');
    else if (receivedOn > latestFor(today) || receivedOn < EARLIEST_FEEDBACK_DATE) {
      add('date', 'error.feedback.dateRange', { from: EARLIEST_FEEDBACK_DATE, to: today });
      receivedOn = null;
    }
  }

  let rating: ParsedFeedback['rating'] | null = null;
  const rs = typeof raw.rating === 'number' ? raw.rating : Number((str(raw.rating) ?? '').trim() || NaN);
  if (raw.rating === undefined || raw.rating === null || raw.rating === '')
    add('rating', 'error.feedback.required');
  else if (!Number.isInteger(rs) || rs < 1 || rs > 5) add('rating', 'error.feedback.rating');
  else rating = rs as ParsedFeedback['rating'];

  const body = text('text', raw.text, FEEDBACK_LIMITS.text);

  const categories: string[] = [];
  if (raw.categories !== undefined && raw.categories !== null) {
    const list = Array.isArray(raw.categories)
      ? raw.categories
      : typeof raw.categories === 'string'
        ? raw.categories.split(/[;|]/)
        : null;
    if (!list) add('categories', 'error.feedback.type');
    else if (list.length > FEEDBACK_LIMITS.categories)
      add('categories', 'error.feedback.tooMany', { max: FEEDBACK_LIMITS.categories });
    else
      list.forEach((c, i) => {
        const v = text(`categories.${i}`, c, FEEDBACK_LIMITS.category);
        if (v && !categories.includes(v)) categories.push(v);
      });
  }

  let contact: ParsedFeedback['contact'] = null;
  if (raw.contact !== undefined && raw.contact !== null) {
    if (typeof raw.contact !== 'object' || Array.isArray(raw.contact)) add('contact', 'error.feedback.type');
    else {
      const c = raw.contact as Record<string, unknown>;
      const name = text('contact.name', c.name, FEEDBACK_LIMITS.name);
      const email = text('contact.email', c.email, FEEDBACK_LIMITS.email);
      const phone = text('contact.phone', c.phone, FEEDBACK_LIMITS.phone);
      if (email && !EMAIL.test(email)) add('contact.email', 'error.feedback.email');
      if (phone && !PHONE.test(phone)) add('contact.phone', 'error.feedback.phone');
      if (email || phone || name) contact = { name, email: email?.toLowerCase() ?? null, phone };
    }
  }
  // Personal data only with explicit consent: contacts without it are refused, not dropped silently.
  const consent =
    raw.consent === true || raw.consent === 'true' || raw.consent === '1' || raw.consent === 'on';
  if (contact && !consent) add('consent', 'error.feedback.consent');
  if (contact && !contact.email && !contact.phone) add('contact.email', 'error.feedback.contactHow');

  if (issues.length || !service || !channel || !receivedOn || !rating) return { ok: false, issues };
  return {
    ok: true,
    value: {
      sourceId,
      service,
      channel,
      municipality,
      office,
      receivedOn,
      rating,
      text: body,
      categories,
      contact,
    },
  };
}
