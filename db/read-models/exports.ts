import { sql } from 'kysely';
import { scoreClassSql, serviceSettings } from './services.ts';
import type { Db } from '../connect.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { lateness } from '../../domain/control-item/lateness.ts';
import { overdueSql, type ReadContext } from './items.ts';

/** "1.2" before "1.10", "2" before "10". */
export function compareItemNumbers(a: string | null, b: string | null): number {
  return (a ?? '').localeCompare(b ?? '', 'ru', { numeric: true });
}

/** Every numbered item of a roadmap with what a status report shows, in roadmap order. */
export async function roadmapStatusRows(db: Db, roadmapId: number, ctx: ReadContext) {
  const { today } = ctx;
  const [rows, agencies] = await Promise.all([
    db
      .selectFrom('control_item as i')
      .innerJoin('agency as a', 'a.id', 'i.agency_id')
      .leftJoin('life_situation as ls', 'ls.id', 'i.life_situation_id')
      .leftJoin('direction as d', 'd.code', 'i.direction')
      .select([
        'i.id',
        'i.number',
        'i.title_ru',
        'i.original_due',
        'i.current_due',
        'i.recurrence',
        'i.recurrence_until',
        'i.recurrence_due_days',
        'i.recurrence_due_day',
        'i.recurrence_due_month_offset',
        'i.co_agency_ids',
        'i.deliverable',
        'i.status',
        'i.escalation_level',
        'a.title_ru as agency_title_ru',
        'ls.title_ru as ls_title_ru',
        // The measure's own direction only (not its service's): importing the file again changes nothing.
        'd.title_ru as direction_title_ru',
        overdueSql(today).as('overdue'),
        sql<LocalDate | null>`(i.accepted_at at time zone ${ctx.timeZone})::date::text`.as('accepted'),
      ])
      .where('i.roadmap_id', '=', roadmapId)
      .execute(),
    db.selectFrom('agency').select(['id', 'title_ru']).execute(),
  ]);
  const title = new Map(agencies.map((a) => [a.id, a.title_ru]));
  return rows
    .map((r) => ({
      ...r,
      co_titles: r.co_agency_ids.map((id) => title.get(id) ?? String(id)),
      // Overdue now or accepted late, in working days: the one definition (domain/control-item/lateness.ts).
      late: lateness({ status: r.status, currentDue: r.current_due, accepted: r.accepted }, today),
    }))
    .sort((a, b) => compareItemNumbers(a.number, b.number) || a.id - b.id);
}

/** The service register with each service's latest score. */
export async function serviceRegisterRows(db: Db) {
  const { rule } = await serviceSettings(db);
  const latest = db
    .selectFrom('service_score')
    .distinctOn('service_id')
    .select(['service_id', 'period', 'avg_score', 'votes'])
    .orderBy('service_id')
    .orderBy('period', 'desc')
    .as('sc');
  return db
    .selectFrom('service as s')
    .innerJoin('agency as a', 'a.id', 's.agency_id')
    .leftJoin('app_user as u', 'u.id', 's.curator_user_id')
    .leftJoin(latest, 'sc.service_id', 's.id')
    .select([
      's.id',
      's.code',
      's.title_ru',
      's.level',
      's.electronic',
      's.proactive',
      's.socially_significant',
      'a.title_ru as agency_title_ru',
      'u.display_name as curator_name',
      'sc.period',
      'sc.avg_score',
      'sc.votes',
      scoreClassSql(rule).as('score_class'),
      sql<string>`coalesce((select string_agg(ls.title_ru, '; ' order by ls.sort, ls.id)
        from service_life_situation sls join life_situation ls on ls.id = sls.life_situation_id
        where sls.service_id = s.id), '')`.as('life_situations'),
    ])
    .orderBy('a.title_ru')
    .orderBy('s.code')
    .execute();
}
