import type { Transaction } from 'kysely';
import { queueMail, type Recipient } from '../../db/outbox.ts';
import type { DB } from '../../db/schema/index.ts';
import { render, type NotificationKind, type TemplateContext } from './templates.ts';

export { resolveRecipients, type Audience } from '../../db/outbox.ts';

/**
 * Writes one outbox row per recipient in the caller's transaction. The key (event × recipient) makes a
 * retried activity a no-op; the dispatcher sends rows that have an email, the inbox shows all of them.
 */
export async function enqueue(
  trx: Transaction<DB>,
  n: {
    eventKey: string;
    itemId: number | null;
    kind: NotificationKind;
    recipients: Recipient[];
    context: TemplateContext;
    sendAfter?: Date;
  },
): Promise<number> {
  const { context, kind, ...rest } = n;
  return queueMail(trx, { ...rest, kind, render: (l) => render(kind, context, l) });
}
