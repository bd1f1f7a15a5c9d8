// Redeem: the requester's approved request, once, for a token that gate's own verifier accepts
// against the server key from the JWKS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader, type JWK } from 'jose';
import type { TrustStore } from '../../src/token/trust.js';
import { checkQuorum, verifyDecision, type Expectations } from '../../src/token/verify.js';
import { createRequest, rule, startTestServer, type TestServer } from './server-fixture.js';

const DIGEST = 'd'.repeat(64);
let server: TestServer;
let trust: TrustStore;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('rita', 'requester');
  await server.addUser('roger', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
  const jwks = (await server.call(null, 'GET', '/.well-known/jwks.json')).body as { keys: JWK[] };
  const jwk = jwks.keys[0]!;
  trust = { entries: [{ name: 'approvals', kid: jwk.kid!, jwk, groups: ['*'], kind: 'server', added: server.clock.now().toISOString(), expires: null, revoked: null }] };
});
afterAll(() => server.close());

const expectations = (min: number, ttlMs = 10 * 60_000): Expectations => ({
  digest: DIGEST,
  requester: 'rita',
  rules: [{ id: 'kubectl.delete-namespace', groups: ['ops'], min, ttlMs, inline: false }],
});

async function approved(min = 1, over = {}): Promise<string> {
  const id = await createRequest(server, 'rita', { rules: [rule({ min })], ...over });
  await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
  if (min > 1) await server.call('bob', 'POST', `/v1/requests/${id}/approve`, {});
  return id;
}

describe('redeem', () => {
  it('returns a server-signed token that verifyDecision accepts, counting both approvers', async () => {
    const id = await approved(2);
    const res = await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['token', 'reviewer_tokens']);
    expect(res.body.reviewer_tokens).toEqual([]);
    const token = res.body.token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'gate-decision+jwt', kid: trust.entries[0]!.kid });
    const verified = await verifyDecision(token, expectations(2), trust, server.clock.now());
    expect(verified.approvers.sort()).toEqual(['alice', 'bob']);
    expect(checkQuorum([verified], expectations(2))).toHaveLength(2);
    expect(verified.claims).toMatchObject({ iss: server.running.publicUrl, sub: 'rita', req: DIGEST, dec: 'approve', rules: ['kubectl.delete-namespace'], rid: id });
    expect(verified.claims.exp - verified.claims.iat).toBe(600);
    expect(verified.claims.approvers.map((a) => a.via)).toEqual(['api', 'api']);
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('redeemed');
  });

  it("limits the token's lifetime to the shortest rule ttl, else 10 minutes", async () => {
    const short = await createRequest(server, 'rita', { rules: [rule({ ttl_ms: 120_000 }), rule({ id: 'other', ttl_ms: 300_000 })] });
    await server.call('alice', 'POST', `/v1/requests/${short}/approve`, {});
    const token = (await server.call('rita', 'POST', `/v1/requests/${short}/redeem`, { digest: DIGEST })).body.token as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(120);

    const none = await approved(1, { rules: [rule({ ttl_ms: null })] });
    const token2 = (await server.call('rita', 'POST', `/v1/requests/${none}/redeem`, { digest: DIGEST })).body.token as string;
    const claims2 = JSON.parse(Buffer.from(token2.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims2.exp - claims2.iat).toBe(600);
  });

  it('lets exactly one of many concurrent redeems win', async () => {
    const id = await approved();
    const results = await Promise.all(Array.from({ length: 12 }, () => server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST })));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status !== 200)) {
      expect(lost.status).toBe(409);
      expect(lost.body.error.code).toBe('already_redeemed');
    }
  });

  it('is single use', async () => {
    const id = await approved();
    expect((await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST })).status).toBe(200);
    const again = await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_redeemed');
  });

  it('refuses another command (409 digest_mismatch) and keeps the approval', async () => {
    const id = await approved();
    const res = await server.call('rita', 'POST', `/v1/requests/${id}/redeem`, { digest: 'e'.repeat(64) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('digest_mismatch');
    expect((await server.call('rita', 'GET', `/v1/requests/${id}`)).body.status).toBe('approved');
  });

  it('refuses a pending or denied request (409 not_approved)', async () => {
    const pending = await createRequest(server, 'rita');
    const res = await server.call('rita', 'POST', `/v1/requests/${pending}/redeem`, { digest: DIGEST });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'not_approved', details: { status: 'pending' } });
    await server.call('alice', 'POST', `/v1/requests/${pending}/deny`, { comment: 'no' });
    expect((await server.call('rita', 'POST', `/v1/requests/${pending}/redeem`, { digest: DIGEST })).body.error.details.status).toBe('denied');
  });

  it("refuses anyone but the requester (403 not_owner, 404 when they cannot see it)", async () => {
    const id = await approved();
    expect((await server.call('alice', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST })).body.error.code).toBe('not_owner');
    expect((await server.call('roger', 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST })).status).toBe(404);
  });
});
