// Remote rules and audit anchoring against a real approval server, and a tampered bundle
// from a fake server that must be refused with the last good bundle kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, gate, makeHome, type GateHome } from './gate-process.js';

let serverHome: GateHome;
let server: ChildProcess;
let url: string;
let alice: GateHome;

beforeAll(async () => {
  serverHome = makeHome();
  mkdirSync(join(serverHome.dir, 'central-rules'));
  writeFileSync(join(serverHome.dir, 'central-rules', 'team.yaml'), 'rules:\n  - { id: team.no-legacy, match: { program: legacy-tool }, effect: deny, tests: { match: ["legacy-tool x"], not_match: ["ls"] } }\n');
  writeFileSync(join(serverHome.dir, 'server.yaml'), `rules_dir: ${join(serverHome.dir, 'central-rules')}\n`);
  server = spawn(process.execPath, [GATE, 'server', '--port', '0'], { env: serverHome.env, stdio: ['ignore', 'pipe', 'ignore'] });
  url = await new Promise<string>((resolve) => {
    let out = '';
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const token = (await gate(['server', 'user', 'add', 'alice', '--role', 'requester'], serverHome.env)).stdout.trim();
  alice = makeHome();
  delete alice.env.GATE_ACTOR;
  expect((await gate(['login', url, '--token', token], alice.env)).exitCode).toBe(0);
}, 30_000);

afterAll(() => {
  server?.kill('SIGTERM');
  serverHome?.cleanup();
  alice?.cleanup();
});

describe('remote rules', () => {
  it('pulls the signed bundle, uses it, and is unchanged on the second pull (ETag)', async () => {
    expect(JSON.parse((await gate(['explain', '--json', '--', 'legacy-tool', 'x'], alice.env)).stdout).decision).toBe('review');
    const pull = await gate(['rules', 'pull', '--json'], alice.env);
    expect(pull.exitCode, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ status: 'updated', files: ['team.yaml'] });
    const view = JSON.parse((await gate(['explain', '--json', '--', 'legacy-tool', 'x'], alice.env)).stdout);
    expect(view.decision).toBe('deny');
    expect(view.rules.map((r: { id: string }) => r.id)).toContain('team.no-legacy');
    expect(JSON.parse((await gate(['rules', 'pull', '--json'], alice.env)).stdout).status).toBe('unchanged');
  });
});

describe('audit anchoring', () => {
  it('detects a log cut short or rewritten after its head was anchored', async () => {
    for (let i = 0; i < 3; i++) expect((await gate(['--', 'fixture-exit', String(i)], alice.env)).exitCode).toBe(0);
    const anchor = await gate(['audit', 'anchor'], alice.env);
    expect(anchor.exitCode, anchor.stderr).toBe(0);
    expect((await gate(['audit', 'verify', '--server'], alice.env)).exitCode).toBe(0);
    const log = join(alice.dir, 'audit.jsonl');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    writeFileSync(log, lines.slice(0, lines.length - 4).join('\n') + '\n');
    const cut = await gate(['audit', 'verify', '--server'], alice.env);
    expect(cut.exitCode).toBe(1);
    expect(cut.stdout).toContain('cut short');
    // A whole new chain of the same length: every record verifies locally, the anchor does not.
    writeFileSync(log, '');
    for (let i = 0; i < 3; i++) await gate(['--', 'fixture-exit', `other-${i}`], alice.env);
    expect((await gate(['audit', 'verify'], alice.env)).exitCode).toBe(0);
    const rewritten = await gate(['audit', 'verify', '--server'], alice.env);
    expect(rewritten.exitCode).toBe(1);
    expect(rewritten.stdout).toContain('rewritten');
  });
});

describe('a tampered bundle', () => {
  it('is refused and the last good bundle kept', async () => {
    // A fake server: JWKS with key A, but the bundle signed by key B.
    const a = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const b = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwkA = await exportJWK(a.publicKey);
    const kidA = await calculateJwkThumbprint(jwkA);
    const goodBundle = await new SignJWT({ files: [{ name: 'good.yaml', content: 'rules:\n  - { id: good.deny, match: { program: legacy-tool }, effect: deny }\n' }], etag: 'good', issued_at: '' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'gate-rules+jwt', kid: kidA })
      .sign(a.privateKey);
    const evilBundle = await new SignJWT({ files: [{ name: 'evil.yaml', content: 'rules:\n  - { id: evil.allow, match: { program: legacy-tool }, effect: allow }\n' }], etag: 'evil', issued_at: '' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'gate-rules+jwt', kid: kidA })
      .sign(b.privateKey);
    let bundle = goodBundle;
    const fake = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') return void res.end(JSON.stringify({ keys: [{ ...jwkA, kid: kidA }] }));
      if (req.url === '/v1/me') return void res.end(JSON.stringify({ name: 'mallory', role: 'requester', groups: [] }));
      if (req.url?.startsWith('/v1/rules/bundle')) return void res.end(bundle);
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const home = makeHome();
    delete home.env.GATE_ACTOR;
    expect((await gate(['login', fakeUrl, '--token', 'anything'], home.env)).exitCode).toBe(0);
    expect((await gate(['rules', 'pull'], home.env)).exitCode).toBe(0);
    expect(JSON.parse((await gate(['explain', '--json', '--', 'legacy-tool', 'x'], home.env)).stdout).decision).toBe('deny');
    bundle = evilBundle;
    const pull = await gate(['rules', 'pull'], home.env);
    expect(pull.exitCode).toBe(78);
    expect(pull.stderr).toMatch(/^gate: bundle_invalid: /m);
    // The last good bundle stays in force.
    expect(JSON.parse((await gate(['explain', '--json', '--', 'legacy-tool', 'x'], home.env)).stdout).decision).toBe('deny');
    fake.close();
    home.cleanup();
  });
});
