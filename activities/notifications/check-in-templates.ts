import { formatLocalDate, type LocalDate } from '../../domain/local-date.ts';

// Texts of the weekly check-in's notifications (ru, en). templates.ts renders them like every other
// notification: plain text plus escaped HTML with the link.

export type CheckInNotificationKind =
  'checkin_invite' | 'checkin_request' | 'checkin_chase' | 'checkin_digest' | 'checkin_instruction';

export interface CheckInMailItem {
  ref: string;
  title: string;
  due: LocalDate;
  agency?: string;
  reason?: 'overdue' | 'atRisk' | 'open';
  status?: string;
  daysOverdue?: number;
  level?: number;
}

export interface CheckInMailContext {
  meetingDate: LocalDate;
  /** Local time of the meeting, "10:00". */
  meetingTime: string;
  roadmap: string;
  items?: CheckInMailItem[];
  /** Further links written out in the text (the main link is the context's url). */
  links?: { label: 'notes' | 'ics' | 'xlsx' | 'digest'; url: string }[];
  summary?: {
    total: number;
    done: number;
    overdue: number;
    closed: number;
    newlyOverdue: number;
    upcoming: number;
    instructionsAsked: number;
    instructionsDone: number;
  };
  /** "What I asked for last week": instructions of the previous check-in. */
  instructions?: CheckInMailItem[];
  late?: boolean;
}

type Locale = 'ru' | 'en';

const STATUS: Record<string, [string, string]> = {
  assigned: ['назначено', 'assigned'],
  in_progress: ['в работе', 'in progress'],
  submitted: ['на рассмотрении', 'under review'],
  returned: ['на доработке', 'returned for rework'],
  done: ['исполнено', 'done'],
  cancelled: ['отменено', 'cancelled'],
};
const REASON: Record<NonNullable<CheckInMailItem['reason']>, [string, string]> = {
  overdue: ['просрочено', 'overdue'],
  atRisk: ['срок скоро', 'due soon'],
  open: ['в работе', 'open'],
};
const LINK: Record<string, [string, string]> = {
  notes: ['Форма статусных заметок', 'Status note form'],
  ics: ['Приглашение в календарь (ICS)', 'Calendar invitation (ICS)'],
  xlsx: ['Таблица (XLSX)', 'Spreadsheet (XLSX)'],
  digest: ['Сводка', 'Digest'],
};

const MAX_LINES = 15;

function itemLine(i: CheckInMailItem, l: Locale): string {
  const ru = l === 'ru';
  const due = formatLocalDate(i.due, l);
  const parts = [`${i.ref} «${i.title}»`];
  if (i.agency) parts.push(i.agency);
  parts.push(ru ? `срок ${due}` : `due ${due}`);
  if (i.reason) parts.push(REASON[i.reason][ru ? 0 : 1]);
  if (i.status) parts.push(STATUS[i.status]?.[ru ? 0 : 1] ?? i.status);
  if (i.daysOverdue !== undefined)
    parts.push(ru ? `просрочено на ${i.daysOverdue} дн.` : `${i.daysOverdue} days overdue`);
  if (i.level) parts.push(ru ? `уровень эскалации ${i.level}` : `escalation level ${i.level}`);
  return `• ${parts.join(' — ')}`;
}

function list(items: CheckInMailItem[] | undefined, l: Locale): string[] {
  if (!items?.length) return [];
  const shown = items.slice(0, MAX_LINES).map((i) => itemLine(i, l));
  const rest = items.length - shown.length;
  if (rest > 0) shown.push(l === 'ru' ? `… и ещё ${rest}` : `… and ${rest} more`);
  return shown;
}

const links = (c: CheckInMailContext, l: Locale) =>
  (c.links ?? []).map((x) => `${LINK[x.label]![l === 'ru' ? 0 : 1]}: ${x.url}`);

export function checkInContent(
  kind: CheckInNotificationKind,
  c: { title: string; itemRef: string; due: LocalDate; checkIn?: CheckInMailContext },
  l: Locale,
): { subject: string; lines: string[] } {
  const ru = l === 'ru';
  const k = c.checkIn ?? { meetingDate: c.due, meetingTime: '', roadmap: '' };
  const when = `${formatLocalDate(k.meetingDate, l)}${k.meetingTime ? ` ${k.meetingTime}` : ''}`;
  switch (kind) {
    case 'checkin_invite':
      return ru
        ? {
            subject: `Еженедельное совещание ${when}`,
            lines: [
              `Еженедельное совещание у первого заместителя губернатора по программе «${k.roadmap}» — ${when}.`,
              'Сводка будет разослана ко времени совещания.',
              ...links(k, l),
            ],
          }
        : {
            subject: `Weekly check-in ${when}`,
            lines: [
              `The weekly check-in with the first deputy governor on “${k.roadmap}” is on ${when}.`,
              'The digest will be sent at the meeting time.',
              ...links(k, l),
            ],
          };
    case 'checkin_request':
      return ru
        ? {
            subject: `Статус к совещанию ${formatLocalDate(k.meetingDate, l)}: ${k.items?.length ?? 0} пункт(ов)`,
            lines: [
              `К совещанию ${when} представьте краткую статусную заметку по каждому пункту:`,
              ...list(k.items, l),
              'Заполните форму до начала совещания.',
              ...links(k, l),
            ],
          }
        : {
            subject: `Status for the ${formatLocalDate(k.meetingDate, l)} check-in: ${k.items?.length ?? 0} item(s)`,
            lines: [
              `For the check-in on ${when}, please give a short status note on each item:`,
              ...list(k.items, l),
              'Fill in the form before the meeting.',
              ...links(k, l),
            ],
          };
    case 'checkin_chase':
      return ru
        ? {
            subject: `Напоминание: нет статусных заметок к совещанию ${formatLocalDate(k.meetingDate, l)}`,
            lines: [
              `Совещание ${when}. Ваше ведомство ещё не представило заметки по пунктам:`,
              ...list(k.items, l),
              ...links(k, l),
            ],
          }
        : {
            subject: `Reminder: status notes missing for the ${formatLocalDate(k.meetingDate, l)} check-in`,
            lines: [
              `The check-in is on ${when}. Your agency has not yet given notes on:`,
              ...list(k.items, l),
              ...links(k, l),
            ],
          };
    case 'checkin_digest': {
      const s = k.summary;
      const head = ru
        ? [
            `Сводка к совещанию ${when}${k.late ? ' (сформирована с опозданием)' : ''}.`,
            ...(s
              ? [
                  `Всего пунктов: ${s.total}, исполнено: ${s.done}, просрочено: ${s.overdue}.`,
                  `За неделю снято с контроля: ${s.closed}, впервые просрочено: ${s.newlyOverdue}, сроков в ближайшие 2 недели: ${s.upcoming}.`,
                  `Поручения прошлой недели: исполнено ${s.instructionsDone} из ${s.instructionsAsked}.`,
                ]
              : []),
          ]
        : [
            `Digest for the check-in on ${when}${k.late ? ' (built late)' : ''}.`,
            ...(s
              ? [
                  `Items: ${s.total}, done: ${s.done}, overdue: ${s.overdue}.`,
                  `This week closed: ${s.closed}, newly overdue: ${s.newlyOverdue}, deadlines in the next 2 weeks: ${s.upcoming}.`,
                  `Last week's instructions: ${s.instructionsDone} of ${s.instructionsAsked} done.`,
                ]
              : []),
          ];
      return {
        subject: ru
          ? `Сводка к совещанию ${formatLocalDate(k.meetingDate, l)}: просрочено ${s?.overdue ?? 0}`
          : `Check-in digest ${formatLocalDate(k.meetingDate, l)}: ${s?.overdue ?? 0} overdue`,
        lines: [
          ...head,
          ...(k.instructions?.length
            ? [ru ? 'Что поручалось на прошлой неделе:' : 'What I asked for last week:']
            : []),
          ...list(k.instructions, l),
          ...(k.items?.length ? [ru ? 'Красный список:' : 'Red list:'] : []),
          ...list(k.items, l),
          ...links(k, l),
        ],
      };
    }
    case 'checkin_instruction':
      return ru
        ? {
            subject: `Поручение по итогам совещания ${formatLocalDate(k.meetingDate, l)}: ${c.itemRef}`,
            lines: [
              `По итогам совещания ${formatLocalDate(k.meetingDate, l)} вашему ведомству дано поручение:`,
              `«${c.title}»`,
              `Срок — ${formatLocalDate(c.due, l)}.`,
            ],
          }
        : {
            subject: `Instruction from the ${formatLocalDate(k.meetingDate, l)} check-in: ${c.itemRef}`,
            lines: [
              `The check-in of ${formatLocalDate(k.meetingDate, l)} gave your agency an instruction:`,
              `“${c.title}”`,
              `Deadline: ${formatLocalDate(c.due, l)}.`,
            ],
          };
  }
}
