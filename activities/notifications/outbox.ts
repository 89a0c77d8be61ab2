import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { render, type Locale, type NotificationKind, type TemplateContext } from './templates.ts';

export type Audience = 'executors' | 'agency_head' | 'working_group' | 'leadership';

interface Recipient {
  id: number;
  email: string | null;
  locale: Locale;
}

/**
 * People behind an audience. "executors" is the item's named executor when there is one, otherwise every
 * executor of the agency.
 */
export async function resolveRecipients(
  trx: Transaction<DB>,
  audiences: Audience[],
  agencyId: number,
  executorUserId: number | null,
): Promise<Recipient[]> {
  const byId = new Map<number, Recipient>();
  const base = () =>
    trx.selectFrom('app_user').select(['id', 'email', 'locale']).where('disabled', '=', false);
  for (const a of audiences) {
    let rows: Recipient[] = [];
    if (a === 'executors') {
      rows = executorUserId
        ? await base().where('id', '=', executorUserId).where('agency_id', '=', agencyId).execute()
        : [];
      if (rows.length === 0) {
        rows = await base().where('agency_id', '=', agencyId).where('role', '=', 'agency_executor').execute();
      }
    } else if (a === 'agency_head') {
      rows = await base().where('agency_id', '=', agencyId).where('role', '=', 'agency_head').execute();
    } else {
      rows = await base().where('role', '=', a).execute();
    }
    for (const r of rows) byId.set(r.id, r);
  }
  return [...byId.values()];
}

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
  if (n.recipients.length === 0) return 0;
  const rows = n.recipients.map((r) => {
    const m = render(n.kind, n.context, r.locale);
    return {
      idempotency_key: `${n.eventKey}:${r.id}`,
      recipient_user_id: r.id,
      recipient_email: r.email,
      control_item_id: n.itemId,
      kind: n.kind,
      locale: r.locale,
      subject: m.subject,
      body_text: m.text,
      body_html: m.html,
      ...(n.sendAfter ? { send_after: n.sendAfter } : {}),
    };
  });
  const res = await trx
    .insertInto('notification')
    .values(rows)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}
