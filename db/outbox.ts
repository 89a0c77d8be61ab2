import type { Transaction } from 'kysely';
import type { DB } from './schema/index.ts';

// The notification outbox as a table: who an audience is, and rows written in the caller's transaction.
// Rendering is the caller's (activities/notifications for workflow notices, app/ for what people write:
// comments, reminders, instructions, assignments); the dispatcher sends rows with an email, the inbox
// shows all of them.

export type Audience = 'executors' | 'agency_head' | 'working_group' | 'leadership';
export type MailLocale = 'ru' | 'en';

export interface Recipient {
  id: number;
  email: string | null;
  locale: MailLocale;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string | null;
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

/** Active users by id, as recipients (a comment's participants, an instruction's author). */
export async function recipientsByIds(trx: Transaction<DB>, ids: number[]): Promise<Recipient[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return trx
    .selectFrom('app_user')
    .select(['id', 'email', 'locale'])
    .where('id', 'in', unique)
    .where('disabled', '=', false)
    .execute();
}

/**
 * Writes one outbox row per recipient in the caller's transaction, rendered in the recipient's language.
 * The key (event × recipient) makes a repeated write a no-op. Returns how many rows are new.
 */
export async function queueMail(
  trx: Transaction<DB>,
  n: {
    eventKey: string;
    itemId: number | null;
    kind: string;
    recipients: Recipient[];
    render: (locale: MailLocale) => RenderedMail;
    sendAfter?: Date;
  },
): Promise<number> {
  if (n.recipients.length === 0) return 0;
  const rows = n.recipients.map((r) => {
    const m = n.render(r.locale);
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
