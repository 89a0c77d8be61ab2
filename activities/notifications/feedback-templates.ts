// Texts of the curator-case notifications (ru, en). templates.ts renders them like every other notification.

export type FeedbackNotificationKind =
  'case_opened' | 'case_reminder' | 'case_escalation' | 'case_answer_citizen' | 'check_overdue';

export interface FeedbackMailContext {
  service: string;
  rating: number;
  /** The citizen's remark, quoted (plain text; the HTML part escapes it). */
  remark: string;
  due: string;
  /** The curator's answer (to the citizen). */
  answer?: string;
  fixed?: boolean | null;
  level?: number;
}

type Locale = 'ru' | 'en';

const quote = (s: string) => (s.length > 500 ? `${s.slice(0, 500)}…` : s);

export function feedbackContent(
  kind: FeedbackNotificationKind,
  f: FeedbackMailContext,
  due: string,
  l: Locale,
): { subject: string; lines: string[] } {
  const ru = l === 'ru';
  switch (kind) {
    case 'case_opened':
      return ru
        ? {
            subject: `Отзыв гражданина (${f.rating}★) ждёт ответа: «${f.service}»`,
            lines: [
              `Гражданин оценил услугу «${f.service}» на ${f.rating} из 5 и оставил замечание:`,
              `«${quote(f.remark)}»`,
              `Ответьте до ${due}: что сделано и устранена ли проблема.`,
            ],
          }
        : {
            subject: `Citizen review (${f.rating}★) awaits your answer: “${f.service}”`,
            lines: [
              `A citizen rated “${f.service}” ${f.rating} of 5 and wrote:`,
              `“${quote(f.remark)}”`,
              `Answer by ${due}: what was done and whether the problem is fixed.`,
            ],
          };
    case 'case_reminder':
      return ru
        ? {
            subject: `Напоминание: ответ на отзыв по услуге «${f.service}» — до ${due}`,
            lines: [`Замечание гражданина пока без ответа: «${quote(f.remark)}»`, `Срок ответа — ${due}.`],
          }
        : {
            subject: `Reminder: answer the review of “${f.service}” by ${due}`,
            lines: [`The citizen's remark has no answer yet: “${quote(f.remark)}”`, `Due ${due}.`],
          };
    case 'case_escalation':
      return ru
        ? {
            subject: `Эскалация: отзыв по услуге «${f.service}» без ответа (срок ${due})`,
            lines: [
              `Куратор не ответил на замечание гражданина в срок (${due}).`,
              `«${quote(f.remark)}»`,
              f.level === 2 ? 'Вопрос передан рабочей группе.' : 'Вопрос передан руководителю ведомства.',
            ],
          }
        : {
            subject: `Escalation: review of “${f.service}” unanswered (due ${due})`,
            lines: [
              `The curator did not answer the citizen's remark by ${due}.`,
              `“${quote(f.remark)}”`,
              f.level === 2 ? 'Escalated to the working group.' : 'Escalated to the agency head.',
            ],
          };
    case 'check_overdue':
      return ru
        ? {
            subject: `Контрольная закупка просрочена: «${f.service}»`,
            lines: [
              `По плану контрольных закупок проверка услуги «${f.service}» назначена на ${due} и ещё не проведена.`,
              'Проведите её и внесите результаты или перенесите дату.',
            ],
          }
        : {
            subject: `Mystery-shopping check overdue: “${f.service}”`,
            lines: [
              `The planned check of “${f.service}” was due on ${due} and has not been carried out.`,
              'Carry it out and record the findings, or move the date.',
            ],
          };
    case 'case_answer_citizen':
      return ru
        ? {
            subject: `Ответ на ваш отзыв об услуге «${f.service}»`,
            lines: [
              'Здравствуйте! Спасибо за отзыв. Куратор услуги ответил:',
              f.answer ?? '',
              f.fixed === true
                ? 'Проблема устранена.'
                : f.fixed === false
                  ? 'Проблему пока не удалось устранить; работа продолжается.'
                  : 'О результате устранения сообщим дополнительно.',
            ],
          }
        : {
            subject: `Answer to your review of “${f.service}”`,
            lines: [
              'Hello, and thank you for your review. The service curator answered:',
              f.answer ?? '',
              f.fixed === true
                ? 'The problem is fixed.'
                : f.fixed === false
                  ? 'The problem is not fixed yet; work continues.'
                  : 'We will let you know when it is fixed.',
            ],
          };
  }
}
