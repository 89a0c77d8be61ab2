export { createDispatcher, type Dispatcher } from './dispatcher.ts';
export { createSmtpMailer, type Mailer, type OutgoingMail } from './mailer.ts';
export { enqueue, resolveRecipients, type Audience } from './outbox.ts';
export { render, formatDate, type Locale, type NotificationKind } from './templates.ts';
