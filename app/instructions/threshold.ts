import type { Db } from '../../db/index.ts';
import { forbidden, validation } from '../../domain/errors.ts';
import {
  EXTENSION_THRESHOLD_KEY,
  EXTENSION_THRESHOLD_RANGE,
  parseExtensionThreshold,
} from '../../domain/people/decisions.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';

/**
 * The working group's setting: extension requests that move a control date by at least this many working
 * days wait for the leadership's decision (their home's «для решения»). Audited.
 */
export async function saveExtensionThreshold(db: Db, o: { actor: Actor; value: string }) {
  if (!isProjectOffice(o.actor.role))
    throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group changes the threshold');
  const days = parseExtensionThreshold(o.value);
  if (days === null)
    throw validation('threshold', 'error.threshold.range', 'threshold out of range', {
      ...EXTENSION_THRESHOLD_RANGE,
    });
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('setting')
      .select('value')
      .where('key', '=', EXTENSION_THRESHOLD_KEY)
      .executeTakeFirst();
    await trx
      .insertInto('setting')
      .values({ key: EXTENSION_THRESHOLD_KEY, value: JSON.stringify(days), updated_at: new Date() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: JSON.stringify(days), updated_at: new Date() }),
      )
      .execute();
    await trx
      .insertInto('event')
      .values({
        event_key: `setting:${EXTENSION_THRESHOLD_KEY}:${Date.now()}:${o.actor.userId}`,
        type: 'setting.changed',
        actor_user_id: o.actor.userId,
        at: new Date(),
        data: JSON.stringify({ key: EXTENSION_THRESHOLD_KEY, before: before?.value ?? null, after: days }),
      })
      .execute();
  });
  return days;
}
