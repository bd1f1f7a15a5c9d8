// `gate rules pull`: fetch the server's signed rules bundle (ETag), verify it against the
// pinned key, check that it loads, and only then replace the cached copy. The cache serves
// offline runs; a bad bundle never replaces a good one.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../analyzers/types.js';
import { unreachable } from '../approval/http-client.js';
import { ConfigError } from '../errors.js';
import { parseRuleFile } from '../policy/load-rules.js';
import { rulesError } from '../policy/rule-errors.js';
import { gatePaths } from '../platform/paths.js';
import { verifyRulesBundle } from '../token/rules-bundle.js';
import type { Session } from './login.js';
import { readTrust } from './trust-file.js';

export interface PullResult {
  status: 'updated' | 'unchanged';
  etag: string;
  files: string[];
}

/** Where the verified bundle's rule files are kept. */
export function bundleDir(env: Env): string {
  return join(gatePaths(env).state, 'bundle');
}

function cachedEtag(env: Env): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(bundleDir(env), 'bundle.json'), 'utf8')) as { etag?: string }).etag;
  } catch {
    return undefined;
  }
}

export async function pullRules(env: Env, session: Session, now: Date, fetcher: typeof fetch = fetch): Promise<PullResult> {
  const etag = cachedEtag(env);
  let response: Response;
  try {
    response = await fetcher(`${session.settings.url}/v1/rules/bundle`, { headers: { authorization: `Bearer ${session.token}`, ...(etag ? { 'if-none-match': etag } : {}) } });
  } catch (error) {
    throw unreachable(session.settings.url, error);
  }
  if (response.status === 304 && etag) return { status: 'unchanged', etag, files: [] };
  if (response.status === 404) throw new ConfigError('no_bundle', `${session.settings.url} serves no rules bundle`, undefined, { hint: 'the server needs rules_dir in its config' });
  if (!response.ok) throw new ConfigError('bundle_fetch', `fetching the rules bundle failed: HTTP ${response.status}`);
  const jws = (await response.text()).trim();
  const pinned = readTrust(gatePaths(env).trust).entries.find((e) => e.kid === session.settings.kid && e.revoked === null);
  if (!pinned) throw new ConfigError('no_pinned_key', 'the server key is not pinned in the trust store', undefined, { hint: `gate login ${session.settings.url} --token TOKEN` });
  const bundle = await verifyRulesBundle(jws, pinned.jwk, now);
  // Refuse a bundle whose rules do not load: gate would otherwise stop with 78 on every run.
  const problems = bundle.files.flatMap((f) => parseRuleFile(f.content, `bundle:${f.name}`).diagnostics.filter((d) => d.severity !== 'warning'));
  if (problems.length > 0) throw rulesError(problems);
  const dir = bundleDir(env);
  const staging = `${dir}.${process.pid}.new`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'rules'), { recursive: true, mode: 0o700 });
  for (const file of bundle.files) writeFileSync(join(staging, 'rules', file.name), file.content, { mode: 0o600 });
  writeFileSync(join(staging, 'bundle.json'), JSON.stringify({ etag: bundle.etag, issued_at: bundle.issued_at, server: session.settings.url, jws }, null, 2));
  const old = `${dir}.${process.pid}.old`;
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(dir, old);
  } catch {
    // first pull: nothing to move aside
  }
  renameSync(staging, dir);
  rmSync(old, { recursive: true, force: true });
  return { status: 'updated', etag: bundle.etag, files: bundle.files.map((f) => f.name) };
}
