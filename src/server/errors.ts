/**
 * One error shape on every endpoint (after Datasette):
 * {"error": {"status": 404, "code": "not_found", "message": "…", "hint": "…"}}.
 * Handlers throw; the app's one onError turns any error into this.
 */
import { HTTPException } from 'hono/http-exception';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import { StaleVersionError } from '../ingest/outcome.js';

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
  /** `rejections`: an input refused by the importer's rules (file, line, column, reason, hint). */
  error: { status: number; code: string; message: string; hint: string; rejections?: Rejection[] };
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
  // Hono's own refusals (a body that is not the JSON it says it is): their status, in the one shape.
  if (error instanceof HTTPException && error.status < 500) {
    return {
      error: {
        status: error.status,
        code: error.status === 400 ? 'bad_request' : 'refused',
        message: error.message || 'the request could not be read',
        hint: 'Send the body as the API describes it: see /api/v1/openapi.json.',
      },
    };
  }
  if (error instanceof StaleVersionError) {
    return {
      error: { status: 412, code: 'precondition_failed', message: error.message, hint: error.hint ?? '' },
    };
  }
  if (error instanceof InputRejectedError) {
    const [status, code] = KIND[error.kind];
    return {
      error: {
        status,
        code,
        message: error.message,
        hint: error.hint ?? '',
        rejections: error.rejections.slice(0, 100),
      },
    };
  }
  if (error instanceof DdorError) {
    const [status, code] = KIND[error.kind];
    return { error: { status, code, message: error.message, hint: error.hint ?? '' } };
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
