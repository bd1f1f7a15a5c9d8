// Stopping answers waiters with the request as it stands, ends event streams, and closes
// promptly even with idle keep-alive connections open.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('leaves nothing listening when it cannot start (a web secret missing from its environment)', async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as AddressInfo).port)));
    await new Promise((r) => probe.close(r));
    const web = { sessionTtlMs: 3_600_000, sessionSecret: { env: 'GATE_TEST_SESSION_SECRET_UNSET' }, tokenSignIn: true, oidc: null };
    // The secret is in this process's environment, but not in the server's: the server's wins.
    process.env.GATE_TEST_SESSION_SECRET_UNSET = 'only-in-the-test-process-0123456789';
    try {
      await expect(startTestServer({ port, web }, undefined, {})).rejects.toThrow('GATE_TEST_SESSION_SECRET_UNSET is not set');
    } finally {
      delete process.env.GATE_TEST_SESSION_SECRET_UNSET;
    }
    // The port is free again: the listener was closed.
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    await new Promise((r) => again.close(r));
  });
});
