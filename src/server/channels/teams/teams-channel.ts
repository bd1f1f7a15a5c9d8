// Teams: a card per new request through the incoming webhook, and a follow-up card with the
// outcome (approved, denied, expired, cancelled): incoming webhooks cannot edit what they posted.
import type { RequestEvent } from '../../../approval/api-types.js';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../log.js';
import { withRetry } from '../backoff.js';
import type { RetryPolicy } from '../channels-config.js';
import { perKeyQueue, type Channel } from '../channel.js';
import { post, type Fetch } from '../http-post.js';
import { outcomeCard, requestCard } from './teams-card.js';

export interface TeamsChannelDeps {
  webhookUrl: string;
  retry: RetryPolicy;
  signal: AbortSignal;
  log: Logger;
  clock: Clock;
  track(task: Promise<unknown>): void;
  fetch?: Fetch;
}

const OUTCOMES = new Set<RequestEvent['type']>(['request.approved', 'request.denied', 'request.expired', 'request.cancelled']);

export function teamsChannel(deps: TeamsChannelDeps): Channel {
  const queue = perKeyQueue(deps.track);
  const send = (card: object) =>
    withRetry(
      () => post(deps.webhookUrl, JSON.stringify(card), { headers: { 'content-type': 'application/json' }, signal: deps.signal, now: deps.clock.now().getTime(), ...(deps.fetch ? { fetch: deps.fetch } : {}) }),
      deps.retry,
      deps.signal,
    );
  return {
    name: 'teams',
    handle({ event }) {
      const card = event.type === 'request.created' ? requestCard(event.request) : OUTCOMES.has(event.type) ? outcomeCard(event.request) : null;
      if (!card) return;
      queue(event.request.id, () =>
        send(card).then(
          () => undefined,
          (error: unknown) => {
            if (!deps.signal.aborted) deps.log('warn', 'teams delivery failed', { request_id: event.request.id, event: event.type, error: (error as Error).message });
          },
        ),
      );
    },
  };
}
