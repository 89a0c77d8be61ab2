import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import { ingestFeedback } from '../../app/feedback/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { FEEDBACK_LIMITS, isFeedbackChannel } from '../../domain/feedback/index.ts';
import { LANG_COOKIE } from '../auth/middleware.ts';
import { clientAddress, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { checkFormToken, issueFormToken } from '../form-token.ts';
import { isLocale, translator, type Locale, type Translate } from '../i18n/index.ts';
import { createWindowLimiter } from '../window-limiter.ts';

// The citizen's review page, one per service, reached by the QR code at an МФЦ window or a link: no
// sign-in, no cookies, no personal data unless the citizen leaves contacts and ticks the consent box. It
// is mounted before the session middleware (nothing here reads or makes a session), so its own guards
// stand in for CSRF: the Origin / Sec-Fetch-Site check, a signed form token per rendering (the time trap
// and the single-use nonce), a honeypot field, a small body limit, and rate limits per address and per
// service. Pages are never cached (every rendering carries a fresh token).

export const PUBLIC_FORM_DEFAULTS = {
  /** A post sooner than this after the form was rendered is a script. */
  minAgeMs: 3_000,
  /** A form older than this is stale: the page asks to send it again (values kept). */
  maxAgeMs: 2 * 60 * 60_000,
  /** Reviews per client address per 10 minutes. */
  perAddress: 10,
  /** Reviews per service per hour (a busy МФЦ window sends maybe one a minute). */
  perService: 300,
};
const BODY_LIMIT = 16 * 1024;
const HONEYPOT = 'website';

type Svc = { id: number; code: string; title_ru: string; title_en: string | null };

async function serviceByCode(c: Context<AppEnv>): Promise<Svc> {
  const code = c.req.param('code') ?? '';
  const s = /^[\w.-]{1,64}$/.test(code)
    ? await c
        .get('deps')
        .db.selectFrom('service')
        .select(['id', 'code', 'title_ru', 'title_en'])
        .where('code', '=', code)
        .executeTakeFirst()
    : undefined;
  if (!s) throw new ShtabError('not_found', 'no such service', { key: 'error.notFound' });
  return s;
}

function PublicPage({
  locale,
  t,
  title,
  children,
  c,
}: {
  locale: Locale;
  t: Translate;
  title: string;
  children: unknown;
  c: Context<AppEnv>;
}) {
  const other = locale === 'ru' ? 'en' : 'ru';
  const url = new URL(c.req.url);
  url.searchParams.set('lang', other);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} — ${t('app.name')}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body class="public">
        <header class="top public-top">
          <span class="brand">
            <span class="brand-name">{t('fb.public.brand')}</span>
          </span>
          <div class="top-tools">
            <a href={url.pathname + url.search} lang={other}>
              {t('lang.switch')}
            </a>
          </div>
        </header>
        <main id="main" class="public-main">
          {children}
        </main>
        <footer class="foot">{t('fb.public.footer')}</footer>
      </body>
    </html>
  );
}

interface FormValues {
  rating?: string;
  text?: string;
  name?: string;
  email?: string;
  phone?: string;
  consent?: string;
  via?: string;
  mo?: string;
}

function ReviewForm({
  svc,
  token,
  values,
  errors,
  t,
  locale,
  notice,
}: {
  svc: Svc;
  token: string;
  values: FormValues;
  errors: Record<string, string>;
  t: Translate;
  locale: Locale;
  notice?: string | undefined;
}) {
  const err = (k: string) => errors[k];
  const desc = (id: string, k: string) =>
    err(k) ? { 'aria-describedby': `${id}-error`, 'aria-invalid': 'true' as const } : {};
  const wantsAnswer = !!(
    values.email ||
    values.phone ||
    values.name ||
    err('email') ||
    err('phone') ||
    err('consent')
  );
  return (
    <section class="review-card">
      <p class="muted">{t('fb.public.kicker')}</p>
      <h1>{localized(locale, svc.title_ru, svc.title_en)}</h1>
      {notice && (
        <p class="alert" role="alert">
          {notice}
        </p>
      )}
      <form
        method="post"
        action={`/feedback/${encodeURIComponent(svc.code)}${locale === 'en' ? '?lang=en' : ''}`}
        class="stacked review-form"
        novalidate
      >
        <input type="hidden" name="token" value={token} />
        {values.via && <input type="hidden" name="via" value={values.via} />}
        {values.mo && <input type="hidden" name="mo" value={values.mo} />}
        <fieldset class={`stars${err('rating') ? ' has-error' : ''}`} {...desc('rating', 'rating')}>
          <legend>{t('fb.public.rating')}</legend>
          <div class="star-row">
            {[1, 2, 3, 4, 5].map((n) => (
              <label class="star">
                <input
                  type="radio"
                  name="rating"
                  value={String(n)}
                  checked={values.rating === String(n)}
                  required
                />
                <span aria-hidden="true">{n}</span>
                <span class="star-label">{t(`fb.public.rating${n}`)}</span>
              </label>
            ))}
          </div>
          {err('rating') && (
            <p class="field-error" id="rating-error">
              {err('rating')}
            </p>
          )}
        </fieldset>
        <div class={`field${err('text') ? ' has-error' : ''}`}>
          <label for="fb-text">{t('fb.public.text')}</label>
          <p class="hint" id="fb-text-hint">
            {t('fb.public.textHint', { max: FEEDBACK_LIMITS.text })}
          </p>
          <textarea
            id="fb-text"
            name="text"
            rows={4}
            maxlength={FEEDBACK_LIMITS.text}
            aria-describedby={err('text') ? 'fb-text-error' : 'fb-text-hint'}
          >
            {values.text ?? ''}
          </textarea>
          {err('text') && (
            <p class="field-error" id="fb-text-error">
              {err('text')}
            </p>
          )}
        </div>
        <details open={wantsAnswer}>
          <summary>{t('fb.public.wantAnswer')}</summary>
          <p class="hint">{t('fb.public.contactHint')}</p>
          {(
            [
              ['name', 'text', 'name', FEEDBACK_LIMITS.name],
              ['email', 'email', 'email', FEEDBACK_LIMITS.email],
              ['phone', 'tel', 'tel', FEEDBACK_LIMITS.phone],
            ] as const
          ).map(([k, type, auto, max]) => (
            <div class={`field${err(k) ? ' has-error' : ''}`}>
              <label for={`fb-${k}`}>{t(`fb.public.${k}`)}</label>
              <input
                id={`fb-${k}`}
                name={k}
                type={type}
                autocomplete={auto}
                maxlength={max}
                value={values[k] ?? ''}
                {...desc(`fb-${k}`, k)}
              />
              {err(k) && (
                <p class="field-error" id={`fb-${k}-error`}>
                  {err(k)}
                </p>
              )}
            </div>
          ))}
          <div class={`field${err('consent') ? ' has-error' : ''}`}>
            <label class="check">
              <input
                type="checkbox"
                name="consent"
                value="1"
                checked={values.consent === '1'}
                {...desc('fb-consent', 'consent')}
              />{' '}
              {t('fb.public.consent')}
            </label>
            {err('consent') && (
              <p class="field-error" id="fb-consent-error">
                {err('consent')}
              </p>
            )}
          </div>
        </details>
        {/* A field people never see or reach; bots fill it. */}
        <div class="hp" aria-hidden="true">
          <label for="fb-website">Website</label>
          <input id="fb-website" name={HONEYPOT} tabindex={-1} autocomplete="off" value="" />
        </div>
        <button type="submit" class="big">
          {t('fb.public.send')}
        </button>
        <p class="muted small">{t('fb.public.privacy')}</p>
      </form>
    </section>
  );
}

const FIELD_OF: Record<string, string> = {
  rating: 'rating',
  text: 'text',
  'contact.name': 'name',
  'contact.email': 'email',
  'contact.phone': 'phone',
  consent: 'consent',
};

/** The public pages; `mount` puts them on the app before the session middleware. */
export function publicFeedbackRoutes() {
  const app = new Hono<AppEnv>();
  let limits: {
    address: ReturnType<typeof createWindowLimiter>;
    service: ReturnType<typeof createWindowLimiter>;
  } | null = null;
  const opts = (c: Context<AppEnv>) => ({
    ...PUBLIC_FORM_DEFAULTS,
    ...(c.get('deps').config.publicForm ?? {}),
  });
  const limiters = (c: Context<AppEnv>) =>
    (limits ??= {
      address: createWindowLimiter({ max: opts(c).perAddress, windowMs: 10 * 60_000 }),
      service: createWindowLimiter({ max: opts(c).perService, windowMs: 60 * 60_000 }),
    });

  app.use('*', async (c, next) => {
    const asked = c.req.query('lang');
    const cookie = getCookie(c, LANG_COOKIE);
    const locale: Locale = isLocale(asked) ? asked : isLocale(cookie) ? cookie : 'ru';
    c.set('locale', locale);
    c.set('t', translator(locale));
    c.header('Cache-Control', 'no-store');
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: BODY_LIMIT,
      onError: (c) => c.text(c.get('t')('error.feedback.bodyTooLarge'), 413),
    }),
  );

  const page = (c: Context<AppEnv>, title: string, body: unknown, status = 200) =>
    c.html(
      '<!DOCTYPE html>' +
        String(
          <PublicPage locale={c.get('locale')} t={c.get('t')} title={title} c={c}>
            {body}
          </PublicPage>,
        ),
      status as 200,
    );

  const formPage = async (
    c: Context<AppEnv>,
    svc: Svc,
    values: FormValues,
    errors: Record<string, string>,
    status: number,
    notice?: string,
  ) => {
    const token = await issueFormToken(c.get('deps').db, svc.id);
    return page(
      c,
      localized(c.get('locale'), svc.title_ru, svc.title_en),
      <ReviewForm
        svc={svc}
        token={token}
        values={values}
        errors={errors}
        t={c.get('t')}
        locale={c.get('locale')}
        notice={notice}
      />,
      status,
    );
  };

  app.get('/:code', async (c) => {
    const svc = await serviceByCode(c);
    const via = c.req.query('via');
    const mo = c.req.query('mo');
    return formPage(
      c,
      svc,
      {
        ...(isFeedbackChannel(via) ? { via } : {}),
        ...(mo && /^[\w.-]{1,64}$/.test(mo) ? { mo } : {}),
      },
      {},
      200,
    );
  });

  app.get('/:code/thanks', async (c) => {
    const svc = await serviceByCode(c);
    const t = c.get('t');
    return page(
      c,
      t('fb.public.thanksTitle'),
      <section class="review-card" role="status">
        <h1>{t('fb.public.thanksTitle')}</h1>
        <p>{t('fb.public.thanks', { service: localized(c.get('locale'), svc.title_ru, svc.title_en) })}</p>
      </section>,
    );
  });

  app.get('/:code/qr.svg', async (c) => {
    const svc = await serviceByCode(c);
    const base = c.get('deps').config.publicUrl.replace(/\/$/, '');
    const via = c.req.query('via');
    const target = `${base}/feedback/${encodeURIComponent(svc.code)}${isFeedbackChannel(via) ? `?via=${via}` : ''}`;
    const svg = await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });

  app.post('/:code', async (c) => {
    const t = c.get('t');
    const deps = c.get('deps');
    // What is not our form is refused first, as every form post without its token is (error.csrf): a
    // post from another site, in another encoding, or without a form token.
    const origin = c.req.header('origin');
    const own = [new URL(c.req.url).origin, new URL(deps.config.publicUrl).origin];
    const site = c.req.header('sec-fetch-site');
    if ((origin && !own.includes(origin)) || (site && site !== 'same-origin' && site !== 'none'))
      throw new ShtabError('forbidden', 'cross-site post', { key: 'error.csrf' });
    if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? ''))
      throw new ShtabError('forbidden', 'not the review form', { key: 'error.csrf' });
    const body = await c.req.parseBody();
    const get = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    if (!get('token')) throw new ShtabError('forbidden', 'no form token', { key: 'error.csrf' });
    const svc = await serviceByCode(c);
    const values: FormValues = {
      rating: get('rating').slice(0, 4),
      text: get('text').slice(0, FEEDBACK_LIMITS.text + 100),
      name: get('name').slice(0, 200),
      email: get('email').slice(0, 300),
      phone: get('phone').slice(0, 64),
      consent: get('consent') ? '1' : '',
      ...(isFeedbackChannel(get('via')) ? { via: get('via') } : {}),
      ...(/^[\w.-]{1,64}$/.test(get('mo')) ? { mo: get('mo') } : {}),
    };
    const o = opts(c);
    if (get(HONEYPOT) !== '')
      throw new ShtabError('validation', 'honeypot', { key: 'error.feedback.rejected', field: HONEYPOT });
    const token = await checkFormToken(deps.db, svc.id, get('token'), {
      minAgeMs: o.minAgeMs,
      maxAgeMs: o.maxAgeMs,
    });
    if (!token.ok) {
      if (token.reason === 'invalid')
        throw new ShtabError('forbidden', 'bad form token', { key: 'error.csrf' });
      return formPage(
        c,
        svc,
        values,
        {},
        422,
        t(token.reason === 'tooFast' ? 'error.feedback.tooFast' : 'error.feedback.formExpired'),
      );
    }
    // Every post counts against the address (a flood of bad posts too); only accepted reviews count
    // against the service, so one sender cannot silence a service for everyone else by failing.
    const l = limiters(c);
    const address = clientAddress(c);
    const wait = Math.max(l.address.hit(`a:${address}`), l.service.blocked(`s:${svc.id}`));
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return page(
        c,
        t('error.feedback.rateLimited'),
        <section class="review-card" role="alert">
          <h1>{t('error.feedback.rateLimited')}</h1>
          <p>{t('error.feedback.rateLimitedHint', { minutes: Math.ceil(wait / 60_000) })}</p>
        </section>,
        429,
      );
    }
    const contact =
      values.name || values.email || values.phone
        ? { name: values.name, email: values.email, phone: values.phone }
        : undefined;
    const res = await ingestFeedback(feedbackDepsOf(c), {
      source: 'web',
      items: [
        {
          sourceId: `form-${token.nonce}`,
          serviceId: svc.id,
          channel: values.via ?? 'web',
          ...(values.mo ? { municipality: values.mo } : {}),
          date: feedbackDepsOf(c).today!(),
          rating: values.rating,
          text: values.text,
          ...(contact ? { contact, consent: values.consent === '1' } : {}),
        },
      ],
    });
    if (!res.ok) {
      const errors: Record<string, string> = {};
      for (const i of res.issues) {
        const k = FIELD_OF[i.field];
        if (k && !errors[k]) errors[k] = t(i.key, i.params);
        // A municipality code from a stale QR link: the review is still wanted without it.
      }
      if (Object.keys(errors).length === 0) {
        const { mo: _drop, ...rest } = values;
        void _drop;
        return formPage(c, svc, rest, {}, 422, t('error.feedback.linkOutdated'));
      }
      return formPage(c, svc, values, errors, 422, t('error.feedback.fix'));
    }
    l.service.hit(`s:${svc.id}`);
    return c.redirect(
      `/feedback/${encodeURIComponent(svc.code)}/thanks${c.get('locale') === 'en' ? '?lang=en' : ''}`,
      303,
    );
  });

  return app;
}
