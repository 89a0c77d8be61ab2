import type { ItemStatus } from '../../domain/control-item/index.ts';
import type { Translate } from '../i18n/index.ts';

export function StatusBadge({ status, overdue, t }: { status: ItemStatus; overdue?: boolean; t: Translate }) {
  return (
    <span class={`badge status-${status}${overdue ? ' overdue' : ''}`}>
      {t(`status.${status}`)}
      {overdue ? ` · ${t('status.overdue')}` : ''}
    </span>
  );
}

// Form fields, their errors and the error summary: web/views/form.tsx. Tables: web/views/table.tsx.

const CYRILLIC = /[А-Яа-яЁё]/;

/** lang="ru" for someone's Russian text (names, file names) where only an attribute can mark it. */
export const ruOf = (text: string | null | undefined) => (text && CYRILLIC.test(text) ? 'ru' : undefined);

/**
 * Text people typed — names, reasons, reports, notes — shown as written. Russian text is marked so
 * (lang="ru"): an English page's screen reader switches voice for it, and it is what the completeness
 * test of the English pages knows as the user's words, not the interface's.
 */
export function UserText({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return CYRILLIC.test(text) ? <span lang="ru">{text}</span> : <>{text}</>;
}

/**
 * A record's name in the reader's language: the English one where it was given, else the Russian one as
 * it was written — marked lang="ru" on an English page (an instruction typed in Russian has no English
 * title; it is someone's words, not the interface's).
 */
export function LocalText({ locale, ru, en }: { locale: string; ru: string; en: string | null | undefined }) {
  if (locale !== 'en') return <>{ru}</>;
  return en ? <>{en}</> : <UserText text={ru} />;
}

/** Where a person's name goes in a message (`t('…', { who: WHO })`), for Said. */
export const WHO = '\u0001who\u0001';

/** A message with a person's name in it: the name as the person wrote it (UserText), the rest translated. */
export function Said({ message, who }: { message: string; who: string | null | undefined }) {
  const [before, after] = message.split(WHO);
  return (
    <>
      {before}
      <UserText text={who} />
      {after ?? ''}
    </>
  );
}

/**
 * An interface message that quotes Russian words (the file's «постоянно» or “Код услуги” on an English page):
 * the quoted runs are marked lang="ru", the rest is the page's language. Field hints are shown through it.
 */
export function Quoted({ text }: { text: string }) {
  const parts = text.split(/([«"“][^»"”]*[А-Яа-яЁё][^»"”]*[»"”])/);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <span lang="ru">{p}</span> : p))}</>;
}
