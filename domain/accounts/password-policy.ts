// What a new password must be. Length is what protects against guessing (NIST SP 800-63B); composition
// rules are not asked for. The hash is argon2id (web/auth/password.ts).
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** The message key of the first problem with a new password, or null. */
export function passwordProblem(password: string, o: { login: string }): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'error.password.tooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'error.password.tooLong';
  if (/\p{Cc}/u.test(password)) return 'error.password.control';
  if (new Set(password).size < 4) return 'error.password.repetitive';
  if (o.login.length >= 3 && password.toLowerCase().includes(o.login.toLowerCase()))
    return 'error.password.containsLogin';
  return null;
}
