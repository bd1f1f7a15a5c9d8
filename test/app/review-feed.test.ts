// The review feed against a real approval server on loopback: new requests appear, decided
// ones leave with who decided, and after an outage it says so, reconnects with Last-Event-ID
// and re-reads the list so nothing created meanwhile is missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApprovalClient } from '../../src/approval/http-client.js';
import { abortableSleep, startReviewFeed, supersedes, type FeedState, type ReviewFeed } from '../../src/app/review-feed.js';
import { createRequest, requestBody, startTestServer, type TestServer } from '../server/server-fixture.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'requester');
  await server.addUser('bob', 'reviewer', ['ops']);
  await server.addUser('carol', 'reviewer', ['ops']);
});
afterAll(async () => server?.close());

async function until(feed: ReviewFeed, check: (s: FeedState) => boolean, what: string, ms = 10_000): Promise<FeedState> {
  const end = Date.now() + ms;
  for (;;) {
    const state = feed.getSnapshot();
    if (check(state)) return state;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ ...state, requests: [...state.requests.values()].map((r) => [r.id, r.status]) })}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fetch that can be cut off like a network outage, and records the Last-Event-ID of each stream. */
function flakyFetch() {
  const control = { down: false, lastEventIds: [] as Array<string | null> };
  const fetcher: typeof fetch = (input, init) => {
    if (String(input).includes('/v1/events')) control.lastEventIds.push(new Headers(init?.headers).get('last-event-id'));
    if (control.down) return Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1') }));
    return fetch(input, init);
  };
  return { control, fetcher };
}

describe('review feed', () => {
  it('lists pending requests live and shows who decided the ones that leave', async () => {
    const first = await createRequest(server, 'alice');
    const feed = startReviewFeed({ client: httpApprovalClient(server.url, server.tokens.bob!), now: () => Date.now(), sleep: abortableSleep });
    try {
      const live = await until(feed, (s) => s.connection.state === 'live' && s.requests.has(first), 'the first request');
      expect(live.me).toEqual({ name: 'bob', role: 'reviewer', groups: ['ops'] });
      const second = await createRequest(server, 'alice', { reason: 'appears by itself' });
      await until(feed, (s) => s.requests.get(second)?.reason === 'appears by itself', 'the new request');
      expect((await server.call('carol', 'POST', `/v1/requests/${first}/approve`, {})).status).toBe(200);
      const after = await until(feed, (s) => s.requests.get(first)?.status === 'approved', 'the approval');
      expect(after.requests.get(first)!.votes.map((v) => v.reviewer)).toEqual(['carol']);
      expect(after.leftAt.has(first)).toBe(true);
      expect(after.leftAt.has(second)).toBe(false);
    } finally {
      feed.stop();
    }
  });

  it('says the server is unreachable, retries, and catches up on reconnect with Last-Event-ID', async () => {
    const { control, fetcher } = flakyFetch();
    const feed = startReviewFeed({ client: httpApprovalClient(server.url, server.tokens.bob!, fetcher), now: () => Date.now(), sleep: abortableSleep, retryMs: { first: 50, max: 200 } });
    try {
      await until(feed, (s) => s.connection.state === 'live', 'the first connection');
      // Something happens, so the stream has an event id to resume from.
      const seen = await createRequest(server, 'alice');
      await until(feed, (s) => s.requests.has(seen), 'an event');
      control.down = true;
      feed.refresh();
      const down = await until(feed, (s) => s.connection.state === 'down', 'the outage');
      expect(down.connection.state === 'down' && down.connection.error).toContain('ECONNREFUSED');
      // Meanwhile a request is created and another is denied: the feed must not miss either.
      const missed = await createRequest(server, 'alice', { reason: 'created while away' });
      expect((await server.call('carol', 'POST', `/v1/requests/${seen}/deny`, { comment: 'no' })).status).toBe(200);
      await until(feed, (s) => s.connection.state === 'down' && s.connection.attempt >= 2, 'a second failed attempt');
      control.down = false;
      const back = await until(feed, (s) => s.connection.state === 'live' && s.requests.has(missed) && s.requests.get(seen)?.status === 'denied', 'the catch-up');
      expect(back.requests.get(seen)!.votes[0]).toMatchObject({ reviewer: 'carol', decision: 'deny', comment: 'no' });
      expect(control.lastEventIds[0]).toBeNull();
      expect(control.lastEventIds.at(-1)).toMatch(/^\d+$/);
    } finally {
      feed.stop();
    }
  });

  it('keeps the request `gate review ID` opened even when it is decided, and says when it cannot be read', async () => {
    const id = await createRequest(server, 'alice');
    expect((await server.call('carol', 'POST', `/v1/requests/${id}/approve`, {})).status).toBe(200);
    const feed = startReviewFeed({ client: httpApprovalClient(server.url, server.tokens.bob!), now: () => Date.now(), sleep: abortableSleep, focusId: id });
    const missing = startReviewFeed({ client: httpApprovalClient(server.url, server.tokens.bob!), now: () => Date.now(), sleep: abortableSleep, focusId: 'no-such-request' });
    try {
      await until(feed, (s) => s.requests.get(id)?.status === 'approved', 'the focused request');
      const state = await until(missing, (s) => s.focusError !== null, 'the focus error');
      expect(state.focusError).toContain('no-such-request');
    } finally {
      feed.stop();
      missing.stop();
    }
  });

  it('never moves a decided request back to pending', () => {
    const pending = { ...requestBody('alice'), status: 'pending' } as never;
    const approved = { ...requestBody('alice'), status: 'approved', votes: [{}] } as never;
    expect(supersedes(approved, pending)).toBe(false);
    expect(supersedes(pending, approved)).toBe(true);
    expect(supersedes(undefined, pending)).toBe(true);
  });
});
