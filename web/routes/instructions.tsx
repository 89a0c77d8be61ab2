import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { giveInstruction, mayGiveInstructions } from '../../app/instructions/index.ts';
import { allAgencies, getCheckIn, getItem, leadershipMembers } from '../../db/read-models/index.ts';
import { addWorkingDays } from '../../domain/calendar/index.ts';
import { forbidden, notFound, type FieldIssue } from '../../domain/errors.ts';
import { actorOf, currentUser, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import {
  checked,
  checkForm,
  date,
  eventId,
  fieldValue,
  formSchema,
  ids,
  parseForm,
  readForm,
  text,
  type FormValues,
} from '../forms.ts';
import { translateIssues } from '../views/form.tsx';
import { formatDateTime } from '../i18n/index.ts';
import { flash } from '../flash.ts';
import { InstructionForm } from '../views/instruction-form.tsx';

// «Дать поручение»: the leadership (or the working group on a member's behalf) gives an instruction from
// an item page, a red-list row or a meeting page. Parse → app/instructions → redirect to the new item.

const optionalId = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null);

const schema = formSchema({
  text: text(),
  agencyId: text(),
  coAgencyIds: ids('error.checkIn.unknownAgency'),
  due: date(),
  specialControl: checked(),
  authorUserId: text(),
  sourceItemId: text(),
  checkInId: text(),
});

/** The use case names fields as the rules do (agency, coAgencies); the form's fields are these. */
const FORM_FIELD: Record<string, string> = { agency: 'agencyId', coAgencies: 'coAgencyIds' };
const onForm = (issues: FieldIssue[]) => issues.map((i) => ({ ...i, field: FORM_FIELD[i.field] ?? i.field }));

async function renderForm(
  c: Context<AppEnv>,
  o: { sourceItemId: number | null; checkInId: number | null; values?: FormValues; problems?: FieldIssue[] },
  status: 200 | 422 = 200,
) {
  const user = currentUser(c);
  const { db } = c.var.deps;
  const { t, locale } = c.var;
  const { today } = readContext(c);
  const [source, checkIn, agencies, members] = await Promise.all([
    o.sourceItemId ? getItem(db, o.sourceItemId, today) : Promise.resolve(undefined),
    o.checkInId ? getCheckIn(db, o.checkInId) : Promise.resolve(undefined),
    allAgencies(db),
    user.role === 'leadership' ? Promise.resolve([]) : leadershipMembers(db),
  ]);
  if (o.sourceItemId && !source) throw notFound('error.item.notFound', `item ${o.sourceItemId} not found`);
  if (o.checkInId && !checkIn) throw notFound('error.checkIn.notFound', `check-in ${o.checkInId} not found`);
  c.status(status);
  return c.render(
    <InstructionForm
      csrf={c.var.csrfToken ?? ''}
      source={
        source
          ? {
              id: source.id,
              label: `${source.number ? `№ ${source.number} ` : ''}${localized(locale, source.title_ru, source.title_en)}`,
              agencyId: source.agency_id,
            }
          : null
      }
      checkIn={
        checkIn
          ? {
              id: checkIn.id,
              label: t('checkIn.meetingOf', {
                when: formatDateTime(checkIn.meeting_at, locale, c.var.deps.config.timeZone),
              }),
            }
          : null
      }
      agencies={agencies.map((a) => ({
        id: a.id,
        name: localized(locale, a.short_ru ?? a.title_ru, a.title_en),
      }))}
      members={members}
      onBehalf={user.role !== 'leadership'}
      defaultDue={addWorkingDays(today, 10)}
      posted={o.values ? { values: o.values, issues: translateIssues(t, o.problems ?? []) } : undefined}
      t={t}
    />,
    { title: t('instruction.title'), section: 'home' },
  );
}

export function instructionRoutes() {
  const app = new Hono<AppEnv>();
  const allowed = (c: Context<AppEnv>) => {
    if (!mayGiveInstructions(actorOf(currentUser(c))))
      throw forbidden(
        'error.forbidden.instructions',
        'only the leadership and the working group give instructions',
      );
  };

  app.get('/new', async (c) => {
    allowed(c);
    return renderForm(c, {
      sourceItemId: optionalId(c.req.query('source')),
      checkInId: optionalId(c.req.query('checkIn')),
    });
  });

  app.post('/', async (c) => {
    allowed(c);
    const form = await readForm(c);
    const key = parseForm(form.values, z.object({ eventId: eventId() })).eventId;
    const read = checkForm(form.values, schema);
    const sourceItemId = optionalId(fieldValue(form.values, 'sourceItemId'));
    const checkInId = optionalId(fieldValue(form.values, 'checkInId'));
    if (!read.ok)
      return renderForm(c, { sourceItemId, checkInId, values: form.values, problems: read.issues }, 422);
    const v = read.value;
    const r = await giveInstruction(
      { ...c.var.deps, publicUrl: c.var.deps.config.publicUrl },
      {
        actor: actorOf(currentUser(c)),
        authorUserId: optionalId(v.authorUserId),
        text: v.text,
        agencyId: optionalId(v.agencyId),
        coAgencyIds: v.coAgencyIds,
        due: v.due || null,
        specialControl: v.specialControl,
        sourceItemId,
        checkInId,
        idempotencyKey: key,
        today: readContext(c).today,
      },
    );
    if (!r.ok)
      return renderForm(
        c,
        { sourceItemId, checkInId, values: form.values, problems: onForm(r.problems) },
        422,
      );
    flash(c, 'flash.instruction.given');
    return c.redirect(`/items/${r.itemId}`, 303);
  });

  return app;
}
