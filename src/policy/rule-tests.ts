// Rule self-tests: every rule's `tests.match` strings must match it, `not_match` must not.
import type { Fact } from '../analyzers/types.js';
import { classifyFacts } from './classify.js';
import type { RuleSet } from './rule-set.js';
import type { Rule } from './rule.js';
import type { RuleDiagnostic } from './rule-errors.js';

export interface RuleTestReport {
  rules: number;
  passed: number;
  failures: RuleDiagnostic[];
}

/** Analyze a test command line into facts (a shell line: quotes and pipes work). */
export type AnalyzeLine = (line: string) => Promise<Fact[]>;

export async function runRuleTests(ruleSet: RuleSet, analyze: AnalyzeLine): Promise<RuleTestReport> {
  const cache = new Map<string, Fact[]>();
  const factsFor = async (line: string): Promise<Fact[]> => {
    let facts = cache.get(line);
    if (!facts) {
      facts = await analyze(line);
      classifyFacts(facts, ruleSet.classify);
      cache.set(line, facts);
    }
    return facts;
  };
  const report: RuleTestReport = { rules: 0, passed: 0, failures: [] };
  // Ignored allow rules (from --rules/GATE_RULES) are still checked: the file may move home later.
  for (const rule of [...ruleSet.rules, ...ruleSet.ignored]) {
    report.rules++;
    for (const line of rule.tests.match) await check(rule, line, true);
    for (const line of rule.tests.notMatch) await check(rule, line, false);
  }
  return report;

  async function check(rule: Rule, line: string, expected: boolean): Promise<void> {
    const facts = await factsFor(line);
    const matched = facts.some((fact) => rule.matches(fact));
    if (matched === expected) {
      report.passed++;
      return;
    }
    const summary = facts.map((f) => `{${Object.entries(f).filter(([k]) => k !== 'args' && k !== 'via').map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`).join(' ');
    report.failures.push({
      code: 'test-failed',
      message: `rule ${rule.id} ${expected ? 'should match' : 'should not match'} ${JSON.stringify(line)}; facts: ${summary}`,
      location: rule.location,
    });
  }
}
