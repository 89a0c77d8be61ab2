import {
  CASE_MAX_AGE_DAYS,
  caseDeadline,
  compileTaxonomy,
  DEFAULT_CASE_POLICY,
  worryTopics,
  opensCase,
  planChecks,
  tallyReviews,
} from '../../domain/feedback/index.ts';
import {
  addTallies,
  insertPlannedChecks,
  insertReviews,
  topicRules,
  type ReviewRow,
} from '../feedback-store.ts';
import { addDays, localTimeToInstant, type LocalDate } from '../../domain/local-date.ts';
import reference from './reference.json' with { type: 'json' };
import type { Db } from '../connect.ts';
import {
  CURATOR_ANSWERS,
  DIRECTION_OF_AGENCY,
  MFC_OFFICES,
  MUNICIPALITIES,
  NEGATIVE_REMARKS,
  NEUTRAL_REMARKS,
  POSITIVE_REMARKS,
} from './catalog/feedback.ts';
import { createRandom } from './random.ts';

/**
 * The demo's citizens' voice: municipalities, half a year of reviews per service (more for services with
 * more votes, ratings around each service's latest score, so the spread follows the Gosuslugi rating
 * distribution the scores were drawn from), remarks in Russian by topic, and curator cases of the last
 * month — some answered (seeded history, like the roadmap's past), the rest open for their workflows.
 * Stored through the intake's own store functions (db/feedback-store.ts), so tallies and cases agree.
 */
export async function seedFeedback(
  db: Db,
  o: { today: LocalDate; utcOffsetMinutes: number; seed?: number; publicUrl?: string },
) {
  const rnd = createRandom((o.seed ?? 20240301) + 16);
  // Directions by the providing (or owning) agency.
  for (const [code, direction] of Object.entries(DIRECTION_OF_AGENCY)) {
    const agency = await db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirst();
    if (!agency) continue;
    await db.updateTable('service').set({ direction }).where('agency_id', '=', agency.id).execute();
    await db.updateTable('control_item').set({ direction }).where('agency_id', '=', agency.id).execute();
  }
  const r = rnd;
  await db
    .insertInto('agency')
    .values(MUNICIPALITIES.map((m) => ({ ...m, kind: 'municipality' as const })))
    .execute();
  const services = await db
    .selectFrom('service as s')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('service_score')
          .distinctOn('service_id')
          .select(['service_id', 'avg_score', 'votes'])
          .orderBy('service_id')
          .orderBy('period', 'desc')
          .as('sc'),
      (j) => j.onRef('sc.service_id', '=', 's.id'),
    )
    .select(['s.id', 's.code', 's.electronic', 'sc.avg_score', 'sc.votes'])
    .orderBy('s.id')
    .execute();
  const channels = ['mfc', 'mfc', 'mfc', 'epgu', 'epgu', 'rpgu', 'pos', 'hotline', 'web'] as const;
  const posCategories = reference.pos_categories.items;
  const items: {
    sourceId: string;
    serviceId: number;
    channel: string;
    municipality: string;
    office?: string;
    categories?: string[];
    date: string;
    rating: number;
    text?: string;
    email?: string;
  }[] = [];
  let n = 0;
  for (const s of services) {
    // Unrated services get a handful of reviews; rated ones more with their popularity.
    const count = s.votes ? Math.min(80, 8 + Math.round(Math.sqrt(s.votes))) : r.int(0, 6);
    const mean = s.avg_score ?? 3.8 + r.next();
    for (let i = 0; i < count; i++) {
      const w = [1, 2, 3, 4, 5].map((k) => Math.exp(-((k - mean) ** 2) / 1.1));
      const pick = r.next() * w.reduce((a, b) => a + b, 0);
      let rating = 1;
      for (let acc = 0; rating <= 5; rating++) if ((acc += w[rating - 1]!) >= pick) break;
      rating = Math.min(5, rating);
      const withText = rating <= 2 ? r.chance(0.75) : rating === 3 ? r.chance(0.4) : r.chance(0.2);
      const text = !withText
        ? undefined
        : rating <= 2
          ? r.pick(NEGATIVE_REMARKS)
          : rating === 3
            ? r.pick(NEUTRAL_REMARKS)
            : r.pick(POSITIVE_REMARKS);
      const channel = s.electronic ? r.pick(channels) : r.pick(channels.filter((c) => c !== 'epgu'));
      const daysAgo = r.int(0, 182);
      items.push({
        sourceId: `demo-${++n}`,
        serviceId: s.id,
        channel,
        municipality: r.pick(MUNICIPALITIES).code,
        ...(channel === 'mfc' ? { office: r.pick(MFC_OFFICES) } : {}),
        ...(channel === 'pos' ? { categories: [r.pick(posCategories)] } : {}),
        date: addDays(o.today, -daysAgo),
        rating,
        ...(text ? { text } : {}),
        // A few citizens leave an address and agree to be contacted (with consent only: the table checks).
        ...(rating <= 2 && text && r.chance(0.3) ? { email: `citizen${n}@example.ru` } : {}),
      });
    }
  }
  // Written as history, through the same store functions the intake uses (db/feedback-store.ts): reviews,
  // their tallies and topics, and the curator cases of the last month — most older ones answered. Open
  // cases get their workflows when a worker reconciles (their first step tells the curator).
  const taxonomy = compileTaxonomy(await topicRules(db));
  const policy = { ...DEFAULT_CASE_POLICY, utcOffsetMinutes: o.utcOffsetMinutes };
  const svcOf = new Map(
    (await db.selectFrom('service').select(['id', 'agency_id', 'curator_user_id']).execute()).map((s) => [
      s.id,
      s,
    ]),
  );
  const muniOf = new Map(
    (await db.selectFrom('agency').select(['id', 'code']).where('kind', '=', 'municipality').execute()).map(
      (m) => [m.code, m.id],
    ),
  );
  const rows: ReviewRow[] = items.map((it) => ({
    sourceId: it.sourceId,
    serviceId: it.serviceId,
    channel: it.channel,
    municipalityId: muniOf.get(it.municipality) ?? null,
    office: it.office ?? null,
    receivedOn: it.date,
    rating: it.rating,
    text: it.text ?? null,
    categories: it.categories ?? [],
    topicIds: worryTopics(it.rating, it.text, taxonomy),
    contact: it.email ? { name: null, email: it.email, phone: null } : null,
  }));
  const recent = addDays(o.today, -CASE_MAX_AGE_DAYS);
  const summary = await db.transaction().execute(async (trx) => {
    const opening = rows.filter(
      (r) => opensCase(r.rating, r.text, policy.maxRating) && r.receivedOn >= recent,
    );
    await insertReviews(
      trx,
      'demo',
      null,
      rows.filter((r) => !opening.includes(r)),
    );
    const { ids } = await insertReviews(trx, 'demo', null, opening, { returning: true });
    await addTallies(
      trx,
      tallyReviews(
        rows.map((r) => ({
          serviceId: r.serviceId,
          municipalityId: r.municipalityId,
          receivedOn: r.receivedOn,
          rating: r.rating,
          hasText: r.text !== null,
          topicIds: r.topicIds,
        })),
      ),
    );
    let answered = 0;
    for (const [n, r] of opening.entries()) {
      const svc = svcOf.get(r.serviceId)!;
      const old = r.receivedOn <= addDays(o.today, -7) && rnd.chance(0.7);
      const a = rnd.pick(CURATOR_ANSWERS);
      const at = new Date(
        localTimeToInstant(addDays(r.receivedOn, rnd.int(1, 4)), 11 * 60, o.utcOffsetMinutes),
      );
      await trx
        .insertInto('feedback_case')
        .values({
          feedback_id: ids[n]!.id,
          service_id: r.serviceId,
          agency_id: svc.agency_id,
          curator_user_id: svc.curator_user_id,
          opened_on: r.receivedOn,
          due: caseDeadline(r.receivedOn, policy),
          ...(old
            ? {
                status: a.fixed === null ? ('answered' as const) : ('closed' as const),
                answer: a.text,
                fixed: a.fixed,
                answered_by: svc.curator_user_id,
                answered_at: at,
                citizen_notified: r.contact !== null,
              }
            : {}),
        })
        .execute();
      if (old) answered++;
    }
    await trx
      .insertInto('feedback_batch')
      .values({ source: 'demo', received: rows.length, inserted: rows.length })
      .execute();
    return { reviews: rows.length, cases: opening.length, answered };
  });
  // Principles check rounds (the 2023 programme checked 190+ services): a third of the services, one or two
  // rounds each; grades around each service's score, so low scorers tend to grade low too.
  const principleIds = (
    await db.selectFrom('principle').select('id').where('active', '=', true).orderBy('sort').execute()
  ).map((p) => p.id);
  const wg = await db
    .selectFrom('app_user')
    .select('id')
    .where('role', '=', 'working_group')
    .orderBy('id')
    .executeTakeFirst();
  let rounds = 0;
  for (const s of services.filter((_, i) => i % 3 === 0)) {
    const base = s.avg_score ?? 4;
    for (let k = rnd.chance(0.4) ? 2 : 1; k > 0; k--) {
      const grades = principleIds.map((id) => ({
        principle_id: id,
        grade: Math.max(
          1,
          Math.min(5, Math.round(base - 0.3 + (rnd.next() - 0.5) * 2 + (k === 1 ? 0.3 : 0))),
        ),
      }));
      const total = Math.round((grades.reduce((a, g) => a + g.grade, 0) / grades.length) * 100) / 100;
      const r = await db
        .insertInto('principle_round')
        .values({
          service_id: s.id,
          held_on: addDays(o.today, -(k === 2 ? rnd.int(200, 300) : rnd.int(10, 120))),
          checker_user_id: wg?.id ?? null,
          total,
          note:
            total < 3.5
              ? 'Избыточные документы, нет электронной записи, консультация по телефону недоступна'
              : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('principle_grade')
        .values(grades.map((g) => ({ ...g, round_id: r.id })))
        .execute();
      rounds++;
    }
  }
  // This quarter's mystery-shopping plan for the large-family life situation, one check already overdue.
  const ls = await db
    .selectFrom('life_situation')
    .select('id')
    .where('code', '=', 'FLS-LARGEFAM')
    .executeTakeFirst();
  let planned = 0;
  if (ls && wg) {
    const quarter = `${o.today.slice(0, 4)}-Q${Math.ceil(Number(o.today.slice(5, 7)) / 3)}`;
    const svcIds = (
      await db
        .selectFrom('service_life_situation')
        .select('service_id')
        .where('life_situation_id', '=', ls.id)
        .orderBy('service_id')
        .execute()
    ).map((x) => x.service_id);
    const plan = planChecks({
      quarter,
      from: `${o.today.slice(0, 8)}01` < o.today ? addDays(o.today, -20) : o.today,
      serviceIds: svcIds,
      checkerIds: [wg.id],
    });
    await insertPlannedChecks(db, quarter, plan, wg.id);
    planned = plan.length;
  }
  return { municipalities: MUNICIPALITIES.length, ...summary, rounds, planned };
}
