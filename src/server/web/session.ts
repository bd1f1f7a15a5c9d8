// Reviewer sessions in a signed cookie: HttpOnly, SameSite=Lax, Secure (and __Host-) when the
// server is reached over https, with an expiry inside the signed value as well as on the
// cookie. Every session (also before sign-in) has a random id; its CSRF token is a MAC of it.
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { deriveKey, macText, safeEqual, signValue, verifyValue } from './signed-value.js';

export interface Session {
  /** Random id: binds the CSRF token; a new one at every sign-in (no session fixation). */
  sid: string;
  /** The signed-in identity's name; null before sign-in. */
  sub: string | null;
  /** How they signed in. */
  amr: 'token' | 'oidc' | null;
  /** Issued and expires, ms since the epoch. */
  iat: number;
  exp: number;
}

/** The sign-in flow a browser is in: what the provider's answer must match. */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** Where to go after signing in (a local path). */
  next: string;
  exp: number;
}

const SESSION = 'gate_session';
const FLOW = 'gate_oidc';
/** A browser has this long to finish signing in at the provider. */
export const FLOW_TTL_MS = 10 * 60_000;

const isSession = (v: unknown): v is Session => {
  const s = v as Session;
  return typeof v === 'object' && v !== null && typeof s.sid === 'string' && (s.sub === null || typeof s.sub === 'string') && typeof s.iat === 'number' && typeof s.exp === 'number';
};
const isFlow = (v: unknown): v is OidcFlow => {
  const f = v as OidcFlow;
  return typeof v === 'object' && v !== null && [f.state, f.nonce, f.verifier, f.next].every((x) => typeof x === 'string') && typeof f.exp === 'number';
};

export type Sessions = ReturnType<typeof sessionCookies>;

export function sessionCookies(secret: Uint8Array, options: { secure: boolean; ttlMs: number }) {
  const keys = { session: deriveKey(secret, 'session'), flow: deriveKey(secret, 'oidc-flow'), csrf: deriveKey(secret, 'csrf') };
  const prefix = options.secure ? ({ prefix: 'host' } as const) : {};
  const cookie = (maxAgeS: number) => ({ httpOnly: true, sameSite: 'Lax' as const, secure: options.secure, path: '/', maxAge: maxAgeS, ...prefix });

  return {
    /** The session in the request's cookie, when its signature verifies and it has not expired. */
    read(c: Context, now: Date): Session | null {
      const value = verifyValue(keys.session, getCookie(c, SESSION, options.secure ? 'host' : undefined));
      return isSession(value) && value.exp > now.getTime() ? value : null;
    },
    /** A new session (anonymous when `sub` is null), not yet written. */
    create(sub: string | null, amr: Session['amr'], now: Date): Session {
      const ttl = sub === null ? FLOW_TTL_MS * 6 : options.ttlMs;
      return { sid: randomBytes(16).toString('base64url'), sub, amr, iat: now.getTime(), exp: now.getTime() + ttl };
    },
    write(c: Context, session: Session, now: Date): void {
      setCookie(c, SESSION, signValue(keys.session, session), cookie(Math.max(1, Math.floor((session.exp - now.getTime()) / 1000))));
    },
    clear(c: Context): void {
      deleteCookie(c, SESSION, cookie(0));
    },
    /** The token forms carry in their hidden `csrf` field. */
    csrfToken(session: Session): string {
      return macText(keys.csrf, session.sid);
    },
    csrfMatches(session: Session | null, token: string | undefined): boolean {
      return session !== null && typeof token === 'string' && safeEqual(token, macText(keys.csrf, session.sid));
    },

    writeFlow(c: Context, flow: OidcFlow): void {
      setCookie(c, FLOW, signValue(keys.flow, flow), cookie(Math.floor(FLOW_TTL_MS / 1000)));
    },
    readFlow(c: Context, now: Date): OidcFlow | null {
      const value = verifyValue(keys.flow, getCookie(c, FLOW, options.secure ? 'host' : undefined));
      return isFlow(value) && value.exp > now.getTime() ? value : null;
    },
    clearFlow(c: Context): void {
      deleteCookie(c, FLOW, cookie(0));
    },
  };
}
