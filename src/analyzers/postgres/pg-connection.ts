// The database a Postgres client connects to, resolved the way libpq does: a connection string
// given as the dbname overrides -h/-p/-U (they come before dbname in the clients' keyword
// arrays), which override PG* environment variables, which override the defaults.
import type { Env, FactValue } from '../types.js';
import { isConnString, parseConnString, type ConnParams } from './pg-conninfo.js';

export interface ConnectionInput {
  host?: string | undefined;
  port?: string | undefined;
  user?: string | undefined;
  /** A database name, or a URI / conninfo string when `expand` is set. */
  dbname?: string | undefined;
}

export interface Connection {
  /** Absent only when a service entry names the host. */
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  /** Unix socket directory when the host is a path. */
  socket?: string;
  /** pg_service.conf entry: the real host and database are not visible here. */
  service?: string;
  /** The connection string could not be parsed, so the target is a guess. */
  malformed?: boolean;
  /** client_encoding asked for (PGCLIENTENCODING or the connection string). */
  clientEncoding?: string;
  /** Server options sent at startup (PGOPTIONS or the connection string's `options`). */
  options?: string;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Resolve the connection target; `expand` treats a dbname containing `=` or a URI as a connection string. */
export function resolveConnection(input: ConnectionInput, env: Env, expand = true): Connection {
  const params: ConnParams = {};
  const set = (key: string, value: string | undefined): void => {
    const given = nonEmpty(value);
    if (given !== undefined) params[key] = given;
  };
  set('host', env.PGHOST ?? env.PGHOSTADDR);
  set('port', env.PGPORT);
  set('user', env.PGUSER);
  set('dbname', env.PGDATABASE);
  set('service', env.PGSERVICE);
  set('client_encoding', env.PGCLIENTENCODING);
  set('options', env.PGOPTIONS);
  set('host', input.host);
  set('port', input.port);
  set('user', input.user);
  const dbname = nonEmpty(input.dbname);
  let malformed = false;
  if (dbname !== undefined && expand && isConnString(dbname)) {
    const parsed = parseConnString(dbname);
    if (parsed === undefined) malformed = true;
    else {
      if (parsed.host === undefined && parsed.hostaddr !== undefined) parsed.host = parsed.hostaddr;
      for (const [key, value] of Object.entries(parsed)) set(key, value);
    }
  } else set('dbname', dbname);

  const user = params.user ?? nonEmpty(env.USER) ?? nonEmpty(env.LOGNAME);
  const connection: Connection = {};
  const host = params.host;
  if (host !== undefined && (host.startsWith('/') || host.startsWith('@'))) {
    connection.host = 'localhost';
    connection.socket = host;
  } else if (host !== undefined) connection.host = host.toLowerCase();
  else if (params.service === undefined) connection.host = 'localhost';
  if (params.port !== undefined) connection.port = params.port;
  // A service entry may name the database; guessing the user name would mislabel the target.
  const database = params.dbname ?? (params.service === undefined ? user : undefined);
  if (database !== undefined) connection.database = database;
  if (user !== undefined) connection.user = user;
  if (params.service !== undefined) connection.service = params.service;
  if (malformed) connection.malformed = true;
  if (params.client_encoding !== undefined) connection.clientEncoding = params.client_encoding;
  if (params.options !== undefined) connection.options = params.options;
  return connection;
}

/** `host[:port]` for each host of a (possibly multi-host) target; one port applies to all hosts. */
function authority(connection: Connection): string {
  if (connection.host === undefined) return `service=${connection.service ?? ''}`;
  const ports = connection.port?.split(',') ?? [];
  return connection.host
    .split(',')
    .map((host, i) => {
      const port = ports.length === 1 ? ports[0] : ports[i];
      const name = host.includes(':') ? `[${host}]` : host;
      return port === undefined || port === '' || port === '5432' ? name : `${name}:${port}`;
    })
    .join(',');
}

/** `postgres://host[:port]/db`; a service-only target is named by its service. */
export function connectionUri(connection: Connection): string {
  return `postgres://${authority(connection)}/${connection.database === undefined ? '' : encodeURIComponent(connection.database)}`;
}

/** The fact fields naming a connection: host, port, database, user, uri, target (never a password). */
export function connectionFields(connection: Connection): Record<string, FactValue> {
  const fields: Record<string, FactValue> = { uri: connectionUri(connection) };
  if (connection.host !== undefined) fields.host = connection.host;
  if (connection.port !== undefined) fields.port = /^\d+$/.test(connection.port) ? Number(connection.port) : connection.port;
  if (connection.socket !== undefined) fields.socket = connection.socket;
  if (connection.service !== undefined) fields.service = connection.service;
  if (connection.database !== undefined) {
    fields.database = connection.database;
    fields.target = connection.database;
  }
  if (connection.user !== undefined) fields.user = connection.user;
  if (connection.malformed) {
    // libpq may read it differently: do not let a guessed target pass as the real one.
    fields.opaque = true;
    fields.opaque_reason = 'connection string cannot be parsed';
  }
  return fields;
}
