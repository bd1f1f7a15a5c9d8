// `git config`: reading is harmless; writing a key that names a program (core.pager,
// alias.*, core.sshCommand, ...) arms every later git command, so writes say which key and
// whether it is known to be inert.
import { has } from '../options.js';
import type { ScannedArgs } from '../scan-args.js';
import type { Fact } from '../types.js';
import type { LocalResult } from './git-local.js';
import { isSafeConfigKey } from './git-safety.js';

const READ_SUBCOMMANDS = new Set(['list', 'get']);
const WRITE_SUBCOMMANDS = new Set(['set', 'unset', 'rename-section', 'remove-section', 'edit']);
const READ_FLAGS = ['list', 'get', 'get_all', 'get_regexp', 'get_urlmatch', 'get_color', 'get_colorbool'];
const WRITE_FLAGS = ['add', 'replace_all', 'unset', 'unset_all', 'rename_section', 'remove_section', 'edit'];

/** Facts for `git config ...`, or undefined for an unknown subcommand. */
export function configFacts(scan: ScannedArgs): LocalResult | undefined {
  const p = scan.parsed;
  let words = [...scan.positionals, ...(scan.afterDashDash ?? [])];
  let operation: string;
  if (words[0] !== undefined && (READ_SUBCOMMANDS.has(words[0]) || WRITE_SUBCOMMANDS.has(words[0]))) {
    operation = words[0];
    words = words.slice(1);
  } else if (READ_FLAGS.some((k) => has(p, k))) {
    operation = 'get';
  } else if (WRITE_FLAGS.some((k) => has(p, k))) {
    operation = has(p, 'edit')
      ? 'edit'
      : has(p, 'unset') || has(p, 'unset_all')
        ? 'unset'
        : has(p, 'rename_section')
          ? 'rename-section'
          : has(p, 'remove_section')
            ? 'remove-section'
            : 'set';
  } else if (words.length === 1) {
    operation = 'get';
  } else if (words.length >= 2) {
    operation = 'set';
  } else {
    return undefined;
  }
  const fields: Partial<Fact> = { operation };
  const key = words[0];
  if (key !== undefined && operation !== 'list') fields.config_key = key.toLowerCase();
  if (has(p, 'global')) fields.scope = 'global';
  else if (has(p, 'system')) fields.scope = 'system';
  else if (has(p, 'file')) fields.scope = 'file';
  if (READ_SUBCOMMANDS.has(operation)) return { action: 'read', fields };
  // Unsetting removes a behaviour; setting or editing may add one that runs a program.
  // A --file write can land in any file, so only the repository's and user's own config count.
  const safe = operation === 'unset' || (key !== undefined && operation === 'set' && isSafeConfigKey(key));
  if (safe && fields.scope !== 'file') fields.config_safe = true;
  return { action: 'write', fields };
}
