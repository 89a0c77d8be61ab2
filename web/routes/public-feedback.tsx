import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import QRCode from 'qrcode';
import { ingestFeedback } from '../../app/feedback/index.ts';
import { serviceTitleByCode } from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { FEEDBACK_LIMITS, isFeedbackChannel } from '../../domain/feedback/index.ts';
import { LANG_COOKIE } from '../auth/middleware.ts';
import { clientAddress, localized } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { feedbackDepsOf } from '../feedback-deps.ts';
import { checkFormToken, issueFormToken } from '../form-token.ts';
import { isLocale, translator, type Locale, type Translate } from '../i18n/index.ts';
import type { FormValues } from '../forms.ts';
import {
  CheckboxField,
  ErrorMessage,
  ErrorSummary,
  fieldError,
  fieldId,
  formView,
  TextareaField,
  TextField,
  type FormIssue,
  type FormView,
} from '../views/form.tsx';
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
  const s = /^[\w.-]{1,64}$/.test(code) ? await serviceTitleByCode(c.get('deps').db, code) : undefined;
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

interface ReviewValues {
  rating?: string;
  text?: string;
  name?: string;
  email?: string;
  phone?: string;
  consent?: string;
  via?: string;
  mo?: string;
}

/**
 * The review form on the shared fields (web/views/form.tsx): the error summary on top, each problem at
 * its field. The stars stay a radio group of their own (big tap targets, a row of five on a phone),
 * with the field family's ids and error message so the summary's link lands on them.
 */
function ReviewForm({
  svc,
  token,
  values,
  f,
  t,
  locale,
}: {
  svc: Svc;
  token: string;
  values: ReviewValues;
  /** Prefix `fb`: what was posted and its problems (a problem of the whole form under `form`). */
  f: FormView;
  t: Translate;
  locale: Locale;
}) {
  const err = (k: string) => fieldError(f, k);
  const wantsAnswer = !!(
    values.email ||
    values.phone ||
    values.name ||
    err('email') ||
    err('phone') ||
    err('consent')
  );
  const ratingId = fieldId(f, 'rating');
  const ratingError = err('rating');
  return (
    <section class="review-card">
      <p class="muted">{t('fb.public.kicker')}</p>
      <h1>{localized(locale, svc.title_ru, svc.title_en)}</h1>
      <ErrorSummary f={f} t={t} />
      <form
        method="post"
        action={`/feedback/${encodeURIComponent(svc.code)}${locale === 'en' ? '?lang=en' : ''}`}
        class="stacked review-form"
        novalidate
      >
        <input type="hidden" name="token" value={token} />
        {values.via && <input type="hidden" name="via" value={values.via} />}
        {values.mo && <input type="hidden" name="mo" value={values.mo} />}
        <div class={`field${ratingError ? ' has-error' : ''}`}>
          <fieldset
            class="stars"
            id={`${ratingId}-group`}
            aria-describedby={ratingError ? `${ratingId}-error` : undefined}
          >
            <legend>{t('fb.public.rating')}</legend>
            <ErrorMessage id={`${ratingId}-error`} message={ratingError} t={t} />
            <div class="star-row">
              {[1, 2, 3, 4, 5].map((n) => (
                <label class="star">
                  <input
                    type="radio"
                    id={n === 1 ? ratingId : `${ratingId}-${n}`}
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
          </fieldset>
        </div>
        <TextareaField
          f={f}
          t={t}
          name="text"
          label={t('fb.public.text')}
          hint={t('fb.public.textHint', { max: FEEDBACK_LIMITS.text })}
          rows={4}
          maxlength={FEEDBACK_LIMITS.text}
        />
        <details open={wantsAnswer}>
          <summary>{t('fb.public.wantAnswer')}</summary>
          <p class="hint">{t('fb.public.contactHint')}</p>
          <TextField
            f={f}
            t={t}
            name="name"
            label={t('fb.public.name')}
            autocomplete="name"
            maxlength={FEEDBACK_LIMITS.name}
          />
          <TextField
            f={f}
            t={t}
            name="email"
            type="email"
            label={t('fb.public.email')}
            autocomplete="email"
            maxlength={FEEDBACK_LIMITS.email}
          />
          <TextField
            f={f}
            t={t}
            name="phone"
            type="tel"
            label={t('fb.public.phone')}
            autocomplete="tel"
            maxlength={FEEDBACK_LIMITS.phone}
          />
          <CheckboxField f={f} t={t} name="consent" label={t('fb.public.consent')} />
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

  /** The form; after a post, with what was typed and its problems (`form`: one of the whole form). */
  const formPage = async (
    c: Context<AppEnv>,
    svc: Svc,
    values: ReviewValues,
    issues: FormIssue[] | null,
    status: number,
  ) => {
    const token = await issueFormToken(c.get('deps').db, svc.id);
    const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    const f = issues ? formView('fb', { values: typed as FormValues, issues }) : formView('fb');
    return page(
      c,
      localized(c.get('locale'), svc.title_ru, svc.title_en),
      <ReviewForm svc={svc} token={token} values={values} f={f} t={c.get('t')} locale={c.get('locale')} />,
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
      null,
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
    const values: ReviewValues = {
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
      const why = t(token.reason === 'tooFast' ? 'error.feedback.tooFast' : 'error.feedback.formExpired');
      return formPage(c, svc, values, [{ field: 'form', message: why }], 422);
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
      const issues: FormIssue[] = [];
      for (const i of res.issues) {
        const k = FIELD_OF[i.field];
        // The intake's "required" (it serves files and the API too) says more to a citizen as the question.
        const key =
          k === 'rating' && i.key === 'error.feedback.required' ? 'error.feedback.ratingChoice' : i.key;
        if (k && !issues.some((x) => x.field === k)) issues.push({ field: k, message: t(key, i.params) });
      }
      // A municipality code from a stale QR link: the review is still wanted without it.
      if (issues.length === 0) {
        const { mo: _drop, ...rest } = values;
        void _drop;
        return formPage(c, svc, rest, [{ field: 'form', message: t('error.feedback.linkOutdated') }], 422);
      }
      return formPage(c, svc, values, issues, 422);
    }
    l.service.hit(`s:${svc.id}`);
    return c.redirect(
      `/feedback/${encodeURIComponent(svc.code)}/thanks${c.get('locale') === 'en' ? '?lang=en' : ''}`,
      303,
    );
  });

  return app;
}
