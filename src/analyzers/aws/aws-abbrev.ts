// argparse accepts a long option by any unambiguous prefix (`--prof` for `--profile`), and the
// AWS CLI does not turn that off, so analyzers must resolve prefixes the way aws would.

export type Resolved =
  | { kind: 'exact' | 'prefix'; name: string; value: string | undefined }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'none' };

/** Resolve `--name[=value]` against `names` as argparse does: exact first, then a unique prefix. */
export function resolveLongOption(token: string, names: readonly string[]): Resolved {
  if (!token.startsWith('--') || token === '--') return { kind: 'none' };
  const eq = token.indexOf('=');
  const name = eq === -1 ? token : token.slice(0, eq);
  const value = eq === -1 ? undefined : token.slice(eq + 1);
  if (names.includes(name)) return { kind: 'exact', name, value };
  // argparse treats a token with a space that matches nothing as a positional, not an option.
  if (name.includes(' ')) return { kind: 'none' };
  const candidates = names.filter((candidate) => candidate.startsWith(name));
  if (candidates.length === 1) return { kind: 'prefix', name: candidates[0]!, value };
  if (candidates.length > 1) return { kind: 'ambiguous', candidates };
  return { kind: 'none' };
}

/** Whether `token` (before any `=`) spells `name` in full or as a prefix aws would accept. */
export function spellsOption(token: string, name: string, minLength = 3): boolean {
  if (!token.startsWith('--')) return false;
  const eq = token.indexOf('=');
  const spelled = eq === -1 ? token : token.slice(0, eq);
  return spelled.length >= minLength && name.startsWith(spelled);
}
