import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { assignItem } from '../../app/assignments/index.ts';
import { addComment } from '../../app/comments/index.ts';
import { setItemDirection } from '../../app/control-items/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { actorOf, currentUser, idParam, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { flash } from '../flash.ts';
import { date, eventId, fieldValue, formSchema, parseForm, readForm, text } from '../forms.ts';
import type { PeopleProblem } from '../views/item/types.ts';
import { ItemPage, titleOf } from '../views/item/panel.tsx';
import { renderHeadHome } from './home.tsx';
import { itemView, loadItem } from './item-view.tsx';

export type { PeopleProblem };

const STATUS = { validation: 422, forbidden: 403, conflict: 409 } as const;

/** The item page again with the refused form's message next to its field (422). */
async function itemPageWith(c: Context<AppEnv>, id: number, problem: PeopleProblem, status: 403 | 409 | 422) {
  const v = await itemView(c, await loadItem(c, id), { peopleProblem: problem });
  c.status(status);
  return c.render(<ItemPage v={v} csrf={c.var.csrfToken ?? ''} />, { title: titleOf(v), section: 'items' });
}

const forms = {
  assign: formSchema({
    assigneeUserId: text(),
    internalDue: date({ required: 'error.field.date' }),
    note: text(),
  }),
  comment: formSchema({ body: text() }),
  direction: formSchema({ direction: text().transform((v) => v.trim().slice(0, 40)) }),
};

export function itemPeopleRoutes() {
  const app = new Hono<AppEnv>();

  // Подчинённое поручение: the responsible agency's head gives the item to one of its executors.
  app.post('/:id/assign', async (c) => {
    const id = idParam(c);
    const form = await readForm(c);
    const key = parseForm(form.values, z.object({ eventId: eventId() })).eventId;
    const back = fieldValue(form.values, 'back');
    const values = {
      assigneeUserId: fieldValue(form.values, 'assigneeUserId'),
      note: fieldValue(form.values, 'note'),
      ...Object.fromEntries(
        ['day', 'month', 'year'].map((k) => [
          `internalDue-${k}`,
          fieldValue(form.values, `internalDue-${k}`),
        ]),
      ),
    };
    try {
      await assignItem(
        { ...c.var.deps, publicUrl: c.var.deps.config.publicUrl },
        {
          actor: actorOf(currentUser(c)),
          itemId: id,
          // Read only once the head is known to be allowed to assign (permission first).
          fields: () => {
            const v = parseForm(form.values, forms.assign);
            return {
              assigneeUserId: /^\d{1,9}$/.test(v.assigneeUserId) ? Number(v.assigneeUserId) : 0,
              internalDue: v.internalDue,
              note: v.note,
            };
          },
          idempotencyKey: key,
          today: readContext(c).today,
        },
      );
    } catch (e) {
      if (!(e instanceof ShtabError) || !(e.code in STATUS)) throw e;
      const message = c.var.t(e.detail.key, e.detail.params);
      if (back === '/' && e.code === 'validation')
        return renderHeadHome(c, { itemId: id, field: e.detail.field ?? '', message, values }, 422);
      return itemPageWith(
        c,
        id,
        { form: 'assign', field: e.detail.field, message, values },
        STATUS[e.code as keyof typeof STATUS],
      );
    }
    flash(c, 'flash.assigned');
    return c.redirect(back === '/' ? '/' : `/items/${id}#assignments`, 303);
  });

  // A comment in the item's thread; its participants are notified.
  app.post('/:id/comments', async (c) => {
    const id = idParam(c);
    const form = await readForm(c);
    const key = parseForm(form.values, z.object({ eventId: eventId() })).eventId;
    const { body } = parseForm(form.values, forms.comment);
    try {
      await addComment(
        { db: c.var.deps.db, publicUrl: c.var.deps.config.publicUrl },
        { actor: actorOf(currentUser(c)), itemId: id, body, idempotencyKey: key },
      );
    } catch (e) {
      if (!(e instanceof ShtabError) || !(e.code in STATUS)) throw e;
      const message = c.var.t(e.detail.key, e.detail.params);
      return itemPageWith(
        c,
        id,
        { form: 'comment', field: e.detail.field, message, values: { body } },
        STATUS[e.code as keyof typeof STATUS],
      );
    }
    flash(c, 'flash.comment.added');
    return c.redirect(`/items/${id}#comments`, 303);
  });

  // The measure's direction (the working group's): data, not the workflow's state (app/control-items).
  app.post('/:id/direction', async (c) => {
    const id = idParam(c);
    const form = await readForm(c);
    const key = parseForm(form.values, z.object({ eventId: eventId() })).eventId;
    const { direction } = parseForm(form.values, forms.direction);
    let changed: boolean;
    try {
      ({ changed } = await setItemDirection(c.var.deps, {
        actor: actorOf(currentUser(c)),
        itemId: id,
        direction: direction || null,
        idempotencyKey: key,
      }));
    } catch (e) {
      if (!(e instanceof ShtabError) || !(e.code in STATUS)) throw e;
      const message = c.var.t(e.detail.key, e.detail.params);
      return itemPageWith(
        c,
        id,
        { form: 'direction', field: e.detail.field, message, values: { direction } },
        STATUS[e.code as keyof typeof STATUS],
      );
    }
    flash(c, changed ? 'flash.direction.saved' : 'flash.direction.unchanged');
    return c.redirect(`/items/${id}#direction`, 303);
  });

  return app;
}
