import type { DigestItem, DigestSnapshot, DigestTotals } from './digest.ts';

export interface CountChange {
  key: keyof DigestTotals;
  before: number;
  after: number;
  delta: number;
}

export interface DigestDiff {
  previousCheckInId: number;
  checkInId: number;
  /** Every headline count, in a fixed order (unchanged ones have delta 0). */
  counts: CountChange[];
  /** On the red list now, not on the previous one. */
  newOverdue: DigestItem[];
  /** On the previous red list, not any more (closed, submitted or given a new deadline). */
  leftRedList: DigestItem[];
  /** On both red lists, one escalation level higher or more. */
  escalated: { item: DigestItem; from: number; to: number }[];
  /** Closed, extended and returned between the two digests (reported by the later one). */
  closed: DigestItem[];
  extensions: DigestSnapshot['changes']['extensions'];
  rework: DigestSnapshot['changes']['rework'];
  /** Agencies whose place in the league table moved. */
  leagueMoves: { agencyId: number; from: number | null; to: number }[];
}

const TOTAL_KEYS: (keyof DigestTotals)[] = ['total', 'done', 'open', 'overdue', 'atRisk', 'submitted'];

/**
 * What changed between two digests. Red-list membership and counts come from comparing the snapshots; the
 * closed/extended/returned lists are the later digest's own changes when it directly follows `prev` (its
 * `since` is the earlier digest), and are left empty otherwise rather than guessed.
 */
export function diffDigests(prev: DigestSnapshot, cur: DigestSnapshot): DigestDiff {
  const prevRed = new Map(prev.redList.map((r) => [r.id, r]));
  const curRed = new Map(cur.redList.map((r) => [r.id, r]));
  const follows = cur.previousCheckInId === prev.checkInId;
  const prevRank = new Map(prev.league.map((l) => [l.agencyId, l.rank]));
  return {
    previousCheckInId: prev.checkInId,
    checkInId: cur.checkInId,
    counts: TOTAL_KEYS.map((key) => ({
      key,
      before: prev.totals[key],
      after: cur.totals[key],
      delta: cur.totals[key] - prev.totals[key],
    })),
    newOverdue: cur.redList.filter((r) => !prevRed.has(r.id)).map(strip),
    leftRedList: prev.redList.filter((r) => !curRed.has(r.id)).map(strip),
    escalated: cur.redList
      .filter((r) => prevRed.has(r.id) && r.escalationLevel > prevRed.get(r.id)!.escalationLevel)
      .map((r) => ({ item: strip(r), from: prevRed.get(r.id)!.escalationLevel, to: r.escalationLevel })),
    closed: follows ? cur.changes.closed : [],
    extensions: follows ? cur.changes.extensions : [],
    rework: follows ? cur.changes.rework : [],
    leagueMoves: cur.league
      .filter((l) => prevRank.get(l.agencyId) !== l.rank)
      .map((l) => ({ agencyId: l.agencyId, from: prevRank.get(l.agencyId) ?? null, to: l.rank })),
  };
}

function strip(r: DigestItem): DigestItem {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    titleRu: r.titleRu,
    titleEn: r.titleEn,
    agencyId: r.agencyId,
    due: r.due,
    status: r.status,
  };
}
