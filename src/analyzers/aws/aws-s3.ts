// The `aws s3` high-level commands: which S3 locations a transfer reads, writes or deletes.
import { compactFact } from '../fact-compact.js';
import { flag, has, last, type ParsedArgs } from '../options.js';
import type { Action, Fact, FactValue } from '../types.js';
import { isS3Path, parseS3Path } from './aws-s3-uri.js';
import { parseS3Options } from './aws-s3-options.js';

type Fields = Record<string, FactValue>;
export type S3Result = { ok: true; facts: Fact[] } | { ok: false; reason: string };

/** How many paths each command takes. */
const ARITY: Record<string, [number, number]> = {
  cp: [2, 2], mv: [2, 2], sync: [2, 2], rm: [1, 1], rb: [1, 1], mb: [1, 1], ls: [0, 1], presign: [1, 1], website: [1, 1],
};

/** Commands that honour --dryrun (on the others aws rejects the option and does nothing). */
const DRYRUN_COMMANDS = new Set(['cp', 'mv', 'sync', 'rm']);

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

/** Facts for `aws s3 <command> ...`; `base` carries service, operation, profile, region. */
export function analyzeS3Command(command: string, args: readonly string[], base: Fields): S3Result {
  const arity = ARITY[command];
  if (!arity) return { ok: false, reason: `aws s3: unknown command ${command}` };
  const result = parseS3Options(args);
  if (!result.ok) return result;
  const { parsed } = result;
  const paths = parsed.positionals;
  if (paths.length < arity[0] || paths.length > arity[1]) {
    return { ok: false, reason: `aws s3 ${command}: expected ${arity[0]}-${arity[1]} paths, got ${paths.length}` };
  }
  const fields: Fields = { ...base, ...optionFields(command, parsed) };
  const fact = (action: Action, path: string | undefined, extra: Fields = {}): Fact => {
    const located: Fields = path === undefined ? {} : isS3Path(path) ? s3Fields(path) : { path };
    return compactFact({ program: 'aws', action, ...fields, ...located, ...extra });
  };

  switch (command) {
    case 'cp':
    case 'mv':
    case 'sync':
      return { ok: true, facts: transferFacts(command, paths[0]!, paths[1]!, parsed, fact) };
    case 'rm':
      return requireS3(command, paths[0]!, () => [fact('delete', paths[0])]);
    case 'rb':
      return requireS3(command, paths[0]!, () => [fact('delete', paths[0], { bucket_removal: true })]);
    case 'mb':
    case 'website':
      return requireS3(command, paths[0]!, () => [fact('write', paths[0])]);
    case 'presign':
      return requireS3(command, paths[0]!, () => [fact('export', paths[0], { expires_in: last(parsed, 'expires_in') })]);
    default:
      return { ok: true, facts: [fact('read', paths[0])] };
  }
}

type MakeFact = (action: Action, path: string | undefined, extra?: Fields) => Fact;

/** cp/mv/sync: export of an S3 source, write of the destination, deletes for mv and sync --delete. */
function transferFacts(command: string, source: string, destination: string, parsed: ParsedArgs, fact: MakeFact): Fact[] {
  const fromS3 = isS3Path(source);
  const toS3 = isS3Path(destination);
  const direction = fromS3 ? (toS3 ? 'copy' : 'download') : toS3 ? 'upload' : 'local';
  const extra: Fields = { source, destination, direction };
  const facts: Fact[] = [];
  if (fromS3) facts.push(fact('export', source, extra));
  if (toS3 || !fromS3) facts.push(fact('write', destination, extra));
  if (command === 'mv' && fromS3) facts.push(fact('delete', source, extra));
  if (command === 'sync' && flag(parsed, 'delete')) facts.push(fact('delete', destination, extra));
  return facts;
}

function requireS3(command: string, path: string, make: () => Fact[]): S3Result {
  if (!isS3Path(path)) return { ok: false, reason: `aws s3 ${command}: ${path} is not an s3:// path` };
  return { ok: true, facts: make() };
}

function optionFields(command: string, parsed: ParsedArgs): Fields {
  const acl = last(parsed, 'acl');
  const grants = parsed.values.get('grants') ?? [];
  const isPublic = (acl !== undefined && PUBLIC_ACLS.has(acl.toLowerCase())) || grants.some((g) => /global\/(AllUsers|AuthenticatedUsers)/i.test(g));
  return {
    dry_run: DRYRUN_COMMANDS.has(command) && flag(parsed, 'dryrun') ? true : undefined,
    recursive: flag(parsed, 'recursive') ? true : undefined,
    delete: command === 'sync' && flag(parsed, 'delete') ? true : undefined,
    force: command === 'rb' && flag(parsed, 'force') ? true : undefined,
    public: isPublic ? true : undefined,
    acl: acl?.toLowerCase(),
    include: has(parsed, 'include') ? parsed.values.get('include') : undefined,
    exclude: has(parsed, 'exclude') ? parsed.values.get('exclude') : undefined,
  };
}

function s3Fields(path: string): Fields {
  const location = parseS3Path(path);
  return { uri: location.uri, target: location.bucket === '' ? undefined : location.bucket, bucket: location.bucket || undefined, key: location.key || undefined };
}
