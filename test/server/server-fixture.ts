// Starts a real approval server in-process on a loopback port (in-memory SQLite, a fresh key,
// a settable clock) and talks to it over HTTP like any client.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { CreateRequestBody, Role, RuleRequirementWire } from '../../src/approval/api-types.js';
import type { Clock } from '../../src/platform/clock.js';
import { DEFAULTS, type ServerConfig } from '../../src/server/config.js';
import type { LogLevel } from '../../src/server/log.js';
import type { ServerKey } from '../../src/server/server-key.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import type { Store } from '../../src/server/store/store.js';
import type { Cluster } from '../../src/server/postgres-cluster.js';
import { addIdentity } from '../../src/server/users.js';

export const T0 = new Date('2026-11-21T12:00:00.000Z');

/** A clock tests move by hand. */
export interface TestClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export function testClock(start: Date = T0): TestClock {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms), set: (d) => void (t = d.getTime()) };
}

let cachedKey: Promise<Pick<ServerKey, 'signing' | 'publicJwk'>> | undefined;

/** One Ed25519 key for the whole file (generation is the slow part). */
export function serverKey(): Promise<Pick<ServerKey, 'signing' | 'publicJwk'>> {
  return (cachedKey ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const pub = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(pub);
    return { signing: { kid, privateJwk: await exportJWK(privateKey) }, publicJwk: { ...pub, kid, alg: 'EdDSA', use: 'sig' } as JWK };
  })());
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface TestServer {
  running: RunningServer;
  url: string;
  store: Store;
  clock: TestClock;
  logs: Array<{ level: LogLevel; msg: string; fields: Record<string, unknown> }>;
  /** Bearer tokens by identity name. */
  tokens: Record<string, string>;
  addUser(name: string, role: Role, groups?: string[]): Promise<string>;
  /** Call the API as `who` (an identity name, or null for no Authorization header). */
  call<T = any>(who: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Another store than a fresh in-memory SQLite one (replicas: a shared Postgres store). */
export interface TestBackend {
  store: Store;
  cluster: Cluster | null;
  /** Bearer tokens shared with the other replicas. */
  tokens?: Record<string, string>;
}

export async function startTestServer(config: Partial<ServerConfig> = {}, clock: TestClock = testClock(), env: Record<string, string | undefined> = process.env, backend?: TestBackend): Promise<TestServer> {
  const store = backend?.store ?? openSqliteStore(':memory:', clock.now());
  const logs: TestServer['logs'] = [];
  const running = await startServer({
    config: { ...DEFAULTS, port: 0, sweepIntervalMs: 60_000, ...config },
    store,
    key: await serverKey(),
    clock,
    log: (level, msg, fields = {}) => void logs.push({ level, msg, fields }),
    env,
    cluster: backend?.cluster ?? null,
  });
  const tokens: Record<string, string> = backend?.tokens ?? {};
  const server: TestServer = {
    running,
    url: running.url,
    store,
    clock,
    logs,
    tokens,
    async addUser(name, role, groups = []) {
      tokens[name] = await addIdentity(store, { name, role, groups }, clock.now());
      return tokens[name]!;
    },
    async call(who, method, path, body, headers = {}) {
      const auth: Record<string, string> = who === null ? {} : { authorization: `Bearer ${tokens[who] ?? who}` };
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed as any, text, headers: response.headers };
    },
    close: () => running.close(),
  };
  return server;
}

export function rule(over: Partial<RuleRequirementWire> = {}): RuleRequirementWire {
  return { id: 'kubectl.delete-namespace', description: 'deleting a namespace', policy: 'prod changes', risk: 'medium', groups: ['ops'], min: 1, ttl_ms: 10 * 60_000, pending_ms: null, ...over };
}

let counter = 0;

/** A create body for `actor`, with a fresh id unless given. */
export function requestBody(actor: string, over: Partial<CreateRequestBody> = {}): CreateRequestBody {
  counter += 1;
  return {
    id: `req-${process.pid}-${counter}`,
    digest: 'd'.repeat(64),
    actor,
    host: 'build-1',
    cwd: '/srv/app',
    program: 'kubectl',
    argv: ['kubectl', 'delete', 'namespace', 'scratch'],
    reason: 'INC-1',
    risk: 'medium',
    rules: [rule()],
    facts: [{ program: 'kubectl', verb: 'delete', resource: 'namespace', names: ['scratch'] }],
    labels: ['destructive'],
    confirm: null,
    ...over,
  };
}

/** Create a request as `actor` and return its id (fails the test on anything but 201). */
export async function createRequest(server: TestServer, actor: string, over: Partial<CreateRequestBody> = {}): Promise<string> {
  const res = await server.call(actor, 'POST', '/v1/requests', requestBody(actor, over));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}
