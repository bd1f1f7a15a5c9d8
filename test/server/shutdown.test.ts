// Stopping answers waiters with the request as it stands, ends event streams, and closes
// promptly even with idle keep-alive connections open.
import { describe, expect, it } from 'vitest';
import { createRequest, startTestServer } from './server-fixture.js';
import { openSse } from './sse-client.js';

describe('graceful shutdown', () => {
  it('answers a waiting long-poll with the pending request and ends SSE streams', async () => {
    const server = await startTestServer();
    await server.addUser('rita', 'requester');
    const id = await createRequest(server, 'rita');
    const sse = await openSse(`${server.url}/v1/events`, server.tokens.rita!);
    await sse.next((f) => f.comment === 'connected');
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=60`);
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await server.close();
    // Under the 5 s drain deadline: the waiter was answered, not waited out.
    expect(performance.now() - started).toBeLessThan(4000);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'pending' });
    expect(server.logs.filter((l) => l.level === 'error')).toEqual([]);
    sse.close();
  });

  it('refuses new connections once stopped', async () => {
    const server = await startTestServer();
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
