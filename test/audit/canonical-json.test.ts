// The audit chain's fast canonical JSON gives exactly what the canonicalize package gives
// (hashes in existing logs must not change), and refuses what it refuses.
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.js';

const FUZZ = { seed: 20_261_121, numRuns: 2000 };

/** What the library gives, or the fact that it throws. */
function reference(value: unknown): { text?: string; throws?: true } {
  try {
    return { text: canonicalize(value) as string };
  } catch {
    return { throws: true };
  }
}

function fast(value: unknown, omit?: string): { text?: string; throws?: true } {
  try {
    return { text: canonicalJson(value, omit) };
  } catch {
    return { throws: true };
  }
}

describe('canonicalJson', () => {
  it('matches canonicalize on any JSON value, parsed back as verify sees it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(fast(value)).toEqual(reference(value));
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(fast(parsed)).toEqual(reference(parsed));
      }),
      FUZZ,
    );
  });

  it('matches on full-unicode strings and keys, lone surrogates included (both throw)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('\uD800', '\uDC00', '\uDBFF\uDFFF', 'é', '\u2028', '"', '\\', '\u0000'), fc.string({ unit: 'binary', maxLength: 1 })) });
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(text))), (value) => {
        expect(fast(value)).toEqual(reference(value));
      }),
      FUZZ,
    );
  });

  it('matches on what JavaScript objects may hold: undefined, functions, symbols, Dates, NaN', () => {
    const odd = [
      { a: undefined, b: 1 },
      [undefined, Symbol('s'), () => 1, 2],
      { f: () => 1, s: Symbol('x'), d: new Date(0) },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { nested: { z: 1, a: [{ y: null, b: -0, c: 1e21, d: 1e-7 }] } },
      new Date(0),
      Object.create(null) as object,
    ];
    for (const value of odd) expect(fast(value)).toEqual(reference(value));
  });

  it('leaves out the omitted top-level key only', () => {
    const record = { seq: 1, hash: 'h', prev: 'p', nested: { hash: 'kept' } };
    const { hash: _h, ...rest } = record;
    expect(canonicalJson(record, 'hash')).toBe(canonicalize(rest));
  });
});
