import { Hono, type Context } from 'hono';
import {
  importFeedbackFile,
  raiseSystemicProblem,
  saveTopicRules,
  type FeedbackFileResult,
} from '../../app/feedback/index.ts';
import {
  feedbackTopics,
  municipalities,
  recentFeedbackImports,
  servicesByTopic,
  topProblems,
} from '../../db/read-models/feedback.ts';
import { ShtabError } from '../../domain/errors.ts';
import { formatFeedbackPeriod, recentPeriods } from '../../domain/feedback/index.ts';
import { actorOf, cachedRead, currentUser, idParam, localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { formatDateTime, type Translate } from '../i18n/index.ts';
import { Field } from '../views/components.tsx';
import { WorriesPanel } from '../views/feedback-views.tsx';
import { ImportIssues } from './services/score-views.tsx';
import { Csrf, described } from '../views/service-views.tsx';
import { fieldValue, readForm } from '../forms.ts';
import { canManage, projectOffice } from './services/shared.tsx';

// "Голос граждан": what worries citizens (top problems per period, scope and trend), the upload of
// review exports, and the taxonomy the working group edits.

const PERIOD = /^20\d{2}-(Q[1-4]|0[1-9]|1[0-2])$/;

/** The period before a month or quarter key. */
function previousPeriod(p: string): string {
  const [y, rest] = [Number(p.slice(0, 4)), p.slice(5)];
  if (rest.startsWith('Q')) {
    const q = Number(rest.slice(1));
    return q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
  }
  const m = Number(rest);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function ImportResult({ r, t }: { r: FeedbackFileResult; t: Translate }) {
  if (r.ok)
    return (
      <p class="notice" role="status">
        {t('fb.import.done', {
          rows: r.rows,
          inserted: r.inserted,
          duplicates: r.duplicates,
          cases: r.cases,
        })}
      </p>
    );
  return <ImportIssues errors={r.errors} t={t} />;
}

async function ImportPage({
  c,
  result,
  source,
}: {
  c: Context<AppEnv>;
  result?: FeedbackFileResult;
  source?: string;
}) {
  const { t, locale } = c.var;
  const recent = await recentFeedbackImports(c.var.deps.db);
  return (
    <section>
      <h1>{t('fb.import.title')}</h1>
      {result && <ImportResult r={result} t={t} />}
      <form method="post" action="/citizens/import" enctype="multipart/form-data" class="stacked import-form">
        <Csrf c={c} />
        <Field id="fbi-source" label={t('fb.import.source')} hint={t('fb.import.sourceHint')}>
          <input id="fbi-source" name="source" value={source ?? 'file'} maxlength={64} required />
        </Field>
        <Field id="fbi-file" label={t('svc.import.file')} hint={t('fb.import.hint')}>
          <input id="fbi-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required />
        </Field>
        <button type="submit">{t('svc.import.submit')}</button>
      </form>
      <h2>{t('svc.import.recent')}</h2>
      {recent.length === 0 ? (
        <p class="muted">{t('svc.import.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('svc.import.when')}</th>
                <th scope="col">{t('svc.import.file')}</th>
                <th scope="col">{t('fb.import.source')}</th>
                <th scope="col">{t('svc.import.counts')}</th>
                <th scope="col">{t('svc.import.by')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr>
                  <td>{formatDateTime(r.imported_at, locale, c.var.deps.config.timeZone)}</td>
                  <td>{r.filename}</td>
                  <td>{r.source}</td>
                  <td>
                    {t('fb.import.counts', { rows: r.rows, inserted: r.inserted, duplicates: r.duplicates })}
                  </td>
                  <td>{r.imported_by_name ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

async function TopicsPage({ c, errors }: { c: Context<AppEnv>; errors?: Record<number, string> }) {
  const { t, locale } = c.var;
  const topics = await feedbackTopics(c.var.deps.db);
  return (
    <section>
      <h1>{t('fb.topics.title')}</h1>
      <p class="muted">{t('fb.topics.hint')}</p>
      {topics.map((tp) => (
        <form method="post" action={`/citizens/topics/${tp.id}`} class="stacked">
          <Csrf c={c} />
          <h2>{localized(locale, tp.title_ru, tp.title_en)}</h2>
          <Field
            id={`tp-${tp.id}`}
            label={t('fb.topics.rules')}
            hint={t('fb.topics.rulesHint')}
            error={errors?.[tp.id]}
          >
            <textarea id={`tp-${tp.id}`} name="rules" rows={3} {...described(`tp-${tp.id}`, errors?.[tp.id])}>
              {tp.rules.join('\n')}
            </textarea>
          </Field>
          <label class="check">
            <input type="checkbox" name="active" value="1" checked={tp.active} /> {t('fb.topics.active')}
          </label>
          <button type="submit">{t('svc.save')}</button>
        </form>
      ))}
    </section>
  );
}

export function citizenRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const today = readContext(c).today;
    const quarters = recentPeriods(today, 'quarter', 4);
    const months = recentPeriods(today, 'month', 6);
    const asked = c.req.query('period') ?? '';
    const period = PERIOD.test(asked) ? asked : quarters.at(-1)!;
    const num = (k: string) => {
      const v = Number(c.req.query(k));
      return Number.isSafeInteger(v) && v > 0 && v < 2_147_483_647 ? v : undefined;
    };
    const scope = {
      lifeSituationId: num('ls'),
      municipalityId: num('mo'),
      agencyId: num('agency'),
      serviceId: num('service'),
    };
    const topicId = num('topic');
    const [problems, lss, mos, agencies, topicServices] = await Promise.all([
      cachedRead(c, ['citizens', period, JSON.stringify(scope)], () =>
        topProblems(db, scope, period, previousPeriod(period), 10),
      ),
      db
        .selectFrom('life_situation')
        .select(['id', 'title_ru', 'title_en'])
        .orderBy('sort')
        .orderBy('id')
        .execute(),
      municipalities(db),
      db
        .selectFrom('agency')
        .select(['id', 'code', 'short_ru', 'title_ru', 'title_en'])
        .where('kind', '=', 'regional')
        .orderBy('code')
        .execute(),
      topicId ? servicesByTopic(db, topicId, period) : Promise.resolve(null),
    ]);
    const manage = canManage(c);
    return c.render(
      <section>
        <h1>{t('fb.citizens.title')}</h1>
        <p class="toolbar">
          <a href="/cases">{t('fb.cases.title')}</a>
          <a href="/citizens/principles">{t('fb.principles.title')}</a>
          <a href="/citizens/rating">{t('fb.rating.title')}</a>
          <a href="/citizens/plan">{t('fb.plan.title')}</a>
          {manage && <a href="/citizens/import">{t('fb.import.title')}</a>}
          {manage && <a href="/citizens/topics">{t('fb.topics.title')}</a>}
        </p>
        <form method="get" action="/citizens" class="filters">
          <label for="ct-period">{t('svc.period')}</label>
          <select id="ct-period" name="period">
            {[...quarters, ...months].reverse().map((p) => (
              <option value={p} selected={p === period}>
                {formatFeedbackPeriod(p, locale)}
              </option>
            ))}
          </select>
          <label for="ct-ls">{t('svc.lifeSituation')}</label>
          <select id="ct-ls" name="ls">
            <option value="">{t('svc.all')}</option>
            {lss.map((l) => (
              <option value={String(l.id)} selected={scope.lifeSituationId === l.id}>
                {localized(locale, l.title_ru, l.title_en)}
              </option>
            ))}
          </select>
          <label for="ct-mo">{t('fb.municipality')}</label>
          <select id="ct-mo" name="mo">
            <option value="">{t('svc.all')}</option>
            {mos.map((m) => (
              <option value={String(m.id)} selected={scope.municipalityId === m.id}>
                {localized(locale, m.short_ru ?? m.title_ru, m.title_en)}
              </option>
            ))}
          </select>
          <label for="ct-agency">{t('svc.agency')}</label>
          <select id="ct-agency" name="agency">
            <option value="">{t('svc.all')}</option>
            {agencies.map((a) => (
              <option value={String(a.id)} selected={scope.agencyId === a.id}>
                {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
              </option>
            ))}
          </select>
          <button type="submit">{t('items.filter')}</button>
        </form>
        <WorriesPanel problems={problems} t={t} locale={locale} moreHref={null} />
        {topicServices && (
          <section aria-labelledby="ct-services">
            <h2 id="ct-services">{t('fb.citizens.servicesOfTopic')}</h2>
            {topicServices.length === 0 ? (
              <p class="muted">{t('fb.worries.none')}</p>
            ) : (
              <ol>
                {topicServices.map((s) => (
                  <li>
                    <a href={`/services/${s.id}`}>{localized(locale, s.title_ru, s.title_en)}</a> — {s.n}
                    {manage && (
                      <>
                        {' '}
                        <a
                          href={`/citizens/remediation?service=${s.id}&topic=${topicId}&period=${encodeURIComponent(period)}`}
                        >
                          {t('fb.remediation.raise')}
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        )}
      </section>,
      { title: t('fb.citizens.title'), section: 'citizens' },
    );
  });

  // A systemic problem → a remediation item linked to its evidence (the period's reviews on the topic).
  const remediationForm = async (
    c: Context<AppEnv>,
    v: Record<string, string>,
    errors: Record<string, string>,
  ) => {
    const { t, locale } = c.var;
    const { db } = c.var.deps;
    const [svc, topic] = await Promise.all([
      db
        .selectFrom('service')
        .select(['id', 'title_ru', 'title_en'])
        .where('id', '=', Number(v.service) || 0)
        .executeTakeFirst(),
      db
        .selectFrom('feedback_topic')
        .select(['id', 'title_ru', 'title_en'])
        .where('id', '=', Number(v.topic) || 0)
        .executeTakeFirst(),
    ]);
    if (!svc || !topic || !PERIOD.test(v.period ?? ''))
      throw new ShtabError('not_found', 'no such service or topic', { key: 'error.notFound' });
    return c.render(
      <section>
        <h1>{t('fb.remediation.title')}</h1>
        <p>
          {t('fb.remediation.what', {
            topic: localized(locale, topic.title_ru, topic.title_en),
            service: localized(locale, svc.title_ru, svc.title_en),
            period: formatFeedbackPeriod(v.period!, locale),
          })}
        </p>
        <form method="post" action="/citizens/remediation" class="stacked" novalidate>
          <Csrf c={c} />
          <input type="hidden" name="service" value={String(svc.id)} />
          <input type="hidden" name="topic" value={String(topic.id)} />
          <input type="hidden" name="period" value={v.period!} />
          <Field id="rm-due" label={t('fb.remediation.due')} error={errors.due}>
            <input
              id="rm-due"
              name="due"
              type="date"
              value={v.due ?? ''}
              {...described('rm-due', errors.due)}
            />
          </Field>
          <Field
            id="rm-description"
            label={t('fb.remediation.description')}
            error={errors.description ?? errors.topic}
          >
            <textarea
              id="rm-description"
              name="description"
              rows={4}
              {...described('rm-description', errors.description ?? errors.topic)}
            >
              {v.description ?? ''}
            </textarea>
          </Field>
          <button type="submit">{t('fb.remediation.submit')}</button>
        </form>
      </section>,
      { title: t('fb.remediation.title'), section: 'citizens' },
    );
  };

  app.get('/remediation', projectOffice, (c) =>
    remediationForm(
      c,
      {
        service: c.req.query('service') ?? '',
        topic: c.req.query('topic') ?? '',
        period: c.req.query('period') ?? '',
      },
      {},
    ),
  );

  app.post('/remediation', projectOffice, async (c) => {
    const f = (await readForm(c)).values;
    const v = Object.fromEntries(
      ['service', 'topic', 'period', 'due', 'description'].map((k) => [k, fieldValue(f, k)]),
    );
    if (!PERIOD.test(v.period!))
      throw new ShtabError('validation', 'period', { key: 'error.svc.period', field: 'period' });
    try {
      const r = await raiseSystemicProblem(
        { ...feedbackDepsOf(c), chasePolicy: c.var.deps.policy },
        {
          actor: actorOf(currentUser(c)),
          serviceId: Number(v.service) || 0,
          topicId: Number(v.topic) || 0,
          period: v.period!,
          form: f,
        },
      );
      return c.redirect(`/items/${r.itemId}`, 303);
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation' || !e.detail.field) throw e;
      c.status(422);
      return remediationForm(c, v, { [e.detail.field]: c.var.t(e.detail.key, e.detail.params) });
    }
  });

  // A printable poster for an МФЦ window: the service, its QR code and the short address.
  app.get('/poster/:id', async (c) => {
    const { t, locale } = c.var;
    const svc = await c.var.deps.db
      .selectFrom('service')
      .select(['id', 'code', 'title_ru', 'title_en'])
      .where('id', '=', idParam(c))
      .executeTakeFirst();
    if (!svc) throw new ShtabError('not_found', 'service not found', { key: 'error.svc.notFound' });
    const url = `${c.var.deps.config.publicUrl.replace(/\/$/, '')}/feedback/${encodeURIComponent(svc.code)}`;
    return c.render(
      <section class="poster">
        <h1>{t('fb.poster.title')}</h1>
        <p class="poster-service">{localized(locale, svc.title_ru, svc.title_en)}</p>
        <img src={`/feedback/${encodeURIComponent(svc.code)}/qr.svg?via=mfc`} alt={t('fb.poster.qrAlt')} />
        <p>{t('fb.poster.scan')}</p>
        <p class="poster-url">{url}?via=mfc</p>
        <p class="no-print">
          <a href={`/services/${svc.id}`}>{t('fb.poster.back')}</a>
        </p>
      </section>,
      { title: t('fb.poster.title'), section: 'services' },
    );
  });

  app.get('/import', projectOffice, (c) =>
    c.render(<ImportPage c={c} />, { title: c.var.t('fb.import.title'), section: 'citizens' }),
  );

  app.post('/import', projectOffice, async (c) => {
    const user = currentUser(c);
    const body = await c.req.parseBody();
    const file = body.file;
    const source = typeof body.source === 'string' ? body.source.trim() : '';
    let result: FeedbackFileResult;
    if (!(file instanceof File) || file.size === 0)
      result = { ok: false, errors: [{ row: null, column: null, key: 'error.svc.import.noFile' }] };
    else
      result = await importFeedbackFile(feedbackDepsOf(c), {
        bytes: new Uint8Array(await file.arrayBuffer()),
        filename: file.name || 'upload',
        source,
        userId: user.id,
      });
    if (!result.ok) c.status(422);
    return c.render(<ImportPage c={c} result={result} source={source} />, {
      title: c.var.t('fb.import.title'),
      section: 'citizens',
    });
  });

  app.get('/topics', projectOffice, (c) =>
    c.render(<TopicsPage c={c} />, { title: c.var.t('fb.topics.title'), section: 'citizens' }),
  );

  app.post('/topics/:id', projectOffice, async (c) => {
    const user = currentUser(c);
    const id = idParam(c);
    const f = (await readForm(c)).values;
    try {
      await saveTopicRules(c.var.deps, {
        topicId: id,
        rulesText: fieldValue(f, 'rules'),
        active: fieldValue(f, 'active') === '1',
        userId: user.id,
      });
    } catch (e) {
      if (!(e instanceof ShtabError) || e.code !== 'validation') throw e;
      c.status(422);
      return c.render(<TopicsPage c={c} errors={{ [id]: c.var.t(e.detail.key, e.detail.params) }} />, {
        title: c.var.t('fb.topics.title'),
        section: 'citizens',
      });
    }
    return c.redirect('/citizens/topics', 303);
  });

  return app;
}
