// RFC 8785 (JCS) canonical JSON for the audit chain, byte for byte what the canonicalize
// package produces (test/audit/canonical-json.test.ts holds them together), but several times
// faster: `gate audit verify` hashes every record of a log that may hold millions.
import canonicalize from 'canonicalize';

/** Any UTF-16 surrogate: only strings holding one need the (slower) lone-surrogate scan. */
const SURROGATE = /[\uD800-\uDFFF]/;
/** What JSON.stringify would escape (or a surrogate to check): anything else is quoted as is. */
const SPECIAL = /[\u0000-\u001f"\\\uD800-\uDFFF]/;

function hasLoneSurrogate(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

function str(value: string): string {
  if (!SPECIAL.test(value)) return `"${value}"`;
  if (SURROGATE.test(value) && hasLoneSurrogate(value)) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(value);
}

/**
 * The canonical form of `value`; `omit` names a top-level key left out (the record's own
 * `hash`). Throws where canonicalize throws (NaN, Infinity, a lone surrogate); anything but
 * plain JSON data (a toJSON method, a class instance) is handed to canonicalize itself.
 */
export function canonicalJson(value: unknown, omit?: string): string {
  switch (typeof value) {
    case 'string':
      return str(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          // As canonicalize: undefined and symbols become null, a function leaves nothing.
          out += item === undefined || typeof item === 'symbol' ? 'null' : typeof item === 'function' ? '' : canonicalJson(item);
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        if (omit === undefined) return canonicalize(value) as string;
        const { [omit]: _omitted, ...rest } = value as Record<string, unknown>;
        return canonicalize(rest) as string;
      }
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (key === omit || item === undefined || typeof item === 'symbol') continue;
        // canonicalize drops keys whose value has no JSON form (a function) only as values.
        const text = typeof item === 'function' ? undefined : canonicalJson(item);
        out += `${first ? '' : ','}${str(key)}:${text}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      // undefined, a function, a symbol or a bigint: whatever canonicalize does with it.
      return canonicalize(value) as string;
  }
}
