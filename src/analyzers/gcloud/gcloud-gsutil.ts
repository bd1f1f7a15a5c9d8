// Analyzer for gsutil. Top-level options come before the command; each command's options are
// getopt-style and stop at the first argument, so an option after an argument is really an
// argument, which gsutil would misread: such lines are opaque.
//
// Fields: command, subcommand (acl/iam/hmac ...), uri, target, bucket, path, source,
// destination, direction, recursive, delete (rsync -d), dry_run (rsync -n), all_versions,
// bucket_removal, force, billing_project, impersonate_service_account.
import { compactFact } from '../fact-compact.js';
import { opaqueFact } from '../opaque.js';
import { flag, flagOption, last, OptionTable, parseArgs, valueOption, type OptionSpec, type ParsedArgs } from '../options.js';
import type { Action, Analyzer, Fact, FactValue } from '../types.js';
import { isCloudUrl, locationFields, transferFacts, type MakeFact } from './gcloud-storage-urls.js';

type Fields = Record<string, FactValue>;

const TOP = new OptionTable([
  flagOption('debug', '-D'), flagOption('debug', '-d'), flagOption('parallel', '-m'), flagOption('quiet', '-q'),
  valueOption('header', '-h'), valueOption('impersonate', '-i'),
  valueOption('boto_option', '-o'), valueOption('billing_project', '-u'),
]);

/** getopt specs per command: a letter followed by `:` takes a value. */
const GETOPT: Record<string, string> = {
  cp: 'a:AcdDeIL:MNnpPrRs:tUvz:Zj:J', mv: 'a:AcdDeIL:MNnpPrRs:tUvz:Zj:J', rsync: 'a:cCdenpPriRs:uUx:y:j:J', rm: 'afIrR',
  rb: 'f', mb: 'b:c:l:p:s:k:', ls: 'aebdlLhp:rR', cat: 'hr:', du: 'achsX:', signurl: 'd:m:c:p:r:b:u', stat: '', hash: 'chm',
  version: 'l', help: '',
};

const LONG: Record<string, OptionSpec[]> = {
  mb: ['--retention', '--pap', '--rpo', '--placement'].map((name) => valueOption(name.slice(2), name)),
  signurl: [flagOption('u', '--use-service-account')],
};

function table(command: string): OptionTable | undefined {
  const spec = GETOPT[command];
  if (spec === undefined) return undefined;
  const specs: OptionSpec[] = [];
  for (let i = 0; i < spec.length; i++) {
    const letter = spec[i]!;
    const takesValue = spec[i + 1] === ':';
    if (takesValue) i++;
    specs.push((takesValue ? valueOption : flagOption)(letter, `-${letter}`));
  }
  return new OptionTable([...specs, ...(LONG[command] ?? [])]);
}

/** Commands with get/set/ch style subcommands: reading them is a read, changing them an access change. */
const ACCESS_COMMANDS = new Set(['acl', 'defacl', 'iam', 'hmac']);
const SETTINGS_COMMANDS = new Set([...ACCESS_COMMANDS, 'cors', 'lifecycle', 'logging', 'versioning', 'web', 'label', 'notification',
  'retention', 'kms', 'pap', 'ubla', 'bucketpolicyonly', 'requesterpays', 'defstorageclass', 'autoclass', 'rpo']);
const READ_COMMANDS = new Set(['ls', 'du', 'stat', 'hash', 'version', 'help']);
const READ_SUBCOMMANDS = new Set(['get', 'list', 'ls']);

const analyzeGsutil: Analyzer = (argv, ctx) => {
  const args = argv.slice(1);
  const top = parseArgs(args, TOP, { stopAtPositional: true });
  if (top.unknown.length > 0 || top.sawDoubleDash) return [opaqueFact('gsutil', args, ctx.via, `gsutil: unknown option ${top.unknown.join(' ') || '--'}`)];
  const command = args[top.rest];
  const base: Fields = {
    command,
    billing_project: last(top, 'billing_project'),
    impersonate_service_account: last(top, 'impersonate'),
  };
  if (command === undefined) return [compactFact({ program: 'gsutil', action: 'read', help: true, ...base })];
  const rest = args.slice(top.rest + 1);
  const options = table(command);
  if (!options) return [otherCommand(command, rest, base)];
  const parsed = parseArgs(rest, options, { stopAtPositional: true });
  const positionals = rest.slice(parsed.rest);
  if (parsed.unknown.length > 0) return [opaqueFact('gsutil', args, ctx.via, `gsutil ${command}: unknown option ${parsed.unknown.join(' ')}`)];
  if (positionals.some((p) => p.startsWith('-') && p !== '-')) return [opaqueFact('gsutil', args, ctx.via, `gsutil ${command}: option after the arguments`)];
  if (flag(parsed, 'I')) return [opaqueFact('gsutil', args, ctx.via, `gsutil ${command}: URLs read from stdin`)];
  const facts = commandFacts(command, parsed, positionals, base);
  return facts ?? [opaqueFact('gsutil', args, ctx.via, `gsutil ${command}: unexpected arguments`)];
};

function commandFacts(command: string, parsed: ParsedArgs, paths: string[], base: Fields): Fact[] | undefined {
  const fact: MakeFact = (action: Action, path, extra = {}) =>
    compactFact({ program: 'gsutil', action, ...base, ...(path === undefined ? {} : locationFields(path)), ...extra });
  const recursive = flag(parsed, 'r') || flag(parsed, 'R') || undefined;
  switch (command) {
    case 'cp':
    case 'mv':
    case 'rsync': {
      if (paths.length < 2) return undefined;
      const deletes = command === 'rsync' && flag(parsed, 'd');
      const acl = last(parsed, 'a');
      const fields: Fields = {
        recursive,
        dry_run: (command === 'rsync' && flag(parsed, 'n')) || undefined,
        delete: deletes || undefined,
        public: (acl !== undefined && /^public-read/i.test(acl)) || undefined,
      };
      return transferFacts(command, paths.slice(0, -1), paths[paths.length - 1]!, deletes, (action, path, extra = {}) => fact(action, path, { ...fields, ...extra }));
    }
    case 'rm':
      if (paths.length === 0 || !paths.every(isCloudUrl)) return undefined;
      return paths.map((url) => fact('delete', url, { recursive, all_versions: flag(parsed, 'a') || undefined }));
    case 'rb':
      if (paths.length === 0 || !paths.every(isCloudUrl)) return undefined;
      return paths.map((url) => fact('delete', url, { bucket_removal: true, force: flag(parsed, 'f') || undefined }));
    case 'mb':
      return paths.length === 0 ? undefined : paths.map((url) => fact('write', url));
    case 'cat':
    case 'signurl': {
      const urls = paths.filter(isCloudUrl);
      return urls.length === 0 ? undefined : urls.map((url) => fact('export', url));
    }
    default: {
      const urls = paths.filter(isCloudUrl);
      return urls.length === 0 ? [fact('read', undefined)] : urls.map((url) => fact('read', url));
    }
  }
}

/** Configuration commands (acl, iam, versioning, lifecycle ...): get is a read, the rest changes settings. */
function otherCommand(command: string, rest: string[], base: Fields): Fact {
  const subcommand = rest[0] !== undefined && !rest[0].startsWith('-') ? rest[0] : undefined;
  const url = rest.find(isCloudUrl);
  let action: Action = 'write';
  const readsSetting = SETTINGS_COMMANDS.has(command) && subcommand !== undefined && READ_SUBCOMMANDS.has(subcommand);
  if (READ_COMMANDS.has(command) || readsSetting) action = 'read';
  else if (ACCESS_COMMANDS.has(command)) action = 'privilege';
  // allUsers / allAuthenticatedUsers grants and public-* canned ACLs open data to the internet.
  const isPublic = action === 'privilege' && rest.some((token) => /all(authenticated)?users|public-read/i.test(token));
  return compactFact({ program: 'gsutil', action, ...base, subcommand, public: isPublic || undefined, ...(url === undefined ? {} : locationFields(url)) });
}

export const analyzers: Record<string, Analyzer> = { gsutil: analyzeGsutil };
