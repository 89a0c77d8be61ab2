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
import { flash } from '../../flash.ts';
import { fieldValue, readForm, type FormValues } from '../../forms.ts';
import { adminForm } from '../../views/admin-form.tsx';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { CommitteeView } from '../../views/committee.tsx';
import { ruOf, UserText } from '../../views/components.tsx';
import { agencyShort } from '../../views/item-columns.tsx';
import { ErrorSummary, SelectField, TextField } from '../../views/form.tsx';
import { Csrf } from '../../views/service-views.tsx';

// The working group's and the штаб's composition for the working group and the administrator: seats added
// one by one (a person with an account, an outside expert by name, or an agency taking part as a body)
// and removed; the check-in page shows the result.

const office = requireRole('working_group', 'admin');
const idOf = (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : null);

async function CommitteePage({
  c,
  values = { body: 'working_group', role: 'member' },
  problems,
}: {
  c: Context<AppEnv>;
  values?: FormValues;
  problems?: FieldIssue[] | undefined;
}) {
  const { t, locale } = c.var;
  const db = c.var.deps.db;
  const [members, people, agencies] = await Promise.all([
    committeeList(db),
    committeePeopleChoices(db),
    activeAgencies(db),
  ]);
  const f = adminForm(t, 'seat', values, problems);
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="committee" role={currentUser(c).role} />
      <h2>{t('admin.committee.title')}</h2>
      <CommitteeView
        members={members}
        t={t}
        locale={locale}
        action={(m) => (
          <form method="post" action={`/admin/committee/${m.id}/delete`} class="inline">
            <Csrf c={c} />{' '}
            <button type="submit" class="link">
              {t('admin.committee.remove')}
              <span class="sr-only">
                {' '}
                <UserText text={m.user_name ?? m.name ?? m.agency_title} />
              </span>
            </button>
          </form>
        )}
      />
      <form method="post" action="/admin/committee" class="stacked narrow-form" id="seat-form" novalidate>
        <h3>{t('admin.committee.add')}</h3>
        <Csrf c={c} />
        <ErrorSummary f={f} t={t} />
        <SelectField
          f={f}
          t={t}
          name="body"
          label={t('admin.committee.body')}
          options={COMMITTEE_BODIES.map((b) => ({ value: b, label: t(`committee.body.${b}`) }))}
        />
        <SelectField
          f={f}
          t={t}
          name="role"
          label={t('admin.committee.role')}
          options={COMMITTEE_ROLES.map((r) => ({ value: r, label: t(`committee.role.${r}`) }))}
        />
        <SelectField
          f={f}
          t={t}
          name="userId"
          label={t('admin.committee.person')}
          hint={t('admin.committee.whoHint')}
          empty={t('admin.committee.nobody')}
          options={people.map((p) => ({
            value: String(p.id),
            label: `${p.display_name}${p.agency_short ? ` · ${p.agency_short}` : ''}`,
            lang: ruOf(p.display_name),
          }))}
        />
        <TextField f={f} t={t} name="name" label={t('admin.committee.name')} maxlength={300} />
        <SelectField
          f={f}
          t={t}
          name="agencyId"
          label={t('admin.committee.agency')}
          empty={t('admin.committee.noAgency')}
          options={agencies.map((a) => ({
            value: String(a.id),
            label: `${agencyShort(locale, a)} (${t(`agency.kind.${a.kind}`)})`,
          }))}
        />
        <TextField f={f} t={t} name="position" label={t('admin.person.position')} maxlength={300} />
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
  app.get('/committee', office, (c) => c.render(<CommitteePage c={c} />, title(c)));
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
    flash(c, 'flash.admin.saved');
    return c.redirect('/admin/committee', 303);
  });
  app.post('/committee/:id/delete', office, async (c) => {
    await removeCommitteeMember(c.var.deps.db, actorOf(currentUser(c)), idParam(c));
    flash(c, 'flash.admin.saved');
    return c.redirect('/admin/committee', 303);
  });
  return app;
}
