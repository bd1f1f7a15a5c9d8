// The `channels:` section of the server config file: Slack, Teams and generic webhooks.
// Secrets (tokens, signing secrets, webhook URLs that carry a token) come only from an
// environment variable (`*_env`) or a file (`*_file`), never inline: an inline secret is a
// config error that says which key to use instead.
import { resolve } from 'node:path';
import { z } from 'zod';
import type { RequestEvent } from '../../approval/api-types.js';
import { parseDuration } from '../../policy/duration.js';

/** Where a secret is read at startup: an environment variable or a file (trimmed). */
export type SecretRef = { env: string; key: string } | { file: string; key: string };

export interface SlackConfig {
  /** Bot token (xoxb-...) for chat.postMessage, chat.update, views.open and users.info. */
  botToken: SecretRef | null;
  /** The channel id (or name) the bot posts to. */
  channel: string | null;
  /** An incoming webhook URL, used when there is no bot token. */
  webhookUrl: SecretRef | null;
  signingSecret: SecretRef;
  /** Base of the Web API, without a trailing slash. */
  apiUrl: string;
  /** Map Slack users to identities by the email users.info gives (needs users:read.email). */
  matchEmail: boolean;
  /** The workspace whose clicks count (and whose full members match by email); null: any. */
  teamId: string | null;
}

export interface TeamsConfig {
  webhookUrl: SecretRef;
}

export interface WebhookConfig {
  url: string;
  secret: SecretRef;
  /** Only these event types (null: all). */
  events: Array<RequestEvent['type']> | null;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; each later one doubles, up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
}

export interface ChannelsConfig {
  slack: SlackConfig | null;
  teams: TeamsConfig | null;
  webhooks: WebhookConfig[];
  retry: RetryPolicy;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, minDelayMs: 5000, maxDelayMs: 10 * 60_000 };
export const NO_CHANNELS: ChannelsConfig = { slack: null, teams: null, webhooks: [], retry: DEFAULT_RETRY };

export const EVENT_TYPES = ['request.created', 'request.voted', 'request.approved', 'request.denied', 'request.expired', 'request.cancelled', 'request.redeemed'] as const satisfies ReadonlyArray<RequestEvent['type']>;

const inline = (key: string) =>
  z.never({ error: `secrets may not be written in the config file (nor on the command line); use ${key}_env (the name of an environment variable) or ${key}_file (a file holding it)` }).optional();
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable').optional();
const path = z.string().min(1).optional();
const duration = z.union([z.string(), z.number()]).refine((v) => toMs(v) !== undefined, 'expected a duration like 500ms, 5s or 10m, or seconds');
const httpUrl = z.url({ protocol: /^https?$/ });

const slackSchema = z.strictObject({
  bot_token: inline('bot_token'),
  bot_token_env: envName,
  bot_token_file: path,
  signing_secret: inline('signing_secret'),
  signing_secret_env: envName,
  signing_secret_file: path,
  webhook_url: inline('webhook_url'),
  webhook_url_env: envName,
  webhook_url_file: path,
  channel: z.string().min(1).max(200).optional(),
  api_url: httpUrl.optional(),
  match_email: z.boolean().optional(),
  team_id: z.string().regex(/^[TE][A-Z0-9]{2,30}$/, 'expected a Slack workspace id like T0123ABCD').optional(),
});

const teamsSchema = z.strictObject({
  webhook_url: inline('webhook_url'),
  webhook_url_env: envName,
  webhook_url_file: path,
});

const webhookSchema = z.strictObject({
  url: httpUrl,
  secret: inline('secret'),
  secret_env: envName,
  secret_file: path,
  events: z.array(z.enum(EVENT_TYPES)).min(1).optional(),
});

export const channelsSchema = z.strictObject({
  slack: slackSchema.optional(),
  teams: teamsSchema.optional(),
  webhooks: z.array(webhookSchema).optional(),
  retry: z.strictObject({ attempts: z.number().int().min(1).max(50).optional(), min_delay: duration.optional(), max_delay: duration.optional() }).optional(),
}).superRefine((value, ctx) => {
  const need = (where: Array<string | number>, section: Record<string, unknown> | undefined, key: string, required: boolean) => {
    if (!section) return;
    const both = section[`${key}_env`] !== undefined && section[`${key}_file`] !== undefined;
    const none = section[`${key}_env`] === undefined && section[`${key}_file`] === undefined;
    if (both) ctx.addIssue({ code: 'custom', path: where, message: `give ${key}_env or ${key}_file, not both` });
    if (none && required) ctx.addIssue({ code: 'custom', path: where, message: `${key}_env or ${key}_file is required` });
  };
  const slack = value.slack;
  if (slack) {
    need(['slack'], slack, 'signing_secret', true);
    need(['slack'], slack, 'bot_token', false);
    need(['slack'], slack, 'webhook_url', false);
    const bot = slack.bot_token_env !== undefined || slack.bot_token_file !== undefined;
    const hook = slack.webhook_url_env !== undefined || slack.webhook_url_file !== undefined;
    if (!bot && !hook) ctx.addIssue({ code: 'custom', path: ['slack'], message: 'give a bot token (bot_token_env or bot_token_file, with channel) or an incoming webhook (webhook_url_env or webhook_url_file)' });
    if (bot && slack.channel === undefined) ctx.addIssue({ code: 'custom', path: ['slack', 'channel'], message: 'the channel to post to is required with a bot token' });
    if (!bot && slack.match_email === true) ctx.addIssue({ code: 'custom', path: ['slack', 'match_email'], message: 'matching by email needs a bot token (users.info)' });
    if (slack.match_email === true && slack.team_id === undefined) ctx.addIssue({ code: 'custom', path: ['slack', 'team_id'], message: 'matching by email needs team_id: only full members of that workspace are matched (not guests or Slack Connect users)' });
  }
  need(['teams'], value.teams, 'webhook_url', true);
  value.webhooks?.forEach((hook, i) => need(['webhooks', i], hook, 'secret', true));
  const retry = value.retry;
  if (retry?.min_delay !== undefined && retry.max_delay !== undefined && toMs(retry.min_delay)! > toMs(retry.max_delay)!) {
    ctx.addIssue({ code: 'custom', path: ['retry', 'min_delay'], message: 'min_delay is longer than max_delay' });
  }
});

export type ChannelsFileValues = z.infer<typeof channelsSchema>;

/** Milliseconds for "500ms", "5s", "10m" or a number of seconds. */
function toMs(value: string | number): number | undefined {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/** The secret reference of `key` in a section (files relative to the config file's directory). */
function secretRef(section: Record<string, unknown>, key: string, prefix: string, dir: string): SecretRef | null {
  const env = section[`${key}_env`];
  const file = section[`${key}_file`];
  if (typeof env === 'string') return { env, key: `${prefix}.${key}_env` };
  if (typeof file === 'string') return { file: resolve(dir, file), key: `${prefix}.${key}_file` };
  return null;
}

/** The channels configuration of a validated `channels:` section; `dir` is the config file's. */
export function toChannelsConfig(values: ChannelsFileValues | undefined, dir: string): ChannelsConfig {
  if (!values) return NO_CHANNELS;
  const { slack, teams } = values;
  return {
    slack: slack
      ? {
          botToken: secretRef(slack, 'bot_token', 'channels.slack', dir),
          channel: slack.channel ?? null,
          webhookUrl: secretRef(slack, 'webhook_url', 'channels.slack', dir),
          signingSecret: secretRef(slack, 'signing_secret', 'channels.slack', dir)!,
          apiUrl: (slack.api_url ?? 'https://slack.com/api').replace(/\/+$/, ''),
          matchEmail: slack.match_email ?? false,
          teamId: slack.team_id ?? null,
        }
      : null,
    teams: teams ? { webhookUrl: secretRef(teams, 'webhook_url', 'channels.teams', dir)! } : null,
    webhooks: (values.webhooks ?? []).map((hook, i) => ({ url: hook.url, secret: secretRef(hook, 'secret', `channels.webhooks[${i}]`, dir)!, events: hook.events ?? null })),
    retry: {
      attempts: values.retry?.attempts ?? DEFAULT_RETRY.attempts,
      minDelayMs: values.retry?.min_delay !== undefined ? toMs(values.retry.min_delay)! : DEFAULT_RETRY.minDelayMs,
      maxDelayMs: values.retry?.max_delay !== undefined ? toMs(values.retry.max_delay)! : DEFAULT_RETRY.maxDelayMs,
    },
  };
}
