import { monthOf } from './period.ts';

/** A stored review as the tallies see it. */
export interface TallyInput {
  serviceId: number;
  municipalityId: number | null;
  receivedOn: string;
  rating: number;
  hasText: boolean;
  topicIds: readonly number[];
}

export interface TallyDelta {
  /** service id, or municipality id (0 = not given) */
  key: number;
  month: string;
  votes: number;
  ratingSum: number;
  byRating: [number, number, number, number, number];
  withText: number;
}
export interface TopicDelta {
  key: number;
  month: string;
  topicId: number;
  n: number;
}
export interface Tallies {
  byService: TallyDelta[];
  byMunicipality: TallyDelta[];
  topicsByService: TopicDelta[];
  topicsByMunicipality: TopicDelta[];
}

const pad = (n: number) => String(n).padStart(10, '0');

/**
 * What a set of new reviews adds to the monthly tallies: per service and month, per municipality and month
 * (0 = not given), and their topics. Each list is in key order, so that concurrent intakes lock the tally
 * rows in the same order (no deadlocks).
 */
export function tallyReviews(reviews: readonly TallyInput[]): Tallies {
  const svc = new Map<string, TallyDelta>();
  const area = new Map<string, TallyDelta>();
  const tSvc = new Map<string, TopicDelta>();
  const tArea = new Map<string, TopicDelta>();
  const add = (map: Map<string, TallyDelta>, key: number, month: string, r: TallyInput) => {
    const k = `${pad(key)}|${month}`;
    let d = map.get(k);
    if (!d) map.set(k, (d = { key, month, votes: 0, ratingSum: 0, byRating: [0, 0, 0, 0, 0], withText: 0 }));
    d.votes++;
    d.ratingSum += r.rating;
    d.byRating[r.rating - 1]!++;
    if (r.hasText) d.withText++;
  };
  const addTopic = (map: Map<string, TopicDelta>, key: number, month: string, topicId: number) => {
    const k = `${pad(key)}|${month}|${pad(topicId)}`;
    const x = map.get(k);
    if (x) x.n++;
    else map.set(k, { key, month, topicId, n: 1 });
  };
  for (const r of reviews) {
    const m = monthOf(r.receivedOn);
    const mu = r.municipalityId ?? 0;
    add(svc, r.serviceId, m, r);
    add(area, mu, m, r);
    for (const t of r.topicIds) {
      addTopic(tSvc, r.serviceId, m, t);
      addTopic(tArea, mu, m, t);
    }
  }
  const sorted = <T>(map: Map<string, T>) => [...map.keys()].sort().map((k) => map.get(k)!);
  return {
    byService: sorted(svc),
    byMunicipality: sorted(area),
    topicsByService: sorted(tSvc),
    topicsByMunicipality: sorted(tArea),
  };
}

/** A stored review whose topics change when it is matched again with edited rules. */
export interface TopicChange {
  serviceId: number;
  municipalityId: number | null;
  receivedOn: string;
  before: readonly number[];
  after: readonly number[];
}

/**
 * How re-matched reviews move the topic tallies: −1 for each topic a review loses, +1 for each it gains,
 * per service and month and per municipality and month; zero sums left out, each list in key order (the
 * intake's lock order). Adding these to tallies that counted `before` gives the tallies of `after`.
 */
export function topicTallyChanges(
  changes: readonly TopicChange[],
): Pick<Tallies, 'topicsByService' | 'topicsByMunicipality'> {
  const tSvc = new Map<string, TopicDelta>();
  const tArea = new Map<string, TopicDelta>();
  const add = (map: Map<string, TopicDelta>, key: number, month: string, topicId: number, n: number) => {
    const k = `${pad(key)}|${month}|${pad(topicId)}`;
    const x = map.get(k);
    if (x) x.n += n;
    else map.set(k, { key, month, topicId, n });
  };
  for (const c of changes) {
    const m = monthOf(c.receivedOn);
    const mu = c.municipalityId ?? 0;
    const after = new Set(c.after);
    const before = new Set(c.before);
    for (const t of before)
      if (!after.has(t)) {
        add(tSvc, c.serviceId, m, t, -1);
        add(tArea, mu, m, t, -1);
      }
    for (const t of after)
      if (!before.has(t)) {
        add(tSvc, c.serviceId, m, t, 1);
        add(tArea, mu, m, t, 1);
      }
  }
  const sorted = (map: Map<string, TopicDelta>) =>
    [...map.keys()]
      .sort()
      .map((k) => map.get(k)!)
      .filter((d) => d.n !== 0);
  return { topicsByService: sorted(tSvc), topicsByMunicipality: sorted(tArea) };
}
