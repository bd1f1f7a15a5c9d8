// Wires the configured channels in one place: reads their secrets, subscribes them to the event
// bus (each queues its work and returns at once: a slow or failing channel never holds up a
// request), resumes webhook deliveries, and hands the app the Slack interaction endpoint.
import type { Env } from '../../analyzers/types.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../event-bus.js';
import type { Leadership } from '../postgres-cluster.js';
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
  /** With replicas: post and deliver only while this replica leads (each message once). */
  leadership?: Leadership;
}

export interface RunningChannels {
  /** The Slack interaction endpoint's dependencies (null: Slack is not configured). */
  slack: SlackEndpoint | null;
  /** Stop: no new work, retries cancelled, in-flight sends aborted and awaited. */
  close(): Promise<void>;
}

const SLACK_HOOKS = 'https://hooks.slack.com';

/** Whether any channel is configured (else there is nothing to lead). */
export const hasChannels = (config: ChannelsConfig): boolean => config.slack !== null || config.teams !== null || config.webhooks.length > 0;

export async function startChannels(deps: ChannelsDeps): Promise<RunningChannels> {
  const { config, store, clock, log } = deps;
  const secret = (ref: Parameters<typeof readSecret>[0]) => readSecret(ref, { env: deps.env, warn: (message) => log('warn', message) });
  const tasks = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    const settled = task.catch((error: unknown) => log('error', 'channel task failed', errorFields(error)));
    tasks.add(settled);
    void settled.finally(() => tasks.delete(settled));
  };
  const fetchOption = deps.fetch ? { fetch: deps.fetch } : {};
  const now = () => clock.now();

  // Secrets are read once, now: a missing one stops the server before it serves anything.
  const slackConfig = config.slack;
  const slackApiClient = slackConfig
    ? slackApi({ apiUrl: slackConfig.apiUrl, botToken: slackConfig.botToken ? secret(slackConfig.botToken) : null, webhookUrl: slackConfig.webhookUrl ? secret(slackConfig.webhookUrl) : null, clock, ...fetchOption })
    : null;
  // Every replica answers Slack's interactions: a vote goes through the shared store.
  const slack: SlackEndpoint | null =
    slackConfig && slackApiClient
      ? {
          signingSecret: secret(slackConfig.signingSecret),
          interactions: slackInteractions({ service: deps.service, store, api: slackApiClient, match: { matchEmail: slackConfig.matchEmail, teamId: slackConfig.teamId }, responseOrigins: [SLACK_HOOKS, new URL(slackConfig.apiUrl).origin], log, now, background: track }),
        }
      : null;
  const teamsUrl = config.teams ? secret(config.teams.webhookUrl) : null;
  const webhookTargets = config.webhooks.map((w) => ({ ...w, secret: secret(w.secret) }));

  /** Post and deliver: on the only server, or on the replica that leads. Returns its stop. */
  const deliver = async (): Promise<() => Promise<void>> => {
    const abort = new AbortController();
    const signal = abort.signal;
    const channels: Channel[] = [];
    if (slackConfig && slackApiClient) channels.push(slackChannel({ api: slackApiClient, channel: slackConfig.channel, store, retry: config.retry, signal, log, now, track }));
    if (teamsUrl) channels.push(teamsChannel({ webhookUrl: teamsUrl, retry: config.retry, signal, log, clock, track, ...fetchOption }));
    const webhooks = webhookTargets.length > 0 ? webhookChannel({ targets: webhookTargets, store, retry: config.retry, signal, clock, log, track, ...fetchOption }) : null;
    if (webhooks) channels.push(webhooks);
    const unsubscribe = channels.length > 0 ? deps.bus.subscribe((published) => channels.forEach((channel) => channel.handle(published))) : () => {};
    await webhooks?.start();
    if (channels.length > 0) log('info', 'channels', { channels: channels.map((c) => c.name) });
    return async () => {
      unsubscribe();
      abort.abort(new Error('the server is stopping, or another replica leads the channels'));
    };
  };

  let stop: Promise<() => Promise<void>> | null = null;
  if (deps.leadership) {
    deps.leadership.onChange((leader) => {
      if (leader && !stop) stop = deliver();
      else if (!leader && stop) {
        const ending = stop;
        stop = null;
        track(ending.then((end) => end()));
      }
    });
  } else {
    stop = deliver();
    await stop;
  }

  return {
    slack,
    async close() {
      const ending = stop;
      stop = null;
      if (ending) await (await ending)();
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
