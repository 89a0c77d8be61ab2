import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import { ShtabError, type FieldIssue } from '../domain/errors.ts';
import { isLocalDate, type LocalDate } from '../domain/local-date.ts';

export type { FieldIssue };

// Reading posted forms, in one place. A handler reads the form once (readForm), parses the fields it
// needs into typed values with a zod schema (parseForm / checkForm, as hono's validator does for JSON),
// and keeps `values` to show the form again with what was typed. A zod issue's message is the i18n key
// of the problem and its path the field, so the same schema serves the page and its error messages.

/** The text fields of a posted form (files dropped): one string, or every value of a repeated field. */
export type FormValues = Record<string, string | string[]>;

export interface PostedForm {
  /** The text fields as posted: what the form shows again after a refusal. */
  values: FormValues;
  /** Files of the form's file inputs (empty inputs left out). */
  files(name: string): File[];
}

/** The posted form of this request (parsed once; hono keeps the body for later reads). */
export async function readForm(c: Context): Promise<PostedForm> {
  const body = await c.req.parseBody({ all: true });
  const values: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) values[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') values[k] = v;
  }
  return {
    values,
    files(name) {
      const v = body[name];
      return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
        (f): f is File => f instanceof File && !(f.name === '' && f.size === 0),
      );
    },
  };
}

/** A field's (first) value, '' when absent. */
export function fieldValue(values: FormValues | Record<string, unknown> | undefined, name: string): string {
  const v = values?.[name];
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : '';
}

/** Every value of a (repeated) field. */
export function fieldValues(
  values: FormValues | Record<string, unknown> | undefined,
  name: string,
): string[] {
  const v = values?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is string => typeof x === 'string',
  );
}

// ---- zod building blocks for form fields -------------------------------------------------------------

/** A text field: its first value, '' when absent. */
export const text = () => z.preprocess((v) => fieldValue({ v }, 'v'), z.string());
/** A password or another secret: as typed (never trimmed), cut at 1024 characters — argon2 and LDAP get
 *  no more, and nobody types a longer one. */
export const secret = () => text().transform((v) => v.slice(0, 1024));
/** A repeated field: all its values. */
export const texts = () => z.preprocess((v) => fieldValues({ v }, 'v'), z.array(z.string()));
/** A checkbox: whether it was sent with this value. */
export const checked = (value = '1') => text().transform((v) => v === value);
/** One of these values, else the problem `key`. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, key: string) =>
  z.preprocess((v) => fieldValue({ v }, 'v'), z.enum(values, { error: key }));
/** A positive integer id, else the problem `key`. */
export const id = (key: string) =>
  text().pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, { error: key })
      .transform(Number)
      .pipe(z.number().positive({ error: key })),
  );
/** Repeated ids (duplicates dropped), each else the problem `key`. */
export const ids = (key: string) =>
  texts().pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,9}$/, { error: key })
          .transform(Number),
      )
      .transform((xs) => [...new Set(xs)]),
  );
/**
 * An action's idempotency key (the form's hidden `eventId`). A missing or malformed one gets a fresh key:
 * the post is then a new action of its own.
 */
export const eventId = () => text().transform((v) => (/^[\w-]{8,64}$/.test(v) ? v : randomUUID()));

// ---- dates -------------------------------------------------------------------------------------------

/** What the three inputs of a date field (web/views/form.tsx DateField) posted. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

const PART = /^(.+)-(day|month|year)$/;

/**
 * Joins the `name-day`, `name-month` and `name-year` fields of a posted form into `name: DateParts`, so a
 * schema reads one date field. Forms built by DateField post the parts; API clients and tests may post
 * one ISO value under `name` instead (the parts win when both come).
 */
function gatherDateParts(values: unknown): unknown {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return values;
  const out: Record<string, unknown> = { ...values };
  for (const key of Object.keys(values)) {
    const name = PART.exec(key)?.[1];
    if (!name || isDateParts(out[name])) continue;
    const part = (p: string) => fieldValue(values as FormValues, `${name}-${p}`).trim();
    out[name] = { day: part('day'), month: part('month'), year: part('year') } satisfies DateParts;
  }
  return out;
}

const isDateParts = (v: unknown): v is DateParts =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'day' in v && 'month' in v && 'year' in v;

/**
 * A calendar date typed as day / month / year, checked whole: never guessed, never rolled over
 * (31.02 is refused, not read as 3 March; "15012027" in the day box is not a day). A single value must be
 * ISO (`2027-01-15`) or a full Russian date (`15.01.2027`). Empty: '' (or the problem `required`).
 */
export function readDate(v: unknown): { ok: true; date: LocalDate | '' } | { ok: false; key: string } {
  if (isDateParts(v)) {
    const { day, month, year } = v;
    if (!day && !month && !year) return { ok: true, date: '' };
    if (!day || !month || !year) return { ok: false, key: 'error.date.incomplete' };
    if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month)) return { ok: false, key: 'error.date.notReal' };
    if (!/^\d{4}$/.test(year)) return { ok: false, key: 'error.date.year' };
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    return isLocalDate(iso) ? { ok: true, date: iso } : { ok: false, key: 'error.date.notReal' };
  }
  const s = fieldValue({ v }, 'v').trim();
  if (!s) return { ok: true, date: '' };
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (ru) return readDate({ day: ru[1]!, month: ru[2]!, year: ru[3]! });
  if (/^\d{4}-\d{2}-\d{2}$/.test(s))
    return isLocalDate(s) ? { ok: true, date: s } : { ok: false, key: 'error.date.notReal' };
  return { ok: false, key: 'error.date.format' };
}

/** A date field (see readDate): its ISO date, or '' when left empty and not `required` (a message key). */
export const date = (o: { required?: string } = {}) =>
  // Preprocessed: a field that was not posted at all is empty (zod 4 refuses a missing key otherwise).
  z
    .preprocess((v) => v ?? '', z.any())
    .transform((v, ctx): LocalDate | '' => {
      const r = readDate(v);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.key });
        return z.NEVER;
      }
      if (r.date === '' && o.required) {
        ctx.addIssue({ code: 'custom', message: o.required });
        return z.NEVER;
      }
      return r.date;
    });

/**
 * The schema of a whole posted form: an object of field blocks, with date fields' parts joined first.
 * Use it for every form (z.object alone would not see a DateField's three inputs).
 */
export const formSchema = <S extends z.ZodRawShape>(shape: S) =>
  z.preprocess(gatherDateParts, z.object(shape));

/**
 * For parsers that take one ISO value per date (the service forms' pure checks, domain/services/forms.ts):
 * each DateField's parts joined into `name`, checked as `date()` checks them. A date that cannot be read
 * is left empty and its problem returned, to be shown with the parser's own.
 */
export function joinDateFields(values: FormValues): { values: FormValues; issues: FieldIssue[] } {
  const gathered = gatherDateParts(values) as Record<string, unknown>;
  const out: FormValues = { ...values };
  const issues: FieldIssue[] = [];
  for (const [name, v] of Object.entries(gathered)) {
    if (!isDateParts(v)) continue;
    const r = readDate(v);
    out[name] = r.ok ? r.date : '';
    if (!r.ok) issues.push({ field: name, key: r.key });
  }
  return { values: out, issues };
}

/**
 * Runs a use case that takes one ISO value per date (see joinDateFields). A date that cannot be read stops
 * the form before anything is written, and `check` (the use case's own pure check) adds the form's other
 * problems, so the person sees all of them at once.
 */
export async function withDateFields<T>(
  values: FormValues,
  check: (values: FormValues) => { ok: true } | { ok: false; errors: FieldIssue[] },
  run: (values: FormValues) => Promise<T>,
): Promise<T | { ok: false; problems: FieldIssue[] }> {
  const dates = joinDateFields(values);
  if (dates.issues.length === 0) return run(dates.values);
  const checked = check(dates.values);
  return { ok: false, problems: mergeIssues(dates.issues, checked.ok ? [] : checked.errors) };
}

/** Problems of several checks of one form, one per field (the first one found wins). */
export function mergeIssues(...lists: FieldIssue[][]): FieldIssue[] {
  const seen = new Set<string>();
  return lists.flat().filter((i) => !seen.has(i.field) && seen.add(i.field));
}

/** Every problem of the form (for pages that mark each field), or the typed value. */
export function checkForm<S extends z.ZodType>(
  values: FormValues,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; issues: FieldIssue[] } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i): FieldIssue => {
      const issue: FieldIssue = {
        field: i.path.join('.') || 'form',
        key: i.message.startsWith('error.') ? i.message : 'error.field.invalid',
      };
      // Limits travel as the message's parameters ("at most {max} characters").
      if (i.code === 'too_big') issue.params = { max: Number(i.maximum) };
      if (i.code === 'too_small') issue.params = { min: Number(i.minimum) };
      return issue;
    }),
  };
}

/** The typed value, or the first problem as a validation error (422 with its field). */
export function parseForm<S extends z.ZodType>(values: FormValues, schema: S): z.output<S> {
  const r = checkForm(values, schema);
  if (r.ok) return r.value;
  const first = r.issues[0]!;
  throw new ShtabError('validation', `${first.field}: ${first.key}`, {
    key: first.key,
    field: first.field,
    ...(first.params ? { params: first.params } : {}),
  });
}
