// The compiled policy: every rule from every source, indexed by program, plus classify lists.
import type { RuleDiagnostic } from './rule-errors.js';
import { EFFECT_RANK, type ClassifyEntry, type Effect, type Rule, type RuleFile } from './rule.js';

export interface RuleSet {
  rules: Rule[];
  classify: ClassifyEntry[];
  defaultEffect: Effect;
  /** Rules limited to literal programs, by program. */
  byProgram: Map<string, Rule[]>;
  /** Rules that may match any program (no `program`, or a glob). */
  anyProgram: Rule[];
  /** Allow rules from sources that may only tighten (--rules, GATE_RULES): loaded, never used (nor are their classify lists). */
  ignored: Rule[];
  files: string[];
}

/** Merge loaded files into one rule set; duplicate ids across files are errors. */
export function buildRuleSet(files: RuleFile[]): { ruleSet: RuleSet; diagnostics: RuleDiagnostic[] } {
  const diagnostics: RuleDiagnostic[] = [];
  const seen = new Map<string, Rule>();
  const ruleSet: RuleSet = { rules: [], classify: [], defaultEffect: 'review', byProgram: new Map(), anyProgram: [], ignored: [], files: [] };
  for (const file of files) {
    ruleSet.files.push(file.file);
    // Labels decide which rules match either way (an allow on a label, a `not:` on one, a
    // rule on `unclassified`), so a tighten-only source cannot add them: it could loosen.
    if (file.canAllow) ruleSet.classify.push(...file.classify);
    else
      for (const entry of file.classify)
        diagnostics.push({ code: 'classify-ignored', severity: 'warning', message: `classify entry for "${entry.resource}" is ignored: --rules and GATE_RULES may only tighten, and labels can loosen a rule; put classify lists in $GATE_HOME/rules`, location: entry.location });
    if (file.defaultEffect && EFFECT_RANK[file.defaultEffect] > EFFECT_RANK[ruleSet.defaultEffect]) ruleSet.defaultEffect = file.defaultEffect;
    for (const rule of file.rules) {
      const earlier = seen.get(rule.id);
      if (earlier) {
        const at = `${earlier.location.file}:${earlier.location.line}`;
        diagnostics.push({ code: 'duplicate-id', message: `rule id "${rule.id}" is already defined at ${at}`, location: rule.location });
        continue;
      }
      seen.set(rule.id, rule);
      if (rule.effect === 'allow' && !file.canAllow) {
        ruleSet.ignored.push(rule);
        diagnostics.push({ code: 'allow-ignored', severity: 'warning', message: `allow rule "${rule.id}" is ignored: --rules and GATE_RULES may only tighten; put allow rules in $GATE_HOME/rules`, location: rule.location });
        continue;
      }
      ruleSet.rules.push(rule);
      if (rule.programs === undefined) ruleSet.anyProgram.push(rule);
      else
        for (const program of rule.programs) {
          const list = ruleSet.byProgram.get(program);
          if (list) list.push(rule);
          else ruleSet.byProgram.set(program, [rule]);
        }
    }
  }
  return { ruleSet, diagnostics };
}
