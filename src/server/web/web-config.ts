// The `web` and `oidc` sections of the server config file: sessions for the approval pages and
// single sign-on. Secrets are named here (an environment variable or a file), never given on
// the command line; they are read when the server starts (see secrets.ts).
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';
import type { GatePaths } from '../../platform/paths.js';
import { parseDuration } from '../../policy/duration.js';

/** Where a secret comes from. `generate`: a random secret created once in that 0600 file. */
export type SecretSource = { env: string } | { file: string } | { generate: string };

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** null: a public client (PKCE only, no client authentication). */
  clientSecret: SecretSource | null;
  /** Where the provider sends the browser back; undefined: `${public_url}/auth/callback`. */
  redirectUrl: string | undefined;
  scopes: string[];
  /** The claim naming the gate identity: `email` matches an identity's email, others its name. */
  identityClaim: string;
  groupsClaim: string;
  /** Provider group -> gate group. */
  groupMap: Record<string, string>;
  /** Create (and refresh on every sign-in) a reviewer for users no identity matches. */
  autoCreate: boolean;
  /** The sign-in button's text. */
  label: string;
}

export interface WebConfig {
  sessionTtlMs: number;
  /** 'ephemeral': a random secret per process (sessions end with it; tests, in-memory servers). */
  sessionSecret: SecretSource | 'ephemeral';
  /** Whether reviewers may sign in by pasting their bearer token. */
  tokenSignIn: boolean;
  oidc: OidcConfig | null;
}

export const WEB_DEFAULTS: WebConfig = { sessionTtlMs: 12 * 3_600_000, sessionSecret: 'ephemeral', tokenSignIn: true, oidc: null };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const duration = z.union([z.string(), z.number()]).refine((v) => toMs(v) !== undefined, 'expected a duration like 12h or 30m, or seconds');
const envName = z.string().regex(ENV_NAME, 'expected an environment variable name');
const onlyOne = (a: string, b: string) => (v: Record<string, unknown>) => !(v[a] !== undefined && v[b] !== undefined);

export const webFileSchema = z
  .strictObject({
    session_ttl: duration.optional(),
    session_secret_env: envName.optional(),
    session_secret_file: z.string().min(1).optional(),
    token_sign_in: z.boolean().optional(),
  })
  .refine(onlyOne('session_secret_env', 'session_secret_file'), 'set session_secret_env or session_secret_file, not both');

export const oidcFileSchema = z
  .strictObject({
    issuer: z.url({ protocol: /^https?$/ }).refine((u) => u.startsWith('https:') || LOOPBACK.has(new URL(u).hostname), 'the issuer must be https (http only on localhost)'),
    client_id: z.string().min(1),
    client_secret_env: envName.optional(),
    client_secret_file: z.string().min(1).optional(),
    redirect_url: z.url({ protocol: /^https?$/ }).optional(),
    scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/, 'a scope has no spaces')).refine((s) => s.includes('openid'), 'scopes must include openid').optional(),
    identity_claim: z.string().min(1).optional(),
    groups_claim: z.string().min(1).optional(),
    group_map: z.record(z.string().min(1), z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected a gate group name')).optional(),
    auto_create: z.boolean().optional(),
    label: z.string().min(1).max(100).optional(),
  })
  .refine(onlyOne('client_secret_env', 'client_secret_file'), 'set client_secret_env or client_secret_file, not both')
  .refine((v) => !v.auto_create || Object.keys(v.group_map ?? {}).length > 0, 'auto_create needs a group_map: only users in a mapped group become reviewers');

function toMs(value: string | number): number | undefined {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

interface FileValues {
  public_url?: string | undefined;
  web?: z.infer<typeof webFileSchema> | undefined;
  oidc?: z.infer<typeof oidcFileSchema> | undefined;
}

/** The web settings from a parsed config file (`file`: its path, when there is one). */
export function webConfigFrom(values: FileValues, file: string | undefined, paths: GatePaths): WebConfig {
  // Secret paths are relative to the config file (they only come from one).
  const dir = file !== undefined ? dirname(resolve(file)) : '.';
  const web = values.web ?? {};
  const secret = (env: string | undefined, path: string | undefined): SecretSource | null =>
    env !== undefined ? { env } : path !== undefined ? { file: resolve(dir, path) } : null;
  const oidc = values.oidc;
  if (oidc && oidc.redirect_url === undefined && values.public_url === undefined) {
    throw new ConfigError('server_config_invalid', 'oidc needs public_url (or oidc.redirect_url): the provider must know where to send reviewers back', file);
  }
  return {
    sessionTtlMs: web.session_ttl !== undefined ? toMs(web.session_ttl)! : WEB_DEFAULTS.sessionTtlMs,
    // A server with a home keeps its generated secret there, so sessions survive restarts.
    sessionSecret: secret(web.session_secret_env, web.session_secret_file) ?? { generate: join(paths.config, 'web-session.secret') },
    tokenSignIn: web.token_sign_in ?? true,
    oidc: oidc
      ? {
          issuer: oidc.issuer,
          clientId: oidc.client_id,
          clientSecret: secret(oidc.client_secret_env, oidc.client_secret_file),
          redirectUrl: oidc.redirect_url,
          scopes: oidc.scopes ?? ['openid', 'email', 'profile'],
          identityClaim: oidc.identity_claim ?? 'email',
          groupsClaim: oidc.groups_claim ?? 'groups',
          groupMap: oidc.group_map ?? {},
          autoCreate: oidc.auto_create ?? false,
          label: oidc.label ?? 'Sign in with single sign-on',
        }
      : null,
  };
}
