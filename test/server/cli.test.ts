// The real CLI: `gate server user add|list|remove` and `gate server --port 0` as processes
// (needs the build: npm test runs it first).
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, gate, makeHome, type GateHome } from '../integration/gate-process.js';

let home: GateHome;
beforeAll(() => {
  home = makeHome();
});
afterAll(() => home.cleanup());

/** Start `gate server` and resolve once it printed its URL. */
async function startCli(args: string[] = []): Promise<{ child: ResultPromise; url: string }> {
  const child = execa(process.execPath, [GATE, 'server', '--port', '0', ...args], { env: home.env, extendEnv: false, reject: false, buffer: true, stripFinalNewline: false });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^gate server listening on (http:\/\/\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.then((r) => reject(new Error(`gate server exited ${r.exitCode}: ${String(r.stderr)}`)), reject);
  });
  return { child, url };
}

describe('gate server user', () => {
  it('add prints only the token', async () => {
    const run = await gate(['server', 'user', 'add', 'alice', '--role', 'reviewer', '--group', 'ops', '--group', 'dba'], home.env);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^gate_[A-Za-z0-9_-]{43}\n$/);
    expect(run.stderr).not.toContain(run.stdout.trim());
  });

  it('list shows identities, not tokens', async () => {
    await gate(['server', 'user', 'add', 'rita', '--role', 'requester'], home.env);
    const json = await gate(['server', 'user', 'list', '--json'], home.env);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'alice', role: 'reviewer', groups: ['dba', 'ops'], created_at: expect.any(String) },
      { name: 'rita', role: 'requester', groups: [], created_at: expect.any(String) },
    ]);
    const text = await gate(['server', 'user', 'list'], home.env);
    expect(text.stdout).toMatch(/^alice\s+reviewer\s+dba,ops\s/m);
    expect(text.stdout).not.toMatch(/gate_/);
  });

  it('email gives an identity its address (token unchanged), once per address; sign-out ends web sessions', async () => {
    await gate(['server', 'user', 'add', 'sam', '--role', 'reviewer'], home.env);
    const set = await gate(['server', 'user', 'email', 'sam', 'Sam@Example.com'], home.env);
    expect(set).toMatchObject({ exitCode: 0, stdout: 'sam: email sam@example.com\n' });
    const list = JSON.parse((await gate(['server', 'user', 'list', '--json'], home.env)).stdout) as Array<{ name: string; email?: string }>;
    expect(list.find((i) => i.name === 'sam')).toMatchObject({ email: 'sam@example.com' });
    expect((await gate(['server', 'user', 'list'], home.env)).stdout).toMatch(/^sam\s+reviewer\s+-\s+sam@example\.com\s/m);
    const taken = await gate(['server', 'user', 'email', 'alice', 'sam@example.com'], home.env);
    expect(taken.exitCode).toBe(64);
    expect(taken.stderr).toContain('sam@example.com is the email of sam already');
    const unknown = await gate(['server', 'user', 'email', 'nobody', 'x@example.com'], home.env);
    expect(unknown.exitCode).toBe(64);
    expect(unknown.stderr).toContain('there is no identity nobody');
    expect(await gate(['server', 'user', 'sign-out', 'sam'], home.env)).toMatchObject({ exitCode: 0, stdout: 'ended 0 web sessions of sam\n' });
    expect((await gate(['server', 'user', 'sign-out', 'nobody'], home.env)).exitCode).toBe(64);
    await gate(['server', 'user', 'remove', 'sam'], home.env);
  });

  it('refuses a duplicate, a bad role and a missing role with usage errors', async () => {
    const dup = await gate(['server', 'user', 'add', 'alice', '--role', 'reviewer'], home.env);
    expect(dup.exitCode).toBe(64);
    expect(dup.stdout).toBe('');
    expect(dup.stderr).toMatch(/identity alice exists already/);
    expect((await gate(['server', 'user', 'add', 'x', '--role', 'boss'], home.env)).exitCode).toBe(64);
    expect((await gate(['server', 'user', 'add', 'x'], home.env)).exitCode).toBe(64);
  });

  it('remove deletes an identity; removing it again is an error', async () => {
    await gate(['server', 'user', 'add', 'temp', '--role', 'requester'], home.env);
    expect((await gate(['server', 'user', 'remove', 'temp'], home.env)).stdout).toBe('removed temp\n');
    expect((await gate(['server', 'user', 'remove', 'temp'], home.env)).exitCode).toBe(64);
  });

  it('works on another database with --db', async () => {
    const db = `${home.dir}/other.db`;
    const added = await gate(['server', 'user', 'add', 'solo', '--role', 'admin', '--db', db], home.env);
    expect(added.exitCode).toBe(0);
    expect(JSON.parse((await gate(['server', 'user', 'list', '--json', '--db', db], home.env)).stdout).map((i: { name: string }) => i.name)).toEqual(['solo']);
  });
});

describe('gate server', () => {
  it('listens on a free port, serves the API with the tokens from user add, logs JSON, and stops on SIGTERM', async () => {
    const reviewer = (await gate(['server', 'user', 'add', 'bob', '--role', 'reviewer', '--group', 'ops'], home.env)).stdout.trim();
    const requester = (await gate(['server', 'user', 'add', 'ruth', '--role', 'requester'], home.env)).stdout.trim();
    const { child, url } = await startCli();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await fetch(`${url}/v1/me`)).status).toBe(401);

      const call = (token: string, method: string, path: string, body?: unknown) =>
        fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const body = { id: 'cli-1', digest: 'f'.repeat(64), actor: 'ruth', host: 'h', cwd: '/', program: 'kubectl', argv: ['kubectl', 'delete', 'ns', 'x'], reason: null, risk: 'low', rules: [{ id: 'r', description: null, policy: null, risk: 'low', groups: ['ops'], min: 1, ttl_ms: null, pending_ms: null }], facts: [], labels: [], confirm: null };
      const created = await call(requester, 'POST', '/v1/requests', body);
      expect(created.status).toBe(201);
      expect(((await created.json()) as { approval_url: string }).approval_url).toBe(`${url}/r/cli-1`);
      const waiting = call(requester, 'GET', '/v1/requests/cli-1/wait?timeout=20');
      expect((await call(reviewer, 'POST', '/v1/requests/cli-1/approve', {})).status).toBe(200);
      expect(((await (await waiting).json()) as { status: string }).status).toBe('approved');
      const redeemed = (await (await call(requester, 'POST', '/v1/requests/cli-1/redeem', { digest: 'f'.repeat(64) })).json()) as { token: string };
      expect(redeemed.token.split('.')).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    expect(result.exitCode).toBe(0);
    const lines = String(result.stderr).trim().split('\n');
    const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.filter((l) => l.msg === 'request').map((l) => `${l.method} ${l.path} ${l.status} ${l.identity}`)).toContain('POST /v1/requests/cli-1/approve 200 bob');
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped' });
    expect(String(result.stderr)).not.toMatch(/gate_[A-Za-z0-9_-]{43}/);
    expect(String(result.stderr)).not.toMatch(/eyJ/);
    expect(String(result.stdout)).toMatch(/^gate server listening on http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  it('keeps its key and data across restarts, and stops on SIGINT', async () => {
    const first = await startCli();
    const kid1 = ((await (await fetch(`${first.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
    first.child.kill('SIGINT');
    expect((await first.child).exitCode).toBe(0);
    const second = await startCli();
    try {
      const kid2 = ((await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
      expect(kid2).toBe(kid1);
    } finally {
      second.child.kill('SIGTERM');
      await second.child;
    }
  });

  it('fails with a configuration error for a bad config file', async () => {
    const run = await gate(['server', '--port', '0', '--config', `${home.dir}/missing.yaml`], home.env);
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toMatch(/server_config_unreadable/);
  });

  it('refuses a bad --port as a usage error', async () => {
    expect((await gate(['server', '--port', 'eighty'], home.env)).exitCode).toBe(64);
  });
});
