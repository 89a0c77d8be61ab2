import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { formatLocalDate, type LocalDate } from '../../domain/local-date.ts';
import { mailBody } from '../../domain/mail-body.ts';

export interface DigestActivityDeps {
  db: Db;
  publicUrl: string;
  onNotificationsQueued?: () => void;
}

/** At most this many notices are listed in one digest (the rest are counted; the inbox has them all). */
const LISTED = 50;

const firstLine = (body: string) => body.split(/\r?\n/)[0] ?? '';

/**
 * The daily digest for people who chose one email a day (app_user.notify_mode = 'digest'): the notices
 * that waited since the last digest (they are never emailed one by one: the dispatcher skips them) go out
 * as one email, grouped per item. Each person's digest is one transaction keyed by person and day, so a
 * retried or repeated run (the Schedule's catch-up, "run now") writes nothing twice; the notices it lists
 * are marked sent in it. The digest row has no recipient user: it is an email, not an inbox entry.
 */
export function createDigestActivities(deps: DigestActivityDeps) {
  const { db } = deps;
  const base = deps.publicUrl.replace(/\/$/, '');
  return {
    async sendDailyDigests(input: { day: LocalDate }): Promise<{ digests: number; notices: number }> {
      const readers = await db
        .selectFrom('notification as n')
        .innerJoin('app_user as u', 'u.id', 'n.recipient_user_id')
        .select(['u.id', 'u.email', 'u.locale'])
        .distinct()
        .where('u.notify_mode', '=', 'digest')
        .where('u.disabled', '=', false)
        .where('n.sent_at', 'is', null)
        .where('n.digest_id', 'is', null)
        .where('n.recipient_email', 'is not', null)
        .execute();
      let digests = 0;
      let notices = 0;
      for (const r of readers) {
        if (!r.email) continue;
        const done = await db.transaction().execute(async (trx) => {
          const key = `digest:${r.id}:${input.day}`;
          const exists = await trx
            .selectFrom('notification')
            .select('id')
            .where('idempotency_key', '=', key)
            .executeTakeFirst();
          if (exists) return 0;
          const rows = await trx
            .selectFrom('notification as n')
            .leftJoin('control_item as i', 'i.id', 'n.control_item_id')
            .select([
              'n.id',
              'n.subject',
              'n.body_text',
              'n.control_item_id',
              'i.number',
              'i.title_ru',
              'i.title_en',
            ])
            .where('n.recipient_user_id', '=', r.id)
            .where('n.sent_at', 'is', null)
            .where('n.digest_id', 'is', null)
            .where('n.recipient_email', 'is not', null)
            .orderBy('n.control_item_id')
            .orderBy('n.id')
            .forUpdate('n')
            .execute();
          if (rows.length === 0) return 0;
          const ru = r.locale !== 'en';
          const date = formatLocalDate(input.day, ru ? 'ru' : 'en');
          // Grouped per item, as the inbox shows them.
          const groups = new Map<string, typeof rows>();
          for (const n of rows) {
            const g = n.control_item_id === null ? `n${n.id}` : `i${n.control_item_id}`;
            groups.set(g, [...(groups.get(g) ?? []), n]);
          }
          const lines: string[] = [
            ru
              ? `Уведомления, пришедшие с прошлой сводки: ${rows.length}.`
              : `Notifications since the last digest: ${rows.length}.`,
          ];
          let listed = 0;
          for (const list of groups.values()) {
            if (listed >= LISTED) break;
            const head = list[0]!;
            if (head.control_item_id !== null) {
              const ref = head.number
                ? ru
                  ? `№ ${head.number}`
                  : `No. ${head.number}`
                : `#${head.control_item_id}`;
              const title = !ru && head.title_en ? head.title_en : head.title_ru;
              lines.push(`${ref} «${title}» — ${base}/items/${head.control_item_id}`);
            }
            for (const n of list) {
              if (listed++ >= LISTED) break;
              lines.push(`  • ${n.subject}${firstLine(n.body_text) ? `: ${firstLine(n.body_text)}` : ''}`);
            }
          }
          if (rows.length > LISTED)
            lines.push(
              ru
                ? `…и ещё ${rows.length - LISTED} — во входящих.`
                : `…and ${rows.length - LISTED} more in the inbox.`,
            );
          const body = mailBody(
            lines,
            { url: `${base}/inbox`, label: ru ? 'Все уведомления' : 'All notifications' },
            ru ? 'ru' : 'en',
          );
          const digest = await trx
            .insertInto('notification')
            .values({
              idempotency_key: key,
              recipient_user_id: null,
              recipient_email: r.email,
              control_item_id: null,
              kind: 'digest',
              locale: ru ? 'ru' : 'en',
              subject: ru
                ? `Сводка уведомлений за ${date}: ${rows.length}`
                : `Notifications digest, ${date}: ${rows.length}`,
              body_text: body.text,
              body_html: body.html,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .updateTable('notification')
            .set({ digest_id: digest.id, sent_at: sql`now()` })
            .where(
              'id',
              'in',
              rows.map((n) => n.id),
            )
            .execute();
          return rows.length;
        });
        if (done > 0) {
          digests++;
          notices += done;
        }
      }
      if (digests > 0) deps.onNotificationsQueued?.();
      return { digests, notices };
    },
  };
}
