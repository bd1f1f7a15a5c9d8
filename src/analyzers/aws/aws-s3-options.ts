// Options of the `aws s3` high-level commands (cp, mv, sync, rm, rb, mb, ls, presign, website),
// normalized before parsing: argparse prefixes expanded, and the options whose value count
// is not one (`--sse [AES256]`, `--grants a b c`) rewritten to `--name=value` form.
import { flagOption, optionalValueOption, optionKey, OptionTable, parseArgs, valueOption, type OptionSpec, type ParsedArgs } from '../options.js';
import { resolveLongOption } from './aws-abbrev.js';

const FLAGS = [
  '--dryrun', '--quiet', '--recursive', '--follow-symlinks', '--no-follow-symlinks', '--no-guess-mime-type',
  '--only-show-errors', '--no-progress', '--ignore-glacier-warnings', '--force-glacier-transfer', '--delete',
  '--exact-timestamps', '--size-only', '--human-readable', '--summarize', '--force', '--no-overwrite',
];

const VALUED = [
  '--include', '--exclude', '--acl', '--sse-c-key', '--sse-kms-key-id', '--sse-c-copy-source-key', '--storage-class',
  '--website-redirect', '--content-type', '--cache-control', '--content-disposition', '--content-encoding',
  '--content-language', '--expires', '--source-region', '--page-size', '--metadata', '--metadata-directive',
  '--copy-props', '--checksum-mode', '--checksum-algorithm', '--expected-size', '--expires-in', '--index-document',
  '--error-document', '--bucket-name-prefix', '--bucket-region', '--case-conflict',
];

/** nargs='?' options and the value argparse stores when none is given. */
const OPTIONAL_VALUE: Record<string, string> = {
  '--sse': 'AES256',
  '--sse-c': 'AES256',
  '--sse-c-copy-source': 'AES256',
  '--request-payer': 'requester',
};

/** nargs='+' options. */
const MANY_VALUES = ['--grants'];

const ALL_NAMES = [...FLAGS, ...VALUED, ...Object.keys(OPTIONAL_VALUE), ...MANY_VALUES];

const key = (name: string): string => optionKey(name.slice(2));

const SPECS: OptionSpec[] = [
  ...FLAGS.map((name) => flagOption(key(name), name)),
  flagOption('recursive', '-r'),
  ...VALUED.map((name) => valueOption(key(name), name)),
  ...[...Object.keys(OPTIONAL_VALUE), ...MANY_VALUES].map((name) => optionalValueOption(key(name), name)),
];

const TABLE = new OptionTable(SPECS);

export type S3ParseResult = { ok: true; parsed: ParsedArgs } | { ok: false; reason: string };

/** Parse the arguments after `aws s3 <command>`; unknown or ambiguous options fail. */
export function parseS3Options(args: readonly string[]): S3ParseResult {
  const tokens: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    const resolved = resolveLongOption(token, ALL_NAMES);
    if (resolved.kind === 'ambiguous') return { ok: false, reason: `aws s3: ambiguous option ${token}` };
    if (resolved.kind === 'none') {
      tokens.push(token);
      continue;
    }
    const { name, value } = resolved;
    const takesValue = (next: string | undefined): next is string => next !== undefined && !next.startsWith('-');
    if (name in OPTIONAL_VALUE && value === undefined) {
      // argparse gives nargs='?' the next argument when it is not an option, else the const.
      tokens.push(`${name}=${takesValue(args[i + 1]) ? args[++i] : OPTIONAL_VALUE[name]}`);
    } else if (MANY_VALUES.includes(name) && value === undefined) {
      if (!takesValue(args[i + 1])) return { ok: false, reason: `aws s3: ${name} without a value` };
      while (takesValue(args[i + 1])) tokens.push(`${name}=${args[++i]}`);
    } else {
      tokens.push(value === undefined ? name : `${name}=${value}`);
    }
  }
  const parsed = parseArgs(tokens, TABLE);
  if (parsed.sawDoubleDash) return { ok: false, reason: 'aws s3: `--` on the command line' };
  if (parsed.unknown.length > 0) return { ok: false, reason: `aws s3: unknown option ${parsed.unknown.join(' ')}` };
  return { ok: true, parsed };
}
