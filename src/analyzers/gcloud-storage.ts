// `gcloud storage cp|mv|rsync|rm|ls|cat|...`: which objects a command reads, copies or deletes.
import { compactFact } from './fact-compact.js';
import { isCloudUrl, locationFields, transferFacts, type MakeFact } from './gcloud-storage-urls.js';
import { OptionTable, flag, parseArgs, type OptionSpec } from './options.js';
import type { Action, Fact, FactValue } from './types.js';

type Fields = Record<string, FactValue>;
export type StorageResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

const TRANSFER_SPECS: OptionSpec[] = [
  { names: ['-r', '-R', '--recursive'], key: 'recursive' },
  { names: ['--dry-run'], key: 'dry_run' },
  { names: ['--delete-unmatched-destination-objects'], key: 'delete' },
  { names: ['-I', '--read-paths-from-stdin'], key: 'stdin' },
  { names: ['-A', '--all-versions'], key: 'all_versions' },
  { names: ['-n', '--no-clobber'], key: 'no_clobber' },
  ...['-a', '--predefined-acl', '-s', '--storage-class', '-j', '--gzip-in-flight', '-z', '--gzip-local', '-L', '--manifest-path',
    '-x', '--exclude', '--cache-control', '--content-disposition', '--content-encoding', '--content-language', '--content-md5',
    '--content-type', '--custom-time', '--custom-metadata', '--additional-headers', '--encryption-key', '--decryption-keys',
    '--if-generation-match', '--if-metageneration-match', '--retain-until', '--retention-mode', '--canned-acl',
  ].map((name) => ({ names: [name], key: name.replace(/^-+/, ''), value: true })),
];

const RM_SPECS: OptionSpec[] = [
  { names: ['-r', '-R', '--recursive'], key: 'recursive' },
  { names: ['-a', '--all-versions'], key: 'all_versions' },
  { names: ['-I', '--read-paths-from-stdin'], key: 'stdin' },
  { names: ['--if-generation-match'], key: 'if_generation_match', value: true },
  { names: ['--if-metageneration-match'], key: 'if_metageneration_match', value: true },
];

const TRANSFER = new OptionTable(TRANSFER_SPECS);
const RM = new OptionTable(RM_SPECS);

/** Read-only top-level storage verbs, and those whose output is the object data itself. */
const READS = new Set(['ls', 'du', 'hash']);
const EXPORTS = new Set(['cat', 'sign-url']);

/** Facts for `gcloud storage <verb> ...`, or undefined when the verb is not a top-level one. */
export function analyzeGcloudStorage(verb: string, rest: readonly string[], base: Fields): StorageResult | undefined {
  const fact: MakeFact = (action: Action, path, extra = {}) =>
    compactFact({ program: 'gcloud', action, ...base, ...(path === undefined ? {} : locationFields(path)), ...extra });
  if (verb === 'cp' || verb === 'mv' || verb === 'rsync') {
    const parsed = parseArgs(rest, TRANSFER);
    if (flag(parsed, 'stdin')) return { ok: false, reason: `gcloud storage ${verb}: paths read from stdin` };
    const paths = parsed.positionals;
    if (paths.length < 2) return { ok: false, reason: `gcloud storage ${verb}: expected a source and a destination` };
    const dryRun = verb === 'rsync' && flag(parsed, 'dry_run');
    const deletes = verb === 'rsync' && flag(parsed, 'delete');
    const fields: Fields = { recursive: flag(parsed, 'recursive') || undefined, dry_run: dryRun || undefined, delete: deletes || undefined };
    const withFields: MakeFact = (action, path, extra = {}) => fact(action, path, { ...fields, ...extra });
    return { ok: true, facts: transferFacts(verb, paths.slice(0, -1), paths[paths.length - 1]!, deletes, withFields) };
  }
  if (verb === 'rm') {
    const parsed = parseArgs(rest, RM);
    if (flag(parsed, 'stdin')) return { ok: false, reason: 'gcloud storage rm: URLs read from stdin' };
    const urls = parsed.positionals;
    if (urls.length === 0 || !urls.every(isCloudUrl)) return { ok: false, reason: 'gcloud storage rm: expected cloud URLs' };
    const extra: Fields = { recursive: flag(parsed, 'recursive') || undefined, all_versions: flag(parsed, 'all_versions') || undefined };
    return { ok: true, facts: urls.map((url) => fact('delete', url, extra)) };
  }
  if (READS.has(verb) || EXPORTS.has(verb)) {
    const urls = parseArgs(rest, TRANSFER).positionals.filter(isCloudUrl);
    const action: Action = READS.has(verb) ? 'read' : 'export';
    return { ok: true, facts: urls.length === 0 ? [fact(action, undefined)] : urls.map((url) => fact(action, url)) };
  }
  return undefined;
}
