// Where gate keeps things: GATE_HOME when set, else XDG config and state directories.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../analyzers/types.js';

export interface GatePaths {
  /** Config root: user rules, keys fallback, trust store. */
  config: string;
  /** State root: audit log, requests, caches. */
  state: string;
  rules: string;
  audit: string;
  requests: string;
  /** Public halves and metadata of this home's own keys (private halves are in the key store). */
  keys: string;
  /** Trusted public keys (trust.json). */
  trust: string;
  /** The replay ledger of used token ids. */
  ledger: string;
  /** The default shim directory (`gate shim install`). */
  shims: string;
  /** Every directory shims were installed into (JSON list), so resolution can skip them all. */
  shimDirs: string;
}

export function gatePaths(env: Env): GatePaths {
  const home = env.GATE_HOME;
  const config = home ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'gate');
  const state = home ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'gate');
  return {
    config,
    state,
    rules: join(config, 'rules'),
    audit: join(state, 'audit.jsonl'),
    requests: join(state, 'requests'),
    keys: join(config, 'keys'),
    trust: join(config, 'trust.json'),
    ledger: join(state, 'ledger'),
    shims: join(state, 'shims'),
    shimDirs: join(state, 'shim-dirs.json'),
  };
}

let packageRoot: string | undefined;

/** The installed package's root (it holds the shipped rules/), from the bundle or the sources. */
export function gatePackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'rules', 'schema.json'))) return (packageRoot = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the shipped rules/ directory next to gate');
}
