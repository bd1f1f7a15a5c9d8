// Splits a gcloud command line into global flags (accepted anywhere), release track, command
// group path, verb and the verb's own arguments.
import { flagOption, OptionTable, valueOption, type OptionSpec } from '../options.js';
import { verbClass, type VerbClass } from './gcloud-verbs.js';

const GLOBAL_SPECS: OptionSpec[] = [
  valueOption('project', '--project'),
  valueOption('account', '--account'),
  valueOption('configuration', '--configuration'),
  valueOption('impersonate_service_account', '--impersonate-service-account'),
  valueOption('billing_project', '--billing-project'),
  valueOption('flags_file', '--flags-file'),
  valueOption('flatten', '--flatten'),
  valueOption('format', '--format'),
  valueOption('verbosity', '--verbosity'),
  valueOption('trace_token', '--trace-token'),
  valueOption('access_token_file', '--access-token-file'),
  valueOption('universe_domain', '--universe-domain'),
  valueOption('authority_selector', '--authority-selector'),
  valueOption('authorization_token_file', '--authorization-token-file'),
  valueOption('credential_file_override', '--credential-file-override'),
  valueOption('http_timeout', '--http-timeout'),
  flagOption('quiet', '--quiet', '-q'),
  flagOption('help', '--help', '-h'),
  flagOption('version', '--version'),
  flagOption('log_http', '--log-http', '--no-log-http'),
  flagOption('user_output_enabled', '--user-output-enabled', '--no-user-output-enabled'),
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
