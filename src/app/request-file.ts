// Pending requests are saved in full so a reviewer can approve them later
// (`gate approve --offline --request FILE`). The file carries the redacted view a reviewer
// reads and the binding fields, so the reviewer's gate can recompute the digest and check
// that what it shows is what the token will approve.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { redactArgv } from '../policy/redact.js';
import type { BindingFields, Request } from '../policy/request.js';
import type { ExplainView } from './explain-view.js';

export const REQUEST_FILE_VERSION = 1;

export interface SavedRequest extends ExplainView {
  version: number;
  /** The digest's inputs; argv is null when it holds secrets (only the redacted view is kept). */
  binding: Omit<BindingFields, 'argv'> & { argv: string[] | null };
}

export function savedRequest(view: ExplainView, request: Request): SavedRequest {
  const secretFree = JSON.stringify(redactArgv(request.argv)) === JSON.stringify(request.argv);
  return {
    version: REQUEST_FILE_VERSION,
    ...view,
    binding: { argv: secretFree ? request.argv : null, exe: request.exe, exe_sha256: request.exe_sha256, cwd: request.cwd, env: request.env, actor: request.actor, host: request.host },
  };
}

/** Write the request as JSON (0600) under the requests directory; returns the path. */
export function saveRequestFile(dir: string, saved: SavedRequest): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${saved.request.id}.json`);
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/** Read a request file, or throw a usage error that says what is wrong with it. */
export function readRequestFile(path: string): SavedRequest {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read request file ${path}: ${(error as Error).message}`, { hint: 'pass the request_file that `gate --wait 0 --json -- <command>` printed' });
  }
  const saved = value as SavedRequest;
  const ok =
    typeof saved === 'object' && saved !== null && saved.version === REQUEST_FILE_VERSION &&
    typeof saved.request?.digest === 'string' && /^[0-9a-f]{64}$/.test(saved.request.digest) &&
    typeof saved.request.actor === 'string' && typeof saved.request.id === 'string' &&
    Array.isArray(saved.rules) && typeof saved.binding === 'object' && saved.binding !== null;
  if (!ok) throw new UsageError(`${path} is not a gate request file (version ${REQUEST_FILE_VERSION})`, { hint: 'pass the request_file that `gate --wait 0 --json -- <command>` printed' });
  return saved;
}
