// One error vocabulary for the whole app. Domain code raises these; the web maps them to HTTP once
// (app.onError), the workflow turns them into ApplicationFailures with the same code as the failure type.

export type ErrorCode =
  | 'validation' // 422: bad input, names a field
  | 'forbidden' // 403: actor's role or agency may not do this
  | 'not_found' // 404
  | 'conflict' // 409: not allowed in the current state (illegal transition, duplicate)
  | 'unavailable'; // 503: a dependency (Temporal, DB) is down

export interface ErrorDetail {
  /** i18n key of the message, e.g. "error.transition.notInStatus". */
  key: string;
  /** Form field the error belongs to, when there is one. */
  field?: string;
  params?: Record<string, string | number>;
}

export class ShtabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: ErrorDetail,
  ) {
    super(message);
    this.name = 'ShtabError';
  }
}

export const validation = (field: string, key: string, message: string, params?: ErrorDetail['params']) =>
  new ShtabError('validation', message, { key, field, ...(params ? { params } : {}) });
export const forbidden = (key: string, message: string) => new ShtabError('forbidden', message, { key });
export const conflict = (key: string, message: string, params?: ErrorDetail['params']) =>
  new ShtabError('conflict', message, { key, ...(params ? { params } : {}) });
export const notFound = (key: string, message: string) => new ShtabError('not_found', message, { key });

/** One problem of a form or file, for pages that show every problem at once (key: an error.* message). */
export interface FieldIssue {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}
