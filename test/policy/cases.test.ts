// Data-driven decision cases (test/cases/*.yaml) against the whole shipped rule set: what
// `gate -- <command>` would decide, and which rules must be among the matched.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { loadRuleSources } from '../../src/app/load-policy.js';
import { classifyFacts } from '../../src/policy/classify.js';
import { evaluate } from '../../src/policy/evaluate.js';

interface Case {
  command: string;
  decision: 'allow' | 'review' | 'deny';
  rules?: string[];
  not_rules?: string[];
}

const ROOT = join(import.meta.dirname, '..', '..');
const CASES_DIR = join(ROOT, 'test', 'cases');
const { ruleSet } = await loadRuleSources([{ dir: join(ROOT, 'rules'), optional: false, canAllow: true }]);

for (const file of readdirSync(CASES_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
  const cases = parse(readFileSync(join(CASES_DIR, file), 'utf8')) as Case[];
  describe(`cases/${file}`, () => {
    for (const c of cases) {
      it(`${c.decision}: ${c.command}`, async () => {
        const facts = await analyzeScript(c.command, { env: {}, parsers: lazyParsers });
        classifyFacts(facts, ruleSet.classify);
        const evaluation = evaluate(ruleSet, facts);
        const ids = evaluation.matches.map((m) => m.rule.id);
        expect({ decision: evaluation.decision, ids }, JSON.stringify(facts)).toMatchObject({ decision: c.decision });
        for (const id of c.rules ?? []) expect(ids).toContain(id);
        for (const id of c.not_rules ?? []) expect(ids).not.toContain(id);
      });
    }
  });
}
