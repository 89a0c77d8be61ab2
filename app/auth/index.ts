// Accounts and single sign-on: the sign-in form's checks (local password or LDAP bind), OpenID Connect,
// matching or creating directory accounts, the re-check of directory sessions, lockout, passwords,
// invitations and the claims → role / agency rules. Every account write goes through here.
export { hashPassword, verifyPassword } from './password.ts';
export {
  DEFAULT_AUTH_SETTINGS,
  directorySignIn,
  signInWithPassword,
  type AuthDeps,
  type AuthRuntime,
  type AuthSettings,
  type DirectoryIdentity,
  type SignInResult,
} from './sign-in.ts';
export {
  changeOwnPassword,
  createInvite,
  INVITE_PATH,
  inviteState,
  redeemInvite,
  revokeSessions,
  setSignInMethod,
  unlockAccount,
  type PasswordProblems,
} from './accounts.ts';
export {
  addRule,
  deleteRule,
  moveRule,
  replaceRules,
  updateRule,
  type ListProblem,
  type RuleProblems,
} from './sso-rules.ts';
export { createOidcClient, OidcError, type OidcClient, type OidcFlow, type OidcSettings } from './oidc.ts';
export {
  createLdapDirectory,
  DIRECTORY_PRESETS,
  type DirectoryKind,
  type LdapDirectory,
  type LdapSettings,
} from './ldap.ts';
export { confirmSession, type SessionCheck } from './recheck.ts';
