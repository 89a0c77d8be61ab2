import { ingestFeedback } from '../../app/feedback/ingest.ts';
import { caseDeadline, DEFAULT_CASE_POLICY } from '../../domain/feedback/index.ts';
import { addDays, localTimeToInstant, type LocalDate } from '../../domain/local-date.ts';
import reference from './reference.json' with { type: 'json' };
import type { Db } from '../connect.ts';
import {
  CURATOR_ANSWERS,
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
 * Reviews go through the same intake use case as every other path, so tallies and cases are consistent.
 */
export async function seedFeedback(
  db: Db,
  o: { today: LocalDate; utcOffsetMinutes: number; seed?: number; publicUrl?: string },
) {
  const r = createRandom((o.seed ?? 20240301) + 16);
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
  const items: Record<string, unknown>[] = [];
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
        ...(rating <= 2 && text && r.chance(0.3)
          ? { contact: { email: `citizen${n}@example.ru` }, consent: true }
          : {}),
      });
    }
  }
  const deps = {
    db,
    casePolicy: { ...DEFAULT_CASE_POLICY, utcOffsetMinutes: o.utcOffsetMinutes },
    publicUrl: o.publicUrl ?? 'http://localhost:3000',
    today: () => o.today,
  };
  let inserted = 0;
  const caseIds: number[] = [];
  for (let i = 0; i < items.length; i += 1000) {
    const res = await ingestFeedback(deps, { source: 'demo', items: items.slice(i, i + 1000) });
    if (!res.ok) throw new Error(`demo feedback refused: ${JSON.stringify(res.issues.slice(0, 3))}`);
    inserted += res.inserted;
    caseIds.push(...res.caseIds);
  }
  // Cases of reviews older than a week: most already answered (history written as it happened).
  const cases = await db
    .selectFrom('feedback_case as c')
    .innerJoin('feedback as f', 'f.id', 'c.feedback_id')
    .select(['c.id', 'c.curator_user_id', 'f.received_on', 'f.contact_email'])
    .where('c.id', 'in', caseIds.length ? caseIds : [0])
    .orderBy('c.id')
    .execute();
  let answered = 0;
  for (const c of cases) {
    // A case opens the day its review arrives; the intake opened these today, the history says earlier.
    await db
      .updateTable('feedback_case')
      .set({ opened_on: c.received_on, due: caseDeadline(c.received_on, deps.casePolicy) })
      .where('id', '=', c.id)
      .execute();
    if (c.received_on > addDays(o.today, -7) || !r.chance(0.7)) continue;
    const a = r.pick(CURATOR_ANSWERS);
    const at = new Date(localTimeToInstant(addDays(c.received_on, r.int(1, 4)), 11 * 60, o.utcOffsetMinutes));
    await db
      .updateTable('feedback_case')
      .set({
        status: a.fixed === null ? 'answered' : 'closed',
        answer: a.text,
        fixed: a.fixed,
        answered_by: c.curator_user_id,
        answered_at: at,
        citizen_notified: c.contact_email !== null,
      })
      .where('id', '=', c.id)
      .execute();
    answered++;
  }
  return { municipalities: MUNICIPALITIES.length, reviews: inserted, cases: cases.length, answered };
}
