// Server settings: defaults, the YAML file, then flags; every bad key reported with the file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatePaths } from '../../src/platform/paths.js';
import { DEFAULTS, listenUrl, loadServerConfig, parseSize } from '../../src/server/config.js';

const dirs: string[] = [];
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('server config', () => {
  it('loads the README\'s web, single sign-on and channels example as written', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((y) => y.includes('channels:') && y.includes('oidc:'));
    expect(example).toBeDefined();
    const dir = home({ 'server.yaml': example! });
    const config = loadServerConfig({}, gatePaths({ GATE_HOME: dir }));
    expect(config.publicUrl).toBe('https://gate.example.com');
    expect(config.web.oidc).toMatchObject({ issuer: 'https://example.okta.com/oauth2/default', clientSecret: { env: 'GATE_OIDC_CLIENT_SECRET' } });
    expect(config.channels.slack).toMatchObject({ channel: 'C0123GATE', teamId: 'T0123ABCD', botToken: { file: join(dir, 'slack-bot-token') } });
    expect(config.channels.teams).toMatchObject({ webhookUrl: { env: 'GATE_TEAMS_WEBHOOK_URL' } });
    expect(config.channels.webhooks).toEqual([expect.objectContaining({ url: 'https://siem.example.com/gate' })]);
  });

  it('has the documented defaults', () => {
    const dir = home();
    const config = loadServerConfig({}, gatePaths({ GATE_HOME: dir }));
    // A server with a home keeps a generated session secret there (in-memory servers: per process).
    expect(config).toEqual({ ...DEFAULTS, web: { ...DEFAULTS.web, sessionSecret: { generate: join(dir, 'web-session.secret') } } });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8787, requestTtlMs: 3_600_000, rateLimit: 600, bodyLimit: 262_144 });
  });

  it('reads every key of the file, paths relative to it, and lets flags win', () => {
    const dir = home({
      'server.yaml': ['host: 0.0.0.0', 'port: 9000', 'db: data/gate.db', 'public_url: https://gate.example.com/', 'request_ttl: 30m', 'rules_dir: rules', 'rate_limit: 100', 'body_limit: 1MiB'].join('\n'),
    });
    const config = loadServerConfig({ port: 0 }, gatePaths({ GATE_HOME: dir }));
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      db: join(dir, 'data', 'gate.db'),
      publicUrl: 'https://gate.example.com',
      requestTtlMs: 30 * 60_000,
      rulesDir: join(dir, 'rules'),
      rateLimit: 100,
      bodyLimit: 1024 * 1024,
    });
  });

  it('takes --config over $GATE_HOME/server.yaml, and request_ttl as seconds', () => {
    const dir = home({ 'server.yaml': 'port: 1', 'other.yaml': 'port: 2\nrequest_ttl: 90\n' });
    expect(loadServerConfig({ config: join(dir, 'other.yaml') }, gatePaths({ GATE_HOME: dir }))).toMatchObject({ port: 2, requestTtlMs: 90_000 });
  });

  it('reports unknown keys and bad values with the file', () => {
    const dir = home({ 'server.yaml': 'prot: 1\nrequest_ttl: soon\nbody_limit: 12 parsecs\n' });
    const error = (() => {
      try {
        loadServerConfig({}, gatePaths({ GATE_HOME: dir }));
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error('accepted');
    })();
    expect(error.code).toBe('server_config_invalid');
    expect(error.message).toMatch(/^\/.*server\.yaml: /);
    for (const part of ['unknown field "prot"', 'request_ttl: expected a duration', 'body_limit: expected bytes']) expect(error.message).toContain(part);
    expect(() => loadServerConfig({ config: join(dir, 'missing.yaml') }, gatePaths({ GATE_HOME: dir }))).toThrow(expect.objectContaining({ code: 'server_config_unreadable' }));
  });

  it('parses sizes', () => {
    expect([parseSize(10), parseSize('256KiB'), parseSize('2mb'), parseSize('0'), parseSize('1 GB'), parseSize(-1)]).toEqual([10, 262_144, 2_000_000, undefined, undefined, undefined]);
  });

  it('brackets IPv6 hosts in URLs', () => {
    expect(listenUrl('::1', 80)).toBe('http://[::1]:80');
    expect(listenUrl('127.0.0.1', 8787)).toBe('http://127.0.0.1:8787');
  });
});
