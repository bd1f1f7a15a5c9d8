// The `web` and `oidc` sections of server.yaml, and reading their secrets at start: from an
// environment variable, a 0600 file, or a session secret generated once under GATE_HOME.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatePaths } from '../../../src/platform/paths.js';
import type { AppDeps } from '../../../src/server/app-env.js';
import { DEFAULTS, loadServerConfig } from '../../../src/server/config.js';
import { mappedGroups } from '../../../src/server/web/oidc-identity.js';
import { webDeps } from '../../../src/server/web/web-routes.js';
import { readSecret, sessionSecret } from '../../../src/server/web/secrets.js';

const dirs: string[] = [];
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-web-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const load = (yaml: string) => {
  const dir = home({ 'server.yaml': yaml });
  return { dir, config: loadServerConfig({}, gatePaths({ GATE_HOME: dir })) };
};

const OIDC = ['public_url: https://gate.example.com', 'oidc:', '  issuer: https://idp.example.com', '  client_id: gate'];

describe('web and oidc config', () => {
  it('defaults: token sign-in on, 12 h sessions, a generated secret under GATE_HOME, no single sign-on', () => {
    const { dir, config } = load('port: 1');
    expect(config.web).toEqual({ sessionTtlMs: 12 * 3_600_000, sessionSecret: { generate: join(dir, 'web-session.secret') }, tokenSignIn: true, oidc: null });
  });

  it('reads every key, with the documented oidc defaults', () => {
    const { dir, config } = load(['web:', '  session_ttl: 8h', '  session_secret_file: secrets/session', '  token_sign_in: false', ...OIDC, '  client_secret_env: OIDC_SECRET'].join('\n'));
    expect(config.web).toEqual({
      sessionTtlMs: 8 * 3_600_000,
      sessionSecret: { file: join(dir, 'secrets', 'session') },
      tokenSignIn: false,
      oidc: {
        issuer: 'https://idp.example.com',
        clientId: 'gate',
        clientSecret: { env: 'OIDC_SECRET' },
        redirectUrl: undefined,
        scopes: ['openid', 'email', 'profile'],
        identityClaim: 'email',
        groupsClaim: 'groups',
        groupMap: {},
        autoCreate: false,
        label: 'Sign in with single sign-on',
      },
    });
  });

  it('takes scopes, claims, a group map and auto_create', () => {
    const { config } = load([...OIDC, '  client_secret_file: /etc/gate/oidc', '  redirect_url: https://gate.example.com/auth/callback', '  scopes: [openid, email, groups]', '  identity_claim: preferred_username', '  groups_claim: roles', '  group_map: { sre: ops, dba-team: dba }', '  auto_create: true', '  label: Sign in with Okta'].join('\n'));
    expect(config.web.oidc).toMatchObject({ clientSecret: { file: '/etc/gate/oidc' }, scopes: ['openid', 'email', 'groups'], identityClaim: 'preferred_username', groupsClaim: 'roles', groupMap: { sre: 'ops', 'dba-team': 'dba' }, autoCreate: true, label: 'Sign in with Okta' });
  });

  it.each([
    [[...OIDC, '  client_secret: plain'], /unknown field "client_secret"/],
    [[...OIDC, '  client_secret_env: A', '  client_secret_file: /x'], /not both/],
    [[...OIDC, '  auto_create: true'], /auto_create needs a group_map/],
    [[...OIDC, '  scopes: [email]'], /must include openid/],
    [['public_url: https://gate.example.com', 'oidc:', '  issuer: http://idp.example.com', '  client_id: gate'], /must be https/],
    [['oidc:', '  issuer: https://idp.example.com', '  client_id: gate'], /needs public_url/],
    [['web:', '  session_ttl: soon'], /session_ttl/],
    [['web:', '  session_secret_env: "not a name"'], /environment variable name/],
    [[...OIDC, '  group_map: { sre: "bad group" }'], /gate group name/],
  ])('refuses %j', (lines, message) => {
    expect(() => load(lines.join('\n'))).toThrow(message);
  });

  it('accepts an http issuer on localhost (a provider on this machine)', () => {
    const { config } = load(['public_url: http://127.0.0.1:8787', 'oidc:', '  issuer: http://localhost:9000', '  client_id: gate'].join('\n'));
    expect(config.web.oidc!.issuer).toBe('http://localhost:9000');
  });
});

describe('secrets', () => {
  it('come from the environment, and a missing variable says which', () => {
    expect(readSecret({ env: 'X' }, { X: ' s3cret \n' }, 'oidc.client_secret')).toBe('s3cret');
    expect(() => readSecret({ env: 'X' }, {}, 'oidc.client_secret')).toThrow(/oidc.client_secret: the environment variable X is not set/);
  });

  it('come from a 0600 file, and a file others can read is refused', () => {
    const dir = home({ secret: 'from-a-file\n' });
    expect(readSecret({ file: join(dir, 'secret') }, {}, 'x')).toBe('from-a-file');
    chmodSync(join(dir, 'secret'), 0o644);
    expect(() => readSecret({ file: join(dir, 'secret') }, {}, 'x')).toThrow(/readable by others/);
    expect(() => readSecret({ file: join(dir, 'missing') }, {}, 'x')).toThrow(/cannot read/);
  });

  it('for sessions: generated once into a 0600 file and reused; too short is refused', () => {
    const dir = home();
    const file = join(dir, 'keys', 'web-session.secret');
    const first = sessionSecret({ generate: file }, {});
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(sessionSecret({ generate: file }, {})).toEqual(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString());
    expect(() => sessionSecret({ env: 'S' }, { S: 'short' })).toThrow(/at least 32/);
    expect(sessionSecret('ephemeral', {})).not.toEqual(sessionSecret('ephemeral', {}));
  });
});

describe('starting the web pages', () => {
  const oidc = { issuer: 'https://idp.example.com', clientId: 'gate', clientSecret: { env: 'MISSING_SECRET' }, redirectUrl: undefined, scopes: ['openid'], identityClaim: 'email', groupsClaim: 'groups', groupMap: {}, autoCreate: false, label: 'x' };
  const deps = (over: Partial<typeof DEFAULTS>) => ({ config: { ...DEFAULTS, ...over } }) as unknown as AppDeps;

  it('stops the server when the OIDC client secret is missing, naming the variable', () => {
    expect(() => webDeps(deps({ publicUrl: 'https://gate.example.com', web: { ...DEFAULTS.web, oidc } }), {})).toThrow(/MISSING_SECRET is not set/);
    expect(webDeps(deps({ publicUrl: 'https://gate.example.com', web: { ...DEFAULTS.web, oidc } }), { MISSING_SECRET: 'x' }).oidc).not.toBeNull();
  });

  it('needs somewhere for the provider to send reviewers back', () => {
    expect(() => webDeps(deps({ web: { ...DEFAULTS.web, oidc: { ...oidc, clientSecret: null } } }), {})).toThrow(/public_url/);
  });
});

describe('mappedGroups', () => {
  it('maps only the provider groups in group_map, from a list or a single string', () => {
    const config = { groupsClaim: 'groups', groupMap: { sre: 'ops', 'dba-team': 'dba', oncall: 'ops' } };
    expect(mappedGroups({ groups: ['sre', 'oncall', 'dba-team', 'marketing', 7] }, config)).toEqual(['dba', 'ops']);
    expect(mappedGroups({ groups: 'sre' }, config)).toEqual(['ops']);
    expect(mappedGroups({ groups: ['constructor', '__proto__'] }, config)).toEqual([]);
    expect(mappedGroups({}, config)).toEqual([]);
  });
});
