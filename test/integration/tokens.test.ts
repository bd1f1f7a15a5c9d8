// The offline two-party flow with real processes: a requester home and reviewer homes, the
// request file, `gate approve --offline`, and every refusal of `gate --token` for its reason.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BIN, gate, makeHome, startGate, type GateHome } from './gate-process.js';

let requester: GateHome;
let bob: GateHome;
let carol: GateHome;
let mallory: GateHome;

/** Create a reviewer's key (file store: no keychain needed here) and export it. */
async function reviewer(name: string): Promise<{ home: GateHome; jwk: string }> {
  const home = makeHome({ GATE_ACTOR: name });
  const init = await gate(['keys', 'init', '--file-store'], home.env);
  expect(init.exitCode, init.stderr).toBe(0);
  const exported = await gate(['keys', 'export'], home.env);
  const jwk = join(home.dir, `${name}.jwk`);
  writeFileSync(jwk, exported.stdout);
  return { home, jwk };
}

async function trust(jwk: string, name: string, groups: string[], extra: string[] = []): Promise<void> {
  const run = await gate(['keys', 'trust', jwk, '--name', name, ...groups.flatMap((g) => ['--group', g]), ...extra], requester.env);
  expect(run.exitCode, run.stderr).toBe(0);
}

/** Ask for a review without waiting; returns the request file. */
async function pendingRequest(command: string[], env = requester.env, cwd?: string): Promise<string> {
  const run = await gate(['--wait', '0', '--json', '--', ...command], env, cwd ? { cwd } : {});
  expect(run.exitCode, run.stderr).toBe(75);
  const outcome = JSON.parse(run.stdout);
  expect(outcome).toMatchObject({ outcome: 'pending', exit: 75, approval_url: null });
  return outcome.request_file as string;
}

async function approve(by: GateHome, requestFile: string, extra: string[] = []): Promise<string> {
  const run = await gate(['approve', '--offline', '--request', requestFile, ...extra], by.env);
  expect(run.exitCode, run.stderr).toBe(0);
  const token = run.stdout.trim();
  expect(token.split('.')).toHaveLength(3);
  return token;
}

async function refusalCode(args: string[], env = requester.env, cwd?: string): Promise<string> {
  const run = await gate(['--json', ...args], env, cwd ? { cwd } : {});
  expect(run.exitCode, run.stderr).toBe(77);
  const outcome = JSON.parse(run.stdout);
  expect(outcome.outcome).toBe('denied');
  expect(run.stderr).toMatch(/^hint: /m);
  return outcome.code as string;
}

beforeAll(async () => {
  requester = makeHome({ GATE_ACTOR: 'alice' });
  const b = await reviewer('bob');
  const c = await reviewer('carol');
  const m = await reviewer('mallory');
  bob = b.home;
  carol = c.home;
  mallory = m.home;
  await trust(b.jwk, 'bob', ['ops']);
  await trust(c.jwk, 'carol', ['ops']);
  // mallory's key is not trusted at all.
}, 60_000);

afterAll(() => {
  for (const home of [requester, bob, carol, mallory]) home?.cleanup();
});

describe('offline approval', () => {
  it('runs the approved command once, audited with the jti and approver', async () => {
    const file = await pendingRequest(['fixture-review', 'one']);
    const token = await approve(bob, file, ['--comment', 'fine']);
    const run = await gate(['--token', token, '--', 'fixture-review', 'one'], requester.env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('reviewed:one\n');
    const records = readFileSync(join(requester.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const approved = records.find((r) => r.event === 'decision' && r.decision === 'approved');
    expect(approved.approvers).toEqual([expect.objectContaining({ id: 'bob', via: 'offline' })]);
    expect(approved.token_jti).toEqual(expect.any(String));
    // The approval names the request that was reviewed.
    const pendingRecord = records.find((r) => r.event === 'decision' && r.decision === 'pending');
    expect(approved.reviewed_request_id).toBe(pendingRecord.request_id);
    expect(await refusalCode(['--token', token, '--', 'fixture-review', 'one'])).toBe('token_replayed');
  });

  it('accepts the token from GATE_TOKEN', async () => {
    const file = await pendingRequest(['fixture-review', 'env']);
    const token = await approve(bob, file);
    const run = await gate(['--', 'fixture-review', 'env'], { ...requester.env, GATE_TOKEN: token });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('lets exactly one of four racing runs use a token', async () => {
    const file = await pendingRequest(['fixture-review', 'race']);
    const token = await approve(bob, file);
    const log = join(requester.dir, 'race.log');
    const env = { ...requester.env, FIXTURE_LOG: log };
    const runs = await Promise.all([0, 1, 2, 3].map(() => startGate(['--token', token, '--', 'fixture-review', 'race'], env)));
    const codes = runs.map((r) => r.exitCode).sort();
    expect(codes).toEqual([0, 77, 77, 77]);
    expect(readFileSync(log, 'utf8')).toBe('race\n');
  });
});

describe('a token is bound to exactly what was approved', () => {
  it('refuses another argv, another cwd and another value of a bound variable', async () => {
    const file = await pendingRequest(['fixture-review', 'bound'], { ...requester.env, AWS_PROFILE: 'dev' });
    const token = await approve(bob, file);
    expect(await refusalCode(['--token', token, '--', 'fixture-review', 'bound', 'extra'], { ...requester.env, AWS_PROFILE: 'dev' })).toBe('token_digest_mismatch');
    expect(await refusalCode(['--token', token, '--', 'fixture-review', 'bound'], { ...requester.env, AWS_PROFILE: 'dev' }, '/')).toBe('token_digest_mismatch');
    expect(await refusalCode(['--token', token, '--', 'fixture-review', 'bound'], { ...requester.env, AWS_PROFILE: 'prod' })).toBe('token_digest_mismatch');
    // Refusals do not spend the token: the approved command still runs.
    const run = await gate(['--token', token, '--', 'fixture-review', 'bound'], { ...requester.env, AWS_PROFILE: 'dev' });
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('refuses when the binary was replaced between approval and exec', async () => {
    const bin = join(requester.dir, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(join(FIXTURE_BIN, 'fixture-review'), join(bin, 'fixture-review'));
    chmodSync(join(bin, 'fixture-review'), 0o755);
    const env = { ...requester.env, PATH: `${bin}:${requester.env.PATH}` };
    const file = await pendingRequest(['fixture-review', 'swap'], env);
    const token = await approve(bob, file);
    writeFileSync(join(bin, 'fixture-review'), '#!/bin/sh\necho "not what was approved"\n');
    const run = await gate(['--json', '--token', token, '--', 'fixture-review', 'swap'], env);
    expect(run.exitCode).toBe(77);
    expect(JSON.parse(run.stdout).code).toBe('token_digest_mismatch');
    expect(run.stdout).not.toContain('not what was approved');
  });
});

describe('refusals, each for its own reason', () => {
  it('refuses a token signed by an unknown key', async () => {
    const file = await pendingRequest(['fixture-review', 'unknown']);
    const token = await approve(mallory, file);
    expect(await refusalCode(['--token', token, '--', 'fixture-review', 'unknown'])).toBe('token_unknown_key');
  });

  it('refuses self-approval: the reviewer cannot be the requester', async () => {
    const alice = makeHome({ GATE_ACTOR: 'alice' });
    await gate(['keys', 'init', '--file-store'], alice.env);
    const file = await pendingRequest(['fixture-review', 'self']);
    const run = await gate(['approve', '--offline', '--request', file], alice.env);
    expect(run.exitCode).toBe(77);
    expect(run.stderr).toContain('token_self_approval');
    alice.cleanup();
  });

  it('refuses a quorum of two met by the same key twice, and accepts two reviewers', async () => {
    const file = await pendingRequest(['fixture-quorum']);
    const first = await approve(bob, file);
    const second = await approve(bob, file);
    expect(await refusalCode(['--token', first, '--token', second, '--', 'fixture-quorum'])).toBe('token_quorum_not_met');
    const fromCarol = await approve(carol, file);
    const run = await gate(['--token', first, '--token', fromCarol, '--', 'fixture-quorum'], requester.env);
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('refuses a key not scoped for the rule group, then a revoked key', async () => {
    const dave = await reviewer('dave');
    await trust(dave.jwk, 'dave', ['dba']);
    const file = await pendingRequest(['fixture-review', 'scope']);
    expect(await refusalCode(['--token', await approve(dave.home, file), '--', 'fixture-review', 'scope'])).toBe('token_key_not_scoped');
    const token = await approve(bob, file);
    const revoke = await gate(['keys', 'revoke', 'carol'], requester.env);
    expect(revoke.exitCode).toBe(0);
    expect(await refusalCode(['--token', await approve(carol, file), '--', 'fixture-review', 'scope'])).toBe('token_key_revoked');
    expect((await gate(['--token', token, '--', 'fixture-review', 'scope'], requester.env)).exitCode).toBe(0);
    dave.home.cleanup();
  });

  it('refuses malformed tokens with a clear error', async () => {
    expect(await refusalCode(['--token', 'not-a-token', '--', 'fixture-review', 'x'])).toBe('token_malformed');
  });

  it('explains a token with gate token inspect', async () => {
    const file = await pendingRequest(['fixture-review', 'inspect']);
    const token = await approve(bob, file);
    const ok = await gate(['token', 'inspect', token, '--request', file, '--json'], requester.env);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ header: { alg: 'EdDSA', typ: 'gate-decision+jwt' }, claims: { sub: 'alice', aud: 'gate', dec: 'approve' }, verification: { ok: true } });
    const against = await gate(['token', 'inspect', token, '--json', '--', 'fixture-review', 'other'], requester.env);
    expect(against.exitCode).toBe(77);
    expect(JSON.parse(against.stdout).verification).toMatchObject({ ok: false, code: 'token_digest_mismatch' });
  });
});
