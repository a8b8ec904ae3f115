/**
 * One error shape on every endpoint (after Datasette):
 * {"error": {"status": 404, "code": "not_found", "message": "…", "hint": "…"}}.
 * Handlers throw; the app's one onError turns any error into this.
 */
import { DdorError, InputRejectedError } from '../errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    /** Headers the error response carries (`Allow` with a 405, `Retry-After` with a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { status: number; code: string; message: string; hint: string };
}

const KIND: Record<DdorError['kind'], [number, string]> = {
  usage: [400, 'bad_request'],
  input: [422, 'input_rejected'],
  store: [503, 'store_unavailable'],
  not_found: [404, 'not_found'],
  conflict: [409, 'conflict'],
};

export function errorBody(error: unknown): ErrorBody {
  if (error instanceof HttpError) {
    return { error: { status: error.status, code: error.code, message: error.message, hint: error.hint } };
  }
  if (error instanceof DdorError) {
    const [status, code] = KIND[error.kind];
    const message = error instanceof InputRejectedError ? `${error.message}` : error.message;
    return { error: { status, code, message, hint: error.hint ?? '' } };
  }
  return {
    error: {
      status: 500,
      code: 'internal_error',
      message: 'ddor failed to answer this request',
      hint: 'This is a bug: the server log has the details.',
    },
  };
}
