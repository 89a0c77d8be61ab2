import { formatLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { mailBody } from '../../domain/mail-body.ts';
import {
  checkInContent,
  type CheckInMailContext,
  type CheckInNotificationKind,
} from './check-in-templates.ts';
import {
  feedbackContent,
  type FeedbackMailContext,
  type FeedbackNotificationKind,
} from './feedback-templates.ts';

export type Locale = 'ru' | 'en';

export type NotificationKind =
  | 'submitted'
  | 'part_submitted'
  | 'accepted'
  | 'period_closed'
  | 'returned'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_rejected'
  | 'reassigned_to'
  | 'reassigned_from'
  | 'deadline_changed'
  | 'reopened'
  | 'cancelled'
  | 'reminder'
  | 'overdue'
  | 'escalation'
  | 'repeat'
  | 'service_improved'
  | 'score_below_target'
  | CheckInNotificationKind
  | FeedbackNotificationKind;

export interface TemplateContext {
  itemRef: string; // "№ 12" or "#12"
  title: string;
  url: string;
  due: LocalDate;
  daysLeft?: number;
  daysOverdue?: number;
  reason?: string;
  newDue?: LocalDate;
  /** Returns and reopens: the rework due date; `due` stays the control date. Reminders: they count down to it. */
  reworkDue?: LocalDate;
  /** The control date has passed: the item is overdue whatever the rework due date. */
  overdue?: boolean;
  agency?: string;
  level?: number;
  /** Service quality: the score period, its average and the improvement's target. */
  period?: string;
  score?: number;
  target?: number;
  /** Weekly check-in notifications (check-in-templates.ts). */
  checkIn?: CheckInMailContext;
  /** Curator cases (feedback-templates.ts). */
  feedback?: FeedbackMailContext;
}

export const formatDate = formatLocalDate;

function plural(n: number, locale: Locale, ru: [string, string, string], en: [string, string]): string {
  if (locale === 'en') return `${n} ${n === 1 ? en[0] : en[1]}`;
  const m10 = n % 10;
  const m100 = n % 100;
  const form =
    m10 === 1 && m100 !== 11 ? ru[0] : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? ru[1] : ru[2];
  return `${n} ${form}`;
}

const wd = (n: number, l: Locale) =>
  plural(n, l, ['рабочий день', 'рабочих дня', 'рабочих дней'], ['working day', 'working days']);

type Lines = { subject: string; lines: string[] };

function content(kind: NotificationKind, c: TemplateContext, l: Locale): Lines {
  const due = formatDate(c.due, l);
  const ru = l === 'ru';
  const head = `${c.itemRef} «${c.title}»`;
  switch (kind) {
    case 'submitted':
      return ru
        ? {
            subject: `Представлен отчёт: ${head}`,
            lines: [
              `Исполнитель представил отчёт об исполнении ${head}.`,
              'Рассмотрите его: примите или верните на доработку.',
            ],
          }
        : {
            subject: `Report submitted: ${head}`,
            lines: [
              `The executor submitted a report on ${head}.`,
              'Please review it: accept it or return it for rework.',
            ],
          };
    case 'part_submitted':
      return ru
        ? {
            subject: `Соисполнитель представил свою часть: ${head}`,
            lines: [`${c.agency ?? 'Соисполнитель'} представил(о) свою часть отчёта по ${head}.`],
          }
        : {
            subject: `Co-executor part submitted: ${head}`,
            lines: [`${c.agency ?? 'A co-executor'} submitted its part of the report on ${head}.`],
          };
    case 'accepted':
      return ru
        ? {
            subject: `Снято с контроля: ${head}`,
            lines: [`Рабочая группа приняла отчёт. ${head} снято с контроля.`],
          }
        : {
            subject: `Closed: ${head}`,
            lines: [`The working group accepted the report. ${head} is closed.`],
          };
    case 'period_closed':
      return ru
        ? {
            subject: `Отчёт за период принят: ${head}`,
            lines: [`Отчёт за период принят. Следующий срок — ${due}.`],
          }
        : {
            subject: `Period report accepted: ${head}`,
            lines: [`The report for the period was accepted. Next deadline: ${due}.`],
          };
    case 'returned':
    case 'reopened': {
      // Before the control date was fixed a return's `due` was its new deadline (no reworkDue): old
      // outbox rows still render as they did.
      const rework = c.reworkDue ? formatDate(c.reworkDue, l) : null;
      const reopened = kind === 'reopened';
      const control = ru
        ? `Контрольный срок — ${due}${c.overdue ? ': он истёк, мероприятие остаётся просроченным' : ''}.`
        : `Control date: ${due}${c.overdue ? ' — it has passed; the item stays overdue' : ''}.`;
      return ru
        ? {
            subject: `${reopened ? 'Возвращено на контроль' : 'Возвращено на доработку'}: ${head}`,
            lines: [
              reopened
                ? `Рабочая группа вернула ${head} на контроль.`
                : `Отчёт по ${head} возвращён на доработку.`,
              `Причина: ${c.reason ?? '—'}`,
              ...(rework ? [`Срок доработки — ${rework}.`, control] : [`Новый срок: ${due}.`]),
            ],
          }
        : {
            subject: `${reopened ? 'Back under control' : 'Returned for rework'}: ${head}`,
            lines: [
              reopened
                ? `The working group put ${head} back under control.`
                : `The report on ${head} was returned for rework.`,
              `Reason: ${c.reason ?? '—'}`,
              ...(rework ? [`Rework due: ${rework}.`, control] : [`New deadline: ${due}.`]),
            ],
          };
    }
    case 'extension_requested':
      return ru
        ? {
            subject: `Запрос на продление срока: ${head}`,
            lines: [
              `Исполнитель просит продлить срок ${head} с ${due} до ${formatDate(c.newDue ?? c.due, l)}.`,
              `Обоснование: ${c.reason ?? '—'}`,
            ],
          }
        : {
            subject: `Extension requested: ${head}`,
            lines: [
              `The executor asks to extend ${head} from ${due} to ${formatDate(c.newDue ?? c.due, l)}.`,
              `Reason: ${c.reason ?? '—'}`,
            ],
          };
    case 'extension_approved':
      return ru
        ? { subject: `Срок продлён: ${head}`, lines: [`Продление срока одобрено. Новый срок — ${due}.`] }
        : {
            subject: `Deadline extended: ${head}`,
            lines: [`The extension was approved. New deadline: ${due}.`],
          };
    case 'extension_rejected':
      return ru
        ? {
            subject: `В продлении срока отказано: ${head}`,
            lines: [
              `В продлении срока отказано. Срок остаётся прежним — ${due}.`,
              ...(c.reason ? [`Комментарий: ${c.reason}`] : []),
            ],
          }
        : {
            subject: `Extension rejected: ${head}`,
            lines: [
              `The extension was rejected. The deadline stays ${due}.`,
              ...(c.reason ? [`Comment: ${c.reason}`] : []),
            ],
          };
    case 'reassigned_to':
      return ru
        ? {
            subject: `Вам передано на исполнение: ${head}`,
            lines: [`${head} передано вашему ведомству. Срок — ${due}.`, `Основание: ${c.reason ?? '—'}`],
          }
        : {
            subject: `Assigned to your agency: ${head}`,
            lines: [`${head} was reassigned to your agency. Deadline: ${due}.`, `Reason: ${c.reason ?? '—'}`],
          };
    case 'deadline_changed':
      return ru
        ? {
            subject: `Изменён срок: ${head}`,
            lines: [`Рабочая группа установила новый срок — ${due}.`, `Основание: ${c.reason ?? '—'}`],
          }
        : {
            subject: `Deadline changed: ${head}`,
            lines: [`The working group set a new deadline: ${due}.`, `Reason: ${c.reason ?? '—'}`],
          };
    case 'reassigned_from':
      return ru
        ? {
            subject: `Передано другому ведомству: ${head}`,
            lines: [`${head} передано ${c.agency ?? 'другому ведомству'}.`, `Основание: ${c.reason ?? '—'}`],
          }
        : {
            subject: `Reassigned: ${head}`,
            lines: [
              `${head} was reassigned to ${c.agency ?? 'another agency'}.`,
              `Reason: ${c.reason ?? '—'}`,
            ],
          };
    case 'cancelled':
      return ru
        ? { subject: `Отменено: ${head}`, lines: [`${head} отменено.`, `Причина: ${c.reason ?? '—'}`] }
        : { subject: `Cancelled: ${head}`, lines: [`${head} was cancelled.`, `Reason: ${c.reason ?? '—'}`] };
    case 'reminder':
      if (c.reworkDue) {
        const rework = formatDate(c.reworkDue, l);
        const left = c.daysLeft ? wd(c.daysLeft, l) : null;
        return ru
          ? {
              subject: `Напоминание: срок доработки ${left ? `через ${left}` : 'сегодня'} — ${head}`,
              lines: [
                `Срок доработки ${head} — ${rework}${left ? ` (через ${left})` : ''}.`,
                `Контрольный срок — ${due}.`,
                'Представьте доработанный отчёт.',
              ],
            }
          : {
              subject: `Reminder: rework due ${left ? `in ${left}` : 'today'} — ${head}`,
              lines: [
                `The rework on ${head} is due on ${rework}${left ? ` (in ${left})` : ''}.`,
                `Control date: ${due}.`,
                'Please submit the revised report.',
              ],
            };
      }
      return c.daysLeft
        ? ru
          ? {
              subject: `Напоминание: срок через ${wd(c.daysLeft, l)} — ${head}`,
              lines: [
                `Срок исполнения ${head} — ${due} (через ${wd(c.daysLeft, l)}).`,
                'Представьте отчёт об исполнении или запросите продление срока.',
              ],
            }
          : {
              subject: `Reminder: due in ${wd(c.daysLeft, l)} — ${head}`,
              lines: [
                `${head} is due on ${due} (in ${wd(c.daysLeft, l)}).`,
                'Submit your report or request an extension.',
              ],
            }
        : ru
          ? {
              subject: `Срок сегодня: ${head}`,
              lines: [`Сегодня (${due}) истекает срок исполнения ${head}.`],
            }
          : { subject: `Due today: ${head}`, lines: [`${head} is due today (${due}).`] };
    case 'overdue':
      return ru
        ? {
            subject: `Просрочено: ${head}`,
            lines: [
              `Срок исполнения ${head} истёк ${due}. Отчёт не принят.`,
              'Представьте отчёт как можно скорее.',
            ],
          }
        : {
            subject: `Overdue: ${head}`,
            lines: [
              `${head} was due on ${due} and has no accepted report.`,
              'Please submit it as soon as possible.',
            ],
          };
    case 'escalation':
      return ru
        ? {
            subject: `Эскалация (уровень ${c.level}): просрочено ${head}`,
            lines: [
              `${head} просрочено на ${wd(c.daysOverdue ?? 0, l)} (срок ${due}).`,
              `Ответственный: ${c.agency ?? '—'}.`,
            ],
          }
        : {
            subject: `Escalation (level ${c.level}): ${head} overdue`,
            lines: [
              `${head} is ${wd(c.daysOverdue ?? 0, l)} overdue (due ${due}).`,
              `Responsible: ${c.agency ?? '—'}.`,
            ],
          };
    case 'repeat':
      return ru
        ? {
            subject: `Повторное напоминание: просрочено ${head}`,
            lines: [
              `${head} просрочено на ${wd(c.daysOverdue ?? 0, l)} (срок ${due}). Отчёт до сих пор не принят.`,
            ],
          }
        : {
            subject: `Still overdue: ${head}`,
            lines: [
              `${head} is ${wd(c.daysOverdue ?? 0, l)} overdue (due ${due}) and still has no accepted report.`,
            ],
          };
    case 'service_improved':
      return ru
        ? {
            subject: `Услуга улучшена: ${head}`,
            lines: [
              `Средняя оценка услуги ${head} за период ${c.period ?? '—'} — ${c.score ?? '—'} (цель ${c.target ?? '—'}).`,
              'Улучшение засчитано, процесс закрыт.',
            ],
          }
        : {
            subject: `Service improved: ${head}`,
            lines: [
              `The average score of ${head} for ${c.period ?? '—'} is ${c.score ?? '—'} (target ${c.target ?? '—'}).`,
              'The improvement counts and is closed.',
            ],
          };
    case 'score_below_target':
      return ru
        ? {
            subject: `Оценка услуги ниже цели: ${head}`,
            lines: [
              `Средняя оценка услуги ${head} за период ${c.period ?? '—'} — ${c.score ?? '—'}, цель — ${c.target ?? '—'}.`,
              'Улучшение не засчитано и остаётся на контроле до следующей выгрузки оценок.',
            ],
          }
        : {
            subject: `Service score below target: ${head}`,
            lines: [
              `The average score of ${head} for ${c.period ?? '—'} is ${c.score ?? '—'}; the target is ${c.target ?? '—'}.`,
              'The improvement does not count yet and stays under control until the next score import.',
            ],
          };
    case 'checkin_invite':
    case 'checkin_request':
    case 'checkin_chase':
    case 'checkin_digest':
    case 'checkin_instruction':
      return checkInContent(kind, c, l);
    case 'case_opened':
    case 'case_reminder':
    case 'case_escalation':
    case 'case_answer_citizen':
    case 'check_overdue':
      return feedbackContent(kind, c.feedback!, due, l);
  }
}

export function render(kind: NotificationKind, c: TemplateContext, l: Locale) {
  const { subject, lines } = content(kind, c, l);
  const open = l === 'ru' ? 'Открыть в Штабе' : 'Open in Shtab';
  return { subject, ...mailBody(lines, { url: c.url, label: open }, l) };
}
