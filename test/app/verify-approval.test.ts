// A server approval comes with several tokens for one reviewed request (the server's and the
// reviewers' own); whichever are used, that review runs one command once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestNow, verifyApproval, verifyServerApproval, type VerifyDeps } from '../../src/app/verify-approval.js';
import type { Evaluation } from '../../src/policy/evaluate.js';
import type { Request } from '../../src/policy/request.js';
import { decisionClaims } from '../../src/token/claims.js';
import { openLedger } from '../../src/token/ledger.js';
import { signDecision, type SigningKey } from '../../src/token/sign.js';
import type { TrustEntry, TrustKind } from '../../src/token/trust.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const RID = 'req-1';
let dir: string;
let request: Request;
const evaluation = { matches: [] } as unknown as Evaluation;
const keys: Record<string, { signing: SigningKey; entry: TrustEntry }> = {};

async function makeKey(name: string, kind: TrustKind) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  keys[name] = { signing: { kid, privateJwk: await exportJWK(privateKey) }, entry: { name, kid, jwk, groups: ['*'], kind, added: NOW.toISOString(), expires: null, revoked: null } };
}

const token = (signer: string, approver: string, jti: string, rid = RID) =>
  signDecision(
    decisionClaims({ issuer: signer, requester: 'dave', digest: request.digest, decision: 'approve', rules: [], approvers: [{ id: approver, via: 'review', at: NOW.toISOString() }], requestId: rid, jti, now: NOW, lifetimeMs: 5 * 60_000 }),
    keys[signer]!.signing,
  );

const freshDeps = (): VerifyDeps => ({ trust: { entries: Object.values(keys).map((k) => k.entry) }, ledger: openLedger(mkdtempSync(join(dir, 'ledger-'))), now: NOW, stateDir: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gate-verify-approval-'));
  const base = { id: 'local-1', argv: ['true'], program: 'true', exe: null, exe_path: null, exe_sha256: null, cwd: '/', env: {}, actor: 'dave', host: 'h', reason: null, facts: [], digest: '' };
  request = { ...base, digest: digestNow(base, dir) };
  await makeKey('gate-server', 'server');
  await makeKey('bob', 'reviewer');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyServerApproval', () => {
  it('uses the reviewers\' tokens when they pass, and the server token of the same request cannot run it again', async () => {
    const deps = freshDeps();
    const offer = { token: await token('gate-server', 'bob', 'server-jti'), reviewerTokens: [await token('bob', 'bob', 'bob-jti')] };
    const first = await verifyServerApproval(offer, request, evaluation, deps);
    expect(first.jtis).toEqual(['bob-jti']);
    expect(first.requestIds).toEqual([RID]);
    await expect(verifyApproval([offer.token], request, evaluation, deps)).rejects.toMatchObject({ code: 'token_replayed' });
  });

  it('falls back to the server token when no reviewer token passes; the reviewers\' tokens of that request cannot run it again', async () => {
    const deps = freshDeps();
    const bobs = await token('bob', 'bob', 'bob-jti-2');
    const offer = { token: await token('gate-server', 'bob', 'server-jti-2'), reviewerTokens: ['not-a-token'] };
    const first = await verifyServerApproval(offer, request, evaluation, deps);
    expect(first.jtis).toEqual(['server-jti-2']);
    expect(first.reviewerTokensSkipped).toEqual(['token_malformed']);
    await expect(verifyApproval([bobs], request, evaluation, deps)).rejects.toMatchObject({ code: 'token_replayed' });
  });

  it('still runs another reviewed request for the same command', async () => {
    const deps = freshDeps();
    await verifyApproval([await token('bob', 'bob', 'a-jti', 'req-a')], request, evaluation, deps);
    const second = await verifyApproval([await token('bob', 'bob', 'b-jti', 'req-b')], request, evaluation, deps);
    expect(second.requestIds).toEqual(['req-b']);
  });
});
