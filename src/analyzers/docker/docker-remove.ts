// `docker ... rm` and `docker ... prune`: what is removed, and whether volume data goes with it.
import { compactFact } from '../fact-compact.js';
import { flag, flagOption, OptionTable, parseArgs, valueOption, type OptionSpec } from '../options.js';
import type { Fact, FactValue } from '../types.js';

type Fields = Record<string, FactValue>;
export type RemoveResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

const FORCE: OptionSpec = flagOption('force', '-f', '--force');
const ALL: OptionSpec = flagOption('all', '-a', '--all');
const FILTER: OptionSpec = valueOption('filter', '--filter');
const HELP: OptionSpec = flagOption('help', '--help');

/** Options per `object verb`; removals with options not listed here are opaque. */
const TABLES: Record<string, OptionTable> = {
  'container rm': new OptionTable([FORCE, HELP, flagOption('link', '-l', '--link'), flagOption('volumes', '-v', '--volumes')]),
  'image rm': new OptionTable([FORCE, HELP, flagOption('no_prune', '--no-prune'), valueOption('platform', '--platform')]),
  'volume rm': new OptionTable([FORCE, HELP]),
  'volume prune': new OptionTable([FORCE, HELP, ALL, FILTER]),
  'system prune': new OptionTable([FORCE, HELP, ALL, FILTER, flagOption('volumes', '--volumes')]),
  'container prune': new OptionTable([FORCE, HELP, FILTER]),
  'image prune': new OptionTable([FORCE, HELP, ALL, FILTER]),
  'network prune': new OptionTable([FORCE, HELP, FILTER]),
  'builder prune': new OptionTable([FORCE, HELP, ALL, FILTER,
    valueOption('keep', '--keep-storage', '--reserved-space', '--max-used-space', '--min-free-space')]),
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
