// A real approval server with channels pointed at a loopback receiver: secrets in 0600 files
// (as an operator would keep them), the `channels:` values parsed like the config file's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelsSchema, toChannelsConfig } from '../../../src/server/channels/channels-config.js';
import { slackSignature } from '../../../src/server/channels/slack/slack-signature.js';
import { startTestServer, type ApiResponse, type TestServer } from '../server-fixture.js';
import type { Receiver } from './receiver.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const BOT_TOKEN = 'xoxb-test-token';
export const WEBHOOK_SECRET = 'whsec-test-0123456789';

export interface ChannelServer extends TestServer {
  dir: string;
}

/** Secret files for the receiver's URLs; returns their directory. */
export function secretFiles(receiver: Receiver): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-channels-'));
  const files: Record<string, string> = {
    'slack-bot-token': BOT_TOKEN,
    'slack-signing-secret': SIGNING_SECRET,
    'slack-webhook-url': `${receiver.url}/slack-webhook`,
    'teams-webhook-url': `${receiver.url}/teams`,
    'webhook-secret': WEBHOOK_SECRET,
  };
  for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), `${value}\n`, { mode: 0o600 });
  return dir;
}

export const slackBot = (receiver: Receiver, over: Record<string, unknown> = {}) => ({
  bot_token_file: 'slack-bot-token',
  signing_secret_file: 'slack-signing-secret',
  channel: 'C0GATE',
  api_url: `${receiver.url}/api`,
  ...over,
});

/** A server whose `channels:` section is `values` (file names relative to the secrets directory). */
export async function startChannelServer(values: unknown, receiver: Receiver): Promise<ChannelServer> {
  const dir = secretFiles(receiver);
  const channels = toChannelsConfig(channelsSchema.parse(values), dir);
  const server = await startTestServer({ channels });
  return Object.assign(server, {
    dir,
    close: async () => {
      await server.running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** POST an interaction payload to the server signed exactly as Slack signs it. */
export async function slackPost(server: TestServer, payload: unknown, over: { secret?: string; timestamp?: number; signature?: string } = {}): Promise<ApiResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(over.timestamp ?? Math.floor(server.clock.now().getTime() / 1000));
  const signature = over.signature ?? slackSignature(over.secret ?? SIGNING_SECRET, timestamp, body);
  return server.call(null, 'POST', '/v1/slack/interactions', body, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature });
}

/** A block_actions payload: `user` clicked `action` on the message of request `id`. */
export function click(receiver: Receiver, user: string, action: 'gate_approve' | 'gate_deny', id: string) {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0GATE' },
    team: { id: 'T0GATE' },
    trigger_id: `trigger-${id}`,
    response_url: `${receiver.url}/response/${id}`,
    container: { type: 'message', channel_id: 'C0GATE', message_ts: '1700000000.000001' },
    actions: [{ type: 'button', action_id: action, block_id: 'gate_decide', value: id, action_ts: '1700000001.000001' }],
  };
}

/** A view_submission payload for the modal `callbackId` of request `id` with typed values. */
export function submit(user: string, callbackId: string, id: string, values: { confirm?: string; comment?: string }) {
  const state: Record<string, Record<string, { type: string; value: string | null }>> = {};
  if (values.confirm !== undefined) state.confirm = { value: { type: 'plain_text_input', value: values.confirm } };
  state.comment = { value: { type: 'plain_text_input', value: values.comment ?? null } };
  return { type: 'view_submission', user: { id: user, team_id: 'T0GATE' }, team: { id: 'T0GATE' }, view: { id: 'V1', callback_id: callbackId, private_metadata: id, state: { values: state } } };
}
