// `gcloud storage cp|mv|rsync|rm|ls|cat|...`: which objects a command reads, copies or deletes.
import { compactFact } from '../fact-compact.js';
import { flag, flagOption, OptionTable, parseArgs, valueOption, type OptionSpec } from '../options.js';
import type { Action, Fact, FactValue } from '../types.js';
import { isCloudUrl, locationFields, transferFacts, type MakeFact } from './gcloud-storage-urls.js';

type Fields = Record<string, FactValue>;
export type StorageResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

const TRANSFER_SPECS: OptionSpec[] = [
  flagOption('recursive', '-r', '-R', '--recursive'),
  flagOption('dry_run', '--dry-run'),
  flagOption('delete', '--delete-unmatched-destination-objects'),
  flagOption('stdin', '-I', '--read-paths-from-stdin'),
  flagOption('all_versions', '-A', '--all-versions'),
  flagOption('no_clobber', '-n', '--no-clobber'),
  ...['-a', '--predefined-acl', '-s', '--storage-class', '-j', '--gzip-in-flight', '-z', '--gzip-local', '-L', '--manifest-path',
    '-x', '--exclude', '--cache-control', '--content-disposition', '--content-encoding', '--content-language', '--content-md5',
    '--content-type', '--custom-time', '--custom-metadata', '--additional-headers', '--encryption-key', '--decryption-keys',
    '--if-generation-match', '--if-metageneration-match', '--retain-until', '--retention-mode', '--canned-acl',
  ].map((name) => valueOption(name.replace(/^-+/, ''), name)),
];

const RM_SPECS: OptionSpec[] = [
  flagOption('recursive', '-r', '-R', '--recursive'),
  flagOption('all_versions', '-a', '--all-versions'),
  flagOption('stdin', '-I', '--read-paths-from-stdin'),
  valueOption('if_generation_match', '--if-generation-match'),
  valueOption('if_metageneration_match', '--if-metageneration-match'),
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
