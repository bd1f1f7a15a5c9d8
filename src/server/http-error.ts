// Errors the API answers with: an HTTP status and a stable code, rendered as ApiError JSON.
import type { ApiError } from '../approval/api-types.js';

export type ApiErrorCode =
  | 'bad_request'
  | 'comment_required'
  | 'confirmation_mismatch'
  | 'token_mismatch'
  | 'unauthorized'
  | 'forbidden_role'
  | 'self_approval'
  | 'not_in_group'
  | 'actor_mismatch'
  | 'not_owner'
  | 'not_found'
  | 'duplicate_id'
  | 'already_voted'
  | 'not_pending'
  | 'not_approved'
  | 'already_redeemed'
  | 'digest_mismatch'
  | 'head_conflict'
  | 'head_regressed'
  | 'payload_too_large'
  | 'rate_limited'
  | 'no_rules'
  | 'rules_invalid'
  | 'internal_error';

export type ApiStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;

export class HttpError extends Error {
  constructor(
    readonly status: ApiStatus,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toJSON(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
