import type { Db } from '../../db/index.ts';
import { addWorkingDays, precedingWorkingDay } from '../../domain/calendar/index.ts';
import type { LocalDate } from '../../domain/local-date.ts';

/** Strings that break pages which build HTML or URLs by hand. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  js: 'javascript:alert(2)',
  img: '"><img src=x onerror=alert(3)>',
  attr: "' onmouseover='alert(4)",
} as const;
const ALL = Object.values(HOSTILE).join(' ');

/**
 * An agency, a life situation, two items (one overdue, one due in two working days), a service with a low
 * score and an indicator, every name hostile in both languages.
 */
export async function insertHostileProgramme(db: Db, today: LocalDate) {
  return db.transaction().execute(async (trx) => {
    const agency = await trx
      .insertInto('agency')
      .values({
        code: 'EVIL',
        title_ru: `Министерство ${ALL}`,
        title_en: `Ministry ${ALL}`,
        short_ru: `${HOSTILE.js} ${HOSTILE.attr}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ls = await trx
      .insertInto('life_situation')
      .values({
        code: 'EVIL-LS',
        title_ru: `Ситуация ${ALL}`,
        title_en: `Situation ${ALL}`,
        level: 'regional',
        sort: 99,
        target_state: JSON.stringify({
          asIs: { termDays: 30 },
          toBe: { termDays: 5, eForm: true },
          scenarioSteps: [ALL],
          phases: [{ name: ALL, deadline: today }],
          approvedBy: ALL,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = (number: string, due: LocalDate, title: string) =>
      trx
        .insertInto('control_item')
        .values({
          kind: 'measure',
          number,
          title_ru: `${title} ${ALL}`,
          title_en: `${title} ${ALL}`,
          agency_id: agency.id,
          life_situation_id: ls.id,
          status: 'in_progress',
          original_due: due,
          current_due: due,
          escalation_level: 2,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const overdue = await item(HOSTILE.js, addWorkingDays(today, -2), 'Щука просрочена');
    const soon = await item('E.2', precedingWorkingDay(addWorkingDays(today, 2)), 'Щука скоро');
    const service = await trx
      .insertInto('service')
      .values({ code: 'EVIL-S', title_ru: `Услуга ${ALL}`, title_en: `Service ${ALL}`, agency_id: agency.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('service_life_situation')
      .values({ service_id: service.id, life_situation_id: ls.id })
      .execute();
    const latest = await trx
      .selectFrom('service_score')
      .select((e) => e.fn.max('period').as('p'))
      .executeTakeFirst();
    await trx
      .insertInto('service_score')
      .values({ service_id: service.id, period: latest?.p ?? '2026-Q3', avg_score: 3.1, votes: 10 })
      .execute();
    const ind = await trx
      .insertInto('indicator')
      .values({ life_situation_id: ls.id, code: 'EVIL', title_ru: ALL, title_en: ALL, unit: ALL })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('indicator_value')
      .values({ indicator_id: ind.id, period: ALL.slice(0, 40), plan: 1, actual: 2 })
      .execute();
    return { agencyId: agency.id, lifeSituationId: ls.id, overdueId: overdue.id, soonId: soon.id };
  });
}

/** Problems an HTML page would have if any hostile string got through unescaped. */
export function unescapedHostile(html: string): string[] {
  const problems: string[] = [];
  if (html.includes(HOSTILE.script)) problems.push('raw <script>');
  if (/<img[^>]*onerror/i.test(html)) problems.push('raw <img onerror>');
  if (/<[^>]+\sonmouseover=/i.test(html)) problems.push('attribute injection');
  if (/(href|src|action|hx-get|hx-post)\s*=\s*["']?\s*javascript:/i.test(html))
    problems.push('javascript: URL');
  return problems;
}
