// `docker ... rm` and `docker ... prune`: what is removed, and whether volume data goes with it.
import { compactFact } from './fact-compact.js';
import { OptionTable, flag, parseArgs, type OptionSpec } from './options.js';
import type { Fact, FactValue } from './types.js';

type Fields = Record<string, FactValue>;
export type RemoveResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

const FORCE: OptionSpec = { names: ['-f', '--force'], key: 'force' };
const ALL: OptionSpec = { names: ['-a', '--all'], key: 'all' };
const FILTER: OptionSpec = { names: ['--filter'], key: 'filter', value: true };
const HELP: OptionSpec = { names: ['--help'], key: 'help' };

/** Options per `object verb`; removals with options not listed here are opaque. */
const TABLES: Record<string, OptionTable> = {
  'container rm': new OptionTable([FORCE, HELP, { names: ['-l', '--link'], key: 'link' }, { names: ['-v', '--volumes'], key: 'volumes' }]),
  'image rm': new OptionTable([FORCE, HELP, { names: ['--no-prune'], key: 'no_prune' }, { names: ['--platform'], key: 'platform', value: true }]),
  'volume rm': new OptionTable([FORCE, HELP]),
  'volume prune': new OptionTable([FORCE, HELP, ALL, FILTER]),
  'system prune': new OptionTable([FORCE, HELP, ALL, FILTER, { names: ['--volumes'], key: 'volumes' }]),
  'container prune': new OptionTable([FORCE, HELP, FILTER]),
  'image prune': new OptionTable([FORCE, HELP, ALL, FILTER]),
  'network prune': new OptionTable([FORCE, HELP, FILTER]),
  'builder prune': new OptionTable([FORCE, HELP, ALL, FILTER,
    { names: ['--keep-storage', '--reserved-space', '--max-used-space', '--min-free-space'], key: 'keep', value: true }]),
};

/** A generic table for removals of other objects (networks, contexts, secrets ...): force only. */
const OTHER = new OptionTable([FORCE, HELP]);

/** Facts for a removal; `volumes_removed` marks commands that destroy volume data. */
export function removeFacts(object: string, verb: string, args: readonly string[], base: Fields): RemoveResult {
  const command = `${object} ${verb}`;
  const parsed = parseArgs(args, TABLES[command] ?? OTHER);
  if (parsed.unknown.length > 0) return { ok: false, reason: `docker ${command}: unknown option ${parsed.unknown.join(' ')}` };
  if (flag(parsed, 'help')) return { ok: true, facts: [compactFact({ ...base, action: 'read', help: true })] };
  const names = parsed.positionals;
  if (verb === 'rm' && names.length === 0) return { ok: false, reason: `docker ${command}: nothing to remove` };
  const volumesRemoved = object === 'volume' || (command === 'system prune' && flag(parsed, 'volumes')) || (command === 'container rm' && flag(parsed, 'volumes'));
  const fields: Fields = {
    ...base,
    action: 'delete',
    names: names.length > 0 ? names : undefined,
    target: names.length > 0 ? names.join(' ') : (base.context ?? base.host ?? 'default'),
    force: flag(parsed, 'force') || undefined,
    all: flag(parsed, 'all') || undefined,
    filter: parsed.values.get('filter'),
    volumes_removed: volumesRemoved || undefined,
  };
  return { ok: true, facts: [compactFact(fields)] };
}
