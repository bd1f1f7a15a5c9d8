// Verifies that a request came from Slack: X-Slack-Signature is v0=HMAC-SHA256 of
// `v0:${timestamp}:${raw body}` with the app's signing secret, and X-Slack-Request-Timestamp
// is within five minutes of now (a captured request cannot be replayed later). Returns
// nothing but throws on any failure: nothing in the body is read before this passes.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far the timestamp may be from now. */
export const SLACK_WINDOW_S = 5 * 60;

export type SlackSignatureCode = 'slack_timestamp_missing' | 'slack_timestamp_stale' | 'slack_signature_missing' | 'slack_signature_invalid';

export class SlackSignatureError extends Error {
  constructor(
    readonly code: SlackSignatureCode,
    message: string,
  ) {
    super(message);
    this.name = 'SlackSignatureError';
  }
}

/** The v0 signature of a body, as Slack computes it. */
export function slackSignature(secret: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body);
  return `v0=${mac.digest('hex')}`;
}

export interface SignedRequest {
  body: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
}

export function verifySlackRequest(request: SignedRequest, secret: string, now: Date): void {
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw new SlackSignatureError('slack_timestamp_missing', 'missing or malformed X-Slack-Request-Timestamp');
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_WINDOW_S) throw new SlackSignatureError('slack_timestamp_stale', 'X-Slack-Request-Timestamp is more than 5 minutes from now');
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) throw new SlackSignatureError('slack_signature_missing', 'missing or malformed X-Slack-Signature');
  const expected = Buffer.from(slackSignature(secret, timestamp, request.body));
  // Security invariant: a constant-time compare of equal-length buffers.
  if (!timingSafeEqual(expected, Buffer.from(signature))) throw new SlackSignatureError('slack_signature_invalid', 'X-Slack-Signature does not match the body');
}
