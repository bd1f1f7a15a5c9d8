// Splits an aws command line into global options, service, operation and the operation's own
// arguments. aws parses global options first, anywhere on the line (argparse
// parse_known_args), so they are removed wherever they appear and the rest keeps its order.
import { resolveLongOption } from './aws-abbrev.js';

interface GlobalOption {
  name: string;
  key: string;
  value: boolean;
}

const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  { name: '--profile', key: 'profile', value: true },
  { name: '--region', key: 'region', value: true },
  { name: '--endpoint-url', key: 'endpoint_url', value: true },
  { name: '--output', key: 'output', value: true },
  { name: '--query', key: 'query', value: true },
  { name: '--color', key: 'color', value: true },
  { name: '--ca-bundle', key: 'ca_bundle', value: true },
  { name: '--cli-read-timeout', key: 'cli_read_timeout', value: true },
  { name: '--cli-connect-timeout', key: 'cli_connect_timeout', value: true },
  { name: '--cli-binary-format', key: 'cli_binary_format', value: true },
  { name: '--debug', key: 'debug', value: false },
  { name: '--no-verify-ssl', key: 'no_verify_ssl', value: false },
  { name: '--no-paginate', key: 'no_paginate', value: false },
  { name: '--no-sign-request', key: 'no_sign_request', value: false },
  { name: '--no-cli-pager', key: 'no_cli_pager', value: false },
  { name: '--cli-auto-prompt', key: 'cli_auto_prompt', value: false },
  { name: '--no-cli-auto-prompt', key: 'no_cli_auto_prompt', value: false },
  { name: '--version', key: 'version', value: false },
];

const GLOBAL_NAMES = GLOBAL_OPTIONS.map((option) => option.name);

export interface AwsCommandLine {
  /** Global option values by key; flags record ''. The last occurrence wins. */
  globals: Map<string, string>;
  service: string | undefined;
  operation: string | undefined;
  /** Positionals after the operation (`aws ec2 wait instance-running`, s3 paths) and options, in order. */
  rest: string[];
}

export type SplitResult = { ok: true; line: AwsCommandLine } | { ok: false; reason: string };

/** Split `args` (argv without `aws`); anything aws itself would not parse unambiguously fails. */
export function splitAwsCommandLine(args: readonly string[]): SplitResult {
  const line: AwsCommandLine = { globals: new Map(), service: undefined, operation: undefined, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') return { ok: false, reason: 'aws: `--` on the command line' };
    if (token.startsWith('--')) {
      const resolved = resolveLongOption(token, GLOBAL_NAMES);
      if (resolved.kind === 'ambiguous') {
        return { ok: false, reason: `aws: ambiguous option ${token} (${resolved.candidates.join(', ')})` };
      }
      if (resolved.kind !== 'none') {
        const option = GLOBAL_OPTIONS.find((o) => o.name === resolved.name)!;
        let value = resolved.value ?? '';
        if (option.value && resolved.value === undefined) {
          const next = args[i + 1];
          // argparse refuses a value that looks like an option: aws would stop with an error.
          if (next === undefined || next.startsWith('-')) return { ok: false, reason: `aws: ${option.name} without a value` };
          value = next;
          i++;
        }
        line.globals.set(option.key, value);
        continue;
      }
    }
    const isOption = token.startsWith('-') && token.length > 1;
    // Before the command is known an unknown option could take a value and shift everything.
    if (line.operation === undefined && isOption) return { ok: false, reason: `aws: unknown option ${token} before the command` };
    if (line.service === undefined) line.service = token;
    else if (line.operation === undefined) line.operation = token;
    else line.rest.push(token);
  }
  return { ok: true, line };
}
