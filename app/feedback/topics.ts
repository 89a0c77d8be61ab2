import { checkRulePhrase } from '../../domain/feedback/taxonomy.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { FeedbackAppDeps } from './deps.ts';

export const MAX_RULES_PER_TOPIC = 50;

/**
 * The working group edits a topic's rules (one word or phrase per line) and switches it on or off. New
 * reviews are matched against the new rules at once (loadTaxonomy sees the change); reviews already on
 * record keep the topics they were given.
 */
export async function saveTopicRules(
  deps: Pick<FeedbackAppDeps, 'db'>,
  o: { topicId: number; rulesText: string; active: boolean; userId: number },
) {
  const topic = await deps.db
    .selectFrom('feedback_topic')
    .select('id')
    .where('id', '=', o.topicId)
    .executeTakeFirst();
  if (!topic) throw new ShtabError('not_found', 'no such topic', { key: 'error.notFound' });
  const rules = [
    ...new Set(
      o.rulesText
        .split(/\r?\n/)
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  if (rules.length > MAX_RULES_PER_TOPIC)
    throw new ShtabError('validation', 'too many rules', {
      key: 'error.feedback.tooMany',
      field: 'rules',
      params: { max: MAX_RULES_PER_TOPIC },
    });
  const bad = rules.find((r) => checkRulePhrase(r) !== 'ok');
  if (bad)
    throw new ShtabError('validation', 'bad rule', {
      key: 'error.feedback.badRule',
      field: 'rules',
      params: { rule: bad.slice(0, 60) },
    });
  await deps.db
    .updateTable('feedback_topic')
    .set({ rules, active: o.active, updated_by: o.userId, updated_at: new Date() })
    .where('id', '=', o.topicId)
    .execute();
}
