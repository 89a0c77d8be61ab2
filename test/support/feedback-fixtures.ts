import type { Db } from '../../db/index.ts';
import { DEFAULT_CASE_POLICY, type FeedbackCasePolicy } from '../../domain/feedback/index.ts';
import type { FeedbackAppDeps } from '../../app/feedback/index.ts';
import type { TemporalHandle } from '../../app/temporal.ts';
import { insertAgency, insertUser } from './fixtures.ts';
import { insertService } from './services-fixtures.ts';

let seq = 0;

/** An agency with a curator (executor), a head, a working-group user, a service and a municipality. */
export async function feedbackWorld(db: Db) {
  const n = `${process.pid}-${++seq}`;
  const agency = await insertAgency(db);
  const curator = await insertUser(db, 'agency_executor', agency.id);
  const head = await insertUser(db, 'agency_head', agency.id);
  const otherAgency = await insertAgency(db);
  const stranger = await insertUser(db, 'agency_executor', otherAgency.id);
  const wg = await insertUser(db, 'working_group');
  const service = await insertService(db, {
    agencyId: agency.id,
    curatorUserId: curator.id,
    code: `FB-${n}`,
    title: 'Выдача удостоверения многодетной семьи',
  });
  const municipality = await db
    .insertInto('agency')
    .values({
      code: `MO-${n}`,
      title_ru: 'Администрация города Бердска',
      title_en: 'Berdsk city administration',
      short_ru: 'г. Бердск',
      kind: 'municipality',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { agency, curator, head, stranger, wg, service, municipality };
}

export function feedbackDeps(
  db: Db,
  temporal?: TemporalHandle,
  o: { today?: string; policy?: Partial<FeedbackCasePolicy> } = {},
): FeedbackAppDeps {
  return {
    db,
    temporal,
    casePolicy: { ...DEFAULT_CASE_POLICY, ...o.policy },
    publicUrl: 'http://shtab.test',
    ...(o.today ? { today: () => o.today! } : {}),
  };
}
