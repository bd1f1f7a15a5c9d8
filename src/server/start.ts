// Starts the HTTP server on a store and a key: listen, wire the app, sweep expired requests on
// a timer, and stop gracefully (waiters answered, streams ended, connections drained).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Env } from '../analyzers/types.js';
import type { Clock } from '../platform/clock.js';
import type { AppEnv } from './app-env.js';
import { createApp } from './app.js';
import { hasChannels, startChannels } from './channels/start-channels.js';
import { listenUrl, type ServerConfig } from './config.js';
import { trackConnections } from './connections.js';
import { localEventBus, type EventBus } from './event-bus.js';
import type { Cluster } from './postgres-cluster.js';
import { createLifetime } from './lifetime.js';
import { errorFields, type Logger } from './log.js';
import { createMetrics } from './metrics.js';
import { tokenBucketLimiter } from './rate-limit.js';
import { requestsService } from './requests-service.js';
import { rulesBundle } from './rules-bundle.js';
import type { ServerKey } from './server-key.js';
import type { Store } from './store/store.js';

export interface StartOptions {
  config: ServerConfig;
  store: Store;
  key: Pick<ServerKey, 'signing' | 'publicJwk'>;
  clock: Clock;
  log: Logger;
  /** Where secrets named by *_env come from (channels, web sessions, OIDC; default: none). */
  env?: Env;
  /** Replicas sharing the store (Postgres): events across replicas, one channel leader. */
  cluster?: Cluster | null;
}

export interface RunningServer {
  /** Where it listens: http://HOST:PORT. */
  url: string;
  port: number;
  /** Base of approval_url and the tokens' issuer. */
  publicUrl: string;
  /** Expire what is due now; resolves with how many requests expired. */
  sweep(): Promise<number>;
  /** Stop: answer waiters, end streams, drain connections, close the store. */
  close(): Promise<void>;
}

/** How long open connections may take to finish when stopping. */
const DRAIN_MS = 5000;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a thousand waiters reconnecting at once must not be reset.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, store, clock, log } = options;
  let app: Hono<AppEnv> | undefined;
  const server = createAdaptorServer({ fetch: (request, env) => app!.fetch(request, env) }) as Server;
  const connections = trackConnections(server);
  const port = await listen(server, config.port, config.host);
  const url = listenUrl(config.host, port);
  const publicUrl = config.publicUrl ?? url;

  const metrics = createMetrics();
  const lifetime = createLifetime();
  const onListenerError = (error: unknown) => log('error', 'event listener failed', errorFields(error));
  let bus: EventBus & { close?(): Promise<void> };
  try {
    bus = options.cluster ? await options.cluster.eventBus(store, onListenerError) : localEventBus(store, onListenerError);
  } catch (error) {
    server.close();
    throw error;
  }
  const service = requestsService({
    store,
    bus,
    clock,
    metrics,
    publicUrl,
    requestTtlMs: config.requestTtlMs,
    signingKey: options.key.signing,
    eventLogSize: config.eventLogSize,
  });
  // A channel or page that cannot start (a missing secret) stops the server before it serves
  // anything, and leaves nothing listening or running behind.
  const env = options.env ?? {};
  const leadership = options.cluster && hasChannels(config.channels) ? options.cluster.leadership('channels', log) : undefined;
  const channels = await startChannels({ config: config.channels, env, store, bus, service, clock, log, ...(leadership ? { leadership } : {}) }).catch(async (error: unknown) => {
    server.close();
    await leadership?.close();
    await bus.close?.();
    throw error;
  });
  try {
    const rules = config.rulesDir ? rulesBundle(config.rulesDir, options.key.signing, (message) => log('warn', message)) : null;
    app = createApp({ config, store, bus, clock, metrics, limiter: tokenBucketLimiter(config.rateLimit), service, lifetime, log, publicJwk: options.key.publicJwk, rules, slack: channels.slack, env });
  } catch (error) {
    server.close();
    await channels.close();
    await leadership?.close();
    await bus.close?.();
    throw error;
  }

  // One sweep at a time; a slow store must not pile them up.
  let sweeping: Promise<number> | undefined;
  const sweep = () =>
    (sweeping ??= service.sweep().finally(() => {
      sweeping = undefined;
    }));
  const timer = setInterval(() => sweep().catch((error: unknown) => log('error', 'expiry sweep failed', errorFields(error))), config.sweepIntervalMs);
  timer.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(timer);
      lifetime.close();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        connections.drain();
      });
      await sweeping?.catch(() => 0);
      await channels.close();
      await leadership?.close();
      await bus.close?.();
      await store.close();
    })());

  return { url, port, publicUrl, sweep, close };
}
