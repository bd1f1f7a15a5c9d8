// Property tests (fast-check): the verifier never accepts a mutated decision token. Bit flips
// in any segment, characters edited in the compact form, claims edited and re-signed with an
// untrusted key (or with the trusted key but changed where it matters), alg/typ/kid swaps and
// embedded keys all end in a TokenError (exit 77), never in acceptance and never in a crash.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decisionClaims, type DecisionClaims } from '../../src/token/claims.js';
import { TokenError } from '../../src/token/token-error.js';
import type { TrustEntry, TrustStore } from '../../src/token/trust.js';
import { verifyDecision, type Expectations } from '../../src/token/verify.js';

const FUZZ = { seed: 20_261_121, numRuns: 500 };
const NOW = new Date('2026-11-21T12:00:00Z');
const DIGEST = 'a'.repeat(64);
const RULE = 'kubectl.delete-namespace';
const EXPECT: Expectations = { digest: DIGEST, requester: 'dave', rules: [{ id: RULE, groups: ['ops'], min: 1, ttlMs: 10 * 60_000, inline: true }] };

interface Key {
  privateKey: KeyObject;
  jwk: JWK;
  kid: string;
}

async function makeKey(): Promise<Key> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  return { privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
}

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const json = (value: unknown) => b64(JSON.stringify(value));

/** A compact JWS over exactly these header and payload bytes, signed with Ed25519 (node:crypto, not jose). */
function signRaw(header: unknown, payload: unknown, key: Key): string {
  const input = `${typeof header === 'string' ? b64(header) : json(header)}.${typeof payload === 'string' ? b64(payload) : json(payload)}`;
  return `${input}.${b64(sign(null, Buffer.from(input), key.privateKey))}`;
}

let alice: Key; // trusted reviewer, group ops
let bob: Key; // trusted reviewer, group dba (not scoped for the rule)
let mallory: Key; // untrusted
let trust: TrustStore;
let claims: DecisionClaims;
let valid: string;

const entry = (name: string, key: Key, groups: string[]): TrustEntry => ({ name, kid: key.kid, jwk: key.jwk, groups, kind: 'reviewer', added: NOW.toISOString(), expires: null, revoked: null });
const header = () => ({ alg: 'EdDSA', typ: 'gate-decision+jwt', kid: alice.kid });

/** The refusal code, or 'accepted'. Anything thrown that is not a TokenError fails the test. */
async function outcome(jws: string): Promise<string> {
  try {
    await verifyDecision(jws, EXPECT, trust, NOW);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).exitCode).toBe(77);
    return (error as TokenError).code;
  }
}

beforeAll(async () => {
  [alice, bob, mallory] = await Promise.all([makeKey(), makeKey(), makeKey()]);
  trust = { entries: [entry('alice', alice, ['ops']), entry('bob', bob, ['dba'])] };
  claims = decisionClaims({ issuer: 'alice', requester: 'dave', digest: DIGEST, decision: 'approve', rules: [RULE], approvers: [{ id: 'alice', via: 'offline', at: NOW.toISOString() }], jti: 'jti-1', now: NOW, lifetimeMs: 5 * 60_000 });
  valid = signRaw(header(), claims, alice);
});

describe('token verifier against mutated tokens (fast-check)', () => {
  it('accepts the unmutated token (the baseline the mutations start from)', async () => {
    expect(await outcome(valid)).toBe('accepted');
  });

  it('refuses any bit flip in the header, payload or signature bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 2 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), async (segment, flips) => {
        const parts = valid.split('.');
        const bytes = Buffer.from(parts[segment]!, 'base64url');
        for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
        parts[segment] = b64(bytes);
        const mutated = parts.join('.');
        fc.pre(mutated !== valid); // two flips of the same bit cancel out
        expect(await outcome(mutated)).not.toBe('accepted');
      }),
      FUZZ,
    );
  });

  it('refuses any character edit of the compact form (including non-canonical base64url and padding)', async () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n\t'.split(''));
    const edit = fc.tuple(fc.constantFrom('replace', 'insert', 'delete'), fc.nat(), fc.oneof(alphabet, fc.string({ maxLength: 3 })));
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let mutated = valid;
        for (const [kind, at, text] of edits) {
          const i = at % (mutated.length + (kind === 'insert' ? 1 : 0));
          if (kind === 'insert') mutated = mutated.slice(0, i) + text + mutated.slice(i);
          else if (kind === 'delete') mutated = mutated.slice(0, i) + mutated.slice(i + 1);
          else mutated = mutated.slice(0, i) + text + mutated.slice(i + 1);
        }
        fc.pre(mutated !== valid);
        expect(await outcome(mutated)).not.toBe('accepted');
      }),
      FUZZ,
    );
  });

  it('refuses other spellings of the same signature bytes (unused trailing bits, padding, the standard alphabet)', async () => {
    const respell = fc.oneof(
      fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')).map((c) => (sig: string) => sig.slice(0, -1) + c),
      fc.constantFrom('=', '==', '===').map((pad) => (sig: string) => sig + pad),
      fc.constant((sig: string) => sig.replace(/-/g, '+').replace(/_/g, '/')),
    );
    await fc.assert(
      fc.asyncProperty(respell, async (change) => {
        const [h, p, sig] = valid.split('.');
        const mutated = `${h}.${p}.${change(sig!)}`;
        fc.pre(mutated !== valid);
        expect(await outcome(mutated)).not.toBe('accepted');
      }),
      { ...FUZZ, numRuns: 200 },
    );
  });

  it('refuses claims edited and re-signed with an untrusted key, under any trusted kid', async () => {
    const claimEdit = fc.dictionary(fc.constantFrom('iss', 'aud', 'sub', 'jti', 'iat', 'nbf', 'exp', 'req', 'dec', 'rules', 'approvers', 'comment', 'enforced', 'x'), fc.anything({ maxDepth: 2 }), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(claimEdit, fc.constantFrom(() => alice.kid, () => bob.kid, () => mallory.kid), async (edit, kid) => {
        const mutated = signRaw({ ...header(), kid: kid() }, { ...claims, ...edit }, mallory);
        expect(await outcome(mutated)).not.toBe('accepted');
      }),
      FUZZ,
    );
  });

  it('refuses a trusted signature over claims changed where it matters', async () => {
    const now = Math.floor(NOW.getTime() / 1000);
    const change = fc.oneof(
      fc.string().filter((s) => s !== DIGEST).map((req) => ({ req })),
      fc.constantFrom({ dec: 'deny' }, { dec: 'Approve' }, { dec: ['approve'] }, { dec: null }),
      fc.string().filter((s) => s !== 'dave').map((sub) => ({ sub })),
      fc.oneof(fc.string(), fc.constant(['gate', 'other']).map((a) => a.slice(1)), fc.constant(null)).filter((aud) => aud !== 'gate').map((aud) => ({ aud })),
      fc.array(fc.string().filter((r) => r !== RULE), { maxLength: 3 }).map((rules) => ({ rules })),
      fc.integer({ min: 31, max: 10 ** 9 }).map((s) => ({ exp: now - s })), // expired beyond tolerance
      fc.integer({ min: 31, max: 10 ** 6 }).map((s) => ({ nbf: now + s, iat: now + s, exp: now + s + 60 })), // not yet valid
      fc.integer({ min: 10 * 60 + 31, max: 10 ** 8 }).map((s) => ({ exp: now + s })), // outlives the rule's ttl
      fc.constantFrom({ approvers: [{ id: 'dave', via: 'offline', at: '' }] }, { approvers: 'alice' }, { approvers: [{ id: 1 }] }),
      fc.constantFrom('iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'req', 'dec', 'rules', 'approvers', 'aud').map((drop) => ({ [drop]: undefined })),
    );
    await fc.assert(
      fc.asyncProperty(change, async (edit) => {
        const mutated = JSON.parse(JSON.stringify({ ...claims, ...edit })) as unknown;
        expect(await outcome(signRaw(header(), mutated, alice))).not.toBe('accepted');
      }),
      FUZZ,
    );
  });

  it('refuses alg, typ and kid swaps, embedded keys and crit headers, whoever signs', async () => {
    const headerEdit = fc.record(
      {
        alg: fc.constantFrom('none', 'HS256', 'HS512', 'RS256', 'ES256', 'PS256', 'Ed25519', 'eddsa', 'EdDSA ', '', null),
        typ: fc.oneof(fc.constantFrom('JWT', 'jwt', 'gate-decision', 'application/gate-decision+jwt', 'GATE-DECISION+JWT', null), fc.string()),
        kid: fc.oneof(fc.constantFrom(() => bob.kid, () => mallory.kid, () => `${alice.kid} `, () => alice.kid.toLowerCase()).map((f) => f()), fc.string(), fc.constant(null)),
        jwk: fc.constant(null).map(() => mallory.jwk),
        crit: fc.constantFrom(['b64'], ['exp'], ['x-gate']),
        b64: fc.constant(false),
      },
      { requiredKeys: [] },
    ).filter((h) => Object.keys(h).length > 0);
    // How the forgery is signed: by the untrusted key, by the trusted key, or HMAC keyed with the trusted public key.
    const signer = fc.constantFrom('mallory', 'alice', 'hmac-public-key', 'empty-signature');
    await fc.assert(
      fc.asyncProperty(headerEdit, signer, async (edit, how) => {
        const h = JSON.parse(JSON.stringify({ ...header(), ...edit })) as Record<string, unknown>;
        fc.pre(JSON.stringify(h) !== JSON.stringify(header()));
        let mutated: string;
        if (how === 'mallory') mutated = signRaw(h, claims, mallory);
        else if (how === 'alice') mutated = signRaw(h, claims, alice);
        else {
          const input = `${json(h)}.${json(claims)}`;
          const sig = how === 'empty-signature' ? '' : createHmac('sha256', Buffer.from(alice.jwk.x!, 'base64url')).update(input).digest('base64url');
          mutated = `${input}.${sig}`;
        }
        expect(await outcome(mutated)).not.toBe('accepted');
      }),
      FUZZ,
    );
  });

  it('refuses arbitrary strings and arbitrary payloads under a trusted signature without crashing', async () => {
    const anyToken = fc.oneof(
      fc.string(),
      fc.array(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')) }), { minLength: 3, maxLength: 3 }).map((p) => p.join('.')),
      fc.oneof(fc.anything(), fc.string({ unit: 'binary' })).map((payload) => signRaw(header(), typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? 'null'), alice)),
    );
    await fc.assert(
      fc.asyncProperty(anyToken, async (jws) => {
        expect(await outcome(jws)).not.toBe('accepted');
      }),
      FUZZ,
    );
  });
});
