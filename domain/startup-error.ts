/**
 * A problem that stops the app from starting, with the one thing to do about it. Scripts print it as a
 * single line ("error: … — fix: …") instead of a stack trace.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
  toLine(): string {
    return `error: ${this.message} — fix: ${this.fix}`;
  }
}
