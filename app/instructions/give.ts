import type { Db } from '../../db/index.ts';
import { queueMail, resolveRecipients } from '../../db/outbox.ts';
import { instructionTitle } from '../../domain/check-in/index.ts';
import { forbidden, notFound, type FieldIssue } from '../../domain/errors.ts';
import type { LocalDate } from '../../domain/local-date.ts';
import { peopleMail } from '../../domain/notifications/people-mail.ts';
import { checkInstruction } from '../../domain/people/instruction.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';
import { recordNewItems, startControl, type ControlDeps } from '../control-items/index.ts';
import { unavailable } from '../temporal.ts';

export interface GiveInstruction {
  actor: Actor;
  /** The leadership member whose instruction it is, when the working group enters it on their behalf. */
  authorUserId?: number | null;
  text: string;
  agencyId: number | null;
  coAgencyIds: number[];
  /** 'YYYY-MM-DD' as typed; a day off moves to the preceding working day. */
  due: string | null;
  specialControl: boolean;
  /** The item it was given about (a red-list row, any item page), and/or the meeting. */
  sourceItemId?: number | null;
  checkInId?: number | null;
  idempotencyKey: string;
  today: LocalDate;
}

export type GiveResult = { ok: true; itemId: number } | { ok: false; problems: FieldIssue[] };

/** Who may give instructions: leadership in their own name, the working group (and admin) on their behalf. */
export const mayGiveInstructions = (actor: Actor) =>
  actor.role === 'leadership' || isProjectOffice(actor.role);

/**
 * An instruction (поручение) from leadership, or from the working group on a leadership member's behalf
 * (recorded as such: the author and who entered it). It becomes a controlled item of kind `instruction`
 * — linked to the item and/or meeting it came from, in that item's (or meeting's) roadmap, so that the
 * next weekly digest reports it — with its own workflow; the responsible agency's executors and head and
 * the co-executors' heads are notified. Every field problem at once (the form marks each); a repeated key
 * returns the item made with it.
 */
export async function giveInstruction(
  deps: ControlDeps & { publicUrl: string },
  o: GiveInstruction,
): Promise<GiveResult> {
  const { db } = deps;
  if (!mayGiveInstructions(o.actor))
    throw forbidden(
      'error.forbidden.instructions',
      'only the leadership and the working group give instructions',
    );
  const [source, checkIn] = await Promise.all([
    o.sourceItemId
      ? db
          .selectFrom('control_item')
          .select(['id', 'roadmap_id'])
          .where('id', '=', o.sourceItemId)
          .executeTakeFirst()
      : undefined,
    o.checkInId
      ? db
          .selectFrom('check_in')
          .select(['id', 'roadmap_id'])
          .where('id', '=', o.checkInId)
          .executeTakeFirst()
      : undefined,
  ]);
  if (o.sourceItemId && !source) throw notFound('error.item.notFound', `item ${o.sourceItemId} not found`);
  if (o.checkInId && !checkIn) throw notFound('error.checkIn.notFound', `check-in ${o.checkInId} not found`);

  const { problems, value } = checkInstruction(
    {
      text: o.text,
      agencyId: o.agencyId,
      coAgencyIds: o.coAgencyIds,
      due: o.due,
      specialControl: o.specialControl,
    },
    { today: o.today },
  );
  const onBehalf = o.actor.role !== 'leadership';
  const author = onBehalf ? await leadershipMember(db, o.authorUserId ?? null) : { id: o.actor.userId };
  if (!author) problems.push({ field: 'authorUserId', key: 'error.instruction.author' });
  const agencyIds = [...new Set([value.agencyId, ...value.coAgencyIds].filter((a) => a > 0))];
  const known = new Set(
    agencyIds.length
      ? (await db.selectFrom('agency').select('id').where('id', 'in', agencyIds).execute()).map((a) => a.id)
      : [],
  );
  if (value.agencyId > 0 && !known.has(value.agencyId))
    problems.push({ field: 'agency', key: 'error.checkIn.unknownAgency' });
  if (value.coAgencyIds.some((a) => !known.has(a)))
    problems.push({ field: 'coAgencies', key: 'error.checkIn.unknownAgency' });
  if (problems.length || !author) return { ok: false, problems };

  const roadmapId =
    source?.roadmap_id ??
    checkIn?.roadmap_id ??
    (await db.selectFrom('roadmap').select('id').orderBy('id').limit(1).executeTakeFirst())?.id ??
    null;
  const at = new Date();
  const item = await db.transaction().execute(async (trx) => {
    const [row] = await recordNewItems(trx, [
      {
        item: {
          kind: 'instruction',
          roadmap_id: roadmapId,
          check_in_id: checkIn?.id ?? null,
          source_item_id: source?.id ?? null,
          author_user_id: author.id,
          given_by_user_id: o.actor.userId,
          special_control: value.specialControl,
          title_ru: instructionTitle(value.text),
          description: value.text,
          agency_id: value.agencyId,
          co_agency_ids: value.coAgencyIds,
          due: value.due,
        },
        creation: {
          eventKey: o.idempotencyKey,
          type: 'instruction_given',
          actor: o.actor,
          at,
          data: {
            authorUserId: author.id,
            onBehalf,
            ...(source ? { sourceItemId: source.id } : {}),
            ...(checkIn ? { checkInId: checkIn.id } : {}),
            specialControl: value.specialControl,
          },
        },
      },
    ]);
    const names = await trx
      .selectFrom('app_user')
      .select(['id', 'display_name'])
      .where('id', 'in', [author.id, o.actor.userId])
      .execute();
    const nameOf = (id: number) => names.find((n) => n.id === id)?.display_name ?? '';
    const recipients = [
      ...(await resolveRecipients(trx, ['executors', 'agency_head'], value.agencyId, null)),
      ...(
        await Promise.all(value.coAgencyIds.map((a) => resolveRecipients(trx, ['agency_head'], a, null)))
      ).flat(),
    ];
    await queueMail(trx, {
      eventKey: o.idempotencyKey,
      itemId: row!.id,
      kind: 'instruction_given',
      recipients: [...new Map(recipients.map((r) => [r.id, r])).values()],
      render: (l) =>
        peopleMail(
          'instruction_given',
          {
            itemRef: `#${row!.id}`,
            title: row!.title_ru,
            url: `${deps.publicUrl.replace(/\/$/, '')}/items/${row!.id}`,
            due: row!.current_due,
            author: nameOf(author.id),
            by: nameOf(o.actor.userId),
            onBehalf,
            specialControl: value.specialControl,
          },
          l,
        ),
    });
    return row!;
  });
  try {
    await startControl(deps, [item.id]);
  } catch (e) {
    // The instruction is recorded; the worker's reconciliation puts it under control (ensureItemWorkflows).
    throw unavailable(e);
  }
  return { ok: true, itemId: item.id };
}

/** An active member of the leadership, or undefined. */
async function leadershipMember(db: Db, userId: number | null) {
  if (!userId || !Number.isSafeInteger(userId)) return undefined;
  return db
    .selectFrom('app_user')
    .select('id')
    .where('id', '=', userId)
    .where('role', '=', 'leadership')
    .where('disabled', '=', false)
    .executeTakeFirst();
}
