// The signed rules bundle: the top-level *.yaml files of rules_dir as a compact JWS (typ
// gate-rules+jwt) signed by the server key, re-signed only when the files change. Files that
// do not parse are never served: the last good bundle is kept, else the endpoint answers 503.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { parseRuleFile } from '../policy/load-rules.js';
import { buildRuleSet } from '../policy/rule-set.js';
import { formatDiagnostic } from '../policy/rule-errors.js';
import type { SigningKey } from '../token/sign.js';
import { HttpError } from './http-error.js';

export const RULES_BUNDLE_TYPE = 'gate-rules+jwt';

export interface BundleFile {
  name: string;
  content: string;
}

export interface SignedBundle {
  jws: string;
  /** Content hash of the files (hex, unquoted). */
  etag: string;
}

export interface RulesBundle {
  /** The bundle for the files as they are now, or the last good one. */
  current(now: Date): Promise<SignedBundle>;
}

function readRuleFiles(dir: string): BundleFile[] {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
}

/** Diagnostics that make the files unusable (warnings do not). */
function ruleErrors(files: readonly BundleFile[]): string[] {
  const parsed = files.map((f) => parseRuleFile(f.content, f.name));
  const diagnostics = [...parsed.flatMap((p) => p.diagnostics), ...buildRuleSet(parsed.map((p) => p.ruleFile)).diagnostics];
  return diagnostics.filter((d) => d.severity !== 'warning').map(formatDiagnostic);
}

export function rulesBundle(dir: string, key: SigningKey, warn: (message: string) => void): RulesBundle {
  let good: SignedBundle | undefined;
  return {
    async current(now) {
      let files: BundleFile[];
      try {
        files = readRuleFiles(dir);
      } catch (error) {
        return fallBack(`cannot read rules_dir ${dir}: ${(error as Error).message}`);
      }
      const etag = createHash('sha256').update(JSON.stringify(files)).digest('hex');
      if (good?.etag === etag) return good;
      const errors = ruleErrors(files);
      if (errors.length > 0) return fallBack(`rules_dir has errors: ${errors.slice(0, 5).join('; ')}`);
      const privateKey = await importJWK(key.privateJwk, 'EdDSA');
      const jws = await new SignJWT({ files, etag, issued_at: now.toISOString() }).setProtectedHeader({ alg: 'EdDSA', typ: RULES_BUNDLE_TYPE, kid: key.kid }).sign(privateKey);
      good = { jws, etag };
      return good;

      function fallBack(problem: string): SignedBundle {
        if (good) {
          warn(`${problem}; serving the last good bundle`);
          return good;
        }
        throw new HttpError(503, 'rules_invalid', problem);
      }
    },
  };
}

/** Whether an If-None-Match header names `etag` (or is `*`); unquoted tags are accepted too. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const tag = part.trim().replace(/^W\//, '');
    return tag === '*' || tag === `"${etag}"` || tag === etag;
  });
}
