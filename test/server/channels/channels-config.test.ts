// The `channels:` section of the server config file: secrets only by environment variable or
// file (inline ones refused with the key to use instead), files relative to the config file,
// and a server that will not start without a configured secret.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { gatePaths } from '../../../src/platform/paths.js';
import { DEFAULT_RETRY, NO_CHANNELS } from '../../../src/server/channels/channels-config.js';
import { readSecret } from '../../../src/server/channels/secrets.js';
import { loadServerConfig } from '../../../src/server/config.js';
import { startTestServer } from '../server-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gate-channels-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'server.yaml'), yaml);
  return { dir, load: () => loadServerConfig({ config: join(dir, 'server.yaml') }, gatePaths({ GATE_HOME: dir })) };
}

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('channels config', () => {
  it('is off by default', () => {
    expect(load('port: 1\n').load().channels).toEqual(NO_CHANNELS);
  });

  it('reads every channel, with secret files relative to the config file', () => {
    const { dir, load: read } = load(`
channels:
  slack:
    bot_token_env: SLACK_BOT_TOKEN
    signing_secret_file: secrets/slack-signing
    channel: C0GATE
    match_email: true
    team_id: T0GATE
  teams:
    webhook_url_file: /etc/gate/teams-url
  webhooks:
    - url: https://hooks.example.com/gate
      secret_env: GATE_WEBHOOK_SECRET
      events: [request.approved, request.denied]
    - url: http://10.0.0.5:8080/in
      secret_file: hook-secret
  retry:
    attempts: 6
    min_delay: 2s
    max_delay: 5m
`);
    expect(read().channels).toEqual({
      slack: {
        botToken: { env: 'SLACK_BOT_TOKEN', key: 'channels.slack.bot_token_env' },
        channel: 'C0GATE',
        webhookUrl: null,
        signingSecret: { file: join(dir, 'secrets/slack-signing'), key: 'channels.slack.signing_secret_file' },
        apiUrl: 'https://slack.com/api',
        matchEmail: true,
        teamId: 'T0GATE',
      },
      teams: { webhookUrl: { file: '/etc/gate/teams-url', key: 'channels.teams.webhook_url_file' } },
      webhooks: [
        { url: 'https://hooks.example.com/gate', secret: { env: 'GATE_WEBHOOK_SECRET', key: 'channels.webhooks[0].secret_env' }, events: ['request.approved', 'request.denied'] },
        { url: 'http://10.0.0.5:8080/in', secret: { file: join(dir, 'hook-secret'), key: 'channels.webhooks[1].secret_file' }, events: null },
      ],
      retry: { attempts: 6, minDelayMs: 2000, maxDelayMs: 300_000 },
    });
  });

  it('refuses secrets written inline, naming the keys to use instead', () => {
    const slack = message(load('channels:\n  slack:\n    bot_token: xoxb-123\n    signing_secret_env: S\n    channel: C1\n').load);
    expect(slack).toContain('channels.slack.bot_token: secrets may not be written in the config file');
    expect(slack).toContain('use bot_token_env (the name of an environment variable) or bot_token_file');
    expect(message(load('channels:\n  slack:\n    signing_secret: abc\n    webhook_url_env: W\n').load)).toContain('channels.slack.signing_secret: secrets may not be written');
    expect(message(load('channels:\n  teams:\n    webhook_url: https://x.webhook.office.com/abc\n').load)).toContain('channels.teams.webhook_url: secrets may not be written');
    expect(message(load('channels:\n  webhooks:\n    - url: https://h.example.com\n      secret: hunter2\n').load)).toContain('channels.webhooks[0].secret: secrets may not be written');
  });

  it('refuses incomplete or contradictory sections', () => {
    expect(message(load('channels:\n  slack:\n    bot_token_env: T\n    channel: C1\n').load)).toContain('signing_secret_env or signing_secret_file is required');
    expect(message(load('channels:\n  slack:\n    signing_secret_env: S\n').load)).toContain('give a bot token');
    expect(message(load('channels:\n  slack:\n    bot_token_env: T\n    signing_secret_env: S\n').load)).toContain('channels.slack.channel: the channel to post to is required');
    expect(message(load('channels:\n  slack:\n    webhook_url_env: W\n    signing_secret_env: S\n    match_email: true\n').load)).toContain('matching by email needs a bot token');
    expect(message(load('channels:\n  slack:\n    bot_token_env: B\n    channel: C1\n    signing_secret_env: S\n    match_email: true\n').load)).toContain('matching by email needs team_id');
    expect(message(load('channels:\n  slack:\n    bot_token_env: B\n    channel: C1\n    signing_secret_env: S\n    team_id: general\n').load)).toContain('expected a Slack workspace id');
    expect(message(load('channels:\n  teams:\n    webhook_url_env: A\n    webhook_url_file: b\n').load)).toContain('give webhook_url_env or webhook_url_file, not both');
    expect(message(load('channels:\n  webhooks:\n    - url: https://h.example.com\n').load)).toContain('channels.webhooks[0]: secret_env or secret_file is required');
    expect(message(load('channels:\n  webhooks:\n    - url: https://h.example.com\n      secret_env: S\n      events: [request.exploded]\n').load)).toContain('channels.webhooks[0].events[0]');
    expect(message(load('channels:\n  webhooks:\n    - url: ftp://h.example.com\n      secret_env: S\n').load)).toContain('channels.webhooks[0].url');
    expect(message(load('channels:\n  slack:\n    bot_token_env: 1BAD\n').load)).toContain('expected the name of an environment variable');
    expect(message(load('channels:\n  retry:\n    min_delay: 1h\n    max_delay: 1m\n').load)).toContain('min_delay is longer than max_delay');
    expect(message(load('channels:\n  pagerduty: {}\n').load)).toContain('unknown field "pagerduty"');
  });

  it('uses bounded retry defaults', () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 8, minDelayMs: 5000, maxDelayMs: 600_000 });
  });
});

describe('reading secrets', () => {
  it('from the environment, trimmed; a missing or empty variable names the config key', () => {
    const source = { env: { TOKEN: ' xoxb-1 \n', EMPTY: '' }, warn: () => {} };
    expect(readSecret({ env: 'TOKEN', key: 'channels.slack.bot_token_env' }, source)).toBe('xoxb-1');
    expect(message(() => readSecret({ env: 'MISSING', key: 'channels.slack.bot_token_env' }, source))).toBe('channels.slack.bot_token_env: the environment variable MISSING is not set (or empty)');
    expect(message(() => readSecret({ env: 'EMPTY', key: 'k' }, source))).toContain('EMPTY is not set');
  });

  it('from a file, warning when others may read it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-secret-'));
    dirs.push(dir);
    const file = join(dir, 'secret');
    writeFileSync(file, 'shh\n', { mode: 0o600 });
    const warnings: string[] = [];
    const source = { env: {}, warn: (m: string) => void warnings.push(m) };
    expect(readSecret({ file, key: 'k' }, source)).toBe('shh');
    expect(warnings).toEqual([]);
    chmodSync(file, 0o644);
    readSecret({ file, key: 'k' }, source);
    expect(warnings).toEqual([`k: ${file} is readable by group or others; chmod 600 it`]);
    expect(message(() => readSecret({ file: join(dir, 'nope'), key: 'k' }, source))).toContain(`k: cannot read ${join(dir, 'nope')}`);
    writeFileSync(file, '\n');
    expect(message(() => readSecret({ file, key: 'k' }, source))).toBe(`k: ${file} is empty`);
  });

  it('a server whose channel secret is missing does not start', async () => {
    const channels = { ...NO_CHANNELS, teams: { webhookUrl: { env: 'GATE_TEST_NO_SUCH_VARIABLE', key: 'channels.teams.webhook_url_env' } } };
    await expect(startTestServer({ channels })).rejects.toThrow('channels.teams.webhook_url_env: the environment variable GATE_TEST_NO_SUCH_VARIABLE is not set');
  });
});
