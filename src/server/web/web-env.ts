// What the web pages share: the signed-in reviewer in the context, and their dependencies.
import type { Identity } from '../../approval/api-types.js';
import type { AppDeps } from '../app-env.js';
import type { Viewer } from './layout.js';
import type { OidcSignIn } from './oidc-client.js';
import type { Session, Sessions } from './session.js';
import type { WebConfig } from './web-config.js';

export interface WebEnv {
  Variables: { identity: Identity; viewer: Viewer; session: Session | null };
}

export interface WebDeps extends AppDeps {
  web: WebConfig;
  sessions: Sessions;
  /** null when single sign-on is not configured. */
  oidc: OidcSignIn | null;
}

/** A page-level refusal: rendered as HTML with this status. */
export class PageError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 429 | 502,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'PageError';
  }
}

/** Only local paths are followed after sign-in (no open redirect to another site). */
export function safeNext(raw: string | undefined | null): string {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f\\]/.test(raw)) return '/inbox';
  return raw;
}
