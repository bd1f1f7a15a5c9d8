// The compiled-rules cache: a parsed and validated rules file as JSON, so later runs skip the
// YAML parser (the largest cost of a gate run). Matchers are rebuilt from the cached specs.
import { compileResourceGlob } from './glob.js';
import { compileMatch, type MatchScalar, type MatchSpec } from './match.js';
import type { RuleDiagnostic } from './rule-errors.js';
import type { ClassifyEntry, Rule, RuleFile } from './rule.js';

export interface ParsedFile {
  ruleFile: RuleFile;
  diagnostics: RuleDiagnostic[];
}

interface SpecJson {
  fields: Array<[string, MatchScalar[]]>;
  not: SpecJson[];
  args: string[] | null;
}

const CACHE_FORMAT = 1;

function specToJson(spec: MatchSpec): SpecJson {
  return { fields: [...spec.fields], not: spec.not.map(specToJson), args: spec.args ?? null };
}

function specFromJson(json: SpecJson): MatchSpec {
  return { fields: new Map(json.fields), not: json.not.map(specFromJson), args: json.args ?? undefined };
}

export function serializeParsedFile(parsed: ParsedFile): string {
  const { ruleFile, diagnostics } = parsed;
  return JSON.stringify({
    format: CACHE_FORMAT,
    file: ruleFile.file,
    defaultEffect: ruleFile.defaultEffect ?? null,
    rules: ruleFile.rules.map(({ matches: _compiled, spec, ...rest }) => ({ ...rest, spec: specToJson(spec) })),
    classify: ruleFile.classify.map(({ test: _compiled, ...rest }) => rest),
    diagnostics,
  });
}

/** Rebuild a parsed file from the cache; undefined when the entry is unusable. */
export function deserializeParsedFile(text: string): ParsedFile | undefined {
  try {
    const json = JSON.parse(text) as {
      format: number;
      file: string;
      defaultEffect: RuleFile['defaultEffect'] | null;
      rules: Array<Omit<Rule, 'matches' | 'spec'> & { spec: SpecJson }>;
      classify: Array<Omit<ClassifyEntry, 'test'>>;
      diagnostics: RuleDiagnostic[];
    };
    if (json.format !== CACHE_FORMAT) return undefined;
    const rules: Rule[] = json.rules.map((r) => {
      const spec = specFromJson(r.spec);
      return { ...r, spec, matches: compileMatch(spec) };
    });
    const classify: ClassifyEntry[] = json.classify.map((c) => ({ ...c, test: compileResourceGlob(c.resource) }));
    return { ruleFile: { file: json.file, rules, classify, defaultEffect: json.defaultEffect ?? undefined, canAllow: true }, diagnostics: json.diagnostics };
  } catch {
    return undefined;
  }
}
