import { Hono, type Context } from 'hono';
import { addCommitteeMember, removeCommitteeMember } from '../../../app/reference/index.ts';
import { activeAgencies, committeeList, committeePeopleChoices } from '../../../db/read-models/index.ts';
import type { FieldIssue } from '../../../domain/errors.ts';
import {
  COMMITTEE_BODIES,
  COMMITTEE_ROLES,
  type CommitteeBody,
  type CommitteeRole,
} from '../../../domain/reference/index.ts';
import { requireRole } from '../../auth/index.ts';
import { actorOf, currentUser, idParam } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { fieldProblems, Notice, ProblemSummary } from '../../views/admin-form.tsx';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { CommitteeView } from '../../views/committee.tsx';
import { Field } from '../../views/components.tsx';
import { Csrf } from '../../views/service-views.tsx';

// The working group's and the штаб's composition for the working group and the administrator: seats added
// one by one (a person with an account, an outside expert by name, or an agency taking part as a body)
// and removed; the check-in page shows the result.

const office = requireRole('working_group', 'admin');
const id = (f: string) => `seat-${f}`;
const idOf = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : null);

async function CommitteePage({
  c,
  values = { body: 'working_group', role: 'member' },
  problems,
  message,
}: {
  c: Context<AppEnv>;
  values?: FormValues;
  problems?: FieldIssue[] | undefined;
  message?: string | undefined;
}) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const [members, people, agencies] = await Promise.all([
    committeeList(db),
    committeePeopleChoices(db),
    activeAgencies(db),
  ]);
  const { err, aria } = fieldProblems(t, problems);
  const select = (name: string, options: [string, string][], empty?: string) => (
    <select id={id(name)} name={name} {...aria(name, id(name))}>
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map(([v, label]) => (
        <option value={v} selected={fieldValue(values, name) === v}>
          {label}
        </option>
      ))}
    </select>
  );
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="committee" role={currentUser(c).role} />
      <h2>{t('admin.committee.title')}</h2>
      <Notice message={message} />
      <CommitteeView
        members={members}
        t={t}
        locale={locale}
        action={(m) => (
          <form method="post" action={`/admin/committee/${m.id}/delete`} class="inline">
            <Csrf c={c} />{' '}
            <button type="submit" class="link">
              {t('admin.committee.remove')}
              <span class="sr-only"> {m.user_name ?? m.name ?? m.agency_title}</span>
            </button>
          </form>
        )}
      />
      <form method="post" action="/admin/committee" class="stacked narrow-form" id="seat-form" novalidate>
        <h3>{t('admin.committee.add')}</h3>
        <Csrf c={c} />
        <ProblemSummary t={t} problems={problems} idOf={id} />
        <Field id={id('body')} label={t('admin.committee.body')} error={err('body')}>
          {select(
            'body',
            COMMITTEE_BODIES.map((b) => [b, t(`committee.body.${b}`)]),
          )}
        </Field>
        <Field id={id('role')} label={t('admin.committee.role')} error={err('role')}>
          {select(
            'role',
            COMMITTEE_ROLES.map((r) => [r, t(`committee.role.${r}`)]),
          )}
        </Field>
        <Field
          id={id('userId')}
          label={t('admin.committee.person')}
          hint={t('admin.committee.whoHint')}
          error={err('userId')}
        >
          {select(
            'userId',
            people.map((p) => [
              String(p.id),
              `${p.display_name}${p.agency_short ? ` · ${p.agency_short}` : ''}`,
            ]),
            t('admin.committee.nobody'),
          )}
        </Field>
        <Field id={id('name')} label={t('admin.committee.name')} error={err('name')}>
          <input
            id={id('name')}
            name="name"
            value={fieldValue(values, 'name')}
            maxlength={300}
            {...aria('name', id('name'))}
          />
        </Field>
        <Field id={id('agencyId')} label={t('admin.committee.agency')} error={err('agencyId')}>
          {select(
            'agencyId',
            agencies.map((a) => [
              String(a.id),
              `${a.short_ru ?? a.title_ru} (${t(`agency.kind.${a.kind}`)})`,
            ]),
            t('admin.committee.noAgency'),
          )}
        </Field>
        <Field id={id('position')} label={t('admin.person.position')} error={err('position')}>
          <input
            id={id('position')}
            name="position"
            value={fieldValue(values, 'position')}
            maxlength={300}
            {...aria('position', id('position'))}
          />
        </Field>
        <button type="submit">{t('admin.committee.addSubmit')}</button>
      </form>
    </section>
  );
}

export function adminCommitteeRoutes() {
  const app = new Hono<AppEnv>();
  const title = (c: Context<AppEnv>) => ({
    title: c.var.t('admin.committee.title'),
    section: 'admin' as const,
  });
  app.get('/committee', office, (c) =>
    c.render(
      <CommitteePage c={c} message={c.req.query('saved') ? c.var.t('admin.saved') : undefined} />,
      title(c),
    ),
  );
  app.post('/committee', office, async (c) => {
    const { values } = await readForm(c);
    const r = await addCommitteeMember(c.var.deps.db, actorOf(currentUser(c)), {
      body: fieldValue(values, 'body') as CommitteeBody,
      role: fieldValue(values, 'role') as CommitteeRole,
      userId: idOf(fieldValue(values, 'userId')),
      agencyId: idOf(fieldValue(values, 'agencyId')),
      name: fieldValue(values, 'name') || null,
      position: fieldValue(values, 'position') || null,
    });
    if (!r.ok) {
      c.status(422);
      return c.render(<CommitteePage c={c} values={values} problems={r.problems} />, title(c));
    }
    return c.redirect('/admin/committee?saved=1', 303);
  });
  app.post('/committee/:id/delete', office, async (c) => {
    await removeCommitteeMember(c.var.deps.db, actorOf(currentUser(c)), idParam(c));
    return c.redirect('/admin/committee?saved=1', 303);
  });
  return app;
}
