import type { ItemKind, ItemStatus } from '../../domain/control-item/index.ts';
import type { ItemSort } from '../../db/read-models/index.ts';
import { localized } from '../context.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { LocalText, StatusBadge } from './components.tsx';
import type { Column } from './table.tsx';

// The columns every list of controlled items shares (roadmap list, dashboard, agency and life-situation
// pages, queues), for the data table (web/views/table.tsx). Each says which sort key of the read model
// it sorts by; a page that sorts in memory passes its own keys.

interface Ctx {
  t: Translate;
  locale: Locale;
}

/** An agency's short name in the page's language (the Russian short name, the English one, the code). */
export const agencyShort = (
  locale: Locale,
  r: {
    short_ru?: string | null;
    short_en?: string | null;
    title_ru?: string;
    title_en?: string;
    code?: string;
  },
) =>
  locale === 'en' ? (r.short_en ?? r.title_en ?? r.code ?? '') : (r.short_ru ?? r.title_ru ?? r.code ?? '');

/** The agency fields of an item row as the read models name them. */
export interface AgencyOfRow {
  agency_id?: number;
  agency_code?: string;
  agency_short_ru?: string | null;
  agency_short_en?: string | null;
  agency_title_ru?: string;
  agency_title_en?: string;
}

export const itemAgency = (locale: Locale, r: AgencyOfRow) =>
  agencyShort(locale, {
    short_ru: r.agency_short_ru ?? null,
    short_en: r.agency_short_en ?? null,
    ...(r.agency_title_ru !== undefined ? { title_ru: r.agency_title_ru } : {}),
    ...(r.agency_title_en !== undefined ? { title_en: r.agency_title_en } : {}),
    ...(r.agency_code !== undefined ? { code: r.agency_code } : {}),
  });

/** "№ 9.3" / "No. 9.3", or the item's id when it has no number. */
export const itemRef = (t: Translate, r: { id: number; number: string | null }) =>
  r.number ? t('item.ref', { number: r.number }) : `#${r.id}`;

export function numberColumn<R extends { id: number; number: string | null }>(
  { t }: Ctx,
  sort?: ItemSort | string,
): Column<R> {
  return { label: t('item.number'), class: 'num nowrap', cell: (r) => r.number ?? `#${r.id}`, sort };
}

export function titleColumn<
  R extends { id: number; kind?: ItemKind; title_ru: string; title_en: string | null },
>({ t, locale }: Ctx, sort?: ItemSort | string, extra?: (r: R) => unknown): Column<R> {
  return {
    label: t('item.title'),
    wide: true,
    sort,
    cell: (r) => (
      <>
        <a href={`/items/${r.id}`}>
          <LocalText locale={locale} ru={r.title_ru} en={r.title_en} />
        </a>
        {r.kind && r.kind !== 'measure' && <span class="muted"> · {t(`kind.${r.kind}`)}</span>}
        {extra?.(r)}
      </>
    ),
  };
}

export function agencyColumn<R extends AgencyOfRow>(
  { t, locale }: Ctx,
  sort?: ItemSort | string,
  link = true,
): Column<R> {
  return {
    label: t('item.agency'),
    sort,
    cell: (r) =>
      link && r.agency_id ? (
        <a href={`/agencies/${r.agency_id}`}>{itemAgency(locale, r)}</a>
      ) : (
        itemAgency(locale, r)
      ),
  };
}

export function roadmapColumn<
  R extends {
    roadmap_id?: number | null;
    roadmap_code?: string | null;
    roadmap_title_ru?: string | null;
    roadmap_title_en?: string | null;
  },
>({ t, locale }: Ctx, sort?: ItemSort | string): Column<R> {
  return {
    label: t('item.roadmap'),
    sort,
    cell: (r) =>
      r.roadmap_id ? (
        <a
          href={`/items?roadmap=${r.roadmap_id}`}
          title={localized(locale, r.roadmap_title_ru ?? '', r.roadmap_title_en)}
        >
          {r.roadmap_code}
        </a>
      ) : (
        <span class="muted">{t('item.noRoadmap')}</span>
      ),
  };
}

export function lifeSituationColumn<R extends { ls_title_ru: string | null; ls_title_en: string | null }>({
  t,
  locale,
}: Ctx): Column<R> {
  return {
    label: t('item.lifeSituation'),
    cell: (r) => (r.ls_title_ru ? localized(locale, r.ls_title_ru, r.ls_title_en) : '—'),
  };
}

export function dueColumn<R extends { current_due: string }>(
  { t, locale }: Ctx,
  sort?: ItemSort | string,
): Column<R> {
  return {
    label: t('item.currentDue'),
    class: 'nowrap',
    sort,
    cell: (r) => formatDate(r.current_due, locale),
  };
}

export function statusColumn<R extends { status: ItemStatus; overdue?: boolean }>(
  { t }: Ctx,
  sort?: ItemSort | string,
): Column<R> {
  return {
    label: t('item.status'),
    sort,
    cell: (r) => <StatusBadge status={r.status} overdue={r.overdue} t={t} />,
  };
}
