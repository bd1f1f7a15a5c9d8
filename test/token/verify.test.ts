// Each verification check refuses with its own code (DESIGN.md section 6).
import { createHmac } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionClaims, type DecisionClaims } from '../../src/token/claims.js';
import { signDecision, type SigningKey } from '../../src/token/sign.js';
import type { TrustEntry, TrustKind, TrustStore } from '../../src/token/trust.js';
import { checkQuorum, verifyDecision, type Expectations } from '../../src/token/verify.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const DIGEST = 'a'.repeat(64);

interface TestKey {
  signing: SigningKey;
  entry: TrustEntry;
}

async function makeKey(name: string, groups: string[] = ['ops'], kind: TrustKind = 'reviewer'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    signing: { kid, privateJwk: await exportJWK(privateKey) },
    entry: { name, kid, jwk, groups, kind, added: NOW.toISOString(), expires: null, revoked: null },
  };
}

let alice: TestKey;
let bob: TestKey;
let carol: TestKey;
let terminal: TestKey;
let trust: TrustStore;
const expectations = (over: Partial<Expectations> = {}): Expectations => ({
  digest: DIGEST,
  requester: 'dave',
  rules: [{ id: 'kubectl.delete-namespace', groups: ['ops'], min: 1, ttlMs: 10 * 60_000, inline: true }],
  ...over,
});

function claims(signer: string, over: Partial<DecisionClaims> = {}, now = NOW, lifetimeMs = 5 * 60_000): DecisionClaims {
  return {
    ...decisionClaims({ issuer: signer, requester: 'dave', digest: DIGEST, decision: 'approve', rules: ['kubectl.delete-namespace'], approvers: [{ id: signer, via: 'offline', at: now.toISOString() }], jti: `jti-${Math.random()}`, now, lifetimeMs }),
    ...over,
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(jws: string, expect: Expectations = expectations(), store: TrustStore = trust, now = NOW): Promise<string> {
  try {
    await verifyDecision(jws, expect, store, now);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
}

beforeAll(async () => {
  alice = await makeKey('alice');
  bob = await makeKey('bob');
  carol = await makeKey('carol', ['dba']);
  terminal = await makeKey('terminal:box', ['*'], 'terminal');
  trust = { entries: [alice.entry, bob.entry, carol.entry, terminal.entry] };
});

describe('verifyDecision', () => {
  it('accepts a valid approval and counts its approver', async () => {
    const verified = await verifyDecision(await signDecision(claims('alice'), alice.signing), expectations(), trust, NOW);
    expect(verified.approvers).toEqual(['alice']);
    expect(verified.claims.req).toBe(DIGEST);
  });

  it('refuses an unknown key', async () => {
    const stranger = await makeKey('mallory');
    expect(await refusal(await signDecision(claims('mallory'), stranger.signing))).toBe('token_unknown_key');
  });

  it('refuses alg none', async () => {
    const jws = `${b64({ alg: 'none', typ: 'gate-decision+jwt', kid: alice.entry.kid })}.${b64(claims('alice'))}.`;
    expect(await refusal(jws)).toBe('token_alg_not_allowed');
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const header = b64({ alg: 'HS256', typ: 'gate-decision+jwt', kid: alice.entry.kid });
    const payload = b64(claims('alice'));
    for (const secret of [JSON.stringify(alice.entry.jwk), Buffer.from(alice.entry.jwk.x!, 'base64url')]) {
      const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expect(await refusal(`${header}.${payload}.${sig}`)).toBe('token_alg_not_allowed');
    }
  });

  it('refuses a wrong typ and a wrong aud', async () => {
    const { importJWK, SignJWT } = await import('jose');
    const key = await importJWK(alice.signing.privateJwk, 'EdDSA');
    const wrongTyp = await new SignJWT({ ...claims('alice') }).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: alice.entry.kid }).sign(key);
    expect(await refusal(wrongTyp)).toBe('token_wrong_type');
    expect(await refusal(await signDecision(claims('alice', { aud: 'other' }), alice.signing))).toBe('token_wrong_audience');
  });

  it('refuses an expired token and one not yet valid, with 30 s tolerance', async () => {
    const past = new Date(NOW.getTime() - 6 * 60_000);
    expect(await refusal(await signDecision(claims('alice', {}, past), alice.signing))).toBe('token_expired');
    const future = new Date(NOW.getTime() + 2 * 60_000);
    expect(await refusal(await signDecision(claims('alice', {}, future), alice.signing))).toBe('token_not_yet_valid');
    const skewed = new Date(NOW.getTime() + 20_000);
    expect(await refusal(await signDecision(claims('alice', {}, skewed), alice.signing))).toBe('accepted');
  });

  it("refuses a token that outlives the rule's ttl", async () => {
    const long = claims('alice', {}, NOW, 60 * 60_000);
    expect(await refusal(await signDecision(long, alice.signing))).toBe('token_ttl_exceeded');
  });

  it('refuses another digest, a deny decision, another subject and uncovered rules', async () => {
    expect(await refusal(await signDecision(claims('alice', { req: 'b'.repeat(64) }), alice.signing))).toBe('token_digest_mismatch');
    expect(await refusal(await signDecision(claims('alice', { dec: 'deny', comment: 'no' }), alice.signing))).toBe('token_decision_deny');
    expect(await refusal(await signDecision(claims('alice', { sub: 'eve' }), alice.signing))).toBe('token_wrong_subject');
    expect(await refusal(await signDecision(claims('alice', { rules: ['other.rule'] }), alice.signing))).toBe('token_rules_changed');
  });

  it('refuses self-approval', async () => {
    const self = claims('alice', { sub: 'alice' });
    expect(await refusal(await signDecision(self, alice.signing), expectations({ requester: 'alice' }))).toBe('token_self_approval');
  });

  it('refuses a key not scoped for the rule group, a revoked key and an expired trust entry', async () => {
    expect(await refusal(await signDecision(claims('carol'), carol.signing))).toBe('token_key_not_scoped');
    const revoked: TrustStore = { entries: [{ ...alice.entry, revoked: NOW.toISOString() }] };
    expect(await refusal(await signDecision(claims('alice'), alice.signing), expectations(), revoked)).toBe('token_key_revoked');
    const lapsed: TrustStore = { entries: [{ ...alice.entry, expires: '2026-01-01T00:00:00Z' }] };
    expect(await refusal(await signDecision(claims('alice'), alice.signing), expectations(), lapsed)).toBe('token_key_expired');
  });

  it('refuses the terminal key for a rule that does not allow inline approval', async () => {
    const tty = claims('terminal:box', { approvers: [{ id: 'tty:dave', via: 'tty', at: NOW.toISOString() }] });
    const jws = await signDecision(tty, terminal.signing);
    expect(await refusal(jws)).toBe('accepted');
    expect(await refusal(jws, expectations({ rules: [{ id: 'kubectl.delete-namespace', groups: ['ops'], min: 1, ttlMs: undefined, inline: false }] }))).toBe('token_terminal_not_allowed');
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await signDecision(claims('alice'), alice.signing)).split('.');
    expect(await refusal(`${h}.${b64(claims('alice', { req: DIGEST }))}.${s}`)).toBe('token_bad_signature');
  });

  it('refuses garbage', async () => {
    for (const junk of ['', 'x', 'a.b.c', '...', 'eyJ9.e30.']) expect(await refusal(junk)).toBe('token_malformed');
  });
});

describe('checkQuorum', () => {
  const two = expectations({ rules: [{ id: 'kubectl.delete-namespace', groups: ['ops'], min: 2, ttlMs: undefined, inline: true }] });

  it('is not met by the same key twice, even listing two approvers', async () => {
    const first = await verifyDecision(await signDecision(claims('alice'), alice.signing), two, trust, NOW);
    const twice = claims('alice', { approvers: [{ id: 'alice', via: 'offline', at: '' }, { id: 'bob', via: 'offline', at: '' }] });
    const second = await verifyDecision(await signDecision(twice, alice.signing), two, trust, NOW);
    expect(() => checkQuorum([first, second], two)).toThrow(expect.objectContaining({ code: 'token_quorum_not_met' }));
  });

  it('is met by two distinct reviewers', async () => {
    const a = await verifyDecision(await signDecision(claims('alice'), alice.signing), two, trust, NOW);
    const b = await verifyDecision(await signDecision(claims('bob'), bob.signing), two, trust, NOW);
    expect(checkQuorum([a, b], two)).toEqual(['alice', 'bob']);
  });
});


describe('server tokens', () => {
  it('must show the server enforced requirements at least as strict as the local rules', async () => {
    const server = await makeKey('server:gate.example', ['*'], 'server');
    const store: TrustStore = { entries: [...trust.entries, server.entry] };
    const token = (enforced: DecisionClaims['enforced']) =>
      signDecision(claims('server:gate.example', { approvers: [{ id: 'bob', via: 'web', at: NOW.toISOString() }], ...(enforced ? { enforced } : {}) }), server.signing);
    const ok = await token([{ id: 'kubectl.delete-namespace', groups: ['ops'], min: 1 }]);
    expect(await refusal(ok, expectations(), store)).toBe('accepted');
    expect(await refusal(await token(undefined), expectations(), store)).toBe('token_rules_changed');
    expect(await refusal(await token([{ id: 'kubectl.delete-namespace', groups: [], min: 1 }]), expectations(), store)).toBe('token_rules_changed');
    expect(await refusal(await token([{ id: 'kubectl.delete-namespace', groups: ['ops', 'dev'], min: 1 }]), expectations(), store)).toBe('token_rules_changed');
    const two = expectations({ rules: [{ id: 'kubectl.delete-namespace', groups: ['ops'], min: 2 }] as Expectations['rules'] });
    expect(await refusal(ok, two, store)).toBe('token_rules_changed');
  });
});
