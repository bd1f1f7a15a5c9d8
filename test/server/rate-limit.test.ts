// Per-identity rate limits: 429 with Retry-After once the bucket is empty; others unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenBucketLimiter } from '../../src/server/rate-limit.js';
import { startTestServer, type TestServer } from './server-fixture.js';

describe('token bucket', () => {
  it('allows perMinute requests at once, then one per 60/perMinute seconds', () => {
    const limiter = tokenBucketLimiter(6);
    for (let i = 0; i < 6; i++) expect(limiter.take('a', 0)).toEqual({ ok: true });
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterS: 10 });
    expect(limiter.take('a', 9_999).ok).toBe(false);
    expect(limiter.take('a', 10_000)).toEqual({ ok: true });
    expect(limiter.take('b', 0)).toEqual({ ok: true });
  });
});

describe('over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: 5 });
    await server.addUser('rita', 'requester');
    await server.addUser('alice', 'reviewer');
  });
  afterAll(() => server.close());

  it('answers 429 with Retry-After past the limit, per identity', async () => {
    for (let i = 0; i < 5; i++) expect((await server.call('rita', 'GET', '/v1/me')).status).toBe(200);
    const limited = await server.call('rita', 'GET', '/v1/me');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBe(12);
    expect((await server.call('alice', 'GET', '/v1/me')).status).toBe(200);
    server.clock.advance(12_000);
    expect((await server.call('rita', 'GET', '/v1/me')).status).toBe(200);
  });

  it('never limits /healthz', async () => {
    for (let i = 0; i < 10; i++) expect((await server.call(null, 'GET', '/healthz')).status).toBe(200);
  });
});
