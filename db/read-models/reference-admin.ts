import { sql } from 'kysely';
import type { Db } from '../connect.ts';

// What the administration pages show of the reference data: agencies with what refers to them, life
// situations and roadmaps, services with their curators, the committees, the entered calendar years and
// the audit trail of all of it (event rows without an item).

const openItems = (agencyRef: string) =>
  sql<number>`(select count(*) from control_item i where i.status not in ('done','cancelled')
    and (i.agency_id = ${sql.ref(agencyRef)} or ${sql.ref(agencyRef)} = any(i.co_agency_ids)))::int`;

export async function agencyAdminList(db: Db) {
  return db
    .selectFrom('agency as a')
    .leftJoin('agency as m', 'm.id', 'a.merged_into_id')
    .select([
      'a.id',
      'a.code',
      'a.title_ru',
      'a.title_en',
      'a.short_ru',
      'a.kind',
      'a.aliases',
      'a.disabled',
      'a.merged_into_id',
      'm.code as merged_into_code',
      sql<number>`(select count(*) from app_user u where u.agency_id = a.id and not u.disabled)::int`.as(
        'people',
      ),
      openItems('a.id').as('open_items'),
    ])
    .orderBy('a.disabled')
    .orderBy('a.code')
    .execute();
}

export type AgencyAdminRow = Awaited<ReturnType<typeof agencyAdminList>>[number];

export async function agencyAdminDetail(db: Db, id: number) {
  const agency = await db
    .selectFrom('agency as a')
    .leftJoin('agency as m', 'm.id', 'a.merged_into_id')
    .selectAll('a')
    .select([
      'm.code as merged_into_code',
      'm.title_ru as merged_into_title',
      sql<number>`(select count(*) from app_user u where u.agency_id = a.id and not u.disabled)::int`.as(
        'people',
      ),
      sql<number>`(select count(*) from service s where s.agency_id = a.id)::int`.as('services'),
      openItems('a.id').as('open_items'),
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!agency) return null;
  return { agency, history: await subjectHistory(db, 'agency', id) };
}

/** The audit events about one record, newest first. */
export async function subjectHistory(db: Db, subject: string, id: number | string, limit = 20) {
  return db
    .selectFrom('event as e')
    .leftJoin('app_user as actor', 'actor.id', 'e.actor_user_id')
    .select(['e.id', 'e.type', 'e.at', 'e.before', 'e.after', 'e.data', 'actor.display_name as actor_name'])
    .where('e.control_item_id', 'is', null)
    .where(sql<string>`e.data->>'subject'`, '=', subject)
    .where(sql<string>`e.data->>'subjectId'`, '=', String(id))
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** Active agencies for the choices of forms (people, committees), merged and disabled ones left out. */
export async function activeAgencies(db: Db) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'short_ru', 'short_en', 'title_ru', 'title_en', 'kind'])
    .where('disabled', '=', false)
    .orderBy('code')
    .execute();
}

/** The person form's current values (the account pages show the rest). */
export async function personForm(db: Db, id: number) {
  return db
    .selectFrom('app_user')
    .select([
      'id',
      'login',
      'display_name',
      'email',
      'role',
      'agency_id',
      'position',
      'locale',
      'disabled',
      'auth_source',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function lifeSituationAdminList(db: Db) {
  return db
    .selectFrom('life_situation as l')
    .select([
      'l.id',
      'l.code',
      'l.title_ru',
      'l.title_en',
      'l.level',
      'l.period_from',
      'l.period_to',
      sql<number>`(select count(*) from control_item i where i.life_situation_id = l.id)::int`.as('items'),
    ])
    .orderBy('l.sort')
    .orderBy('l.id')
    .execute();
}

export async function lifeSituationAdminDetail(db: Db, id: number) {
  const row = await db.selectFrom('life_situation').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { row, history: await subjectHistory(db, 'life_situation', id) } : null;
}

export async function roadmapAdminList(db: Db) {
  return db
    .selectFrom('roadmap as r')
    .select([
      'r.id',
      'r.code',
      'r.title_ru',
      'r.title_en',
      'r.act',
      'r.horizon',
      'r.head_signoff_required',
      sql<number>`(select count(*) from control_item i where i.roadmap_id = r.id)::int`.as('items'),
      sql<number>`(select count(*) from control_item i where i.roadmap_id = r.id
        and i.status not in ('done','cancelled'))::int`.as('open_items'),
    ])
    .orderBy('r.id')
    .execute();
}

export async function roadmapAdminDetail(db: Db, id: number) {
  const row = await db.selectFrom('roadmap').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { row, history: await subjectHistory(db, 'roadmap', id) } : null;
}

/** Services with their curators, filtered by text (code or title) and agency, a page at a time. */
export async function curatorPage(
  db: Db,
  f: { q?: string; agencyId?: number; withoutCurator?: boolean; limit: number; offset: number },
) {
  let q = db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as u', 'u.id', 's.curator_user_id');
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([eb('s.code', 'ilike', like), eb('s.title_ru', 'ilike', like)]));
  }
  if (f.agencyId) q = q.where('s.agency_id', '=', f.agencyId);
  if (f.withoutCurator) q = q.where('s.curator_user_id', 'is', null);
  const [rows, total] = await Promise.all([
    q
      .select([
        's.id',
        's.code',
        's.title_ru',
        's.title_en',
        's.curator_user_id',
        'a.code as agency_code',
        'a.short_ru as agency_short',
        'a.short_en as agency_short_en',
        'u.login as curator_login',
        'u.display_name as curator_name',
      ])
      .orderBy('s.code')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

/** People who may curate a service: active, not observers. */
export async function curatorChoices(db: Db) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.login',
      'u.display_name',
      'a.short_ru as agency_short',
      'a.short_en as agency_short_en',
      'a.code as agency_code',
    ])
    .where('u.disabled', '=', false)
    .where('u.role', '<>', 'observer')
    .orderBy('u.display_name')
    .execute();
}

/** The working group and the штаб, seat by seat, with names to show. */
export async function committeeList(db: Db) {
  return db
    .selectFrom('committee_member as c')
    .leftJoin('app_user as u', 'u.id', 'c.user_id')
    .leftJoin('agency as ua', 'ua.id', 'u.agency_id')
    .leftJoin('agency as a', 'a.id', 'c.agency_id')
    .select([
      'c.id',
      'c.body',
      'c.role',
      'c.user_id',
      'c.agency_id',
      'c.name',
      'c.position',
      'u.display_name as user_name',
      'u.position as user_position',
      'ua.short_ru as user_agency',
      'a.title_ru as agency_title',
      'a.title_en as agency_title_en',
      'a.kind as agency_kind',
    ])
    .orderBy('c.body')
    .orderBy(
      sql`case c.role when 'chair' then 0 when 'secretary' then 1 when 'member' then 2
      when 'expert' then 3 else 4 end`,
    )
    .orderBy('c.sort')
    .orderBy('c.id')
    .execute();
}

export type CommitteeRow = Awaited<ReturnType<typeof committeeList>>[number];

/** Active people for the committee form. */
export async function committeePeopleChoices(db: Db) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('agency as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.display_name', 'u.position', 'a.short_ru as agency_short'])
    .where('u.disabled', '=', false)
    .orderBy('u.display_name')
    .execute();
}

export async function calendarYearRows(db: Db) {
  return db
    .selectFrom('calendar_year as y')
    .leftJoin('app_user as u', 'u.id', 'y.updated_by')
    .select([
      'y.year',
      'y.days_off',
      'y.working_weekends',
      'y.source',
      'y.version',
      'y.updated_at',
      'u.display_name as updated_by_name',
    ])
    .orderBy('y.year')
    .execute();
}

/** Event type prefixes of the audit page's filter. */
export const AUDIT_CATEGORIES = {
  agency: ['agency.', 'agencies.'],
  person: ['person.', 'people.', 'account.'],
  sso: ['sso.'],
  programme: ['life_situation.', 'roadmap.'],
  curator: ['service.curator.', 'curators.'],
  committee: ['committee.'],
  calendar: ['calendar.'],
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;

/** Changes of reference data and accounts, newest first (events without an item). */
export async function auditPage(
  db: Db,
  f: {
    category?: AuditCategory | undefined;
    subject?: { kind: string; id: string } | undefined;
    limit: number;
    offset: number;
  },
) {
  let q = db
    .selectFrom('event as e')
    .where('e.control_item_id', 'is', null)
    .where('e.check_in_id', 'is', null);
  const prefixes = f.category ? AUDIT_CATEGORIES[f.category] : Object.values(AUDIT_CATEGORIES).flat();
  q = q.where((eb) => eb.or(prefixes.map((p) => eb('e.type', 'like', `${p}%`))));
  if (f.subject) {
    const { kind, id } = f.subject;
    q = q.where((eb) =>
      eb.or([
        eb.and([
          eb(sql<string>`e.data->>'subject'`, '=', kind),
          eb(sql<string>`e.data->>'subjectId'`, '=', id),
        ]),
        // Account events (app/auth) name the person by userId only.
        ...(kind === 'person' ? [eb(sql<string>`e.data->>'userId'`, '=', id)] : []),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    q
      .leftJoin('app_user as actor', 'actor.id', 'e.actor_user_id')
      .leftJoin('app_user as subject', (j) => j.on(sql<boolean>`subject.id::text = e.data->>'userId'`))
      .select([
        'e.id',
        'e.type',
        'e.at',
        'e.before',
        'e.after',
        'e.data',
        'actor.display_name as actor_name',
        'actor.login as actor_login',
        'subject.login as subject_login',
      ])
      .orderBy('e.at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

export type AuditRow = Awaited<ReturnType<typeof auditPage>>['rows'][number];
