// Per-identity rate limit: a token bucket of `perMinute` requests that refills continuously.
// Time is an argument.

export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

export interface RateLimiter {
  take(key: string, nowMs: number): RateDecision;
}

/** Buckets idle long enough to be full again are forgotten when the map grows. */
const SWEEP_AT = 10_000;

export function tokenBucketLimiter(perMinute: number): RateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs) {
      if (buckets.size > SWEEP_AT) {
        for (const [k, b] of buckets) if (b.tokens + (nowMs - b.at) * perMs >= perMinute) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: nowMs };
      bucket.tokens = Math.min(perMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
