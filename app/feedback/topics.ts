import { checkRulePhrase } from '../../domain/feedback/taxonomy.ts';
import { ShtabError } from '../../domain/errors.ts';
import type { FeedbackAppDeps } from './deps.ts';
import { newTaxonomyVersion, startRematch } from './rematch.ts';

export const MAX_RULES_PER_TOPIC = 50;

/**
 * The working group edits a topic's rules (one word or phrase per line) and switches it on or off. New
 * reviews are matched against the new rules at once (loadTaxonomy sees the change); the reviews on record
 * are matched again by the `feedbackRematch` workflow, started (or restarted) with the taxonomy version
 * written with the change. An unchanged topic saved again changes nothing and starts nothing. Returns the
 * new version (null: nothing changed).
 */
export async function saveTopicRules(
  deps: Pick<FeedbackAppDeps, 'db' | 'temporal' | 'log'>,
  o: { topicId: number; rulesText: string; active: boolean; userId: number },
): Promise<number | null> {
  const topic = await deps.db
    .selectFrom('feedback_topic')
    .select(['id', 'rules', 'active'])
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
  if (topic.active === o.active && topic.rules.join('\n') === rules.join('\n')) return null;
  const version = await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('feedback_topic')
      .set({ rules, active: o.active, updated_by: o.userId, updated_at: new Date() })
      .where('id', '=', o.topicId)
      .execute();
    return newTaxonomyVersion(trx, o.userId);
  });
  if (deps.temporal) {
    try {
      await startRematch(deps.temporal, version);
    } catch (e) {
      // Saved: the worker's reconciliation (ensureRematch) starts it.
      deps.log?.warn({ err: (e as Error).message, version }, 'feedback re-match not started');
    }
  }
  return version;
}
