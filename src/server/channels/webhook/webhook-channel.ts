// Generic webhooks: every state change, as a signed JSON event, to each configured URL that
// wants its type. Deliveries live in the store until they succeed (then they are deleted) or
// run out of attempts (then they stay as failed for a week): queued right after the change,
// retried with exponential backoff, resumed after a restart, and events logged while the
// server was down between the change and the queueing are picked up from the event log.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../platform/clock.js';
import type { PublishedEvent } from '../../event-bus.js';
import type { Logger } from '../../log.js';
import type { Store, WebhookDelivery } from '../../store/store.js';
import { backoffDelay } from '../backoff.js';
import type { RetryPolicy, WebhookConfig } from '../channels-config.js';
import type { Channel } from '../channel.js';
import { DeliveryError, post, redactUrl, type Fetch } from '../http-post.js';
import { webhookHeaders, type WebhookEvent } from './webhook-event.js';

export interface WebhookTarget extends Omit<WebhookConfig, 'secret'> {
  secret: string;
}

export interface WebhookChannelDeps {
  targets: WebhookTarget[];
  store: Store;
  retry: RetryPolicy;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  track(task: Promise<unknown>): void;
  fetch?: Fetch;
  random?: () => number;
}

export interface WebhookChannel extends Channel {
  /** Resume pending deliveries and catch up on events logged since the last run. */
  start(): Promise<void>;
}

const CURSOR = 'webhooks';
/** At most this many logged events are caught up on at startup. */
const CATCH_UP_MAX = 1000;
/** How many pending deliveries a restart resumes. */
const RESUME_MAX = 10_000;
const KEEP_FAILED_MS = 7 * 24 * 3600_000;

export function webhookChannel(deps: WebhookChannelDeps): WebhookChannel {
  const { store, clock, signal } = deps;
  const byUrl = new Map(deps.targets.map((t) => [t.url, t]));
  const timers = new Set<NodeJS.Timeout>();
  signal.addEventListener('abort', () => timers.forEach(clearTimeout), { once: true });
  /** Deliveries being attempted or waiting for their timer: none is sent twice at once. */
  const active = new Set<number>();

  const schedule = (delivery: WebhookDelivery, delayMs: number) => {
    if (signal.aborted) return;
    active.add(delivery.id);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const done = attempt(delivery).then(
        (retry) => {
          if (retry && !signal.aborted) schedule(retry.delivery, retry.delayMs);
          else active.delete(delivery.id);
        },
        (error: unknown) => {
          active.delete(delivery.id);
          throw error;
        },
      );
      deps.track(done);
    }, delayMs);
    timers.add(timer);
  };

  /** Schedule unless it is already on its way. */
  const launch = (delivery: WebhookDelivery, delayMs: number) => {
    if (!active.has(delivery.id)) schedule(delivery, delayMs);
  };

  /** One attempt; then delete the delivery, or give up, or say when to try again. */
  async function attempt(delivery: WebhookDelivery): Promise<{ delivery: WebhookDelivery; delayMs: number } | null> {
    const target = byUrl.get(delivery.target);
    const made = delivery.attempts + 1;
    if (!target) {
      await store.updateDelivery(delivery.id, { status: 'failed', attempts: delivery.attempts, next_attempt_at: delivery.next_attempt_at, last_error: 'the URL is no longer configured' });
      return null;
    }
    try {
      const headers = webhookHeaders(target.secret, delivery.body, { id: delivery.event_id, type: delivery.type }, made, clock.now());
      await post(target.url, delivery.body, { headers, signal, now: clock.now().getTime(), ...(deps.fetch ? { fetch: deps.fetch } : {}) });
      await store.deleteDelivery(delivery.id);
      return null;
    } catch (error) {
      // Stopping: the delivery stays pending as it was and is resumed on the next start.
      if (signal.aborted) return null;
      const retryable = !(error instanceof DeliveryError) || error.retryable;
      const message = (error as Error).message;
      if (retryable && made < deps.retry.attempts) {
        const delay = Math.min(deps.retry.maxDelayMs, Math.max(error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0, backoffDelay(deps.retry, made, deps.random)));
        const next = { ...delivery, attempts: made, next_attempt_at: new Date(clock.now().getTime() + delay).toISOString(), last_error: message };
        await store.updateDelivery(delivery.id, next);
        return { delivery: next, delayMs: delay };
      }
      await store.updateDelivery(delivery.id, { status: 'failed', attempts: made, next_attempt_at: delivery.next_attempt_at, last_error: message });
      deps.log('warn', 'webhook delivery failed for good', { url: redactUrl(target.url), event_id: delivery.event_id, type: delivery.type, attempts: made, error: message });
      return null;
    }
  }

  /** Queue `published` for every target that wants it, and send at once. */
  async function enqueue(published: PublishedEvent): Promise<void> {
    const { event } = published;
    const wanting = deps.targets.filter((t) => t.events === null || t.events.includes(event.type));
    if (wanting.length > 0) {
      const at = clock.now().toISOString();
      const body: WebhookEvent = { id: randomUUID(), seq: published.id, type: event.type, at, request: event.request };
      const text = JSON.stringify(body);
      const queued = await store.enqueueDeliveries(wanting.map((t) => ({ target: t.url, seq: published.id, event_id: body.id, type: event.type, body: text, next_attempt_at: at, created_at: at })));
      for (const delivery of queued) launch(delivery, 0);
    }
    await store.setChannelCursor(CURSOR, published.id);
  }

  const queueSafely = (published: PublishedEvent) =>
    enqueue(published).catch((error: unknown) => deps.log('error', 'webhook queueing failed', { seq: published.id, error: (error as Error).message }));

  return {
    name: 'webhook',
    handle(published) {
      deps.track(queueSafely(published));
    },
    async start() {
      const now = clock.now();
      await store.pruneFailedDeliveries(new Date(now.getTime() - KEEP_FAILED_MS).toISOString());
      for (const delivery of await store.pendingDeliveries(RESUME_MAX)) launch(delivery, Math.max(0, Date.parse(delivery.next_attempt_at) - now.getTime()));
      const cursor = await store.getChannelCursor(CURSOR);
      if (cursor === null) {
        await store.setChannelCursor(CURSOR, await store.lastEventId());
        return;
      }
      const missed = await store.eventsAfter(cursor, CATCH_UP_MAX);
      if (missed.length === CATCH_UP_MAX) deps.log('warn', 'webhooks: more events were missed than are caught up on', { caught_up: CATCH_UP_MAX, after: cursor });
      for (const published of missed) await queueSafely(published);
    },
  };
}
