// Parses one rules file (YAML) into validated, compiled rules, collecting every problem with
// its file:line:col and a stable code. Pure: the caller reads the file.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { KNOWN_FACT_FIELDS } from '../analyzers/fields.js';
import { checkGlob, compileResourceGlob } from './glob.js';
import { parseDuration } from './duration.js';
import { compileMatch, programLiterals, type MatchScalar, type MatchSpec } from './match.js';
import { EFFECTS, RISKS, type ClassifyEntry, type Effect, type Location, type Risk, type Rule, type RuleFile } from './rule.js';
import type { RuleDiagnostic, RuleErrorCode } from './rule-errors.js';

const TOP_KEYS = new Set(['rules', 'classify', 'default_effect']);
const RULE_KEYS = new Set(['id', 'description', 'match', 'effect', 'approvers', 'policy', 'risk', 'reason', 'ttl', 'pending', 'inline', 'tests']);
const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;

class FileReader {
  readonly diagnostics: RuleDiagnostic[] = [];
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  at(node: Node | null | undefined): Location {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  report(node: Node | null | undefined, code: RuleErrorCode, message: string): void {
    this.diagnostics.push({ code, message, location: this.at(node) });
  }

  warn(node: Node | null | undefined, code: RuleErrorCode, message: string): void {
    this.diagnostics.push({ code, message, location: this.at(node), severity: 'warning' });
  }

  /** Errors so far (warnings do not stop a rule from loading). */
  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity !== 'warning').length;
  }

  /** A mapping's pairs with string keys; reports non-string keys. */
  pairs(map: YAMLMap): Array<{ key: string; keyNode: Node; value: Node | null }> {
    const out: Array<{ key: string; keyNode: Node; value: Node | null }> = [];
    for (const pair of map.items as Array<Pair<Node, Node | null>>) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') {
        this.report(pair.key, 'bad-shape', 'keys must be plain strings');
        continue;
      }
      out.push({ key: pair.key.value, keyNode: pair.key, value: pair.value });
    }
    return out;
  }

  string(node: Node | null, what: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value;
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) return String(node.value);
    this.report(node, 'bad-value', `${what} must be a non-empty string`);
    return undefined;
  }

  stringList(node: Node | null, what: string): string[] {
    if (isSeq(node)) {
      const out: string[] = [];
      for (const item of node.items as Node[]) {
        const s = this.string(item, `each entry of ${what}`);
        if (s !== undefined) out.push(s);
      }
      return out;
    }
    const single = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    if (single !== undefined) return [single];
    this.report(node, 'bad-value', `${what} must be a list of strings`);
    return [];
  }
}

/** Parse and validate one rules file. Always returns; problems are in `diagnostics`. */
export function parseRuleFile(text: string, file: string): { ruleFile: RuleFile; diagnostics: RuleDiagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new FileReader(file, lines);
  const ruleFile: RuleFile = { file, rules: [], classify: [], defaultEffect: undefined, canAllow: true };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      r.diagnostics.push({ code: 'yaml-syntax', message: error.message.split('\n')[0]!, location: { file, line: pos.line, col: pos.col } });
    }
    return { ruleFile, diagnostics: r.diagnostics };
  }
  const root = doc.contents as Node | null;
  if (root === null) return { ruleFile, diagnostics: r.diagnostics };
  if (!isMap(root)) {
    r.report(root, 'bad-shape', 'a rules file is a mapping with `rules:` and optional `classify:`');
    return { ruleFile, diagnostics: r.diagnostics };
  }
  for (const { key, keyNode, value } of r.pairs(root)) {
    if (!TOP_KEYS.has(key)) {
      r.report(keyNode, 'unknown-key', `unknown top-level key "${key}" (expected rules, classify, default_effect)`);
    } else if (key === 'rules') {
      if (!isSeq(value)) r.report(value ?? keyNode, 'bad-shape', '`rules` must be a list of rules');
      else for (const item of value.items as Node[]) readRule(r, item, ruleFile.rules);
    } else if (key === 'classify') {
      if (!isSeq(value)) r.report(value ?? keyNode, 'bad-shape', '`classify` must be a list of {resource, labels}');
      else for (const item of value.items as Node[]) readClassify(r, item, ruleFile.classify);
    } else {
      const effect = r.string(value, 'default_effect');
      if (effect === 'review' || effect === 'deny') ruleFile.defaultEffect = effect;
      else if (effect !== undefined) r.report(value, 'bad-value', 'default_effect may only be review or deny: a default can tighten, never loosen');
    }
  }
  return { ruleFile, diagnostics: r.diagnostics };
}

function readClassify(r: FileReader, node: Node, out: ClassifyEntry[]): void {
  if (!isMap(node)) {
    r.report(node, 'bad-shape', 'a classify entry is a mapping {resource, labels}');
    return;
  }
  let resource: string | undefined;
  let labels: string[] = [];
  for (const { key, keyNode, value } of r.pairs(node)) {
    if (key === 'resource') resource = r.string(value, 'resource');
    else if (key === 'labels') labels = r.stringList(value, 'labels');
    else r.report(keyNode, 'unknown-key', `unknown key "${key}" in a classify entry (expected resource, labels)`);
  }
  if (resource === undefined) return r.report(node, 'missing-key', 'classify entry needs `resource`');
  if (labels.length === 0) return r.report(node, 'missing-key', 'classify entry needs at least one label');
  try {
    checkGlob(resource);
  } catch (error) {
    return r.report(node, 'bad-value', `resource pattern ${JSON.stringify(resource)} is not a valid glob: ${(error as Error).message}`);
  }
  out.push({ resource, labels, test: compileResourceGlob(resource), location: r.at(node) });
}

function readRule(r: FileReader, node: Node, out: Rule[]): void {
  if (!isMap(node)) {
    r.report(node, 'bad-shape', 'a rule is a mapping with id, match and effect');
    return;
  }
  const before = r.errorCount;
  const fields = new Map<string, { keyNode: Node; value: Node | null }>();
  for (const { key, keyNode, value } of r.pairs(node)) {
    if (!RULE_KEYS.has(key)) r.report(keyNode, 'unknown-key', `unknown rule key "${key}" (known: ${[...RULE_KEYS].join(', ')})`);
    else fields.set(key, { keyNode, value });
  }
  for (const required of ['id', 'match', 'effect']) {
    if (!fields.has(required)) r.report(node, 'missing-key', `rule needs \`${required}\``);
  }
  const get = (key: string): Node | null | undefined => fields.get(key)?.value;

  const id = fields.has('id') ? r.string(get('id')!, 'id') : undefined;
  if (id !== undefined && !ID_RE.test(id)) r.report(get('id'), 'bad-value', `rule id ${JSON.stringify(id)} must be lower-case letters, digits, . _ -`);
  const effect = fields.has('effect') ? oneOf<Effect>(r, get('effect')!, 'effect', EFFECTS) : undefined;
  const risk = fields.has('risk') ? oneOf<Risk>(r, get('risk')!, 'risk', RISKS) : 'medium';
  const reason = fields.has('reason') ? oneOf(r, get('reason')!, 'reason', ['required', 'optional'] as const) : 'optional';
  let ttlMs: number | undefined;
  if (fields.has('ttl')) {
    const text = r.string(get('ttl')!, 'ttl');
    ttlMs = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && (ttlMs === undefined || ttlMs <= 0)) r.report(get('ttl'), 'bad-value', `ttl ${JSON.stringify(text)} is not a duration like 30s, 10m or 1h`);
  }
  let pendingMs: number | undefined;
  if (fields.has('pending')) {
    const text = r.string(get('pending')!, 'pending');
    pendingMs = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && (pendingMs === undefined || pendingMs <= 0)) r.report(get('pending'), 'bad-value', `pending ${JSON.stringify(text)} is not a duration like 30m or 4h`);
  }
  let inline = true;
  if (fields.has('inline')) {
    const v = get('inline');
    if (isScalar(v) && typeof v.value === 'boolean') inline = v.value;
    else r.report(v, 'bad-value', 'inline must be true or false');
  }
  const approvers = fields.has('approvers') ? readApprovers(r, get('approvers')!) : undefined;
  const tests = fields.has('tests') ? readTests(r, get('tests')!) : { match: [], notMatch: [] };
  const matchNode = get('match');
  const spec = fields.has('match') ? readMatch(r, matchNode!) : undefined;
  const description = fields.has('description') ? r.string(get('description')!, 'description') : undefined;
  const policy = fields.has('policy') ? r.string(get('policy')!, 'policy') : undefined;

  if (fields.has('match') && tests.match.length === 0) r.warn(node, 'untested', `rule ${id ?? ''} has no tests.match: a typo in its match would go unnoticed`);
  if (r.errorCount > before || id === undefined || effect === undefined || risk === undefined || spec === undefined) return;
  out.push({
    id,
    description,
    effect,
    risk,
    policy,
    approvers,
    reasonRequired: reason === 'required',
    ttlMs,
    pendingMs,
    inline,
    match: (matchNode as YAMLMap).toJSON() as Record<string, unknown>,
    spec,
    matches: compileMatch(spec),
    programs: programLiterals(spec),
    tests,
    location: r.at(node),
  });
}

function oneOf<T extends string>(r: FileReader, node: Node, what: string, allowed: readonly T[]): T | undefined {
  const value = r.string(node, what);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  r.report(node, 'bad-value', `${what} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return undefined;
}

function readApprovers(r: FileReader, node: Node | null): Rule['approvers'] {
  if (!isMap(node)) {
    r.report(node, 'bad-shape', 'approvers must be a mapping {groups: [...], min: N}');
    return undefined;
  }
  let groups: string[] = [];
  let min = 1;
  for (const { key, keyNode, value } of r.pairs(node)) {
    if (key === 'groups') groups = r.stringList(value, 'approvers.groups');
    else if (key === 'min') {
      if (isScalar(value) && typeof value.value === 'number' && Number.isInteger(value.value) && value.value >= 1) min = value.value;
      else r.report(value, 'bad-value', 'approvers.min must be a whole number of at least 1');
    } else r.report(keyNode, 'unknown-key', `unknown key "${key}" in approvers (expected groups, min)`);
  }
  return { groups, min };
}

function readTests(r: FileReader, node: Node | null): Rule['tests'] {
  const tests = { match: [] as string[], notMatch: [] as string[] };
  if (!isMap(node)) {
    r.report(node, 'bad-shape', 'tests must be a mapping {match: [...], not_match: [...]}');
    return tests;
  }
  for (const { key, keyNode, value } of r.pairs(node)) {
    if (key === 'match') tests.match = r.stringList(value, 'tests.match');
    else if (key === 'not_match') tests.notMatch = r.stringList(value, 'tests.not_match');
    else r.report(keyNode, 'unknown-key', `unknown key "${key}" in tests (expected match, not_match)`);
  }
  return tests;
}

function readMatch(r: FileReader, node: Node | null): MatchSpec | undefined {
  if (!isMap(node)) {
    r.report(node, 'bad-match', 'match must be a mapping of fact fields to values');
    return undefined;
  }
  const spec: MatchSpec = { fields: new Map(), not: [], args: undefined };
  const pairs = r.pairs(node);
  if (pairs.length === 0) r.report(node, 'bad-match', 'an empty match would match every command; name at least one fact field');
  for (const { key, keyNode, value } of pairs) {
    if (key === 'not') {
      const items = isSeq(value) ? (value.items as Node[]) : [value];
      for (const item of items) {
        const sub = readMatch(r, item);
        if (sub) spec.not.push(sub);
      }
    } else if (key === 'args') {
      if (!isSeq(value)) r.report(value ?? keyNode, 'bad-match', 'match.args must be a list of argument patterns');
      else spec.args = r.stringList(value, 'match.args');
      for (const pattern of spec.args ?? []) checkPattern(r, value, pattern);
    } else if (!/^[a-z][a-z0-9_]*$/.test(key)) {
      r.report(keyNode, 'bad-match', `fact field "${key}" must be snake_case`);
    } else {
      if (!KNOWN_FACT_FIELDS.has(key)) r.warn(keyNode, 'unknown-field', `no analyzer produces the fact field "${key}": this clause would never match (see \`gate explain\` for a command's facts)`);
      const alternatives = readScalars(r, value, key);
      for (const alt of alternatives) if (typeof alt === 'string') checkPattern(r, value, alt);
      spec.fields.set(key, alternatives);
    }
  }
  return spec;
}

function readScalars(r: FileReader, node: Node | null, key: string): MatchScalar[] {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  const out: MatchScalar[] = [];
  for (const item of items) {
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number' || typeof item.value === 'boolean')) out.push(item.value);
    else r.report(item, 'bad-match', `match.${key} must be a string, number, boolean or a list of them`);
  }
  if (isSeq(node) && items.length === 0) r.report(node, 'bad-match', `match.${key} is an empty list and could never match`);
  return out;
}

function checkPattern(r: FileReader, node: Node | null, pattern: string): void {
  try {
    checkGlob(pattern);
  } catch (error) {
    r.report(node, 'bad-match', `pattern ${JSON.stringify(pattern)} is not a valid glob: ${(error as Error).message}`);
  }
}
