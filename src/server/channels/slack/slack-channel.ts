// Slack messages for requests: one per new request (bot: chat.postMessage; else the incoming
// webhook), updated in place with chat.update on every later change, whoever decided and
// wherever. Without a bot token a message cannot be updated: the outcome replaces it through
// the response_url of the click, when there was one, else it follows as a new message.
import type { RequestEvent } from '../../../approval/api-types.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { withRetry } from '../backoff.js';
import type { RetryPolicy } from '../channels-config.js';
import { perKeyQueue, type Channel } from '../channel.js';
import type { SlackApi } from './slack-api.js';
import { requestMessage } from './slack-message.js';

export interface SlackChannelDeps {
  api: SlackApi;
  /** Where the bot posts (with a bot token). */
  channel: string | null;
  store: Pick<Store, 'putChannelMessage' | 'getChannelMessage'>;
  retry: RetryPolicy;
  signal: AbortSignal;
  log: Logger;
  now(): Date;
  track(task: Promise<unknown>): void;
}

const OUTCOMES = new Set<RequestEvent['type']>(['request.approved', 'request.denied', 'request.expired', 'request.cancelled']);

export function slackChannel(deps: SlackChannelDeps): Channel {
  const { api, signal } = deps;
  const queue = perKeyQueue(deps.track);
  const retry = <T>(attempt: () => Promise<T>) => withRetry(attempt, deps.retry, signal);

  async function deliver(event: RequestEvent): Promise<void> {
    const { request } = event;
    const message = requestMessage(request);
    if (event.type === 'request.created') {
      if (api.hasBot) {
        const ref = await retry(() => api.postMessage(deps.channel!, message, signal));
        await deps.store.putChannelMessage('slack', request.id, ref, deps.now().toISOString());
      } else {
        await retry(() => api.postWebhook(message, signal));
      }
      return;
    }
    const ref = await deps.store.getChannelMessage('slack', request.id);
    if (api.hasBot) {
      if (ref?.channel && ref.ts) await retry(() => api.update(ref.channel!, ref.ts!, message, signal));
      return;
    }
    if (!OUTCOMES.has(event.type)) return;
    if (ref?.response_url) {
      const replaced = await api.respond(ref.response_url, { replace_original: true, ...message }, signal).then(
        () => true,
        () => false,
      );
      if (replaced) return;
    }
    await retry(() => api.postWebhook(message, signal));
  }

  return {
    name: 'slack',
    handle({ event }) {
      queue(event.request.id, () =>
        deliver(event).catch((error: unknown) => {
          if (!signal.aborted) deps.log('warn', 'slack delivery failed', { request_id: event.request.id, event: event.type, error: (error as Error).message });
        }),
      );
    },
  };
}
