// The compiled-rules cache gives exactly the rules a fresh parse gives, and any edit misses it.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { loadRuleSources } from '../../src/app/load-policy.js';
import { formatDiagnostic } from '../../src/policy/rule-errors.js';
import { runRuleTests } from '../../src/policy/rule-tests.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-rules-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RULES = join(import.meta.dirname, '..', '..', 'rules');

describe('compiled-rules cache', () => {
  const cache = join(dir, 'cache');
  const sources = [{ dir: RULES, optional: false, canAllow: true }];

  it('writes one entry per file, then serves the same rules: every self-test still holds', async () => {
    const fresh = await loadRuleSources(sources, cache);
    expect(readdirSync(cache).filter((f) => f.endsWith('.json')).length).toBe(readdirSync(RULES).filter((f) => f.endsWith('.yaml')).length);
    const cached = await loadRuleSources(sources, cache);
    expect(cached.ruleSet.rules.map((r) => r.id)).toEqual(fresh.ruleSet.rules.map((r) => r.id));
    expect(cached.ruleSet.rules.map((r) => r.match)).toEqual(fresh.ruleSet.rules.map((r) => r.match));
    const report = await runRuleTests(cached.ruleSet, (line) => analyzeScript(line, { env: {}, parsers: lazyParsers }));
    expect(report.failures.map(formatDiagnostic)).toEqual([]);
    expect(report.passed).toBeGreaterThan(1000);
  });

  it('misses on any edit, so diagnostics are never stale', async () => {
    const own = join(dir, 'own');
    cpSync(join(RULES, 'shell.yaml'), join(own, 'shell.yaml'), { recursive: true });
    const ownSources = [{ dir: own, optional: false, canAllow: true }];
    expect((await loadRuleSources(ownSources, cache)).diagnostics).toEqual([]);
    appendFileSync(join(own, 'shell.yaml'), '  - { id: broken\n');
    expect((await loadRuleSources(ownSources, cache)).diagnostics.map((d) => d.code)).toContain('yaml-syntax');
    writeFileSync(join(own, 'shell.yaml'), 'rules: []\n');
    expect((await loadRuleSources(ownSources, cache)).ruleSet.rules).toEqual([]);
  });

  it('ignores a corrupt entry and parses again', async () => {
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), '{not json');
    expect((await loadRuleSources(sources, cache)).ruleSet.rules.length).toBeGreaterThan(100);
  });
});
