// End to end with a real approval server on loopback: a requester's gate waits, reviewers
// decide with `gate approve`/`gate deny`, and the command runs only after approval.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, makeHome, startGate, type GateHome } from './gate-process.js';
import { startServer, stopServer, type ServerProcess } from './gate-server.js';


let serverHome: GateHome;
let server: ServerProcess;
let alice: GateHome; // requester
let bob: GateHome; // reviewer, group ops
let carol: GateHome; // reviewer, group ops



async function addUser(name: string, role: string, groups: string[] = []): Promise<string> {
  const run = await gate(['server', 'user', 'add', name, '--role', role, ...groups.flatMap((g) => ['--group', g])], serverHome.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout.trim();
}

async function loginAs(name: string, role: string, groups: string[] = []): Promise<GateHome> {
  const home = makeHome({ GATE_ACTOR: name });
  delete home.env.GATE_ACTOR; // the server identity is the actor
  const token = await addUser(name, role, groups);
  const run = await gate(['login', server.url, '--token', token], home.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return home;
}

/** The id of the pending request for `argv`, as a reviewer sees it. */
async function pendingId(reviewer: GateHome, argv: string[]): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const list = await gate(['requests', '--json'], reviewer.env);
    const found = (JSON.parse(list.stdout) as Array<{ id: string; argv: string[] }>).find((r) => r.argv.join(' ') === argv.join(' '));
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no pending request for ${argv.join(' ')}`);
}

beforeAll(async () => {
  serverHome = makeHome();
  writeFileSync(join(serverHome.dir, 'server.yaml'), 'request_ttl: 1h\n');
  server = await startServer(serverHome);
  alice = await loginAs('alice', 'requester');
  bob = await loginAs('bob', 'reviewer', ['ops']);
  carol = await loginAs('carol', 'reviewer', ['ops']);
}, 60_000);

afterAll(async () => {
  if (server) await stopServer(server);
  for (const home of [serverHome, alice, bob, carol]) home?.cleanup();
});

describe('central approval', () => {
  it('runs the command only after a reviewer approves', async () => {
    const waiting = startGate(['--wait', '60s', '--', 'fixture-review', 'central'], alice.env);
    const id = await pendingId(bob, ['fixture-review', 'central']);
    const approved = await gate(['approve', id], bob.env);
    expect(approved.exitCode, approved.stderr).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:central\n');
    expect(String(result.stderr)).toContain(`review ${id}`);
  });

  it('ends with 77 and the comment when a reviewer denies', async () => {
    const waiting = startGate(['--wait', '60s', '--json', '--', 'fixture-review', 'denied'], alice.env);
    const id = await pendingId(bob, ['fixture-review', 'denied']);
    const denyWithout = await gate(['deny', id, '--comment', ''], bob.env);
    expect(denyWithout.exitCode).toBe(64);
    expect((await gate(['deny', id, '--comment', 'not during the freeze'], bob.env)).exitCode).toBe(0);
    const result = await waiting;
    expect(result.exitCode).toBe(77);
    expect(JSON.parse(String(result.stdout))).toMatchObject({ outcome: 'denied', code: 'denied_by_reviewer' });
    expect(String(result.stderr)).toContain('not during the freeze');
  });

  it('ends as pending (75), not denied, when no decision comes in time, and redeems later', async () => {
    const run = await gate(['--wait', '1s', '--json', '--', 'fixture-review', 'later'], alice.env);
    expect(run.exitCode).toBe(75);
    const outcome = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({ outcome: 'pending', exit: 75 });
    expect(outcome.approval_url).toContain(outcome.request_id);
    // explain binds the same actor (the server login) as the run: the same digest.
    const explained = JSON.parse((await gate(['explain', '--json', '--', 'fixture-review', 'later'], alice.env)).stdout);
    expect(explained.request.actor).toBe('alice');
    expect(explained.request.digest).toBe(outcome.digest);
    expect((await gate(['approve', outcome.request_id], bob.env)).exitCode).toBe(0);
    const other = await gate(['--json', '--request', outcome.request_id, '--', 'fixture-review', 'other'], alice.env);
    expect(other.exitCode).toBe(77);
    const redeemed = await gate(['--request', outcome.request_id, '--', 'fixture-review', 'later'], alice.env);
    expect(redeemed.exitCode, redeemed.stderr).toBe(0);
    expect(redeemed.stdout).toBe('reviewed:later\n');
    const again = await gate(['--request', outcome.request_id, '--', 'fixture-review', 'later'], alice.env);
    expect(again.exitCode).toBe(77);
  });

  it('never lets a requester approve their own request', async () => {
    const run = await gate(['--wait', '0', '--json', '--', 'fixture-review', 'self'], alice.env);
    const id = JSON.parse(run.stdout).request_id as string;
    const self = await gate(['approve', id], alice.env);
    expect(self.exitCode).toBe(77);
  });

  it('needs two distinct reviewers for a quorum of two', async () => {
    const waiting = startGate(['--wait', '60s', '--', 'fixture-quorum'], alice.env);
    const id = await pendingId(bob, ['fixture-quorum']);
    expect((await gate(['approve', id], bob.env)).exitCode).toBe(0);
    expect((await gate(['approve', id], bob.env)).exitCode).toBe(77);
    expect((await gate(['requests', '--json'], bob.env)).stdout).toContain(id);
    expect((await gate(['approve', id], carol.env)).exitCode).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
  });

  it('says 69 when the server cannot be reached, and runs nothing', async () => {
    const otherHome = makeHome();
    writeFileSync(join(otherHome.dir, 'server.yaml'), 'request_ttl: 1h\n');
    const other = await startServer(otherHome);
    const token = (await gate(['server', 'user', 'add', 'dora', '--role', 'requester'], otherHome.env)).stdout.trim();
    const dora = makeHome();
    delete dora.env.GATE_ACTOR;
    expect((await gate(['login', other.url, '--token', token], dora.env)).exitCode).toBe(0);
    await stopServer(other);
    const run = await gate(['--json', '--wait', '5s', '--', 'fixture-review', 'unreachable'], dora.env);
    expect(run.exitCode).toBe(69);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'error', exit: 69, code: 'server_unreachable' });
    expect(run.stdout).not.toContain('reviewed:');
    otherHome.cleanup();
    dora.cleanup();
  });
});

describe('while waiting', () => {
  it('cancels the request on Ctrl-C (SIGINT) and runs nothing', async () => {
    const waiting = startGate(['--wait', '60s', '--', 'fixture-review', 'interrupt'], alice.env);
    const id = await pendingId(bob, ['fixture-review', 'interrupt']);
    waiting.kill('SIGINT');
    const result = await waiting;
    expect(result.exitCode).toBe(130);
    expect(String(result.stdout)).toBe('');
    const cancelled = JSON.parse((await gate(['requests', '--status', 'cancelled', '--json'], alice.env)).stdout) as Array<{ id: string }>;
    expect(cancelled.map((r) => r.id)).toContain(id);
  });

  it('opens the approval page with --open', async () => {
    const bin = join(alice.dir, 'browser-bin');
    const opened = join(alice.dir, 'opened.txt');
    (await import('node:fs')).mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > ${opened}\n`, { mode: 0o755 });
    const env = { ...alice.env, PATH: `${bin}:${alice.env.PATH}` };
    const waiting = startGate(['--open', '--wait', '60s', '--', 'fixture-review', 'open'], env);
    const id = await pendingId(bob, ['fixture-review', 'open']);
    for (let i = 0; i < 100 && !(await import('node:fs')).existsSync(opened); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await import('node:fs')).readFileSync(opened, 'utf8')).toContain(`/r/${id}`);
    expect((await gate(['approve', id], bob.env)).exitCode).toBe(0);
    expect((await waiting).exitCode).toBe(0);
  });
});

describe('expiry and confirmation', () => {
  it('ends as pending (75) when the request expires on the server', async () => {
    const shortHome = makeHome();
    writeFileSync(join(shortHome.dir, 'server.yaml'), 'request_ttl: 2s\n');
    const short = await startServer(shortHome);
    const token = (await gate(['server', 'user', 'add', 'erin', '--role', 'requester'], shortHome.env)).stdout.trim();
    const erin = makeHome();
    delete erin.env.GATE_ACTOR;
    expect((await gate(['login', short.url, '--token', token], erin.env)).exitCode).toBe(0);
    const run = await gate(['--json', '--wait', '60s', '--', 'fixture-review', 'expires'], erin.env);
    expect(run.exitCode).toBe(75);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'pending', exit: 75 });
    expect(run.stderr).toContain('expired');
    expect(run.stdout).not.toContain('reviewed:');
    await stopServer(short);
    shortHome.cleanup();
    erin.cleanup();
  }, 30_000);

  it('lets a rule shorten how long its requests may stay pending', async () => {
    const rules = join(alice.dir, 'rules', 'quick.yaml');
    writeFileSync(rules, 'rules:\n  - { id: team.quick, match: { program: fixture-review, args: [quick] }, effect: review, pending: 2s, tests: { match: ["fixture-review quick"], not_match: ["fixture-review slow"] } }\n');
    const run = await gate(['--json', '--wait', '60s', '--', 'fixture-review', 'quick'], alice.env);
    expect(run.exitCode).toBe(75);
    expect(run.stderr).toContain('expired');
    (await import('node:fs')).rmSync(rules);
  }, 30_000);

  it('needs the typed target to approve a high-risk request', async () => {
    const ops = await loginAs('olga', 'reviewer', ['platform-oncall']);
    const waiting = startGate(['--wait', '60s', '--reason', 'INC-5', '--', 'kubectl', 'delete', 'ns', 'scratch'], alice.env);
    const id = await pendingId(ops, ['kubectl', 'delete', 'ns', 'scratch']);
    expect((await gate(['approve', id], ops.env)).exitCode).toBe(64);
    expect((await gate(['approve', id, '--confirm', 'prod'], ops.env)).exitCode).toBe(64);
    expect((await gate(['approve', id, '--confirm', 'scratch'], ops.env)).exitCode).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('fake-kubectl: delete ns scratch\n');
    ops.cleanup();
  });
});

describe('server restarts', () => {
  it('keeps waiting through a restart and still gets the decision', async () => {
    const waiting = startGate(['--wait', '60s', '--', 'fixture-review', 'restart'], alice.env);
    const id = await pendingId(bob, ['fixture-review', 'restart']);
    const port = new URL(server.url).port;
    await stopServer(server);
    server = await startServer(serverHome, Number(port));
    expect((await gate(['approve', id], bob.env)).exitCode).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:restart\n');
  }, 60_000);
});
