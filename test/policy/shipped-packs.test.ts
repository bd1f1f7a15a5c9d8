// Every shipped pack loads cleanly, every rule's self-tests hold, and the packs cover enough.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { loadRuleSources } from '../../src/app/load-policy.js';
import { formatDiagnostic } from '../../src/policy/rule-errors.js';
import { runRuleTests } from '../../src/policy/rule-tests.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');

const { ruleSet, diagnostics } = await loadRuleSources([{ dir: RULES_DIR, optional: false, canAllow: true }]);

describe('shipped rule packs', () => {
  it('load without a single diagnostic', () => {
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('pass every rule self-test', async () => {
    const report = await runRuleTests(ruleSet, (line) => analyzeScript(line, { env: {}, parsers: lazyParsers }));
    expect(report.failures.map(formatDiagnostic)).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(150);
  });

  it('give every rule at least one test of each kind', () => {
    const untested = ruleSet.rules.filter((r) => r.tests.match.length === 0 || r.tests.notMatch.length === 0).map((r) => r.id);
    expect(untested).toEqual([]);
  });

  it('ship one pack per domain', () => {
    const packs = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml'));
    expect(packs).toEqual(expect.arrayContaining(['aws.yaml', 'kubectl.yaml', 'postgres.yaml', 'terraform.yaml', 'git.yaml', 'filesystem.yaml', 'gcloud.yaml', 'docker.yaml', 'shell.yaml']));
  });

  it('default unmatched commands to review', () => {
    expect(ruleSet.defaultEffect).toBe('review');
  });
});
