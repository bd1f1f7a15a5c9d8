// From flags and environment to a running server: config, store, key, then start.
import type { Env } from '../analyzers/types.js';
import { existsSync } from 'node:fs';
import { ConfigError, UsageError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { gatePaths } from '../platform/paths.js';
import { loadServerConfig, type ServerFlags } from './config.js';
import type { Logger } from './log.js';
import { loadOrCreateServerKey, loadServerKeyFile } from './server-key.js';
import { startServer, type RunningServer } from './start.js';
import { dbTarget, openBackend, openStore, redactDbUrl } from './store/open-store.js';
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
  const warn = (line: string) => deps.log('warn', line.replace(/^gate: warning: /, ''));
  const key = config.keyFile ? await loadServerKeyFile(config.keyFile, warn) : await loadOrCreateServerKey({ paths, forceFile: deps.fileKeyStore, warn }, 'gate-server', deps.clock.now());
  if (key.created) deps.log('info', 'created the server signing key', { kid: key.signing.kid });
  if (config.db && /^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(config.db)) warn('the database URL carries a password: anyone who can list processes or read the config sees it; give it in PGPASSWORD instead');
  const { store, cluster } = await openBackend(config.db, paths, deps.clock.now());
  try {
    const running = await startServer({ config, store, key, clock: deps.clock, log: deps.log, env: deps.env, cluster });
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
export function openUserStore(flags: Pick<ServerFlags, 'db' | 'config'>, env: Env, clock: Clock): Promise<Store> {
  const paths = gatePaths(env);
  return openStore(loadServerConfig(flags, paths).db, paths, clock.now());
}

/** `gate server db copy`: a SQLite database into a new, empty Postgres one. */
export async function copyDatabase(from: string, to: string, now: Date): Promise<Record<string, number>> {
  const target = dbTarget(to, gatePaths({}));
  if (target.kind !== 'postgres') throw new UsageError(`--to must be a postgres:// URL, not ${redactDbUrl(to)}`, { hint: 'gate server db copy --from server.db --to postgres://gate@db.example.com/gate' });
  const source = dbTarget(from, gatePaths({}));
  if (source.kind !== 'sqlite' || source.filename === ':memory:' || !existsSync(source.filename)) throw new UsageError(`--from must be an existing SQLite file: ${from}`, { hint: 'the server database, by default $GATE_HOME/state/server.db' });
  const { openSqliteDatabase } = await import('./store/sqlite-driver.js');
  const { copySqliteToPostgres } = await import('./store/copy-store.js');
  const { default: postgres } = await import('postgres');
  const sqlite = openSqliteDatabase(source.filename);
  const sql = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await copySqliteToPostgres(sqlite, sql, now.toISOString());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) throw error;
    throw new ConfigError('db_copy_failed', `copying into ${redactDbUrl(to)} failed: ${(error as Error).message}`, undefined, { hint: 'nothing was written (the copy is one transaction); check the URL and that the target is reachable' });
  } finally {
    sqlite.close();
    await sql.end({ timeout: 5 });
  }
}
