// Wires the configured channels in one place: reads their secrets, subscribes them to the event
// bus (each queues its work and returns at once: a slow or failing channel never holds up a
// request), resumes webhook deliveries, and hands the app the Slack interaction endpoint.
import type { Env } from '../../analyzers/types.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../event-bus.js';
import { errorFields, type Logger } from '../log.js';
import type { RequestsService } from '../requests-service.js';
import type { Store } from '../store/store.js';
import type { Channel } from './channel.js';
import type { ChannelsConfig } from './channels-config.js';
import type { Fetch } from './http-post.js';
import { readSecret } from './secrets.js';
import { slackApi } from './slack/slack-api.js';
import { slackChannel } from './slack/slack-channel.js';
import { slackInteractions } from './slack/slack-interactions.js';
import type { SlackEndpoint } from './slack/slack-route.js';
import { teamsChannel } from './teams/teams-channel.js';
import { webhookChannel } from './webhook/webhook-channel.js';

export interface ChannelsDeps {
  config: ChannelsConfig;
  env: Env;
  store: Store;
  bus: EventBus;
  service: RequestsService;
  clock: Clock;
  log: Logger;
  fetch?: Fetch;
}

export interface RunningChannels {
  /** The Slack interaction endpoint's dependencies (null: Slack is not configured). */
  slack: SlackEndpoint | null;
  /** Stop: no new work, retries cancelled, in-flight sends aborted and awaited. */
  close(): Promise<void>;
}

const SLACK_HOOKS = 'https://hooks.slack.com';

export async function startChannels(deps: ChannelsDeps): Promise<RunningChannels> {
  const { config, store, clock, log } = deps;
  const secret = (ref: Parameters<typeof readSecret>[0]) => readSecret(ref, { env: deps.env, warn: (message) => log('warn', message) });
  const abort = new AbortController();
  const signal = abort.signal;
  const tasks = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    const settled = task.catch((error: unknown) => log('error', 'channel task failed', errorFields(error)));
    tasks.add(settled);
    void settled.finally(() => tasks.delete(settled));
  };
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  const now = () => clock.now();

  const channels: Channel[] = [];
  let slack: SlackEndpoint | null = null;
  if (config.slack) {
    const s = config.slack;
    const api = slackApi({ apiUrl: s.apiUrl, botToken: s.botToken ? secret(s.botToken) : null, webhookUrl: s.webhookUrl ? secret(s.webhookUrl) : null, clock, ...fetchOption });
    channels.push(slackChannel({ api, channel: s.channel, store, retry: config.retry, signal, log, now, track }));
    const interactions = slackInteractions({ service: deps.service, store, api, match: { matchEmail: s.matchEmail, teamId: s.teamId }, responseOrigins: [SLACK_HOOKS, new URL(s.apiUrl).origin], log, now, background: track });
    slack = { signingSecret: secret(s.signingSecret), interactions };
  }
  if (config.teams) channels.push(teamsChannel({ webhookUrl: secret(config.teams.webhookUrl), retry: config.retry, signal, log, clock, track, ...fetchOption }));
  const webhooks = config.webhooks.length > 0 ? webhookChannel({ targets: config.webhooks.map((w) => ({ ...w, secret: secret(w.secret) })), store, retry: config.retry, signal, clock, log, track, ...fetchOption }) : null;
  if (webhooks) channels.push(webhooks);

  const unsubscribe = channels.length > 0 ? deps.bus.subscribe((published) => channels.forEach((channel) => channel.handle(published))) : () => {};
  await webhooks?.start();
  if (channels.length > 0) log('info', 'channels', { channels: channels.map((c) => c.name) });

  return {
    slack,
    async close() {
      unsubscribe();
      abort.abort(new Error('the server is stopping'));
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
