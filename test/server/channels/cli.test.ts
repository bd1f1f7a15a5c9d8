// The real CLI: `gate server user link|unlink|links`, and `gate server` with channels whose
// secrets come from the environment (needs the build: npm test runs it first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, gate, makeHome, type GateHome } from '../../integration/gate-process.js';
import { startReceiver, type Receiver } from './receiver.js';

let home: GateHome;
let receiver: Receiver;
beforeAll(async () => {
  home = makeHome();
  receiver = await startReceiver();
  await gate(['server', 'user', 'add', 'alice', '--role', 'reviewer', '--group', 'ops'], home.env);
  await gate(['server', 'user', 'add', 'bob', '--role', 'reviewer'], home.env);
});
afterAll(async () => {
  home.cleanup();
  await receiver.close();
});

describe('gate server user link', () => {
  it('links, lists and unlinks a Slack user id', async () => {
    const linked = await gate(['server', 'user', 'link', 'alice', '--slack', 'U0ALICE'], home.env);
    expect(linked).toMatchObject({ exitCode: 0, stdout: 'linked Slack user U0ALICE to alice\n' });
    expect((await gate(['server', 'user', 'link', 'alice', '--slack', 'U0ALICE'], home.env)).exitCode).toBe(0);
    expect(JSON.parse((await gate(['server', 'user', 'links', '--json'], home.env)).stdout)).toEqual([{ kind: 'slack', value: 'U0ALICE', identity: 'alice', created_at: expect.any(String) }]);
    expect((await gate(['server', 'user', 'links'], home.env)).stdout).toMatch(/^alice\s+slack\s+U0ALICE\s/);

    const taken = await gate(['server', 'user', 'link', 'bob', '--slack', 'U0ALICE'], home.env);
    expect(taken.exitCode).toBe(64);
    expect(taken.stderr).toContain('Slack user U0ALICE is linked to alice already');

    expect((await gate(['server', 'user', 'unlink', '--slack', 'U0ALICE'], home.env)).stdout).toBe('unlinked Slack user U0ALICE\n');
    expect((await gate(['server', 'user', 'unlink', '--slack', 'U0ALICE'], home.env)).exitCode).toBe(64);
  });

  it('refuses an unknown identity and a malformed id; removing the identity removes its links', async () => {
    expect((await gate(['server', 'user', 'link', 'nobody', '--slack', 'U0X'], home.env)).stderr).toContain('there is no identity nobody');
    expect((await gate(['server', 'user', 'link', 'bob', '--slack', '<!channel>'], home.env)).exitCode).toBe(64);
    expect((await gate(['server', 'user', 'link', 'bob'], home.env)).exitCode).toBe(64);
    await gate(['server', 'user', 'add', 'temp', '--role', 'reviewer'], home.env);
    await gate(['server', 'user', 'link', 'temp', '--slack', 'U0TEMP'], home.env);
    await gate(['server', 'user', 'remove', 'temp'], home.env);
    expect(JSON.parse((await gate(['server', 'user', 'links', '--json'], home.env)).stdout)).toEqual([]);
  });
});

describe('gate server with channels', () => {
  const config = () => {
    const file = join(home.dir, 'server.yaml');
    writeFileSync(file, `channels:\n  teams:\n    webhook_url_env: GATE_TEAMS_URL\n`);
    return file;
  };

  it('stops with a configuration error naming the key when the secret variable is not set', async () => {
    const run = await gate(['server', '--port', '0', '--config', config()], home.env);
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toContain('channels.teams.webhook_url_env: the environment variable GATE_TEAMS_URL is not set');
  });

  it('reads the secret from the environment and posts the card', async () => {
    const token = (await gate(['server', 'user', 'add', 'ruth', '--role', 'requester'], home.env)).stdout.trim();
    const child = execa(process.execPath, [GATE, 'server', '--port', '0', '--config', config()], { env: { ...home.env, GATE_TEAMS_URL: `${receiver.url}/teams` }, extendEnv: false, reject: false });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.then((r) => reject(new Error(`gate server exited ${r.exitCode}: ${String(r.stderr)}`)), reject);
      });
      const body = { id: 'cli-teams-1', digest: 'f'.repeat(64), actor: 'ruth', host: 'h', cwd: '/', program: 'rm', argv: ['rm', '-rf', '/data'], reason: null, risk: 'high', rules: [], facts: [], labels: [], confirm: null };
      expect((await fetch(`${url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) })).status).toBe(201);
      const card = await receiver.waitFor('/teams', (r) => r.body.includes('cli-teams-1'));
      expect(card.json().attachments[0].content.actions[0].url).toBe(`${url}/r/cli-teams-1`);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).not.toContain(receiver.url);
  });
});
