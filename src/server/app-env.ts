// What the hono app's handlers share: the authenticated identity in the context, and the deps.
import type { Env } from '../analyzers/types.js';
import type { JWK } from 'jose';
import type { Identity } from '../approval/api-types.js';
import type { Clock } from '../platform/clock.js';
import type { SlackEndpoint } from './channels/slack/slack-route.js';
import type { ServerConfig } from './config.js';
import type { EventBus } from './event-bus.js';
import type { Lifetime } from './lifetime.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestsService } from './requests-service.js';
import type { RulesBundle } from './rules-bundle.js';
import type { Store } from './store/store.js';

export interface AppEnv {
  Variables: { identity: Identity };
}

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  bus: EventBus;
  clock: Clock;
  metrics: Metrics;
  limiter: RateLimiter;
  service: RequestsService;
  lifetime: Lifetime;
  log: Logger;
  /** The server's public signing key (JWK with kid). */
  publicJwk: JWK;
  rules: RulesBundle | null;
  /** The Slack interaction endpoint (absent: Slack is not configured). */
  slack?: SlackEndpoint | null;
  /** Where secrets named by *_env come from (the web session secret, the OIDC client secret). */
  env: Env;
}
