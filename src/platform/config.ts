// The client's settings ($GATE_HOME/config.json, through conf): which approval server to use
// and as whom. Loaded lazily: only runs that need a review, and the server commands, read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../analyzers/types.js';
import { gatePaths } from './paths.js';

export interface ServerSettings {
  url: string;
  /** The identity the server knows this login as (`gate whoami`). */
  identity: string;
  /** The pinned server key's kid (its entry in the trust store). */
  kid: string;
  /** Where the bearer token is kept. */
  token_store: 'keychain' | 'file';
}

export interface GateConfig {
  server?: ServerSettings;
}

async function store(env: Env) {
  const { default: Conf } = await import('conf');
  return new Conf<GateConfig>({ projectName: 'gate', cwd: gatePaths(env).config, configName: 'config' });
}

/**
 * Read the settings. The file is conf's plain JSON; reading it directly keeps conf (and its
 * schema validator) off the allow path, which needs the login identity on every run.
 */
export function readConfigSync(env: Env): GateConfig {
  try {
    const value = JSON.parse(readFileSync(join(gatePaths(env).config, 'config.json'), 'utf8')) as GateConfig;
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

export async function readConfig(env: Env): Promise<GateConfig> {
  return readConfigSync(env);
}

export async function saveServer(env: Env, server: ServerSettings | undefined): Promise<void> {
  const config = await store(env);
  if (server === undefined) config.delete('server');
  else config.set('server', server);
}
