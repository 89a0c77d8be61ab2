import { stemmer } from '@orama/stemmers/russian';

/**
 * "What worries citizens": remarks are put under topics of an editable taxonomy. A topic has rules, each a
 * word or a phrase («очередь», «не дозвониться», «лишние документы»); a remark matches a rule when the
 * rule's words occur in it consecutively, compared by their Snowball Russian stems («очереди», «очередях»
 * and «очередь» are one word). English words pass through the same tokeniser and are compared lower-cased.
 */

export interface TopicRule {
  topicId: number;
  /** A word or phrase as the working group wrote it. */
  phrase: string;
}

export interface CompiledTaxonomy {
  /** Rules as stem sequences, grouped by their first stem for a quick scan. */
  byFirst: Map<string, { topicId: number; stems: string[] }[]>;
  size: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
/** Stems are cached: a region's remarks use a few tens of thousands of distinct words. */
const cache = new Map<string, string>();
const CACHE_MAX = 200_000;

export function stem(word: string): string {
  const w = word.toLowerCase().replace(/ё/g, 'е');
  let s = cache.get(w);
  if (s === undefined) {
    s = /[а-я]/.test(w) ? stemmer(w) : w;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(w, s);
  }
  return s;
}

/** Stems of the words of a text, in order (digits and letters; everything else separates). */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) out.push(stem(m[0]));
  return out;
}

export function compileTaxonomy(rules: readonly TopicRule[]): CompiledTaxonomy {
  const byFirst = new Map<string, { topicId: number; stems: string[] }[]>();
  let size = 0;
  for (const r of rules) {
    const s = stems(r.phrase);
    if (s.length === 0) continue;
    const list = byFirst.get(s[0]!) ?? [];
    list.push({ topicId: r.topicId, stems: s });
    byFirst.set(s[0]!, list);
    size++;
  }
  return { byFirst, size };
}

/** Topic ids whose rules occur in the text, ascending. */
export function matchTopics(text: string | null | undefined, taxonomy: CompiledTaxonomy): number[] {
  if (!text || taxonomy.size === 0) return [];
  const words = stems(text);
  const found = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    const candidates = taxonomy.byFirst.get(words[i]!);
    if (!candidates) continue;
    for (const c of candidates) {
      if (found.has(c.topicId)) continue;
      let ok = true;
      for (let j = 1; j < c.stems.length; j++) {
        if (words[i + j] !== c.stems[j]) {
          ok = false;
          break;
        }
      }
      if (ok) found.add(c.topicId);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Ratings whose remarks count as worries: praise ("the portal is convenient") names the same words as a
 * complaint ("the portal does not work"), so topics are matched only on ratings up to this.
 */
export const WORRY_MAX_RATING = 3;

/** The topics a review adds to "what worries citizens": its remark's, when the rating is not praise. */
export const worryTopics = (rating: number, text: string | null | undefined, taxonomy: CompiledTaxonomy) =>
  rating <= WORRY_MAX_RATING ? matchTopics(text, taxonomy) : [];

/** A rule the working group may save: 1–6 words, letters and digits only once tokenised. */
export function checkRulePhrase(phrase: string): 'ok' | 'empty' | 'tooLong' {
  const n = stems(phrase).length;
  return n === 0 ? 'empty' : n > 6 || phrase.length > 120 ? 'tooLong' : 'ok';
}

export interface TopicCount {
  topicId: number;
  count: number;
}

/**
 * Top topics of a period against the previous one: count, share of the period's remarks with text, and
 * the change in that share (the trend), most frequent first.
 */
export function topTopics(
  current: readonly TopicCount[],
  previous: readonly TopicCount[],
  remarks: { current: number; previous: number },
  limit = 5,
): { topicId: number; count: number; share: number; trend: number | null }[] {
  const prev = new Map(previous.map((p) => [p.topicId, p.count]));
  return [...current]
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.topicId - b.topicId)
    .slice(0, limit)
    .map((c) => {
      const share = remarks.current ? c.count / remarks.current : 0;
      const before = remarks.previous ? (prev.get(c.topicId) ?? 0) / remarks.previous : null;
      return { topicId: c.topicId, count: c.count, share, trend: before === null ? null : share - before };
    });
}
