// POST /v1/slack/interactions (contract): Slack's interactivity Request URL. No bearer token:
// the request must carry Slack's signature over the raw body, checked before anything in it
// is read. Answers 401 to a bad or stale signature, 404 when Slack is not configured.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../app-env.js';
import type { Clock } from '../../../platform/clock.js';
import type { SlackInteractions } from './slack-interactions.js';
import { SlackSignatureError, verifySlackRequest } from './slack-signature.js';

export const SLACK_INTERACTIONS_PATH = '/v1/slack/interactions';

/** Slack's interaction payloads are a few KiB; this is generous. */
const MAX_BODY = 256 * 1024;

export interface SlackEndpoint {
  signingSecret: string;
  interactions: SlackInteractions;
}

const fail = (c: Context, status: 400 | 401 | 404 | 413, code: string, message: string) => c.json({ error: { code, message } }, status);

export function slackRoutes(app: Hono<AppEnv>, slack: SlackEndpoint | null, clock: Clock): void {
  app.post(SLACK_INTERACTIONS_PATH, bodyLimit({ maxSize: MAX_BODY, onError: (c) => fail(c, 413, 'payload_too_large', 'the body is too large') }), async (c) => {
    if (!slack) return fail(c, 404, 'not_found', 'Slack is not configured on this server (channels.slack)');
    const body = Buffer.from(await c.req.arrayBuffer());
    try {
      verifySlackRequest({ body, timestamp: c.req.header('x-slack-request-timestamp'), signature: c.req.header('x-slack-signature') }, slack.signingSecret, clock.now());
    } catch (error) {
      if (error instanceof SlackSignatureError) return fail(c, 401, error.code, error.message);
      throw error;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new URLSearchParams(body.toString('utf8')).get('payload') ?? '');
    } catch {
      return fail(c, 400, 'bad_request', 'expected a form field "payload" holding JSON');
    }
    const answer = await slack.interactions.handle(payload);
    return answer === null ? c.body(null, 200) : c.json(answer, 200);
  });
}
