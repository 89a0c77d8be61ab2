// Accounts and single sign-on: claims → role / agency rules, lockout, the password policy. Pure.
export * from './mapping.ts';
export * from './lockout.ts';
export * from './password-policy.ts';
