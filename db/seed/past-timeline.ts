import { countWorkingDays } from '../../domain/calendar/index.ts';
import type { ItemKind, ItemStatus } from '../../domain/control-item/index.ts';
import { instantToLocalDate, type LocalDate } from '../../domain/local-date.ts';
import type { DigestEventRow, DigestItemRow } from '../../domain/check-in/index.ts';

// The demo's items as they stood at a past moment, read back from the history the seed wrote: what the
// seeded weekly digests were built from (each digest shows its own week, not today's state).

export interface SeededEvent {
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

export interface SeededItem {
  id: number;
  number: string | null;
  kind: ItemKind;
  title_ru: string;
  title_en: string | null;
  agency_id: number;
  life_situation_id: number | null;
  /** The control date before an approved extension, and after it (the same without one). */
  originalDue: LocalDate;
  due: LocalDate;
  created: Date;
  events: SeededEvent[];
}

const STATUS_OF: Record<string, ItemStatus> = {
  started: 'in_progress',
  submitted: 'submitted',
  signed_off: 'submitted',
  returned: 'returned',
  accepted: 'done',
  cancelled: 'cancelled',
};

/** The item's lifecycle at `at`: status, control date, escalation level, and when it was accepted. */
export function itemAt(item: SeededItem, at: Date, utcOffsetMinutes: number) {
  let status: ItemStatus = 'assigned';
  let due = item.originalDue;
  let level = 0;
  let accepted: LocalDate | null = null;
  for (const e of [...item.events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (e.at > at) break;
    if (STATUS_OF[e.type]) status = STATUS_OF[e.type]!;
    if (e.type === 'accepted') accepted = instantToLocalDate(e.at.getTime(), utcOffsetMinutes);
    if (e.type === 'extension_approved') due = item.due;
    if (e.type.startsWith('chase.') && typeof e.data.level === 'number')
      level = Math.max(level, e.data.level);
  }
  return { status, due, level, accepted };
}

/** The digest's item rows at `at`: items created by then, each as it stood. */
export function digestRowsAt(items: SeededItem[], at: Date, utcOffsetMinutes: number): DigestItemRow[] {
  return items
    .filter((i) => i.created <= at)
    .map((i) => {
      const s = itemAt(i, at, utcOffsetMinutes);
      return {
        id: i.id,
        number: i.number,
        kind: i.kind,
        title_ru: i.title_ru,
        title_en: i.title_en,
        agency_id: i.agency_id,
        status: s.status,
        current_due: s.due,
        escalation_level: s.level,
        done_on_time: s.status === 'done' && s.accepted !== null && s.accepted <= s.due,
        accepted_on: s.accepted,
      };
    });
}

/** Acceptances, returns and approved extensions in (since, until], as the digest's change lists read them. */
export function digestEventsIn(items: SeededItem[], since: Date, until: Date): DigestEventRow[] {
  const out: DigestEventRow[] = [];
  for (const i of items)
    for (const e of i.events) {
      if (e.at <= since || e.at > until) continue;
      if (e.type !== 'accepted' && e.type !== 'returned' && e.type !== 'extension_approved') continue;
      out.push({
        item_id: i.id,
        type: e.type,
        at: e.at,
        before_due: e.type === 'extension_approved' ? i.originalDue : null,
        after_due: e.type === 'extension_approved' ? i.due : null,
        reason: typeof e.data.reason === 'string' ? e.data.reason : null,
      });
    }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.item_id - b.item_id);
}

/** Escalation level a control date reached by `today` under the default ladder (0/1/3/5 working days). */
export function levelOf(due: LocalDate, today: LocalDate): 0 | 1 | 2 | 3 | 4 {
  const late = due < today ? countWorkingDays(due, today) : 0;
  return late >= 6 ? 4 : late >= 4 ? 3 : late >= 2 ? 2 : late >= 1 ? 1 : 0;
}
