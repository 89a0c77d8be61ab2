import { en } from './en.ts';
import { ru, type MessageKey } from './ru.ts';

export type Locale = 'ru' | 'en';
export const LOCALES: readonly Locale[] = ['ru', 'en'];
export type { MessageKey };

const DICTS: Record<Locale, Record<MessageKey, string>> = { ru, en };

export type Translate = (key: MessageKey | (string & {}), params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const dict = DICTS[locale];
  return (key, params) => {
    const template = (dict as Record<string, string>)[key] ?? (ru as Record<string, string>)[key] ?? key;
    return params
      ? template.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m))
      : template;
  };
}

export const isLocale = (v: unknown): v is Locale => v === 'ru' || v === 'en';

export { formatLocalDate as formatDate } from '../../domain/local-date.ts';

/** A moment in the region's time zone. */
export function formatDateTime(d: Date, locale: Locale, timeZone: string): string {
  return d.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
