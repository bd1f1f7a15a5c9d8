// The approval client against a real server on loopback: typed calls, error mapping to exit
// codes, the SSE reader and the waiting loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApprovalClient } from '../../src/approval/http-client.js';
import { waitForDecision } from '../../src/approval/wait-decision.js';
import { requestBody, rule, startTestServer, type TestServer } from '../server/server-fixture.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { now: () => new Date(), set: () => undefined, advance: () => undefined } as never);
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
});
afterAll(() => server.close());

describe('httpApprovalClient', () => {
  it('creates, reads and redeems with typed calls', async () => {
    const rita = httpApprovalClient(server.url, server.tokens.rita!);
    const alice = httpApprovalClient(server.url, server.tokens.alice!);
    expect(await rita.me()).toEqual({ name: 'rita', role: 'requester', groups: [] });
    const created = await rita.createRequest(requestBody('rita', { rules: [rule()] }));
    expect(created.status).toBe('pending');
    expect((await alice.approve(created.id, {})).status).toBe('approved');
    const { token } = await rita.redeem(created.id, created.digest);
    expect(token.split('.')).toHaveLength(3);
  });

  it('maps errors to exit codes: 401 is 78, 403 and 409 are 77, 404 is 64, no server is 69', async () => {
    const bogus = httpApprovalClient(server.url, 'gate_not-a-token');
    await expect(bogus.me()).rejects.toMatchObject({ exitCode: 78 });
    const rita = httpApprovalClient(server.url, server.tokens.rita!);
    const created = await rita.createRequest(requestBody('rita'));
    await expect(rita.approve(created.id, {})).rejects.toMatchObject({ exitCode: 77 });
    await expect(rita.redeem(created.id, created.digest)).rejects.toMatchObject({ exitCode: 77 });
    await expect(rita.getRequest('no-such-request')).rejects.toMatchObject({ exitCode: 64 });
    await expect(httpApprovalClient('http://127.0.0.1:9', 'x').me()).rejects.toMatchObject({ exitCode: 69, code: 'server_unreachable' });
  });

  it('reads the event stream: the approval of a request arrives as an event', async () => {
    const rita = httpApprovalClient(server.url, server.tokens.rita!);
    const alice = httpApprovalClient(server.url, server.tokens.alice!);
    const created = await rita.createRequest(requestBody('rita'));
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of rita.events(created.id, undefined, abort.signal)) {
        seen.push(event.type);
        if (event.type === 'request.approved') {
          expect(JSON.parse(event.data).request.id).toBe(created.id);
          abort.abort();
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await alice.approve(created.id, {});
    await reading;
    expect(seen).toContain('request.approved');
  });

  it('waits for a decision by long-poll', async () => {
    const rita = httpApprovalClient(server.url, server.tokens.rita!);
    const alice = httpApprovalClient(server.url, server.tokens.alice!);
    const created = await rita.createRequest(requestBody('rita'));
    const waiting = waitForDecision(rita, created, { deadline: Date.now() + 30_000, now: () => Date.now(), signal: new AbortController().signal });
    setTimeout(() => void alice.deny(created.id, { comment: 'no' }), 100);
    const result = await waiting;
    expect(result.kind).toBe('decided');
    expect(result.kind === 'decided' && result.view.status).toBe('denied');
  });
});
