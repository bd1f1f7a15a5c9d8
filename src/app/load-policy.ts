// Reads every rule source (shipped packs, user rules, --rules, GATE_RULES) and compiles them
// once. Any problem stops gate with exit 78: a broken rules file fails closed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Env } from '../analyzers/types.js';
import { rulesError, type RuleDiagnostic } from '../policy/rule-errors.js';
import { buildRuleSet, type RuleSet } from '../policy/rule-set.js';
import type { RuleFile } from '../policy/rule.js';
import { gatePackageRoot, gatePaths } from '../platform/paths.js';
import { deserializeParsedFile, serializeParsedFile, type ParsedFile } from '../policy/rules-cache.js';
import { VERSION } from '../version.js';

export interface RuleSource {
  dir: string;
  /** A missing optional directory is skipped; a missing explicit one is an error. */
  optional: boolean;
  /**
   * Whether its allow rules count. --rules and GATE_RULES are set per invocation, by whoever
   * runs gate (an agent too), so they may only tighten: their allow rules are ignored.
   */
  canAllow: boolean;
}

/** The rule directories in load order. */
export function ruleSources(env: Env, extraDirs: readonly string[]): RuleSource[] {
  const sources: RuleSource[] = [
    { dir: join(gatePackageRoot(), 'rules'), optional: false, canAllow: true },
    { dir: gatePaths(env).rules, optional: true, canAllow: true },
    // The server's signed bundle, as last pulled and verified (`gate rules pull`).
    { dir: join(gatePaths(env).state, 'bundle', 'rules'), optional: true, canAllow: true },
  ];
  for (const dir of extraDirs) sources.push({ dir, optional: false, canAllow: false });
  for (const dir of (env.GATE_RULES ?? '').split(':')) if (dir !== '') sources.push({ dir, optional: false, canAllow: false });
  return sources;
}

type Parse = (text: string, file: string) => ParsedFile;

/**
 * The YAML rules parser, loaded on first need: with every file in the compiled-rules cache a
 * run never loads (or compiles) the YAML library.
 */
let parser: Parse | undefined;
async function rulesParser(): Promise<Parse> {
  parser ??= (await import('../policy/load-rules.js')).parseRuleFile;
  return parser;
}

/** Load and compile all sources; returns diagnostics instead of throwing (for lint). */
export async function loadRuleSources(sources: readonly RuleSource[], cacheDir?: string): Promise<{ ruleSet: RuleSet; diagnostics: RuleDiagnostic[] }> {
  const files: RuleFile[] = [];
  const diagnostics: RuleDiagnostic[] = [];
  for (const source of sources) {
    for (const file of listRuleFiles(source, diagnostics)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        diagnostics.push({ code: 'unreadable', message: (error as Error).message, location: { file: displayPath(file), line: 1, col: 1 } });
        continue;
      }
      const parsed = cacheDir === undefined ? (await rulesParser())(text, displayPath(file)) : await cachedParse(cacheDir, text, displayPath(file));
      parsed.ruleFile.canAllow = source.canAllow;
      files.push(parsed.ruleFile);
      diagnostics.push(...parsed.diagnostics);
    }
  }
  const built = buildRuleSet(files);
  diagnostics.push(...built.diagnostics);
  return { ruleSet: built.ruleSet, diagnostics };
}

/**
 * A rules file parsed once per content: the cache key covers gate's version, the file's name
 * (it appears in diagnostics) and its bytes, so any edit misses. A broken or unwritable cache
 * only costs a parse.
 */
async function cachedParse(cacheDir: string, text: string, file: string): Promise<ParsedFile> {
  const key = createHash('sha256').update(`${VERSION}\0${file}\0${text}`).digest('hex');
  const entry = join(cacheDir, `${key}.json`);
  try {
    const hit = deserializeParsedFile(readFileSync(entry, 'utf8'));
    if (hit && hit.ruleFile.file === file) return hit;
  } catch {
    // not cached yet
  }
  const parsed = (await rulesParser())(text, file);
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${entry}.${process.pid}.tmp`;
    writeFileSync(tmp, serializeParsedFile(parsed), { mode: 0o600 });
    renameSync(tmp, entry);
  } catch {
    // The cache is an optimization only.
  }
  return parsed;
}

/** Load all sources or throw the exit-78 error naming the first problem. */
export async function loadPolicy(env: Env, extraDirs: readonly string[]): Promise<RuleSet> {
  const { ruleSet, diagnostics } = await loadRuleSources(ruleSources(env, extraDirs), join(gatePaths(env).state, 'cache', 'rules'));
  const errors = diagnostics.filter((d) => d.severity !== 'warning');
  if (errors.length > 0) throw rulesError(errors);
  return ruleSet;
}

function listRuleFiles(source: RuleSource, diagnostics: RuleDiagnostic[]): string[] {
  let names: string[];
  try {
    if (!statSync(source.dir).isDirectory()) {
      // A single file given with --rules is fine too.
      return [source.dir];
    }
    names = readdirSync(source.dir);
  } catch (error) {
    if (source.optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    diagnostics.push({ code: 'unreadable', message: `rules directory: ${(error as Error).message}`, location: { file: displayPath(source.dir), line: 1, col: 1 } });
    return [];
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(source.dir, n));
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}
