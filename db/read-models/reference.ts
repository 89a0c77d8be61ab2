import type { Db } from '../connect.ts';

// Reference data as the JSON API lists it: agencies, life situations, the service register with each
// service's latest score, scores, import jobs; and the choices the pages' filters and forms offer.

export async function agencyList(db: Db) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'title_ru', 'title_en', 'short_ru', 'short_en'])
    .orderBy('code')
    .execute();
}

/** The regional agencies (municipalities left out), for the citizens' pages' filters and forms. */
export async function regionalAgencies(db: Db) {
  return db
    .selectFrom('agency')
    .select(['id', 'code', 'short_ru', 'title_ru', 'title_en'])
    .where('kind', '=', 'regional')
    .orderBy('code')
    .execute();
}

/** Every roadmap, oldest first: the roadmap list's filter and the import form's choice. */
export async function roadmapChoices(db: Db) {
  return db.selectFrom('roadmap').select(['id', 'code', 'title_ru', 'title_en']).orderBy('id').execute();
}

/** The roadmap a status export is for: the one asked for, or the first when none is. */
export async function roadmapToExport(db: Db, id?: number) {
  let q = db.selectFrom('roadmap').select(['id', 'code', 'title_ru']).orderBy('id').limit(1);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.executeTakeFirst();
}

export async function lifeSituationList(db: Db) {
  return db
    .selectFrom('life_situation')
    .select(['id', 'code', 'title_ru', 'title_en', 'level'])
    .orderBy('sort')
    .orderBy('id')
    .execute();
}

export interface ServicePageFilter {
  id?: number;
  agencyId?: number;
  lifeSituationId?: number;
  limit: number;
  offset: number;
}

/** A page of the register, each service with its life situations and latest score (three queries). */
export async function servicePage(db: Db, f: ServicePageFilter) {
  let q = db
    .selectFrom('service as s')
    .select([
      's.id',
      's.code',
      's.title_ru',
      's.title_en',
      's.agency_id',
      's.level',
      's.electronic',
      's.proactive',
      's.socially_significant',
      's.curator_user_id',
    ])
    .orderBy('s.id')
    .limit(f.limit)
    .offset(f.offset);
  if (f.id) q = q.where('s.id', '=', f.id);
  if (f.agencyId) q = q.where('s.agency_id', '=', f.agencyId);
  if (f.lifeSituationId) {
    const ls = f.lifeSituationId;
    q = q.where(
      's.id',
      'in',
      db.selectFrom('service_life_situation').select('service_id').where('life_situation_id', '=', ls),
    );
  }
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const [links, scores] = ids.length
    ? await Promise.all([
        db
          .selectFrom('service_life_situation')
          .select(['service_id', 'life_situation_id'])
          .where('service_id', 'in', ids)
          .execute(),
        db
          .selectFrom('service_score')
          .distinctOn('service_id')
          .select(['service_id', 'period', 'avg_score', 'votes'])
          .where('service_id', 'in', ids)
          .orderBy('service_id')
          .orderBy('period', 'desc')
          .execute(),
      ])
    : [[], []];
  return rows.map((s) => ({
    ...s,
    lifeSituationIds: links.filter((l) => l.service_id === s.id).map((l) => l.life_situation_id),
    latestScore: scores.find((x) => x.service_id === s.id) ?? null,
  }));
}

export async function scorePage(
  db: Db,
  f: { serviceId?: number | undefined; period?: string | undefined; limit: number; offset: number },
) {
  let q = db
    .selectFrom('service_score')
    .select(['service_id', 'period', 'avg_score', 'votes'])
    .orderBy('service_id')
    .orderBy('period')
    .limit(f.limit)
    .offset(f.offset);
  if (f.serviceId) q = q.where('service_id', '=', f.serviceId);
  if (f.period) q = q.where('period', '=', f.period);
  return q.execute();
}

export async function getImportJob(db: Db, id: number) {
  return db.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function roadmapExists(db: Db, id: number) {
  return (await db.selectFrom('roadmap').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** What the service form offers: agencies, people who may curate, life situations. */
export async function serviceFormOptions(db: Db) {
  const [agencies, users, lifeSituations, directions] = await Promise.all([
    db
      .selectFrom('agency')
      .select(['id', 'code', 'short_ru', 'short_en', 'title_ru', 'title_en'])
      .orderBy('code')
      .execute(),
    db
      .selectFrom('app_user as u')
      .leftJoin('agency as a', 'a.id', 'u.agency_id')
      .select([
        'u.id',
        'u.display_name',
        'u.position',
        'u.position_en',
        'a.short_ru as agency',
        'a.short_en as agency_en',
      ])
      .where('u.disabled', '=', false)
      .where('u.role', '!=', 'observer')
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('life_situation')
      .select(['id', 'title_ru', 'title_en'])
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db.selectFrom('direction').select(['code', 'title_ru', 'title_en']).orderBy('sort').execute(),
  ]);
  return { agencies, users, lifeSituations, directions };
}

/** Who may carry out a check: active working-group members and admins. */
export async function checkInspectors(db: Db) {
  return db
    .selectFrom('app_user')
    .select(['id', 'display_name', 'position', 'position_en'])
    .where('disabled', '=', false)
    .where('role', 'in', ['working_group', 'admin'])
    .orderBy('display_name')
    .execute();
}

export async function serviceTitle(db: Db, id: number) {
  return db
    .selectFrom('service')
    .select(['id', 'code', 'title_ru', 'title_en'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A service by its public code (the citizen's review form's address). */
export async function serviceTitleByCode(db: Db, code: string) {
  return db
    .selectFrom('service')
    .select(['id', 'code', 'title_ru', 'title_en'])
    .where('code', '=', code)
    .executeTakeFirst();
}
