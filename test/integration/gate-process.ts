// Runs the built gate (bin/gate.js) as a real process with its own GATE_HOME.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const GATE = join(ROOT, 'bin', 'gate.js');
export const FIXTURE_BIN = join(ROOT, 'test', 'fixtures', 'bin');
export const FIXTURE_RULES = join(ROOT, 'test', 'fixtures', 'rules');

export interface GateHome {
  dir: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** A fresh GATE_HOME and an environment that is never interactive and has no CI quirks. */
export function makeHome(extraEnv: Record<string, string> = {}): GateHome {
  const dir = mkdtempSync(join(tmpdir(), 'gate-test-'));
  // The fixture programs' rules live in the home: --rules may only tighten.
  mkdirSync(join(dir, 'rules'));
  copyFileSync(join(FIXTURE_RULES, 'fixtures.yaml'), join(dir, 'rules', 'fixtures.yaml'));
  const env: Record<string, string> = {
    PATH: `${FIXTURE_BIN}:${process.env.PATH ?? ''}`,
    HOME: dir,
    GATE_HOME: dir,
    GATE_ACTOR: 'tester',
    CI: 'true',
    ...extraEnv,
  };
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface GateRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Start gate with args; the environment is exactly `env` (nothing leaks from the test runner). */
export function startGate(args: string[], env: Record<string, string>, options: { input?: string; cwd?: string } = {}): ResultPromise {
  return execa(process.execPath, [GATE, ...args], {
    env,
    extendEnv: false,
    reject: false,
    cwd: options.cwd ?? ROOT,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    stripFinalNewline: false,
  });
}

export async function gate(args: string[], env: Record<string, string>, options: { input?: string; cwd?: string } = {}): Promise<GateRun> {
  const result = await startGate(args, env, options);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
