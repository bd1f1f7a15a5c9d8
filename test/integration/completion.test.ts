// Completion scripts generated from the command tree, loaded by the real shells.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, gate, makeHome, type GateHome } from './gate-process.js';

let home: GateHome;
beforeAll(() => {
  home = makeHome();
});
afterAll(() => home?.cleanup());

const has = async (shell: string): Promise<boolean> => (await execa('sh', ['-c', `command -v ${shell}`], { reject: false })).exitCode === 0;
const gateCmd = `'${process.execPath}' '${GATE}'`;

/** What bash completes for the words typed (the last one being completed). */
async function bashComplete(words: string[]): Promise<string[]> {
  const script = `source <(${gateCmd} completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _gate_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await execa('bash', ['-c', script], { env: home.env, extendEnv: false });
  return String(result.stdout).split('\n').filter(Boolean);
}

describe('gate completion', () => {
  it('loads in bash and registers for gate', async () => {
    const result = await execa('bash', ['-c', `source <(${gateCmd} completion bash); complete -p gate`], { env: home.env, extendEnv: false });
    expect(String(result.stdout)).toBe('complete -o bashdefault -o default -F _gate_completion gate');
  });

  it('completes commands, subcommands, options and choices from the command tree', async () => {
    expect(await bashComplete(['gate', 'sh'])).toEqual(['shim']);
    expect(await bashComplete(['gate', 'shim', ''])).toEqual(expect.arrayContaining(['install', 'uninstall', 'list', 'env', 'doctor']));
    expect(await bashComplete(['gate', 'audit', 'export', '--format', ''])).toEqual(['jsonl', 'csv', 'ocsf']);
    expect(await bashComplete(['gate', 'hook', ''])).toEqual(expect.arrayContaining(['claude-code', 'codex', 'gemini', 'install']));
    expect(await bashComplete(['gate', '--re'])).toEqual(expect.arrayContaining(['--reason', '--request']));
    // An option's value is skipped, not taken for a subcommand; after -- comes the child's command.
    expect(await bashComplete(['gate', '--reason', 'rules', 'ex'])).toEqual(['explain']);
    expect(await bashComplete(['gate', '--', 'bas'])).toContain('bash');
  });

  it('loads in zsh and fish', async () => {
    if (await has('zsh')) {
      const zsh = await execa('zsh', ['-c', `autoload -U compinit; compinit -u -D; source <(${gateCmd} completion zsh); print -r -- $_comps[gate]`], { env: home.env, extendEnv: false });
      expect(String(zsh.stdout).trim()).toBe('_gate');
    }
    if (await has('fish')) {
      const fish = await execa('fish', ['-c', `${gateCmd} completion fish | source; complete -C 'gate shim '`], { env: home.env, extendEnv: false });
      expect(String(fish.stdout)).toMatch(/^install\t/m);
      expect(String(fish.stdout)).toMatch(/^doctor\t/m);
    }
    const usage = await gate(['completion', 'powershell'], home.env);
    expect(usage.exitCode).toBe(64);
  });
});

describe('--json on commands that print data', () => {
  it('keys init, list, trust and revoke', async () => {
    const init = JSON.parse((await gate(['keys', 'init', '--file-store', '--json'], home.env)).stdout);
    expect(init).toMatchObject({ name: 'tester', store: 'file', public_jwk: { kty: 'OKP', crv: 'Ed25519' } });
    const jwk = `${home.dir}/me.jwk`;
    await execa('sh', ['-c', `${gateCmd} keys export > '${jwk}'`], { env: home.env, extendEnv: false });
    const trusted = JSON.parse((await gate(['keys', 'trust', jwk, '--name', 'me', '--group', 'ops', '--json'], home.env)).stdout);
    expect(trusted).toMatchObject({ name: 'me', kid: init.kid, groups: ['ops'] });
    const revoked = JSON.parse((await gate(['keys', 'revoke', 'me', '--json'], home.env)).stdout);
    expect(revoked).toMatchObject({ name: 'me', kid: init.kid });
    expect(JSON.parse((await gate(['logout', '--json'], home.env)).stdout)).toEqual({ logged_out: null });
  });
});
