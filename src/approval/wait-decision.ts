// Waiting for a reviewer's decision: long-poll the server (a decision arrives within
// milliseconds), reconnecting through restarts and network errors until the deadline.
import { GateError } from '../errors.js';
import type { RequestView } from './api-types.js';
import type { ApprovalClient } from './http-client.js';

export interface WaitOptions {
  /** Milliseconds since the epoch at which to give up. */
  deadline: number;
  now(): number;
  signal: AbortSignal;
  /** Called with each fresh view of the request while it is pending. */
  onUpdate?(view: RequestView): void;
  /** Called when the server cannot be reached (it will be retried). */
  onRetry?(error: GateError): void;
}

export type WaitResult = { kind: 'decided'; view: RequestView } | { kind: 'timeout'; view: RequestView } | { kind: 'unreachable'; error: GateError };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Long-poll slice: short enough to notice the deadline, long enough to cost nothing. */
const SLICE_S = 25;

export async function waitForDecision(client: ApprovalClient, first: RequestView, options: WaitOptions): Promise<WaitResult> {
  let view = first;
  let backoff = 200;
  let lastError: GateError | undefined;
  while (!options.signal.aborted) {
    if (view.status !== 'pending') return { kind: 'decided', view };
    const remainingS = (options.deadline - options.now()) / 1000;
    if (remainingS <= 0) return lastError ? { kind: 'unreachable', error: lastError } : { kind: 'timeout', view };
    try {
      view = await client.waitRequest(view.id, Math.min(SLICE_S, Math.max(1, Math.ceil(remainingS))), options.signal);
      lastError = undefined;
      backoff = 200;
      options.onUpdate?.(view);
    } catch (error) {
      if (options.signal.aborted) break;
      if (!(error instanceof GateError) || error.code !== 'server_unreachable') throw error;
      // The server restarted or the network blinked: the decision is kept server-side.
      lastError = error;
      options.onRetry?.(error);
      await sleep(Math.min(backoff, Math.max(0, options.deadline - options.now())), options.signal);
      backoff = Math.min(backoff * 2, 2000);
    }
  }
  return { kind: 'timeout', view };
}
