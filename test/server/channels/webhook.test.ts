// Generic webhooks against a receiving server on loopback: an event for every state change,
// signed with HMAC-SHA256 over `${timestamp}.${body}`, retried with backoff, kept in the store
// across a restart, and caught up from the event log.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsSchema, toChannelsConfig } from '../../../src/server/channels/channels-config.js';
import { DEFAULTS } from '../../../src/server/config.js';
import { startServer } from '../../../src/server/start.js';
import { openSqliteStore } from '../../../src/server/store/sqlite-store.js';
import { addIdentity } from '../../../src/server/users.js';
import { createRequest, requestBody, rule, serverKey, testClock, type TestClock } from '../server-fixture.js';
import { secretFiles, startChannelServer, WEBHOOK_SECRET, type ChannelServer } from './channels-fixture.js';
import { startReceiver, type Received, type Receiver } from './receiver.js';

let receiver: Receiver;
let server: ChannelServer;

const fastRetry = { attempts: 4, min_delay: '40ms', max_delay: '200ms' };

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startChannelServer(
    {
      webhooks: [
        { url: `${receiver.url}/hook`, secret_file: 'webhook-secret' },
        { url: `${receiver.url}/decisions`, secret_file: 'webhook-secret', events: ['request.approved', 'request.denied'] },
        { url: `${receiver.url}/flaky`, secret_file: 'webhook-secret', events: ['request.cancelled'] },
      ],
      retry: fastRetry,
    },
    receiver,
  );
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** What a consumer does: recompute the signature over `${timestamp}.${body}` and compare. */
function verify(received: Received, secret = WEBHOOK_SECRET): void {
  const timestamp = received.headers['x-gate-timestamp']!;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${received.body}`).digest('hex')}`;
  expect(received.headers['x-gate-signature']).toBe(expected);
}

const eventsFor = (path: string, id: string) => receiver.to(path).filter((r) => r.json().request.id === id);

describe('webhook events', () => {
  it('are sent for every state change, signed, with an id, a sequence number and the request', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    await server.call('bob', 'POST', `/v1/requests/${id}/approve`, {});
    expect((await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) })).status).toBe(200);
    await receiver.waitFor('/hook', (r) => r.json().type === 'request.redeemed' && r.json().request.id === id);

    const received = eventsFor('/hook', id).sort((a, b) => a.json().seq - b.json().seq);
    expect(received.map((r) => r.json().type)).toEqual(['request.created', 'request.voted', 'request.approved', 'request.redeemed']);
    for (const r of received) {
      verify(r);
      const event = r.json();
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-gate-event']).toBe(event.type);
      expect(r.headers['x-gate-event-id']).toBe(event.id);
      expect(r.headers['x-gate-delivery-attempt']).toBe('1');
      expect(r.headers['x-gate-timestamp']).toBe(String(Math.floor(server.clock.now().getTime() / 1000)));
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.at).toBe(server.clock.now().toISOString());
      expect(event.request).toMatchObject({ id, requester: 'rita', approval_url: `${server.url}/r/${id}` });
    }
    expect(new Set(received.map((r) => r.json().id)).size).toBe(4);
    expect(received.map((r) => r.json().request.status)).toEqual(['pending', 'pending', 'approved', 'redeemed']);
    // The filtered hook got only the decision.
    expect(eventsFor('/decisions', id).map((r) => r.json().type)).toEqual(['request.approved']);
  });

  it('cover denial, cancel and expiry', async () => {
    const denied = await createRequest(server, 'rita');
    await server.call('alice', 'POST', `/v1/requests/${denied}/deny`, { comment: 'no' });
    const cancelled = await createRequest(server, 'rita');
    await server.call('rita', 'POST', `/v1/requests/${cancelled}/cancel`, {});
    const expiring = await createRequest(server, 'rita', { rules: [rule({ pending_ms: 1000 })] });
    server.clock.advance(2000);
    await server.running.sweep();
    for (const [id, type] of [[denied, 'request.denied'], [cancelled, 'request.cancelled'], [expiring, 'request.expired']] as const) {
      verify(await receiver.waitFor('/hook', (r) => r.json().type === type && r.json().request.id === id));
    }
    expect((await receiver.waitFor('/decisions', (r) => r.json().request.id === denied)).json().request.votes[0].comment).toBe('no');
  });

  it('a signature made with another secret, or over another timestamp, does not verify', async () => {
    const any = receiver.to('/hook')[0]!;
    expect(() => verify(any, 'another-secret')).toThrow();
    expect(() => verify({ ...any, headers: { ...any.headers, 'x-gate-timestamp': '1' } })).toThrow();
  });
});

describe('retries', () => {
  it('back off exponentially after a 500 until the receiver answers 200; the event id and body stay the same', async () => {
    const id = await createRequest(server, 'rita');
    receiver.on('/flaky', (r) => (r.json().request.id === id && eventsFor('/flaky', id).length <= 2 ? { status: 500 } : { status: 204, body: '' }));
    await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {});
    await receiver.waitFor('/flaky', (r) => r.json().request.id === id && r.headers['x-gate-delivery-attempt'] === '3');
    const attempts = eventsFor('/flaky', id);
    expect(attempts.map((r) => r.headers['x-gate-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    expect(new Set(attempts.map((r) => r.headers['x-gate-event-id'])).size).toBe(1);
    attempts.forEach((r) => verify(r));
    // 40 ms then 80 ms, each ±20%.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(30);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(60);
    await new Promise((r) => setTimeout(r, 50));
    expect(await server.store.pendingDeliveries(10)).toEqual([]);
  });

  it('give up after the configured attempts, and at once on a 4xx that retrying cannot fix', async () => {
    receiver.on('/flaky', () => ({ status: 503 }));
    const unavailable = await createRequest(server, 'rita');
    await server.call('rita', 'POST', `/v1/requests/${unavailable}/cancel`, {});
    await receiver.waitFor('/flaky', (r) => r.json().request.id === unavailable && r.headers['x-gate-delivery-attempt'] === '4');
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsFor('/flaky', unavailable)).toHaveLength(4);

    receiver.on('/flaky', () => ({ status: 410 }));
    const gone = await createRequest(server, 'rita');
    await server.call('rita', 'POST', `/v1/requests/${gone}/cancel`, {});
    await receiver.waitFor('/flaky', (r) => r.json().request.id === gone);
    await new Promise((r) => setTimeout(r, 150));
    expect(eventsFor('/flaky', gone)).toHaveLength(1);
    await expect.poll(() => server.logs.filter((l) => l.msg === 'webhook delivery failed for good').map((l) => l.fields.attempts)).toEqual([4, 1]);
    expect(server.logs.some((l) => JSON.stringify(l).includes(WEBHOOK_SECRET))).toBe(false);
  });

  it('never hold up the request path: creating answers while the receiver hangs', async () => {
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    const slowServer = await import('node:http');
    const blocker = slowServer.createServer(() => void hanging);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = secretFiles(receiver);
    const { startTestServer } = await import('../server-fixture.js');
    const s = await startTestServer({ channels: toChannelsConfig(channelsSchema.parse({ webhooks: [{ url: `http://127.0.0.1:${port}/`, secret_file: 'webhook-secret' }] }), dir) });
    await s.addUser('rita', 'requester');
    const started = Date.now();
    await createRequest(s, 'rita');
    expect(Date.now() - started).toBeLessThan(1000);
    const closing = s.close();
    release();
    await closing;
    blocker.closeAllConnections();
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('across a restart', () => {
  let dir: string;
  let secrets: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gate-webhook-db-'));
    secrets = secretFiles(receiver);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  });

  const channels = () => toChannelsConfig(channelsSchema.parse({ webhooks: [{ url: `${receiver.url}/durable`, secret_file: 'webhook-secret' }], retry: { attempts: 5, min_delay: '10m', max_delay: '1h' } }), secrets);
  const start = async (clock: TestClock) => {
    const store = openSqliteStore(join(dir, 'server.db'), clock.now());
    const running = await startServer({ config: { ...DEFAULTS, port: 0, sweepIntervalMs: 60_000, channels: channels() }, store, key: await serverKey(), clock, log: () => {} });
    return { running, store };
  };

  it('a pending delivery is kept in the store and sent after the restart; an event logged but never queued is caught up', async () => {
    receiver.on('/durable', () => ({ status: 503 }));
    const clock = testClock();
    const first = await start(clock);
    const token = await addIdentity(first.store, { name: 'rita', role: 'requester', groups: [] }, clock.now());
    const body = requestBody('rita');
    const created = await fetch(`${first.running.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(created.status).toBe(201);
    const failed = await receiver.waitFor('/durable', (r) => r.json().request.id === body.id);
    await new Promise((r) => setTimeout(r, 50));
    const [pending] = await first.store.pendingDeliveries(10);
    expect(pending).toMatchObject({ attempts: 1, event_id: failed.json().id, status: 'pending', last_error: expect.stringContaining('503') });
    await first.running.close();

    // While the server is down: an event in the log that no channel queued (as if the server
    // stopped between the change and the queueing).
    const offline = openSqliteStore(join(dir, 'server.db'), clock.now());
    const missed = requestBody('rita');
    const view = { ...missed, status: 'pending' as const, requester: 'rita', created_at: clock.now().toISOString(), expires_at: clock.now().toISOString(), decided_at: null, votes: [], required: { groups: ['ops'], min: 1 }, approval_url: 'x' };
    await offline.insertRequest({ body: missed, requester: 'rita', status: 'pending', required: view.required, created_at: view.created_at, expires_at: view.expires_at, decided_at: null, redeemed_at: null, token_jti: null, votes: [] }, { type: 'request.created', request: view });
    await offline.close();

    receiver.on('/durable', () => ({ status: 200 }));
    // Past the retry (10 min, +20% jitter at most).
    clock.advance(13 * 60_000);
    const second = await start(clock);
    const resent = await receiver.waitFor('/durable', (r) => r.json().request.id === body.id && r.headers['x-gate-delivery-attempt'] === '2');
    expect(resent.json().id).toBe(failed.json().id);
    expect(resent.body).toBe(failed.body);
    verify(resent);
    const caughtUp = await receiver.waitFor('/durable', (r) => r.json().request.id === missed.id);
    expect(caughtUp.json().type).toBe('request.created');
    await new Promise((r) => setTimeout(r, 50));
    expect(await second.store.pendingDeliveries(10)).toEqual([]);
    await second.running.close();
  });
});
