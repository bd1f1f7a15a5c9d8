// From flags and environment to a running server: config, store, key, then start.
import type { Env } from '../analyzers/types.js';
import { ConfigError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { gatePaths } from '../platform/paths.js';
import { loadServerConfig, type ServerFlags } from './config.js';
import type { Logger } from './log.js';
import { loadOrCreateServerKey } from './server-key.js';
import { startServer, type RunningServer } from './start.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface BootDeps {
  env: Env;
  clock: Clock;
  log: Logger;
  /** Keep the server key in a 0600 file even when a keychain answers. */
  fileKeyStore: boolean;
}

export async function bootServer(flags: ServerFlags, deps: BootDeps): Promise<RunningServer> {
  const paths = gatePaths(deps.env);
  const config = loadServerConfig(flags, paths);
  const key = await loadOrCreateServerKey({ paths, forceFile: deps.fileKeyStore, warn: (line) => deps.log('warn', line.replace(/^gate: warning: /, '')) }, 'gate-server', deps.clock.now());
  if (key.created) deps.log('info', 'created the server signing key', { kid: key.signing.kid });
  const store = openStore(config.db, paths, deps.clock.now());
  try {
    const running = await startServer({ config, store, key, clock: deps.clock, log: deps.log, env: deps.env });
    deps.log('info', 'started', { url: running.url, public_url: running.publicUrl, db: store.location, kid: key.signing.kid, rules_dir: config.rulesDir ?? null });
    return running;
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new ConfigError('listen_failed', `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, undefined, { hint: 'pick another --port (0 picks a free one) or --host', cause: error });
    }
    throw error;
  }
}

/** The store the user commands work on (the same --db/--config resolution as the server). */
export function openUserStore(flags: Pick<ServerFlags, 'db' | 'config'>, env: Env, clock: Clock): Store {
  const paths = gatePaths(env);
  return openStore(loadServerConfig(flags, paths).db, paths, clock.now());
}
