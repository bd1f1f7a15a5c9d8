// libpq connection strings: `postgresql://user:pw@host:port/db?k=v` URIs and `host=x dbname=y`
// keyword/value strings, as accepted by -d/--dbname and a positional dbname.

export type ConnParams = Record<string, string>;

const URI = /^postgres(?:ql)?:\/\//i;

/** Whether `value` is a connection string rather than a plain database name (libpq's test). */
export function isConnString(value: string): boolean {
  return URI.test(value) || value.includes('=');
}

/** Parse a URI or keyword/value connection string; undefined when malformed. */
export function parseConnString(value: string): ConnParams | undefined {
  return URI.test(value) ? parseUri(value) : parseKeywords(value);
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `postgresql://[user[:password]@][host[:port][,...]][/dbname][?param=value&...]` */
function parseUri(value: string): ConnParams | undefined {
  const rest = value.replace(URI, '');
  const queryAt = rest.indexOf('?');
  const main = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rest.slice(queryAt + 1);
  const slash = main.indexOf('/');
  const authority = slash === -1 ? main : main.slice(0, slash);
  const params: ConnParams = {};
  if (slash !== -1 && main.length > slash + 1) {
    const db = decode(main.slice(slash + 1));
    if (db === undefined) return undefined;
    params.dbname = db;
  }
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
    if (user === undefined) return undefined;
    if (user !== '') params.user = user;
  }
  const hosts: string[] = [];
  const ports: string[] = [];
  for (const spec of authority.slice(at + 1).split(',')) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(spec);
    const host = decode(match?.[1] ?? '');
    if (host === undefined) return undefined;
    hosts.push(host.replace(/^\[|\]$/g, ''));
    if (match?.[2]) ports.push(match[2]);
  }
  if (hosts.some((host) => host !== '')) params.host = hosts.join(',');
  if (ports.length > 0) params.port = ports.join(',');
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const val = decode(eq === -1 ? '' : pair.slice(eq + 1));
    if (key === undefined || val === undefined) return undefined;
    params[key] = val;
  }
  delete params.password;
  return params;
}

/** `key = value key2='quoted \' value'`, as libpq reads it. */
function parseKeywords(value: string): ConnParams | undefined {
  const params: ConnParams = {};
  let i = 0;
  const skipSpace = (): void => {
    while (i < value.length && /\s/.test(value[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= value.length) return params;
    const keyStart = i;
    while (i < value.length && value[i] !== '=' && !/\s/.test(value[i]!)) i++;
    const key = value.slice(keyStart, i);
    skipSpace();
    if (value[i] !== '=' || key === '') return undefined;
    i++;
    skipSpace();
    let val = '';
    if (value[i] === "'") {
      i++;
      while (i < value.length && value[i] !== "'") {
        if (value[i] === '\\' && i + 1 < value.length) i++;
        val += value[i++];
      }
      if (value[i] !== "'") return undefined;
      i++;
    } else {
      while (i < value.length && !/\s/.test(value[i]!)) {
        if (value[i] === '\\' && i + 1 < value.length) i++;
        val += value[i++];
      }
    }
    if (key !== 'password') params[key] = val;
  }
}

/** Hide passwords in an argument: URI userinfo and `password=` keywords or query parameters. */
export function redactSecrets(arg: string): string {
  return arg
    .replace(/(postgres(?:ql)?:\/\/[^:@/?\s]*):[^/?\s]*@/gi, '$1:***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&']+)/gi, '$1***');
}
