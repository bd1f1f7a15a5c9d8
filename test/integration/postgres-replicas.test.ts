// The high-availability setup as an operator runs it: one key file shared by two `gate server`
// processes on one Postgres database; identities added with --db; a requester logged in to
// replica A waits while a reviewer logged in to replica B approves, and the command runs. Also
// moving an existing SQLite server to Postgres with `gate server db copy`.
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { gate, makeHome, startGate, type GateHome } from './gate-process.js';
import { startServer, stopServer, type ServerProcess } from './gate-server.js';

let db: string;
let keyHome: GateHome;
let replicaA: { home: GateHome; server: ServerProcess };
let replicaB: { home: GateHome; server: ServerProcess };
const homes: GateHome[] = [];

async function replica(keyFile: string): Promise<{ home: GateHome; server: ServerProcess }> {
  const home = makeHome();
  homes.push(home);
  writeFileSync(join(home.dir, 'server.yaml'), `db: ${db}\nkey_file: ${keyFile}\n`);
  return { home, server: await startServer(home) };
}

async function userAdd(name: string, role: string, groups: string[] = []): Promise<string> {
  const run = await gate(['server', 'user', 'add', name, '--role', role, ...groups.flatMap((g) => ['--group', g]), '--db', db], keyHome.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

async function loginTo(url: string, token: string): Promise<GateHome> {
  const home = makeHome();
  delete home.env.GATE_ACTOR;
  homes.push(home);
  const run = await gate(['login', url, '--token', token], home.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return home;
}

beforeAll(async () => {
  db = await createDatabase(inject('postgresUrl'));
  keyHome = makeHome();
  homes.push(keyHome);
  const keyFile = join(keyHome.dir, 'server-key.jwk');
  const generated = await gate(['server', 'key', 'generate', keyFile], keyHome.env);
  expect(generated.exitCode, generated.stderr).toBe(0);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  replicaA = await replica(keyFile);
  replicaB = await replica(keyFile);
}, 90_000);

afterAll(async () => {
  for (const r of [replicaA, replicaB]) if (r) await stopServer(r.server);
  for (const home of homes) home.cleanup();
});

describe('two replicas on Postgres', () => {
  it('publish the same key, and a decision on B runs the command waiting on A', async () => {
    const jwksA = await (await fetch(`${replicaA.server.url}/.well-known/jwks.json`)).json();
    const jwksB = await (await fetch(`${replicaB.server.url}/.well-known/jwks.json`)).json();
    expect(jwksA).toEqual(jwksB);
    const alice = await loginTo(replicaA.server.url, await userAdd('alice', 'requester'));
    const bob = await loginTo(replicaB.server.url, await userAdd('bob', 'reviewer', ['ops']));
    const waiting = startGate(['--wait', '60s', '--', 'fixture-review', 'replicated'], alice.env);
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      const list = await gate(['requests', '--json'], bob.env);
      id = (JSON.parse(list.stdout || '[]') as Array<{ id: string; argv: string[] }>).find((r) => r.argv.join(' ') === 'fixture-review replicated')?.id;
      if (!id) await new Promise((r) => setTimeout(r, 100));
    }
    expect(id).toBeDefined();
    const approved = await gate(['approve', id!], bob.env);
    expect(approved.exitCode, approved.stderr).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:replicated\n');
    // The users are in the shared database: listed through either --db.
    const list = JSON.parse((await gate(['server', 'user', 'list', '--json', '--db', db], keyHome.env)).stdout) as Array<{ name: string }>;
    expect(list.map((i) => i.name)).toEqual(['alice', 'bob']);
  });

  it('refuses a key file that is not a private Ed25519 JWK, and an unreachable database, with the fix', async () => {
    const home = makeHome();
    homes.push(home);
    const bad = join(home.dir, 'bad.jwk');
    writeFileSync(bad, '{"kty":"RSA"}');
    chmodSync(bad, 0o600);
    writeFileSync(join(home.dir, 'server.yaml'), `db: ${db}\nkey_file: ${bad}\n`);
    const refused = await gate(['server', '--port', '0', '--config', join(home.dir, 'server.yaml')], home.env);
    expect(refused.exitCode).toBe(78);
    expect(refused.stderr).toContain('does not hold a private Ed25519 key');
    const again = await gate(['server', 'key', 'generate', bad], home.env);
    expect(again.exitCode).toBe(64);
    expect(again.stderr).toContain('exists already');
    const down = await gate(['server', 'user', 'list', '--db', 'postgres://gate:s3cret-pw@127.0.0.1:1/gate'], home.env);
    expect(down.exitCode).toBe(78);
    expect(down.stderr).toContain('cannot use the Postgres database postgres://gate:***@127.0.0.1:1/gate');
    expect(down.stderr).not.toContain('s3cret-pw');
  });
});

describe('gate server db copy', () => {
  it('moves a SQLite server to an empty Postgres database: identities with their tokens, and the signing key, carry on', async () => {
    const home = makeHome();
    homes.push(home);
    const sqliteFile = join(home.dir, 'old.db');
    const token = (await gate(['server', 'user', 'add', 'carol', '--role', 'reviewer', '--group', 'ops', '--email', 'carol@example.com', '--db', sqliteFile], home.env)).stdout.trim();
    // The old server ran (and made its key) before the move.
    writeFileSync(join(home.dir, 'server.yaml'), `db: ${sqliteFile}\n`);
    const old = await startServer(home);
    const oldKid = ((await (await fetch(`${old.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys[0]!.kid;
    await stopServer(old);
    const keyFile = join(home.dir, 'exported.jwk');
    const exported = await gate(['server', 'key', 'export', keyFile], home.env);
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(oldKid);

    const target = await createDatabase(inject('postgresUrl'));
    const copied = await gate(['server', 'db', 'copy', '--from', sqliteFile, '--to', target], home.env);
    expect(copied.exitCode, copied.stderr).toBe(0);
    expect(copied.stdout).toContain('copied 1 identities');
    const list = JSON.parse((await gate(['server', 'user', 'list', '--json', '--db', target], home.env)).stdout);
    expect(list).toEqual([expect.objectContaining({ name: 'carol', email: 'carol@example.com', groups: ['ops'] })]);
    // On Postgres with the exported key: the same kid, and the token issued before the move works.
    writeFileSync(join(home.dir, 'server.yaml'), `db: ${target}\nkey_file: ${keyFile}\n`);
    const server = await startServer(home);
    try {
      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid)).toEqual([oldKid]);
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ name: 'carol' });
    } finally {
      await stopServer(server);
    }
    // A second copy into the same database is refused: nothing is merged or overwritten.
    const twice = await gate(['server', 'db', 'copy', '--from', sqliteFile, '--to', target], home.env);
    expect(twice.exitCode).toBe(78);
    expect(twice.stderr).toContain('already has data');
  });
});

describe('a Postgres restart while a real gate waits', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('loses no decision: the requester on A runs its command once B approves after the restart', async () => {
    const url = await createDatabase(cluster.url);
    const keyFile = join(keyHome.dir, 'restart-key.jwk');
    expect((await gate(['server', 'key', 'generate', keyFile], keyHome.env)).exitCode).toBe(0);
    const start = async () => {
      const home = makeHome();
      homes.push(home);
      writeFileSync(join(home.dir, 'server.yaml'), `db: ${url}\nkey_file: ${keyFile}\n`);
      return startServer(home);
    };
    const [a, b] = [await start(), await start()];
    try {
      const add = async (name: string, role: string, groups: string[] = []) => (await gate(['server', 'user', 'add', name, '--role', role, ...groups.flatMap((g) => ['--group', g]), '--db', url], keyHome.env)).stdout.trim();
      const dave = await loginTo(a.url, await add('dave', 'requester'));
      const erin = await loginTo(b.url, await add('erin', 'reviewer', ['ops']));
      const waiting = startGate(['--wait', '90s', '--', 'fixture-review', 'restart'], dave.env);
      let id: string | undefined;
      for (let i = 0; i < 100 && !id; i++) {
        id = (JSON.parse((await gate(['requests', '--json'], erin.env)).stdout || '[]') as Array<{ id: string }>)[0]?.id;
        if (!id) await new Promise((r) => setTimeout(r, 100));
      }
      expect(id).toBeDefined();
      await cluster.restart();
      const approved = await gate(['approve', id!], erin.env);
      expect(approved.exitCode, approved.stderr).toBe(0);
      const result = await waiting;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(String(result.stdout)).toBe('reviewed:restart\n');
    } finally {
      await stopServer(a);
      await stopServer(b);
    }
  }, 120_000);
});
