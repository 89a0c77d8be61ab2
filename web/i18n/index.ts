import { MODULES } from './messages/index.ts';

export type Locale = 'ru' | 'en';
export const LOCALES: readonly Locale[] = ['ru', 'en'];

type Module = (typeof MODULES)[number];
type KeysOf<M> = M extends { ru: infer R } ? keyof R & string : never;
export type MessageKey = KeysOf<Module>;

function merge(locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of MODULES) {
    for (const [k, v] of Object.entries(m[locale] as Record<string, string>)) {
      if (k in out && locale === 'ru') throw new Error(`i18n key defined twice: ${k}`);
      out[k] = v;
    }
  }
  return out;
}
const DICTS: Record<Locale, Record<string, string>> = { ru: merge('ru'), en: merge('en') };

export type Translate = (key: MessageKey | (string & {}), params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const dict = DICTS[locale];
  return (key, params) => {
    const template = dict[key] ?? DICTS.ru[key] ?? key;
    return params
      ? template.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m))
      : template;
  };
}

/** Every key, for completeness tests. */
export const allKeys = (locale: Locale) => Object.keys(DICTS[locale]);
export const hasKey = (key: string) => key in DICTS.ru;

export const isLocale = (v: unknown): v is Locale => v === 'ru' || v === 'en';

export { formatLocalDate as formatDate } from '../../domain/local-date.ts';

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment in the region's time zone, its date written as formatDate writes dates — one date format per
 * language: "05.12.2026, 10:00" / "5 Dec 2026, 10:00" (one formatter per locale and zone: building one
 * is slow).
 */
export function formatDateTime(d: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale === 'ru' ? 'ru-RU' : 'en-GB',
      locale === 'ru'
        ? { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }
        : { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
    );
    dateTimeFormats.set(key, f);
  }
  return f.format(d);
}
