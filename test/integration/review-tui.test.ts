// `gate review` end to end: the real TUI in tmux against a real `gate server`, with requesters'
// `gate` processes waiting on it. Approve with a typed target, deny with a comment, and an
// approval signed with the reviewer's own key that the requester's gate verifies and audits.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, gate, makeHome, startGate, type GateHome } from './gate-process.js';
import { startServer, stopServer, type ServerProcess } from './gate-server.js';
import { startTmux, type TmuxSession } from './tmux.js';

let serverHome: GateHome;
let server: ServerProcess;
let alice: GateHome; // requester
let bob: GateHome; // reviewer without a key: the server signs
let dave: GateHome; // reviewer with a key alice trusts for `ops` only
let daveKid: string;
const sessions: TmuxSession[] = [];

async function loginAs(name: string, role: string, groups: string[] = []): Promise<GateHome> {
  const added = await gate(['server', 'user', 'add', name, '--role', role, ...groups.flatMap((g) => ['--group', g])], serverHome.env);
  expect(added.exitCode, added.stderr).toBe(0);
  const home = makeHome();
  delete home.env.GATE_ACTOR; // the server identity is the actor
  const login = await gate(['login', server.url, '--token', added.stdout.trim()], home.env);
  expect(login.exitCode, login.stderr).toBe(0);
  return home;
}

/** `gate review` for a reviewer in a 120x40 terminal: no CI, a real TTY. */
function review(home: GateHome, name: string, args: string[] = []): TmuxSession {
  const { CI: _ci, ...env } = home.env;
  const session = startTmux(name, [process.execPath, GATE, 'review', ...args], env);
  sessions.push(session);
  return session;
}

/** The last `decision: approved` record of a home's audit log. */
function lastApproval(home: GateHome): Record<string, any> {
  const records = readFileSync(join(home.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return records.filter((r) => r.event === 'decision' && r.decision === 'approved').at(-1);
}

beforeAll(async () => {
  serverHome = makeHome();
  writeFileSync(join(serverHome.dir, 'server.yaml'), 'request_ttl: 1h\n');
  server = await startServer(serverHome);
  alice = await loginAs('alice', 'requester');
  bob = await loginAs('bob', 'reviewer', ['platform-oncall', 'ops']);
  dave = await loginAs('dave', 'reviewer', ['platform-oncall', 'ops']);
  expect((await gate(['keys', 'init', '--name', 'dave', '--file-store'], dave.env)).exitCode).toBe(0);
  const jwk = (await gate(['keys', 'export'], dave.env)).stdout;
  daveKid = JSON.parse(jwk).kid;
  writeFileSync(join(alice.dir, 'dave.jwk'), jwk);
  const trusted = await gate(['keys', 'trust', join(alice.dir, 'dave.jwk'), '--name', 'dave', '--group', 'ops'], alice.env);
  expect(trusted.exitCode, trusted.stderr).toBe(0);
}, 90_000);

afterAll(async () => {
  for (const s of sessions) s.kill();
  if (server) await stopServer(server);
  for (const home of [serverHome, alice, bob, dave]) home?.cleanup();
});

describe('gate review in a terminal', () => {
  it('shows a waiting request with its reason; a typed confirmation approves it and the command runs', async () => {
    const waiting = startGate(['--wait', '120s', '--reason', 'INC-7 drain the scratch cluster', '--', 'kubectl', 'delete', 'ns', 'scratch'], alice.env);
    const tui = review(bob, 'approve', ['--filter', 'scratch']);
    await tui.waitFor('reason    INC-7 drain the scratch cluster');
    const screen = await tui.waitFor('to approve, type: scratch');
    expect(screen).toContain('kubectl delete ns scratch');
    expect(screen).toContain('kubectl.delete-namespace · policy');
    expect(screen).toContain('signed by the server');
    tui.keys('a');
    await tui.waitFor('HIGH RISK: type scratch to approve');
    tui.type('scratc');
    tui.keys('Enter');
    await tui.waitFor('"scratc" is not the target');
    tui.type('scratch');
    tui.keys('Enter');
    await tui.waitFor(/approved [0-9a-f]{8}… \(kubectl\); the server signs the token/);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('fake-kubectl: delete ns scratch\n');
    await tui.waitFor('approved by bob');
    expect(lastApproval(alice).signed_by).toEqual([expect.objectContaining({ kind: 'server' })]);
    tui.keys('q');
    await tui.waitFor('[exited 0]');
  }, 180_000);

  it('denies with a comment: the requester ends with 77 and sees it', async () => {
    const waiting = startGate(['--wait', '120s', '--', 'fixture-review', 'deny-me'], alice.env);
    const tui = review(bob, 'deny', ['--filter', 'deny-me']);
    await tui.waitFor('$ fixture-review deny-me');
    tui.keys('d');
    await tui.waitFor('why? (required');
    tui.keys('Enter');
    await tui.waitFor('a denial needs a comment');
    tui.type('not during the freeze');
    tui.keys('Enter');
    await tui.waitFor('denied by bob: not during the freeze');
    const result = await waiting;
    expect(result.exitCode).toBe(77);
    expect(String(result.stderr)).toContain('not during the freeze');
    expect(String(result.stdout)).not.toContain('reviewed:');
  }, 180_000);

  it("signs with the reviewer's own key; the requester's gate verifies that token and audits the key", async () => {
    const waiting = startGate(['--wait', '120s', '--', 'fixture-review', 'signed'], alice.env);
    const tui = review(dave, 'signed', ['--filter', 'signed']);
    await tui.waitFor(`signed by your key dave (kid ${daveKid.slice(0, 8)}`);
    await tui.waitFor('$ fixture-review signed');
    tui.keys('a');
    await tui.waitFor('y sends, n or Esc cancels');
    tui.keys('y');
    await tui.waitFor(`signed with your key ${daveKid.slice(0, 8)}`);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:signed\n');
    const record = lastApproval(alice);
    expect(record.signed_by).toEqual([{ name: 'dave', kid: daveKid, kind: 'reviewer' }]);
    expect(record.approvers).toEqual([expect.objectContaining({ id: 'dave', via: 'review' })]);
    expect(record.reviewer_tokens_skipped).toBeUndefined();

    // A rule dave's key is not trusted for (platform-oncall): the server's token is used instead.
    tui.kill();
    const other = startGate(['--wait', '120s', '--reason', 'INC-8', '--', 'kubectl', 'delete', 'ns', 'other'], alice.env);
    const second = review(dave, 'fallback', ['--filter', 'ns other']);
    await second.waitFor('$ kubectl delete ns other');
    second.keys('a');
    await second.waitFor('type other to approve');
    second.type('other');
    second.keys('Enter');
    const ran = await other;
    expect(ran.exitCode, String(ran.stderr)).toBe(0);
    const fallback = lastApproval(alice);
    expect(fallback.signed_by).toEqual([expect.objectContaining({ kind: 'server' })]);
    expect(fallback.reviewer_tokens_skipped).toEqual(['token_key_not_scoped']);
  }, 240_000);

  it('opens one request directly with gate review ID', async () => {
    const pending = await gate(['--wait', '0', '--json', '--', 'fixture-review', 'direct'], alice.env);
    const id = JSON.parse(pending.stdout).request_id as string;
    const tui = review(bob, 'direct', [id]);
    const screen = await tui.waitFor(`request   ${id}`);
    expect(screen).toContain('$ fixture-review direct');
  }, 120_000);

  it('refuses to start without a terminal or in CI, with the commands to use instead', async () => {
    const ci = await gate(['review'], bob.env);
    expect(ci.exitCode).toBe(64);
    expect(ci.stderr).toContain('gate review needs an interactive terminal (CI is set)');
    expect(ci.stderr).toContain('gate requests');
    const { CI: _ci, ...noCi } = bob.env;
    const piped = await gate(['review'], noCi);
    expect(piped.exitCode).toBe(64);
    expect(piped.stderr).toContain('gate approve ID');
  });
});
