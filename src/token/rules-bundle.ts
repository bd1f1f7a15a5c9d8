// The server's signed rules bundle: a compact JWS (EdDSA, typ gate-rules+jwt) over the rule
// files. Verified against the server key pinned at login before any of it is used.
import { importJWK, jwtVerify, type JWK } from 'jose';
import { ConfigError } from '../errors.js';

export const BUNDLE_TYPE = 'gate-rules+jwt';

export interface RulesBundle {
  files: Array<{ name: string; content: string }>;
  etag: string;
  issued_at: string;
}

/** Verify a bundle JWS with the pinned key; returns its contents or throws (exit 78). */
export async function verifyRulesBundle(jws: string, pinned: JWK, now: Date): Promise<RulesBundle> {
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK({ ...pinned, d: undefined }, 'EdDSA');
    ({ payload } = await jwtVerify(jws, key, { algorithms: ['EdDSA'], typ: BUNDLE_TYPE, currentDate: now, clockTolerance: 30 }));
  } catch (error) {
    throw new ConfigError('bundle_invalid', `the rules bundle does not verify against the pinned server key: ${(error as Error).message}`, undefined, {
      hint: 'the last good bundle stays in use; if the server key changed on purpose, log in again',
    });
  }
  const files = payload.files;
  const ok =
    Array.isArray(files) &&
    files.every((f) => typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string' && /^[A-Za-z0-9._-]+\.ya?ml$/.test((f as { name: string }).name) && typeof (f as { content?: unknown }).content === 'string') &&
    typeof payload.etag === 'string';
  if (!ok) throw new ConfigError('bundle_invalid', 'the rules bundle is signed but malformed (files must be [{name: "*.yaml", content}])');
  return { files: files as RulesBundle['files'], etag: payload.etag as string, issued_at: String(payload.issued_at ?? '') };
}
