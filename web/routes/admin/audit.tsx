import { Hono, type Context } from 'hono';
import {
  AUDIT_CATEGORIES,
  auditPage,
  type AuditCategory,
  type AuditRow,
} from '../../../db/read-models/index.ts';
import { requireRole } from '../../auth/index.ts';
import { currentUser } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { formatDateTime, type Translate } from '../../i18n/index.ts';
import { AdminTabs, sectionTitle } from '../../views/admin-tabs.tsx';
import { wantsFragment } from '../../views/fragment.ts';
import { Pager } from '../../views/pager.tsx';

// The audit trail of reference data and accounts: who changed what and when, each change with the
// fields before → after (agencies, people, life situations, roadmaps, curators, committees, the calendar,
// sign-in accounts and rules). Item lifecycle events are on each item's page.

const office = requireRole('working_group', 'admin');
const PAGE = 50;
const CATEGORIES = Object.keys(AUDIT_CATEGORIES) as AuditCategory[];
const SUBJECTS = ['agency', 'person', 'life_situation', 'roadmap', 'service', 'committee', 'calendar'];

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return v.join('; ') || '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The fields that changed, before → after; a list (rules, a committee) as its length before → after. */
function Changes({ e, t }: { e: AuditRow; t: Translate }) {
  const before = e.before;
  const after = e.after;
  if (Array.isArray(before) || Array.isArray(after)) {
    return (
      <p class="muted">
        {t('admin.audit.listChange', {
          before: Array.isArray(before) ? before.length : 0,
          after: Array.isArray(after) ? after.length : 0,
        })}
      </p>
    );
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null),
  );
  if (keys.length === 0) return null;
  return (
    <dl class="changes">
      {keys.map((k) => (
        <>
          <dt>{t(`audit.field.${k}`)}</dt>
          <dd>
            {before !== null && (
              <>
                <del>{show(b[k])}</del> →{' '}
              </>
            )}
            <ins>{show(a[k])}</ins>
          </dd>
        </>
      ))}
    </dl>
  );
}

interface Filter {
  category: AuditCategory | undefined;
  subject: { kind: string; id: string } | undefined;
  page: number;
}

function filterOf(c: Context<AppEnv>): Filter {
  const category = c.req.query('category');
  const kind = c.req.query('subject') ?? '';
  const id = (c.req.query('id') ?? '').slice(0, 64);
  const page = Number(c.req.query('page') ?? '1');
  return {
    category: CATEGORIES.includes(category as AuditCategory) ? (category as AuditCategory) : undefined,
    subject: SUBJECTS.includes(kind) && /^[\w.-]{1,64}$/.test(id) ? { kind, id } : undefined,
    page: Number.isSafeInteger(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

const href = (f: Filter, page: number) => {
  const p = new URLSearchParams();
  if (f.category) p.set('category', f.category);
  if (f.subject) {
    p.set('subject', f.subject.kind);
    p.set('id', f.subject.id);
  }
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return `/admin/audit${s ? `?${s}` : ''}`;
};

async function AuditList({ c }: { c: Context<AppEnv> }) {
  const { t, locale } = c.var;
  const f = filterOf(c);
  const { rows, total } = await auditPage(c.var.deps.db, {
    category: f.category,
    subject: f.subject,
    limit: PAGE,
    offset: (f.page - 1) * PAGE,
  });
  return (
    <div id="audit-list">
      <p class="muted">{t('admin.audit.count', { n: total })}</p>
      {rows.length === 0 ? (
        <p class="muted">{t('admin.accounts.noHistory')}</p>
      ) : (
        <ol class="audit">
          {rows.map((e) => {
            const data = (e.data ?? {}) as { label?: string; via?: string };
            return (
              <li id={`event-${e.id}`}>
                <p>
                  <time datetime={e.at.toISOString()}>
                    {formatDateTime(e.at, locale, c.var.deps.config.timeZone)}
                  </time>{' '}
                  — <strong>{t(`audit.${e.type}`)}</strong>
                  {(data.label ?? e.subject_login) && <> · {data.label ?? e.subject_login}</>}
                  {data.via === 'import' && <span class="muted"> · {t('admin.audit.viaImport')}</span>}
                  <span class="muted"> · {e.actor_name ?? t('admin.audit.system')}</span>
                </p>
                <Changes e={e} t={t} />
              </li>
            );
          })}
        </ol>
      )}
      <Pager
        page={f.page}
        pages={Math.ceil(total / PAGE)}
        href={(p) => href(f, p)}
        targetId="audit-list"
        t={t}
      />
    </div>
  );
}

function AuditPage({ c }: { c: Context<AppEnv> }) {
  const { t } = c.var;
  const f = filterOf(c);
  return (
    <section>
      <h1>{sectionTitle(t, currentUser(c).role)}</h1>
      <AdminTabs t={t} current="audit" role={currentUser(c).role} />
      <h2>{t('admin.audit.title')}</h2>
      <nav class="filters" aria-label={t('admin.audit.filter')}>
        <ul class="chips">
          <li>
            <a href="/admin/audit" aria-current={!f.category && !f.subject ? 'page' : undefined}>
              {t('admin.all')}
            </a>
          </li>
          {CATEGORIES.map((k) => (
            <li>
              <a href={`/admin/audit?category=${k}`} aria-current={f.category === k ? 'page' : undefined}>
                {t(`admin.audit.category.${k}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <AuditList c={c} />
    </section>
  );
}

export function adminAuditRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/audit', office, (c) =>
    wantsFragment(c, 'audit-list')
      ? c.html(<AuditList c={c} />)
      : c.render(<AuditPage c={c} />, { title: c.var.t('admin.audit.title'), section: 'admin' }),
  );
  return app;
}
