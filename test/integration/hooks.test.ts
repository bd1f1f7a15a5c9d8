// Agent hooks as the agents call them: hook JSON on stdin of a real gate process, the agent's
// documented answer on stdout (or exit 2 with a reason on stderr), and settings files merged.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, makeHome, type GateHome } from './gate-process.js';

let home: GateHome;

const claudeInput = (command: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ session_id: 's1', transcript_path: '/tmp/t.jsonl', cwd: '/tmp', permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'tidy up', ...extra }, tool_use_id: 'toolu_1' });
const codexInput = (command: string) => JSON.stringify({ session_id: 's1', turn_id: 't1', cwd: '/tmp', hook_event_name: 'PreToolUse', model: 'gpt-5', permission_mode: 'default', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'c1' });
const geminiInput = (command: string, tool = 'run_shell_command') =>
  JSON.stringify({ session_id: 's1', transcript_path: '/tmp/t.json', cwd: '/tmp', hook_event_name: 'BeforeTool', timestamp: '2026-01-01T00:00:00Z', tool_name: tool, tool_input: { command } });

async function hook(agent: string, input: string, args: string[] = [], env = home.env) {
  return gate(['hook', agent, ...args], env, { input });
}

beforeAll(() => {
  home = makeHome();
});
afterAll(() => home?.cleanup());

describe('gate hook claude-code', () => {
  it('allows what the rules allow', async () => {
    const run = await hook('claude-code', claudeInput('kubectl get pods -n prod'));
    expect(run.exitCode, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out)).toEqual(['hookSpecificOutput']);
    expect(out.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'allow' });
    expect(out.hookSpecificOutput.permissionDecisionReason).toContain('kubectl.read');
  });

  it('denies with the rule and reason, and audits it', async () => {
    const run = await hook('claude-code', claudeInput('ls && fixture-exit --forbidden'));
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('deny');
    expect(out.permissionDecisionReason).toContain('fixtures.deny (A command the tests expect to be denied)');
    const records = readFileSync(join(home.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.at(-1)).toMatchObject({ event: 'refused', code: 'denied_by_rule', hook: { agent: 'claude-code', answer: 'deny' } });
    expect(records.at(-3)).toMatchObject({ event: 'request', argv: ['bash', '-c', 'ls && fixture-exit --forbidden'], reason: 'tidy up' });
  });

  it('asks the human when review is needed and no server is configured', async () => {
    const out = JSON.parse((await hook('claude-code', claudeInput('kubectl delete ns prod'))).stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('ask');
    expect(out.permissionDecisionReason).toContain('kubectl.delete-namespace');
    expect(out.updatedInput).toBeUndefined();
  });

  it('rewrites a reviewed command through gate, which then reviews it', async () => {
    const run = await hook('claude-code', claudeInput('kubectl delete ns prod', { timeout: 120000, run_in_background: false }), ['--review', 'rewrite', '--wait', '0']);
    const out = JSON.parse(run.stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('allow');
    expect(out.updatedInput).toMatchObject({ description: 'tidy up', run_in_background: false, timeout: 120000 });
    const command = out.updatedInput.command as string;
    expect(command).toContain(" --wait 0 --reason 'tidy up' -- bash -c 'kubectl delete ns prod'");
    // The rewritten command is a run through gate: the hook lets it pass, and gate reviews it.
    const again = JSON.parse((await hook('claude-code', claudeInput(command))).stdout).hookSpecificOutput;
    expect(again.permissionDecision).toBe('allow');
    const ran = await execa('bash', ['-c', command], { env: home.env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(ran.exitCode, String(ran.stderr)).toBe(75);
    expect(String(ran.stderr)).toContain('kubectl.delete-namespace');
  });

  it('rewrites by default when an approval server is configured', async () => {
    const out = JSON.parse((await hook('claude-code', claudeInput('kubectl delete ns prod'), [], { ...home.env, GATE_SERVER: 'http://127.0.0.1:9' })).stdout).hookSpecificOutput;
    expect(out.permissionDecision).toBe('allow');
    expect(out.updatedInput.command).toContain(' --wait 5m ');
    expect(out.updatedInput.timeout).toBe(360000);
  });

  it('has no opinion about other tools', async () => {
    const run = await hook('claude-code', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/x', content: 'rm -rf /' } }));
    expect(run).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('blocks (exit 2, reason on stderr) on malformed input and on broken rules', async () => {
    for (const input of ['not json', '[]', JSON.stringify({ tool_name: 'Bash', tool_input: {} }), JSON.stringify({ tool_name: 'Bash', tool_input: { command: 42 } }), JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } })]) {
      const run = await hook('claude-code', input);
      expect(run.exitCode, input).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^gate: hook blocked the command: /);
    }
    const broken = join(home.dir, 'broken.yaml');
    writeFileSync(broken, 'rules: [ {id: x\n');
    const run = await hook('claude-code', claudeInput('ls'), [], { ...home.env, GATE_RULES: broken });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('broken.yaml');
  });
});

describe('gate hook codex (deny-only)', () => {
  it('says nothing for an allowed command', async () => {
    expect(await hook('codex', codexInput('kubectl get pods'))).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('denies what the rules deny and what needs review, with how to get a review', async () => {
    const denied = JSON.parse((await hook('codex', codexInput('fixture-exit --forbidden'))).stdout);
    expect(denied).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining('fixtures.deny') } });
    const review = JSON.parse((await hook('codex', codexInput('kubectl delete ns prod'))).stdout).hookSpecificOutput;
    expect(review.permissionDecision).toBe('deny');
    expect(review.permissionDecisionReason).toMatch(/run it through gate: \S+ \S+gate\.js --wait 0 -- bash -c 'kubectl delete ns prod'/);
  });

  it('analyzes an argv command too, and blocks malformed input', async () => {
    const argv = JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', cwd: '/tmp', tool_input: { command: ['bash', '-lc', 'kubectl delete ns prod'] } });
    expect(JSON.parse((await hook('codex', argv)).stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const bad = await hook('codex', '{');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.length).toBeGreaterThan(0);
  });
});

describe('gate hook gemini', () => {
  it('allows, denies, and passes other tools', async () => {
    expect(JSON.parse((await hook('gemini', geminiInput('kubectl get pods'))).stdout)).toMatchObject({ decision: 'allow' });
    expect(JSON.parse((await hook('gemini', geminiInput('fixture-exit --forbidden'))).stdout)).toEqual({ decision: 'deny', reason: expect.stringContaining('fixtures.deny') });
    expect(JSON.parse((await hook('gemini', geminiInput('x', 'read_file'))).stdout)).toEqual({});
  });

  it('denies a reviewed command without a server (no ask in Gemini), rewrites it with one', async () => {
    expect(JSON.parse((await hook('gemini', geminiInput('kubectl delete ns prod'))).stdout)).toMatchObject({ decision: 'deny' });
    const out = JSON.parse((await hook('gemini', geminiInput('kubectl delete ns prod'), ['--review', 'rewrite'])).stdout);
    expect(out).toMatchObject({ decision: 'allow', hookSpecificOutput: { tool_input: { command: expect.stringContaining("-- bash -c 'kubectl delete ns prod'") } } });
  });

  it('blocks malformed input', async () => {
    expect((await hook('gemini', JSON.stringify({ hook_event_name: 'BeforeTool', tool_name: 'run_shell_command' }))).exitCode).toBe(2);
  });
});

describe('gate hook install', () => {
  it('merges into an existing Claude Code settings file, keeps everything, backs up, and is idempotent', async () => {
    const dir = join(home.dir, 'proj');
    mkdirSync(join(dir, '.claude'), { recursive: true });
    const file = join(dir, '.claude', 'settings.local.json');
    const original = { model: 'opus', permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'my-lint' }] }], Stop: [{ hooks: [{ type: 'command', command: 'notify' }] }] } };
    writeFileSync(file, JSON.stringify(original));
    const first = await gate(['hook', 'install', 'claude-code', '--project', '--json'], home.env, { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ status: 'updated', file });
    expect(JSON.parse(readFileSync(result.backup, 'utf8'))).toEqual(original);
    const merged = JSON.parse(readFileSync(file, 'utf8'));
    expect(merged.model).toBe('opus');
    expect(merged.permissions).toEqual(original.permissions);
    expect(merged.hooks.Stop).toEqual(original.hooks.Stop);
    expect(merged.hooks.PreToolUse[0]).toEqual(original.hooks.PreToolUse[0]);
    expect(merged.hooks.PreToolUse[1]).toMatchObject({ matcher: 'Bash', hooks: [{ type: 'command', timeout: 120 }] });
    const command = merged.hooks.PreToolUse[1].hooks[0].command as string;
    expect(command).toMatch(/gate\.js hook claude-code \|\| exit 2$/);
    // The installed command is what Claude Code runs: through a shell, JSON in, JSON out.
    const ran = await execa('sh', ['-c', command], { env: home.env, extendEnv: false, input: claudeInput('fixture-exit --forbidden'), reject: false });
    expect(JSON.parse(String(ran.stdout)).hookSpecificOutput.permissionDecision).toBe('deny');
    const broken = await execa('sh', ['-c', command], { env: { ...home.env, GATE_RULES: '/nonexistent/rules' }, extendEnv: false, input: claudeInput('ls'), reject: false });
    expect(broken.exitCode).toBe(2);

    const second = await gate(['hook', 'install', 'claude-code', '--project', '--json'], home.env, { cwd: dir });
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'unchanged', backup: null });
    expect(readdirSync(join(dir, '.claude')).filter((n) => n.includes('gate-backup'))).toHaveLength(1);
    const third = await gate(['hook', 'install', 'claude-code', '--project', '--review', 'ask', '--json'], home.env, { cwd: dir });
    const updated = JSON.parse(readFileSync(file, 'utf8'));
    expect(JSON.parse(third.stdout).status).toBe('updated');
    expect(updated.hooks.PreToolUse).toHaveLength(2);
    expect(updated.hooks.PreToolUse[1].hooks[0].command).toContain('hook claude-code --review ask');
  });

  it('writes Codex hooks.json and Gemini settings.json in their documented shapes', async () => {
    const codex = await gate(['hook', 'install', 'codex', '--user', '--json'], home.env);
    const codexFile = JSON.parse(codex.stdout).file;
    expect(codexFile).toBe(join(home.dir, '.codex', 'hooks.json'));
    expect(JSON.parse(readFileSync(codexFile, 'utf8'))).toEqual({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: expect.stringContaining('hook codex'), timeout: 120 }] }] } });
    const geminiFile = join(home.dir, '.gemini', 'settings.json');
    mkdirSync(join(home.dir, '.gemini'));
    writeFileSync(geminiFile, JSON.stringify({ theme: 'Dracula', hooks: { BeforeTool: [] } }));
    expect((await gate(['hook', 'install', 'gemini'], home.env)).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(geminiFile, 'utf8'))).toEqual({
      theme: 'Dracula',
      hooks: { BeforeTool: [{ matcher: 'run_shell_command', hooks: [{ name: 'gate', type: 'command', command: expect.stringContaining('hook gemini'), timeout: 120000, description: expect.any(String) }] }] },
    });
  });

  it('refuses a file it cannot parse and leaves it untouched', async () => {
    const file = join(home.dir, 'commented.json');
    const text = '{\n  // a comment\n  "theme": "x"\n}\n';
    writeFileSync(file, text);
    const run = await gate(['hook', 'install', 'gemini', '--file', file], home.env);
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toContain('not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}.gate-backup`)).toBe(false);
    expect(readdirSync(home.dir).filter((n) => n.startsWith('commented.json.'))).toEqual([]);
  });
});
