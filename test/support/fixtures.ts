import type { Db } from '../../db/index.ts';
import { itemStateFromRow } from '../../db/control-items.ts';
import type { ItemKind } from '../../domain/control-item/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import type { Actor, Role } from '../../domain/roles.ts';

let seq = 0;
const uniq = () => `${process.pid}-${++seq}`;

export async function insertAgency(db: Db, code = `AG${uniq()}`) {
  return db
    .insertInto('agency')
    .values({
      code,
      title_ru: `Министерство ${code}`,
      title_en: `Ministry ${code}`,
      short_ru: `Мин. ${code}`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertUser(
  db: Db,
  role: Role,
  agencyId: number | null = null,
  extra: { email?: string | null; login?: string; locale?: 'ru' | 'en'; password_hash?: string } = {},
) {
  const login = extra.login ?? `${role}-${uniq()}`;
  return db
    .insertInto('app_user')
    .values({
      login,
      display_name: `Пользователь ${login}`,
      email: extra.email === undefined ? `${login}@example.test` : extra.email,
      password_hash: extra.password_hash ?? 'x',
      role,
      agency_id: agencyId,
      ...(extra.locale ? { locale: extra.locale } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const actorOf = (u: { id: number; role: Role; agency_id: number | null }): Actor => ({
  userId: u.id,
  role: u.role,
  agencyId: u.agency_id,
});

export async function insertItem(
  db: Db,
  v: {
    agencyId: number;
    due: LocalDate;
    kind?: ItemKind;
    coAgencyIds?: number[];
    requireCoParts?: boolean;
    title?: string;
    number?: string;
    roadmapId?: number;
    /** An instruction's author (leadership): they review its report. */
    authorUserId?: number;
    recurrence?: {
      every: 'monthly' | 'quarterly' | 'yearly';
      periodKey: string;
      /** null: open-ended. */
      until: LocalDate | null;
      dueDays: number;
      /** An explicit day of the month (and 1 for the month after the period). */
      dueDay?: number;
      dueMonthOffset?: number;
    };
  },
) {
  const row = await db
    .insertInto('control_item')
    .values({
      kind: v.kind ?? 'measure',
      roadmap_id: v.roadmapId ?? null,
      author_user_id: v.authorUserId ?? null,
      title_ru: v.title ?? `Мероприятие ${uniq()}`,
      number: v.number ?? null,
      agency_id: v.agencyId,
      co_agency_ids: v.coAgencyIds ?? [],
      require_co_parts: v.requireCoParts ?? false,
      original_due: v.due,
      current_due: v.due,
      recurrence: v.recurrence?.every ?? null,
      period_key: v.recurrence?.periodKey ?? null,
      recurrence_until: v.recurrence?.until ?? null,
      recurrence_due_days: v.recurrence?.dueDays ?? null,
      recurrence_due_day: v.recurrence?.dueDay ?? null,
      recurrence_due_month_offset: v.recurrence?.dueDay ? (v.recurrence.dueMonthOffset ?? 0) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, state: itemStateFromRow(row) };
}
