import { formatLocalDate, type LocalDate } from '../local-date.ts';
import { mailBody } from '../mail-body.ts';

// Notices of the people's own work (issue 13): the head's sign-off, assignments inside an agency and
// their internal deadline, comments, the working group's reminders, instructions given by leadership.
// Pure: the workflow activities and app/ use cases render them the same way.

export const PEOPLE_NOTICE_KINDS = [
  'signoff_requested',
  'signed_off',
  'signoff_returned',
  'assigned',
  'assignment_reminder',
  'assignment_overdue',
  'comment',
  'manual_reminder',
  'instruction_given',
] as const;
export type PeopleNoticeKind = (typeof PEOPLE_NOTICE_KINDS)[number];

export const isPeopleNotice = (k: string): k is PeopleNoticeKind =>
  (PEOPLE_NOTICE_KINDS as readonly string[]).includes(k);

/** What these notices may say besides the item's reference, title, link and control date. */
export interface PeopleMailFields {
  /** Who acted (a display name). */
  by?: string;
  reason?: string;
  /** An assignment's internal deadline (внутренний срок). */
  internalDue?: LocalDate;
  /** The head's note to the assignee, or the beginning of a comment. */
  note?: string;
  daysLeft?: number;
  daysOverdue?: number;
  /** The executor an assignment went to (in the head's copy of an overdue notice). */
  assignee?: string;
  /** An instruction's author, and whether the working group entered it on their behalf. */
  author?: string;
  onBehalf?: boolean;
  specialControl?: boolean;
}

export interface PeopleMailContext extends PeopleMailFields {
  itemRef: string;
  title: string;
  url: string;
  /** The control date. */
  due: LocalDate;
}

type L = 'ru' | 'en';

function wd(n: number, l: L) {
  if (l === 'en') return `${n} working ${n === 1 ? 'day' : 'days'}`;
  const m10 = n % 10;
  const m100 = n % 100;
  const form =
    m10 === 1 && m100 !== 11
      ? 'рабочий день'
      : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)
        ? 'рабочих дня'
        : 'рабочих дней';
  return `${n} ${form}`;
}

/** Subject and lines of a notice. */
export function peopleContent(
  kind: PeopleNoticeKind,
  c: PeopleMailContext,
  l: L,
): { subject: string; lines: string[] } {
  const ru = l === 'ru';
  const head = `${c.itemRef} «${c.title}»`;
  const due = formatLocalDate(c.due, l);
  const internal = c.internalDue ? formatLocalDate(c.internalDue, l) : '';
  const by = c.by ?? (ru ? 'Коллега' : 'A colleague');
  switch (kind) {
    case 'signoff_requested':
      return ru
        ? {
            subject: `Отчёт ждёт вашей подписи: ${head}`,
            lines: [
              `${by} направил(а) отчёт по ${head} вам на подпись.`,
              'Подпишите его — отчёт уйдёт в рабочую группу — или верните исполнителю с замечанием.',
              `Контрольный срок — ${due}.`,
            ],
          }
        : {
            subject: `A report awaits your sign-off: ${head}`,
            lines: [
              `${by} sent you the report on ${head} to sign off.`,
              'Sign it off (it then goes to the working group) or return it to the executor with a comment.',
              `Control date: ${due}.`,
            ],
          };
    case 'signed_off':
      return ru
        ? {
            subject: `Отчёт подписан и направлен в рабочую группу: ${head}`,
            lines: [`${by} подписал(а) отчёт по ${head}; он направлен на рассмотрение рабочей группы.`],
          }
        : {
            subject: `Report signed off and sent to the working group: ${head}`,
            lines: [`${by} signed off the report on ${head}; the working group will review it.`],
          };
    case 'signoff_returned':
      return ru
        ? {
            subject: `Руководитель вернул отчёт: ${head}`,
            lines: [
              `${by} вернул(а) отчёт по ${head} без подписи.`,
              `Замечание: ${c.reason ?? '—'}`,
              `Контрольный срок — ${due}.`,
            ],
          }
        : {
            subject: `Your head returned the report: ${head}`,
            lines: [
              `${by} returned the report on ${head} without signing it off.`,
              `Comment: ${c.reason ?? '—'}`,
              `Control date: ${due}.`,
            ],
          };
    case 'assigned':
      return ru
        ? {
            subject: `Вам поручено исполнение: ${head}`,
            lines: [
              `${by} поручил(а) вам исполнение ${head}.`,
              `Внутренний срок — ${internal} (контрольный срок — ${due}).`,
              ...(c.note ? [`Указание руководителя: ${c.note}`] : []),
            ],
          }
        : {
            subject: `Assigned to you: ${head}`,
            lines: [
              `${by} assigned ${head} to you.`,
              `Internal deadline: ${internal} (control date: ${due}).`,
              ...(c.note ? [`Your head's note: ${c.note}`] : []),
            ],
          };
    case 'assignment_reminder':
      return ru
        ? {
            subject: `Внутренний срок ${internal}: ${head}`,
            lines: [
              `До внутреннего срока по ${head} — ${wd(c.daysLeft ?? 0, l)} (${internal}).`,
              'Подготовьте отчёт и направьте его руководителю.',
            ],
          }
        : {
            subject: `Internal deadline ${internal}: ${head}`,
            lines: [
              `${wd(c.daysLeft ?? 0, l)} left until the internal deadline of ${head} (${internal}).`,
              'Prepare the report and send it to your head.',
            ],
          };
    case 'assignment_overdue':
      return ru
        ? {
            subject: `Пропущен внутренний срок: ${head}`,
            lines: [
              `Внутренний срок по ${head} (${internal}) прошёл ${wd(c.daysOverdue ?? 1, l)} назад${c.assignee ? `; исполнитель — ${c.assignee}` : ''}.`,
              `Контрольный срок — ${due}.`,
            ],
          }
        : {
            subject: `Internal deadline missed: ${head}`,
            lines: [
              `The internal deadline of ${head} (${internal}) passed ${wd(c.daysOverdue ?? 1, l)} ago${c.assignee ? `; assigned to ${c.assignee}` : ''}.`,
              `Control date: ${due}.`,
            ],
          };
    case 'comment':
      return ru
        ? { subject: `Комментарий: ${head}`, lines: [`${by} пишет по ${head}:`, c.note ?? ''] }
        : { subject: `Comment: ${head}`, lines: [`${by} writes about ${head}:`, c.note ?? ''] };
    case 'manual_reminder':
      return ru
        ? {
            subject: `Напоминание рабочей группы: ${head}`,
            lines: [
              c.daysOverdue
                ? `Контрольный срок ${head} (${due}) прошёл: просрочено на ${wd(c.daysOverdue, l)}.`
                : `Контрольный срок ${head} — ${due}.`,
              `${by} (рабочая группа) просит представить отчёт или запросить продление срока.`,
            ],
          }
        : {
            subject: `Working group reminder: ${head}`,
            lines: [
              c.daysOverdue
                ? `The control date of ${head} (${due}) has passed: ${wd(c.daysOverdue, l)} overdue.`
                : `The control date of ${head} is ${due}.`,
              `${by} (working group) asks you to submit the report or to request an extension.`,
            ],
          };
    case 'instruction_given': {
      const author = c.author ?? (ru ? 'Руководство' : 'The leadership');
      const behalf = c.onBehalf ? (ru ? ` (внесено: ${by})` : ` (entered by ${by})`) : '';
      return ru
        ? {
            subject: `Поручение${c.specialControl ? ' (особый контроль)' : ''}: ${head}`,
            lines: [`${author} дал(а) поручение${behalf}: ${c.title}`, `Срок исполнения — ${due}.`],
          }
        : {
            subject: `Instruction${c.specialControl ? ' (special control)' : ''}: ${head}`,
            lines: [`${author} gave an instruction${behalf}: ${c.title}`, `Due: ${due}.`],
          };
    }
  }
}

/** Subject, text and HTML of a notice in one language. */
export function peopleMail(kind: PeopleNoticeKind, c: PeopleMailContext, l: L) {
  const { subject, lines } = peopleContent(kind, c, l);
  return {
    subject,
    ...mailBody(lines, { url: c.url, label: l === 'ru' ? 'Открыть в Штабе' : 'Open in Shtab' }, l),
  };
}
