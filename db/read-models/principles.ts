import { sql } from 'kysely';
import type { Db } from '../connect.ts';
import { periodEnd } from '../../domain/services/period.ts';
import {
  DEFAULT_PRINCIPLES_LOW,
  KPI_BASES,
  KPI_BASIS_KEY,
  PRINCIPLES_LOW_KEY,
  type KpiBasis,
} from '../../domain/principles/index.ts';

export async function principleSettings(db: Db): Promise<{ lowThreshold: number; basis: KpiBasis }> {
  const rows = await db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [PRINCIPLES_LOW_KEY, KPI_BASIS_KEY])
    .execute();
  const low = rows.find((r) => r.key === PRINCIPLES_LOW_KEY)?.value;
  const basis = rows.find((r) => r.key === KPI_BASIS_KEY)?.value;
  return {
    lowThreshold: typeof low === 'number' && low >= 1 && low <= 5 ? low : DEFAULT_PRINCIPLES_LOW,
    basis: (KPI_BASES as readonly unknown[]).includes(basis) ? (basis as KpiBasis) : 'score',
  };
}

export async function principles(db: Db, activeOnly = false) {
  let q = db.selectFrom('principle').selectAll().orderBy('sort').orderBy('id');
  if (activeOnly) q = q.where('active', '=', true);
  return q.execute();
}

/** Each service's latest round (if any), low-graded first: the list the working group works from. */
export async function latestRounds(db: Db, o: { lowOnly?: boolean; threshold: number; limit?: number }) {
  const rows = await sql<{
    round_id: number;
    service_id: number;
    code: string;
    title_ru: string;
    title_en: string | null;
    held_on: string;
    total: number;
    checker: string | null;
  }>`select distinct on (r.service_id) r.id as round_id, r.service_id, s.code, s.title_ru, s.title_en,
      r.held_on, r.total::float8 as total, u.display_name as checker
    from principle_round r join service s on s.id = r.service_id left join app_user u on u.id = r.checker_user_id
    order by r.service_id, r.held_on desc, r.id desc`.execute(db);
  return rows.rows
    .filter((r) => !o.lowOnly || r.total < o.threshold)
    .sort((a, b) => a.total - b.total || a.code.localeCompare(b.code))
    .slice(0, o.limit ?? 500);
}

export async function roundsOfService(db: Db, serviceId: number) {
  const rounds = await db
    .selectFrom('principle_round as r')
    .leftJoin('app_user as u', 'u.id', 'r.checker_user_id')
    .select(['r.id', 'r.held_on', 'r.total', 'r.note', 'u.display_name as checker'])
    .where('r.service_id', '=', serviceId)
    .orderBy('r.held_on', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  const grades = rounds.length
    ? await db
        .selectFrom('principle_grade')
        .select(['round_id', 'principle_id', 'grade'])
        .where(
          'round_id',
          'in',
          rounds.map((r) => r.id),
        )
        .execute()
    : [];
  return rounds.map((r) => ({ ...r, grades: grades.filter((g) => g.round_id === r.id) }));
}

/**
 * For the KPI with a principles basis: services low-graded by their latest round up to the base period's
 * end, and those of them whose later round reached the threshold (by that round's quarter).
 */
export async function principlesKpiInput(db: Db, basePeriod: string, threshold: number) {
  const end = periodEnd(basePeriod);
  const [atStart, later] = await Promise.all([
    sql<{
      service_id: number;
      total: number;
    }>`select distinct on (service_id) service_id, total::float8 as total
      from principle_round where held_on <= ${end} order by service_id, held_on desc, id desc`.execute(db),
    sql<{ service_id: number; held_on: string }>`select service_id, min(held_on)::text as held_on
      from principle_round where held_on > ${end} and total >= ${threshold} group by service_id`.execute(db),
  ]);
  return {
    principlesLowAtStart: atStart.rows.filter((r) => r.total < threshold).map((r) => r.service_id),
    principlesImproved: later.rows.map((r) => ({
      serviceId: r.service_id,
      period: `${r.held_on.slice(0, 4)}-Q${Math.ceil(Number(r.held_on.slice(5, 7)) / 3)}`,
    })),
  };
}
