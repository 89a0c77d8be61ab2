import { mailBody } from '../../domain/mail-body.ts';

// The invitation an admin sends (accounts.ts): the one-time link to set a password.
export function renderInvite(c: { name: string; url: string; hours: number; by: string }, l: 'ru' | 'en') {
  const ru = l === 'ru';
  const lines = ru
    ? [
        `Здравствуйте, ${c.name}!`,
        `${c.by} приглашает вас в систему «Штаб». Откройте ссылку и задайте пароль.`,
        `Ссылка действует ${c.hours} ч и только один раз. Если вы не ждали этого письма, не открывайте её.`,
      ]
    : [
        `Hello ${c.name},`,
        `${c.by} invites you to Shtab. Open the link and choose a password.`,
        `The link works once, for ${c.hours} hours. If you did not expect this email, do not open it.`,
      ];
  return {
    subject: ru ? 'Приглашение в систему «Штаб»' : 'Your invitation to Shtab',
    ...mailBody(lines, { url: c.url, label: ru ? 'Задать пароль' : 'Choose a password' }, l),
  };
}
