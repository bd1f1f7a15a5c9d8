// Approvals that carry the reviewer's own token: the server checks the claims fit the request
// and the voter (it cannot check the signature), keeps the token off every view and event, and
// hands it to the requester at redeem.
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '../../src/approval/api-types.js';
import { reviewerApprovalToken, type ReviewSigner } from '../../src/app/review-decide.js';
import { signDecision } from '../../src/token/sign.js';
import { decisionClaims } from '../../src/token/claims.js';
import { createRequest, rule, startTestServer, type TestServer } from './server-fixture.js';

let server: TestServer;
let signer: ReviewSigner;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'requester');
  await server.addUser('bob', 'reviewer', ['ops']);
  await server.addUser('carol', 'reviewer', ['ops']);
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  signer = { name: 'bob-laptop', kid, key: { kid, privateJwk: await exportJWK(privateKey) } };
});
afterAll(async () => server?.close());

const view = async (id: string): Promise<RequestView> => (await server.call('bob', 'GET', `/v1/requests/${id}`)).body;
const approve = (who: string, id: string, body: Record<string, unknown>) => server.call(who, 'POST', `/v1/requests/${id}/approve`, body);

describe('reviewer tokens on approvals', () => {
  it('stores a fitting token with the vote, shows only its kid, and returns it at redeem', async () => {
    const id = await createRequest(server, 'alice');
    const token = await reviewerApprovalToken(await view(id), 'bob', signer, 'looks right', server.clock.now());
    const res = await approve('bob', id, { comment: 'looks right', token });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('approved');
    expect(res.body.votes).toEqual([{ reviewer: 'bob', decision: 'approve', comment: 'looks right', via: 'api', at: server.clock.now().toISOString(), kid: signer.kid }]);
    expect(res.text).not.toContain(token);
    const events = await server.store.eventsAfter(0, 1000);
    expect(JSON.stringify(events)).not.toContain(token);
    const redeem = await server.call('alice', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) });
    expect(redeem.status, redeem.text).toBe(200);
    expect(redeem.body.reviewer_tokens).toEqual([token]);
    expect(typeof redeem.body.token).toBe('string');
  });

  it('answers an approval without a token with an empty reviewer_tokens at redeem', async () => {
    const id = await createRequest(server, 'alice');
    expect((await approve('bob', id, {})).status).toBe(200);
    const redeem = await server.call('alice', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) });
    expect(redeem.body.reviewer_tokens).toEqual([]);
  });

  it('refuses tokens whose claims do not fit the request or the voter, and records no vote', async () => {
    const id = await createRequest(server, 'alice', { rules: [rule({ ttl_ms: 60_000 })] });
    const request = await view(id);
    const now = server.clock.now();
    const sign = (over: Partial<Parameters<typeof decisionClaims>[0]>) =>
      signDecision(decisionClaims({ issuer: 'bob', requester: 'alice', digest: request.digest, decision: 'approve', rules: [request.rules[0]!.id], approvers: [{ id: 'bob', via: 'review', at: now.toISOString() }], requestId: id, jti: 'j1', now, lifetimeMs: 60_000, ...over }), signer.key);
    const cases: Array<[string, string | Promise<string>]> = [
      ['another digest', sign({ digest: 'e'.repeat(64) })],
      ['another requester', sign({ requester: 'mallory' })],
      ['another request id', sign({ requestId: 'other-id' })],
      ['another approver', sign({ approvers: [{ id: 'carol', via: 'review', at: now.toISOString() }] })],
      ['two approvers', sign({ approvers: [{ id: 'bob', via: 'review', at: now.toISOString() }, { id: 'dave', via: 'review', at: now.toISOString() }] })],
      ['a deny decision', sign({ decision: 'deny' })],
      ['missing rules', sign({ rules: [] })],
      ['longer than the rule ttl', sign({ lifetimeMs: 10 * 60_000 })],
      ['already expired', sign({ now: new Date(now.getTime() - 120_000) })],
      ['another comment', sign({ comment: 'something else' })],
      ['not a JWS', 'not-a-token'],
    ];
    for (const [what, token] of cases) {
      const res = await approve('bob', id, { token: await token });
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('token_mismatch');
    }
    expect((await view(id)).votes).toEqual([]);
    // A token is for approvals only.
    const deny = await server.call('bob', 'POST', `/v1/requests/${id}/deny`, { comment: 'no', token: await sign({}) });
    expect(deny.status).toBe(400);
    expect((await view(id)).status).toBe('pending');
  });

  it('counts a token-carrying vote toward a quorum like any other', async () => {
    const id = await createRequest(server, 'alice', { rules: [rule({ min: 2 })] });
    const token = await reviewerApprovalToken(await view(id), 'bob', signer, null, server.clock.now());
    expect((await approve('bob', id, { token })).body.status).toBe('pending');
    expect((await approve('carol', id, {})).body.status).toBe('approved');
    const redeem = await server.call('alice', 'POST', `/v1/requests/${id}/redeem`, { digest: 'd'.repeat(64) });
    expect(redeem.body.reviewer_tokens).toEqual([token]);
  });
});
