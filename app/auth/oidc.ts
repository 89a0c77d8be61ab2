import * as oidc from 'openid-client';
import type { Claims } from '../../domain/accounts/index.ts';
import { createSecretBox, type SecretBox } from './secret-box.ts';

// OpenID Connect sign-in with openid-client: discovery, Authorization Code with PKCE (S256), state and
// nonce, the ID token checked by the library, userinfo merged over its claims. The provider is asked again
// later with the session's refresh token: a disabled or deleted account, or a provider session that was
// ended, refuses the refresh (app/auth/recheck.ts).

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes; `openid` is always asked for. */
  scopes: string;
  /** The claim that becomes the Shtab login of a new account (and matches a prepared one). */
  usernameClaim: string;
  /** What the sign-in button says after «Войти через». */
  displayName: string;
  /** Plain http to the provider (tests, a provider on the same host); https otherwise. */
  allowHttp: boolean;
  /** Seconds each request to the provider may take. */
  timeoutSeconds: number;
}

/** What the browser keeps between the redirect to the provider and the return (an httpOnly cookie). */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  login: string;
  displayName: string;
  email: string | null;
  claims: Claims;
  /** Sealed (secret-box); null when the provider gave none (no re-check possible). */
  sealedRefreshToken: string | null;
}

export type OidcFailure =
  /** The provider said no (the person cancelled, or is not allowed); its error code is kept. */
  | { kind: 'refused'; error: string }
  /** The answer did not fit the flow: state, nonce, PKCE or token checks failed, or no login claim. */
  | { kind: 'invalid'; detail: string }
  | { kind: 'unreachable'; detail: string };

export class OidcError extends Error {
  constructor(readonly failure: OidcFailure) {
    super(`OpenID sign-in failed: ${failure.kind} ${'error' in failure ? failure.error : failure.detail}`);
  }
}

export type RecheckAnswer =
  { active: true; sealedRefreshToken: string | null } | { active: false } | 'unreachable';

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

function isNetworkError(e: unknown) {
  if (e instanceof oidc.ResponseBodyError) return e.status >= 500;
  if (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.WWWAuthenticateChallengeError)
    return false;
  const name = (e as Error)?.name;
  return (
    e instanceof TypeError ||
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    ((e as { code?: string })?.code ?? '').startsWith('OAUTH_RESPONSE_IS_NOT') ||
    (e as { code?: string })?.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN'
  );
}

export function createOidcClient(s: OidcSettings) {
  let config: Promise<oidc.Configuration> | null = null;
  const box: SecretBox = createSecretBox(s.clientSecret, 'oidc-refresh-token');
  const scope = ['openid', ...s.scopes.split(/\s+/).filter((x) => x && x !== 'openid')].join(' ');

  /** Discovery once; a failed one is tried again at the next sign-in. */
  function configuration(): Promise<oidc.Configuration> {
    config ??= oidc
      .discovery(new URL(s.issuer), s.clientId, s.clientSecret, oidc.ClientSecretBasic(s.clientSecret), {
        execute: s.allowHttp ? [oidc.allowInsecureRequests] : [],
        timeout: s.timeoutSeconds,
      })
      .catch((e: unknown) => {
        config = null;
        throw new OidcError({ kind: 'unreachable', detail: (e as Error).message });
      });
    return config;
  }

  return {
    displayName: s.displayName,
    issuer: s.issuer,

    /** The provider's address to send the browser to, and what to keep until it comes back. */
    async start(redirectUri: string, next: string): Promise<{ url: URL; flow: OidcFlow }> {
      const cfg = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const flow: OidcFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, next };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url, flow };
    },

    /** The person the provider sent back (`callbackUrl`: the redirect URI with the provider's query). */
    async finish(callbackUrl: URL, flow: OidcFlow): Promise<OidcIdentity> {
      const cfg = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (e) {
        if (e instanceof oidc.AuthorizationResponseError)
          throw new OidcError({ kind: 'refused', error: e.error });
        if (isNetworkError(e)) throw new OidcError({ kind: 'unreachable', detail: (e as Error).message });
        throw new OidcError({ kind: 'invalid', detail: (e as Error).message });
      }
      const idClaims = tokens.claims();
      if (!idClaims) throw new OidcError({ kind: 'invalid', detail: 'no ID token' });
      let claims: Claims = { ...idClaims };
      if (cfg.serverMetadata().userinfo_endpoint) {
        try {
          claims = { ...claims, ...(await oidc.fetchUserInfo(cfg, tokens.access_token, idClaims.sub)) };
        } catch (e) {
          if (isNetworkError(e)) throw new OidcError({ kind: 'unreachable', detail: (e as Error).message });
          throw new OidcError({ kind: 'invalid', detail: (e as Error).message });
        }
      }
      const login = str(claims[s.usernameClaim]);
      if (!login) throw new OidcError({ kind: 'invalid', detail: `no ${s.usernameClaim} claim` });
      const name =
        str(claims.name) ??
        ([str(claims.family_name), str(claims.given_name)].filter(Boolean).join(' ') || login);
      return {
        issuer: idClaims.iss,
        subject: idClaims.sub,
        login: login.slice(0, 100),
        displayName: name.slice(0, 200),
        email: str(claims.email),
        claims,
        sealedRefreshToken: tokens.refresh_token ? box.seal(tokens.refresh_token) : null,
      };
    },

    /**
     * Is the account still active at the provider? A refresh the provider refuses (disabled, deleted,
     * signed out there, token revoked) says no; a provider that cannot be reached is reported as such.
     */
    async recheck(sealedRefreshToken: string | null): Promise<RecheckAnswer> {
      const token = sealedRefreshToken ? box.open(sealedRefreshToken) : null;
      if (!token) return { active: false };
      let cfg: oidc.Configuration;
      try {
        cfg = await configuration();
      } catch {
        return 'unreachable';
      }
      try {
        const tokens = await oidc.refreshTokenGrant(cfg, token);
        return { active: true, sealedRefreshToken: box.seal(tokens.refresh_token ?? token) };
      } catch (e) {
        if (isNetworkError(e)) return 'unreachable';
        return { active: false };
      }
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
