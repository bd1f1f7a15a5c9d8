// The generic webhook's wire format: a JSON event per state change, and its signature.
// X-Gate-Signature is v1=HMAC-SHA256(secret, `${X-Gate-Timestamp}.${body}`) in hex; the
// timestamp (Unix seconds) is that of the attempt, so consumers can refuse old replays, and
// `id` stays the same across retries, so they can drop duplicates.
import { createHmac } from 'node:crypto';
import type { RequestEvent, RequestView } from '../../../approval/api-types.js';

export interface WebhookEvent {
  /** Unique per event (the same in every retry and for every receiver). */
  id: string;
  /** The event's position in the server's event log: order by it. */
  seq: number;
  type: RequestEvent['type'];
  /** When gate queued the event (ISO). */
  at: string;
  request: RequestView;
}

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one delivery attempt at time `now`. */
export function webhookHeaders(secret: string, body: string, event: { id: string; type: string }, attempt: number, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': 'gate-webhook/1',
    'x-gate-event': event.type,
    'x-gate-event-id': event.id,
    'x-gate-delivery-attempt': String(attempt),
    'x-gate-timestamp': timestamp,
    'x-gate-signature': webhookSignature(secret, timestamp, body),
  };
}
