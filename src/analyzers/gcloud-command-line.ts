// Splits a gcloud command line into global flags (accepted anywhere), release track, command
// group path, verb and the verb's own arguments.
import { verbClass, type VerbClass } from './gcloud-verbs.js';
import { OptionTable, type OptionSpec } from './options.js';

const GLOBAL_SPECS: OptionSpec[] = [
  { names: ['--project'], key: 'project', value: true },
  { names: ['--account'], key: 'account', value: true },
  { names: ['--configuration'], key: 'configuration', value: true },
  { names: ['--impersonate-service-account'], key: 'impersonate_service_account', value: true },
  { names: ['--billing-project'], key: 'billing_project', value: true },
  { names: ['--flags-file'], key: 'flags_file', value: true },
  { names: ['--flatten'], key: 'flatten', value: true },
  { names: ['--format'], key: 'format', value: true },
  { names: ['--verbosity'], key: 'verbosity', value: true },
  { names: ['--trace-token'], key: 'trace_token', value: true },
  { names: ['--access-token-file'], key: 'access_token_file', value: true },
  { names: ['--universe-domain'], key: 'universe_domain', value: true },
  { names: ['--authority-selector'], key: 'authority_selector', value: true },
  { names: ['--authorization-token-file'], key: 'authorization_token_file', value: true },
  { names: ['--credential-file-override'], key: 'credential_file_override', value: true },
  { names: ['--http-timeout'], key: 'http_timeout', value: true },
  { names: ['--quiet', '-q'], key: 'quiet' },
  { names: ['--help', '-h'], key: 'help' },
  { names: ['--version'], key: 'version' },
  { names: ['--log-http', '--no-log-http'], key: 'log_http' },
  { names: ['--user-output-enabled', '--no-user-output-enabled'], key: 'user_output_enabled' },
];

const GLOBALS = new OptionTable(GLOBAL_SPECS);
const TRACKS = new Set(['alpha', 'beta', 'preview']);

export interface GcloudCommandLine {
  globals: Map<string, string>;
  track: string | undefined;
  /** Group words before the verb: ["compute", "instances"]. */
  groups: string[];
  verb: string | undefined;
  verbClass: VerbClass | undefined;
  /** The verb's arguments in order, global flags removed. */
  rest: string[];
}

export type SplitResult = { ok: true; line: GcloudCommandLine } | { ok: false; reason: string };

/** Split `args` (argv without `gcloud`). */
export function splitGcloudCommandLine(args: readonly string[]): SplitResult {
  const line: GcloudCommandLine = { globals: new Map(), track: undefined, groups: [], verb: undefined, verbClass: undefined, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      // gcloud passes what follows `--` through (ssh flags, a build command): keep it as arguments.
      if (line.verb === undefined) return { ok: false, reason: 'gcloud: `--` before the command' };
      line.rest.push(...args.slice(i));
      break;
    }
    const global = globalOption(token);
    if (global) {
      let value = global.inline ?? '';
      if (global.spec.value && global.inline === undefined) {
        if (i + 1 >= args.length) return { ok: false, reason: `gcloud: ${token} without a value` };
        value = args[++i]!;
      }
      line.globals.set(global.spec.key, token.startsWith('--no-') ? 'false' : value);
      continue;
    }
    if (line.verb !== undefined) {
      line.rest.push(token);
      continue;
    }
    if (token.startsWith('-') && token.length > 1) return { ok: false, reason: `gcloud: unknown flag ${token} before the command` };
    if (line.groups.length === 0 && line.track === undefined && TRACKS.has(token)) {
      line.track = token;
      continue;
    }
    const verb = verbClass(token, line.groups.length);
    if (verb) {
      line.verb = token;
      line.verbClass = verb;
    } else {
      line.groups.push(token);
    }
  }
  return { ok: true, line };
}

function globalOption(token: string): { spec: OptionSpec; inline: string | undefined } | undefined {
  if (!token.startsWith('-')) return undefined;
  const eq = token.startsWith('--') ? token.indexOf('=') : -1;
  const name = eq === -1 ? token : token.slice(0, eq);
  const spec = GLOBALS.get(name);
  return spec ? { spec, inline: eq === -1 ? undefined : token.slice(eq + 1) } : undefined;
}
