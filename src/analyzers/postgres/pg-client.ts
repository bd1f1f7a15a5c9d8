// What every Postgres client analyzer starts with: parse argv against the client's option
// table, hide passwords from the facts' args, and settle --help/--version and unknown options.
import { opaqueFact } from '../opaque.js';
import { OptionTable, has, parseArgs, type OptionSpec, type ParsedArgs } from '../options.js';
import { programName } from '../program.js';
import type { Fact } from '../types.js';
import { redactSecrets } from './pg-conninfo.js';

export interface ClientCall {
  program: string;
  /** The arguments with passwords masked: facts carry these, never the raw ones. */
  args: string[];
  parsed: ParsedArgs;
  /** Set when the call is settled without looking further (help, version, unknown options). */
  settled?: Fact[];
}

const tables = new Map<OptionSpec[], OptionTable>();

/** Parse a client invocation. */
export function parseClient(argv: readonly string[], specs: OptionSpec[], via: string[]): ClientCall {
  let table = tables.get(specs);
  if (!table) tables.set(specs, (table = new OptionTable(specs)));
  const program = programName(argv[0] ?? '');
  const raw = argv.slice(1);
  const args = raw.map(redactSecrets);
  const parsed = parseArgs(raw, table);
  const call: ClientCall = { program, args, parsed };
  if (has(parsed, 'help') || has(parsed, 'version')) {
    // Both print and exit before connecting, whatever else is on the line.
    call.settled = [{ program, action: 'read', args, help: true }];
  } else if (parsed.unknown.length > 0) {
    call.settled = [opaqueFact(program, args, via, `unknown ${program} option ${parsed.unknown[0]!}`)];
  }
  return call;
}
