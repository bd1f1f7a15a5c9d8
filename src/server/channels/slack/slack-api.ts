// The few Slack calls gate makes: Web API methods with the bot token (chat.postMessage,
// chat.update, views.open, users.info), the incoming webhook, and interaction response_urls.
import type { Clock } from '../../../platform/clock.js';
import { DeliveryError, post, type Fetch } from '../http-post.js';

export interface SlackApiOptions {
  /** Web API base, e.g. https://slack.com/api. */
  apiUrl: string;
  botToken: string | null;
  webhookUrl: string | null;
  clock: Clock;
  fetch?: Fetch;
}

export type SlackApi = ReturnType<typeof slackApi>;

export interface SlackUserInfo {
  /** Lower case; null without the users:read.email scope, or when Slack says it is unconfirmed. */
  email: string | null;
  /** The user's workspaces: team_id (for a Slack Connect user: their own, not ours) and, on
   * Enterprise Grid, the workspaces of the organisation they belong to. */
  teams: string[];
  /** Not a guest (single- or multi-channel), not from another organisation, not a bot, not deactivated. */
  fullMember: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function slackApi(options: SlackApiOptions) {
  const { apiUrl, botToken, webhookUrl, clock } = options;
  const send = (url: string, body: string, headers: Record<string, string>, signal?: AbortSignal) =>
    post(url, body, { headers, now: clock.now().getTime(), ...(signal ? { signal } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });

  /** A Web API method; Slack answers 200 with ok:false for its own errors. */
  async function call(method: string, body: string, contentType: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    if (!botToken) throw new DeliveryError(`${method} needs a bot token (channels.slack.bot_token_env or bot_token_file)`, false);
    const result = await send(`${apiUrl}/${method}`, body, { 'content-type': contentType, authorization: `Bearer ${botToken}` }, signal);
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(result.text) as Record<string, unknown>;
    } catch {
      throw new DeliveryError(`slack ${method}: the answer is not JSON`, true);
    }
    if (answer.ok !== true) throw new DeliveryError(`slack ${method}: ${String(answer.error ?? 'not ok')}`, answer.error === 'ratelimited');
    return answer;
  }

  const callJson = (method: string, body: object, signal?: AbortSignal) => call(method, JSON.stringify(body), JSON_TYPE, signal);

  return {
    hasBot: botToken !== null,

    /** Post a message with the bot; resolves with where it went. */
    async postMessage(channel: string, message: object, signal?: AbortSignal): Promise<{ channel: string; ts: string }> {
      const answer = await callJson('chat.postMessage', { channel, ...message, unfurl_links: false, unfurl_media: false }, signal);
      return { channel: String(answer.channel), ts: String(answer.ts) };
    },

    async update(channel: string, ts: string, message: object, signal?: AbortSignal): Promise<void> {
      await callJson('chat.update', { channel, ts, ...message }, signal);
    },

    /** Open a modal; `triggerId` is valid for 3 seconds after the click. */
    async openView(triggerId: string, view: object): Promise<void> {
      await callJson('views.open', { trigger_id: triggerId, view }, AbortSignal.timeout(2500));
    },

    /** What Slack says about a user: enough to decide whether their email may name them. */
    async userInfo(user: string): Promise<SlackUserInfo> {
      const answer = await call('users.info', new URLSearchParams({ user }).toString(), 'application/x-www-form-urlencoded', AbortSignal.timeout(2500));
      const u = (answer.user ?? {}) as Record<string, unknown> & { profile?: { email?: unknown } };
      const email = u.profile?.email;
      const grid = (u.enterprise_user as { teams?: unknown } | undefined)?.teams;
      return {
        email: typeof email === 'string' && email !== '' && u.is_email_confirmed !== false ? email.toLowerCase() : null,
        teams: [...(typeof u.team_id === 'string' ? [u.team_id] : []), ...(Array.isArray(grid) ? grid.filter((t): t is string => typeof t === 'string') : [])],
        // Anything but an explicit false counts as the restrictive answer.
        fullMember: u.is_restricted === false && u.is_ultra_restricted === false && u.is_stranger !== true && u.is_bot !== true && u.deleted !== true,
      };
    },

    /** Post through the incoming webhook. */
    async postWebhook(message: object, signal?: AbortSignal): Promise<void> {
      if (!webhookUrl) throw new DeliveryError('no Slack incoming webhook is configured', false);
      await send(webhookUrl, JSON.stringify({ ...message, unfurl_links: false, unfurl_media: false }), { 'content-type': JSON_TYPE }, signal);
    },

    /** Answer an interaction through its response_url (ephemeral notes, message replacement). */
    async respond(responseUrl: string, body: object, signal?: AbortSignal): Promise<void> {
      await send(responseUrl, JSON.stringify(body), { 'content-type': JSON_TYPE }, signal);
    },
  };
}
