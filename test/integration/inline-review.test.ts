// The inline reviewer in a real terminal: tmux runs gate, send-keys answers the prompt,
// capture-pane reads the screen.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BIN, GATE, makeHome } from './gate-process.js';

const socket = `gate-test-${process.pid}`;
const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args], { reject: true });

async function screen(session: string): Promise<string> {
  return (await tmux('capture-pane', '-p', '-t', session, '-S', '-200')).stdout;
}

/** The prompt drops keys typed in its first moments (typed ahead); a person reads first. */
const settle = () => new Promise((r) => setTimeout(r, 600));

async function waitFor(session: string, text: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await screen(session);
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${String(text)}; screen:\n${last}`);
}

const home = makeHome();
const shellEnv = `env -u CI GATE_HOME=${home.dir} GATE_ACTOR=alice PATH=${FIXTURE_BIN}:$PATH`;

async function startSession(name: string, command: string, runOptions = ''): Promise<void> {
  await tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '50', `${shellEnv} ${process.execPath} ${GATE} ${runOptions} -- ${command}; echo "EXIT=$?"; sleep 30`);
}

beforeAll(async () => {
  await execa('tmux', ['-V']);
});
afterAll(async () => {
  await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
  home.cleanup();
});

describe('inline terminal review', () => {
  it('shows the request and runs the command after a typed confirmation', async () => {
    await startSession('approve', 'kubectl delete ns prod');
    await waitFor('approve', 'requires a reason');
    await settle();
    await tmux('send-keys', '-t', 'approve', '-l', 'INC-1 cleanup');
    await tmux('send-keys', '-t', 'approve', 'Enter');
    const prompt = await waitFor('approve', '[a] approve');
    expect(prompt).toContain('reason   INC-1 cleanup');
    expect(prompt).toContain('review required (high risk)');
    expect(prompt).toContain('command  kubectl delete ns prod');
    expect(prompt).toContain('kubectl.delete-namespace');
    expect(prompt).toContain('alice@');
    await tmux('send-keys', '-t', 'approve', 'a');
    await waitFor('approve', 'Type prod to approve');
    await tmux('send-keys', '-t', 'approve', '-l', 'prox');
    await tmux('send-keys', '-t', 'approve', 'Enter');
    await waitFor('approve', 'does not match');
    await tmux('send-keys', '-t', 'approve', '-l', 'prod');
    await tmux('send-keys', '-t', 'approve', 'Enter');
    const done = await waitFor('approve', /EXIT=\d+/);
    expect(done).toContain('fake-kubectl: delete ns prod');
    expect(done).toContain('EXIT=0');
  });

  it('exits 77 when the reviewer denies, without running the command', async () => {
    await startSession('deny', 'kubectl delete ns staging', '--reason cleanup');
    await waitFor('deny', '[a] approve');
    await settle();
    await tmux('send-keys', '-t', 'deny', 'd');
    const done = await waitFor('deny', /EXIT=\d+/);
    expect(done).toContain('EXIT=77');
    expect(done).not.toContain('fake-kubectl:');
    expect(done).toContain('gate: denied_by_reviewer');
  });

  it('ignores keys typed before the prompt appeared', async () => {
    // `a` is already in the terminal when gate starts: it must not approve anything.
    await tmux('new-session', '-d', '-s', 'ahead', '-x', '160', '-y', '50', `${shellEnv} sh -c 'sleep 1; ${process.execPath} ${GATE} --reason r -- kubectl delete ns ahead; echo "EXIT=$?"; sleep 30'`);
    await tmux('send-keys', '-t', 'ahead', 'a');
    await waitFor('ahead', '[a] approve');
    await settle();
    expect(await screen('ahead')).not.toContain('Type ahead to approve');
    await tmux('send-keys', '-t', 'ahead', 'd');
    expect(await waitFor('ahead', /EXIT=\d+/)).toContain('EXIT=77');
  });

  it('ends as interrupted (128+N, audited) when gate gets SIGTERM at the prompt', async () => {
    await startSession('term', 'kubectl delete ns interrupted', '--reason r');
    await waitFor('term', '[a] approve');
    // The gate process itself (its command line starts with node), not the session's shell.
    const pids = (await execa('pgrep', ['-f', `^${process.execPath} ${GATE} .*delete ns interrupted`])).stdout.split('\n').filter(Boolean);
    expect(pids).toHaveLength(1);
    await execa('kill', ['-TERM', ...pids], { reject: false });
    const done = await waitFor('term', /EXIT=\d+/);
    expect(done).toContain('EXIT=143');
    expect(done).not.toContain('fake-kubectl:');
  });

  it('audits both decisions with the approver', () => {
    const records = readFileSync(join(home.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const decisions = records.filter((r) => r.event === 'decision' && r.approvers);
    expect(decisions.map((r) => r.decision)).toEqual(['approved', 'denied', 'denied']);
    expect(decisions[0].approvers[0]).toMatchObject({ id: 'tty:alice', via: 'tty' });
    expect(records.filter((r) => r.event === 'finished')).toHaveLength(1);
    expect(records.filter((r) => r.event === 'refused').map((r) => r.code)).toEqual(['denied_by_reviewer', 'denied_by_reviewer', 'interrupted']);
  });
});
