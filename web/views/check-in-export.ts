import ExcelJS from 'exceljs';
import { createEvent } from 'ics';
import type { DigestSnapshot } from '../../domain/check-in/index.ts';
import type { Locale, Translate } from '../i18n/index.ts';

// The digest as a spreadsheet and the meeting as a calendar event. Both are built from the stored
// snapshot / check-in row; user texts go in as cell values and ICS text (escaped by the libraries).

const name = (d: DigestSnapshot, locale: Locale) => {
  const m = new Map(d.agencies.map((a) => [a.id, locale === 'en' ? a.nameEn : a.nameRu]));
  return (id: number) => m.get(id) ?? String(id);
};
const title = (i: { titleRu: string; titleEn: string | null }, locale: Locale) =>
  locale === 'en' && i.titleEn ? i.titleEn : i.titleRu;
const ref = (i: { id: number; number: string | null }) => i.number ?? `#${i.id}`;

export async function digestWorkbook(d: DigestSnapshot, t: Translate, locale: Locale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shtab';
  wb.created = new Date(d.generatedAt);
  const agency = name(d, locale);
  const sheet = (key: string, headers: string[], rows: (string | number | null)[][], widths?: number[]) => {
    // Sheet names: at most 31 characters, none of * ? : \ / [ ].
    const ws = wb.addWorksheet(
      t(key)
        .replace(/[*?:\\/[\]]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 31),
    );
    ws.addRow(headers).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    headers.forEach((_, i) => (ws.getColumn(i + 1).width = widths?.[i] ?? (i === 1 ? 60 : 16)));
    return ws;
  };
  const status = (s: string) => t(`status.${s}`);

  sheet(
    'checkIn.xlsx.summary',
    [t('checkIn.xlsx.metric'), t('checkIn.xlsx.value')],
    [
      [t('checkIn.meetingDate'), d.meetingDate],
      [t('checkIn.digestAt'), d.generatedAt],
      [t('checkIn.total'), d.totals.total],
      [t('checkIn.done'), d.totals.done],
      [t('checkIn.open'), d.totals.open],
      [t('checkIn.overdue'), d.totals.overdue],
      [t('checkIn.atRisk'), d.totals.atRisk],
      [t('checkIn.submitted'), d.totals.submitted],
      [t('checkIn.closedThisWeek'), d.changes.closed.length],
      [t('checkIn.newlyOverdue'), d.changes.newlyOverdue.length],
      [t('checkIn.extensions'), d.changes.extensions.length],
      [t('checkIn.rework'), d.changes.rework.length],
    ],
    [40, 24],
  );
  sheet(
    'checkIn.instructions',
    [
      t('item.number'),
      t('item.title'),
      t('item.agency'),
      t('item.currentDue'),
      t('item.status'),
      t('checkIn.specialControl'),
      t('checkIn.fromPrevious'),
    ],
    d.instructions.map((i) => [
      ref(i),
      title(i, locale),
      agency(i.agencyId),
      i.due,
      status(i.status),
      i.specialControl ? t('checkIn.yes') : '',
      i.fromPrevious ? t('checkIn.yes') : '',
    ]),
  );
  sheet(
    'checkIn.redList',
    [
      t('item.number'),
      t('item.title'),
      t('item.agency'),
      t('item.currentDue'),
      t(d.latenessUnit ? 'checkIn.daysOverdue' : 'checkIn.daysOverdueCalendar'),
      t('item.escalation'),
    ],
    d.redList.map((r) => [
      ref(r),
      title(r, locale),
      agency(r.agencyId),
      r.due,
      r.daysOverdue,
      r.escalationLevel,
    ]),
  );
  sheet(
    'checkIn.changes',
    [
      t('checkIn.change'),
      t('item.number'),
      t('item.title'),
      t('item.agency'),
      t('item.currentDue'),
      t('checkIn.detail'),
    ],
    [
      ...d.changes.closed.map((i) => [
        t('checkIn.closedThisWeek'),
        ref(i),
        title(i, locale),
        agency(i.agencyId),
        i.due,
        '',
      ]),
      ...d.changes.newlyOverdue.map((i) => [
        t('checkIn.newlyOverdue'),
        ref(i),
        title(i, locale),
        agency(i.agencyId),
        i.due,
        '',
      ]),
      ...d.changes.extensions.map((i) => [
        t('checkIn.extensions'),
        ref(i),
        title(i, locale),
        agency(i.agencyId),
        i.newDue,
        i.previousDue,
      ]),
      ...d.changes.rework.map((i) => [
        t('checkIn.rework'),
        ref(i),
        title(i, locale),
        agency(i.agencyId),
        i.due,
        i.reason ?? '',
      ]),
    ],
  );
  sheet(
    'checkIn.upcoming',
    [t('item.number'), t('item.title'), t('item.agency'), t('item.currentDue'), t('item.status')],
    d.upcoming.map((i) => [ref(i), title(i, locale), agency(i.agencyId), i.due, status(i.status)]),
  );
  sheet(
    'checkIn.league',
    [
      t('checkIn.rank'),
      t('item.agency'),
      t('checkIn.total'),
      t('checkIn.done'),
      t('checkIn.doneOnTime'),
      t('checkIn.open'),
      t('checkIn.overdue'),
      t('checkIn.onTrack'),
      t('checkIn.notesGiven'),
    ],
    d.league.map((l) => [
      l.rank,
      agency(l.agencyId),
      l.total,
      l.done,
      l.doneOnTime,
      l.open,
      l.overdue,
      l.onTrackRate === null ? null : Math.round(l.onTrackRate * 100) / 100,
      `${l.notesGiven}/${l.notesRequested}`,
    ]),
  );
  sheet(
    'checkIn.lifeSituations',
    [t('item.lifeSituation'), t('checkIn.total'), t('checkIn.done'), t('checkIn.overdue')],
    d.lifeSituations.map((l) => [locale === 'en' ? l.titleEn : l.titleRu, l.total, l.done, l.overdue]),
  );
  sheet(
    'checkIn.kpis',
    [t('checkIn.indicator'), t('checkIn.period'), t('checkIn.plan'), t('checkIn.actual'), t('checkIn.unit')],
    d.kpis.flatMap((k) =>
      k.points.map((p) => [locale === 'en' ? k.titleEn : k.titleRu, p.period, p.plan, p.actual, k.unit]),
    ),
  );
  sheet(
    'checkIn.notes',
    [t('item.number'), t('item.title'), t('item.agency'), t('checkIn.noteAuthor'), t('checkIn.note')],
    d.notes.map((n) => [
      ref({ id: n.itemId, number: n.number }),
      title(n, locale),
      agency(n.agencyId),
      n.author ?? '',
      n.body,
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The meeting as a one-hour calendar event (UTC times, stable UID per check-in). */
export function meetingIcs(o: {
  checkInId: number;
  meetingAt: Date;
  title: string;
  description: string;
  url: string;
  host: string;
  cancelled?: boolean;
}): string {
  const s = o.meetingAt;
  const { error, value } = createEvent({
    uid: `check-in-${o.checkInId}@${o.host}`,
    productId: 'shtab/check-in',
    method: 'PUBLISH',
    start: [s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate(), s.getUTCHours(), s.getUTCMinutes()],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { hours: 1 },
    title: o.title,
    description: o.description,
    url: o.url,
    status: o.cancelled ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
  });
  if (error || !value) throw error ?? new Error('ICS generation failed');
  return value;
}
