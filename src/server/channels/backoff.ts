// Exponential backoff with jitter, bounded in attempts and in delay, and an in-memory retry
// loop for the channels that keep nothing in the store (Slack, Teams).
import type { RetryPolicy } from './channels-config.js';
import { DeliveryError } from './http-post.js';

/** The wait after `attemptsMade` failed attempts: min * 2^(n-1), capped, ±20% jitter. */
export function backoffDelay(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.min(policy.maxDelayMs, Math.round(base * (0.8 + 0.4 * random())));
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Run `attempt` until it succeeds, fails for good, runs out of attempts, or `signal` aborts. */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal): Promise<T> {
  for (let made = 1; ; made += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof DeliveryError) || !error.retryable || made >= policy.attempts || signal.aborted) throw error;
      await sleep(Math.min(policy.maxDelayMs, Math.max(error.retryAfterMs ?? 0, backoffDelay(policy, made))), signal);
    }
  }
}
