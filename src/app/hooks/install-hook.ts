// `gate hook install`: put gate's hook into an agent's settings file, merged into what is
// there (other keys and hooks kept), idempotent, with a timestamped backup before any change.
// A file that is not plain JSON is refused and left untouched.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { Agent } from './hook-input.js';

export type Scope = 'user' | 'project';

/** Where each agent reads hooks (their documented user and project settings files). */
export function settingsFile(agent: Agent, scope: Scope, home: string, cwd: string): string {
  const root = scope === 'user' ? home : cwd;
  if (agent === 'claude-code') return scope === 'user' ? join(home, '.claude', 'settings.json') : join(cwd, '.claude', 'settings.local.json');
  if (agent === 'codex') return join(root, '.codex', 'hooks.json');
  return join(root, '.gemini', 'settings.json');
}

/** The hook entry gate owns in each agent's settings. */
function hookEntry(agent: Agent, command: string): { event: string; matcher: string; hook: Record<string, unknown> } {
  if (agent === 'gemini') return { event: 'BeforeTool', matcher: 'run_shell_command', hook: { name: 'gate', type: 'command', command, timeout: 120_000, description: 'gate: rules, review and audit for shell commands' } };
  return { event: 'PreToolUse', matcher: 'Bash', hook: { type: 'command', command, timeout: 120 } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a hook command is gate's own hook for this agent (so a re-run updates it in place). */
function isGateHook(hook: unknown, agent: Agent): boolean {
  return isRecord(hook) && typeof hook.command === 'string' && new RegExp(`gate(\\.js)?'? hook ${agent}\\b`).test(hook.command);
}

/** Merge gate's hook into parsed settings (pure); throws when the shape is not the documented one. */
export function mergeHook(agent: Agent, settings: unknown, command: string, file: string): { settings: Record<string, unknown>; changed: boolean } {
  if (!isRecord(settings)) throw refuse(file, 'the file is not a JSON object');
  const { event, matcher, hook } = hookEntry(agent, command);
  const hooks = settings.hooks ?? {};
  if (!isRecord(hooks)) throw refuse(file, '"hooks" is not an object');
  const groups = hooks[event] ?? [];
  if (!Array.isArray(groups)) throw refuse(file, `"hooks.${event}" is not a list`);
  for (const group of groups) {
    if (!isRecord(group) || !Array.isArray(group.hooks)) continue;
    const index = group.hooks.findIndex((h) => isGateHook(h, agent));
    if (index === -1) continue;
    const same = group.matcher === matcher && JSON.stringify(group.hooks[index]) === JSON.stringify(hook);
    if (same) return { settings, changed: false };
    const updatedGroup = { ...group, matcher, hooks: group.hooks.map((h, i) => (i === index ? hook : h)) };
    return { settings: { ...settings, hooks: { ...hooks, [event]: groups.map((g) => (g === group ? updatedGroup : g)) } }, changed: true };
  }
  return { settings: { ...settings, hooks: { ...hooks, [event]: [...groups, { matcher, hooks: [hook] }] } }, changed: true };
}

function refuse(file: string, why: string): ConfigError {
  return new ConfigError('settings_unparseable', `${file}: ${why}; it was left untouched`, undefined, {
    hint: 'fix the file (gate only edits plain JSON settings), or add the hook by hand as the README shows',
  });
}

export interface HookInstallResult {
  agent: Agent;
  file: string;
  status: 'created' | 'updated' | 'unchanged';
  backup: string | null;
  command: string;
}

export function installHook(agent: Agent, file: string, command: string, now: Date): HookInstallResult {
  const path = resolve(file);
  let existing: unknown = {};
  let text: string | null = null;
  if (existsSync(path)) {
    text = readFileSync(path, 'utf8');
    if (text.trim() !== '') {
      try {
        existing = JSON.parse(text);
      } catch (error) {
        throw refuse(path, `not valid JSON (${(error as Error).message})`);
      }
    }
  }
  const merged = mergeHook(agent, existing, command, path);
  if (!merged.changed && text !== null) return { agent, file: path, status: 'unchanged', backup: null, command };
  mkdirSync(dirname(path), { recursive: true });
  let backup: string | null = null;
  if (text !== null) {
    backup = `${path}.gate-backup-${now.toISOString().replace(/[-:]/g, '')}`;
    copyFileSync(path, backup);
  }
  const mode = text !== null ? statSync(path).mode & 0o777 : 0o644;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(merged.settings, null, 2)}\n`, { mode });
  renameSync(tmp, path);
  return { agent, file: path, status: text === null ? 'created' : 'updated', backup, command };
}
