// `gate rules list|test|lint`: inspect and check the loaded rules.
import { Command } from 'commander';
import { analyzeScript } from '../analyzers/analyze.js';
import { lazyParsers } from '../analyzers/parsers.js';
import { loadRuleSources, ruleSources } from '../app/load-policy.js';
import { formatDiagnostic, rulesError } from '../policy/rule-errors.js';
import { runRuleTests } from '../policy/rule-tests.js';
import { formatLocation } from '../policy/rule.js';
import type { RuleSet } from '../policy/rule-set.js';
import { out, reportError } from './output.js';
import { requireSession } from './requests.js';
import { pullRules } from '../app/rules-pull.js';
import { systemClock } from '../platform/clock.js';

interface RulesFlags {
  json?: boolean;
  rules?: string[];
}

async function load(flags: RulesFlags, strict: boolean): Promise<{ ruleSet: RuleSet; diagnostics: Awaited<ReturnType<typeof loadRuleSources>>['diagnostics'] }> {
  const loaded = await loadRuleSources(ruleSources(process.env, flags.rules ?? []));
  const errors = loaded.diagnostics.filter((d) => d.severity !== 'warning');
  if (strict && errors.length > 0) throw rulesError(errors);
  return loaded;
}

const analyzeLine = (line: string) => analyzeScript(line, { env: {}, parsers: lazyParsers });

export function rulesCommand(setExit: (code: number) => void): Command {
  const rules = new Command('rules').description('list, test and lint the loaded rules');
  const withSources = (cmd: Command): Command =>
    cmd.option('--json', 'machine-readable output').option('--rules <dir>', 'extra rules directory or file (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);

  withSources(rules.command('list').description('every loaded rule with its effect, risk and source')).action(async (flags: RulesFlags) => {
    const { ruleSet } = await load(flags, true);
    if (flags.json) {
      out(JSON.stringify({ default_effect: ruleSet.defaultEffect, files: ruleSet.files, rules: ruleSet.rules.map((r) => ({ id: r.id, effect: r.effect, risk: r.risk, description: r.description ?? null, policy: r.policy ?? null, match: r.match, approvers: r.approvers ?? null, source: formatLocation(r.location) })) }));
    } else {
      for (const r of ruleSet.rules) out(`${r.effect.padEnd(6)} ${r.risk.padEnd(8)} ${r.id.padEnd(44)} ${formatLocation(r.location)}`);
      for (const r of ruleSet.ignored) out(`(allow ${r.risk.padEnd(8)} ${r.id.padEnd(44)} ${formatLocation(r.location)}  IGNORED: --rules/GATE_RULES only tighten)`);
      out(`${ruleSet.rules.length} rules from ${ruleSet.files.length} files; unmatched commands: ${ruleSet.defaultEffect}`);
    }
    setExit(0);
  });

  withSources(rules.command('test').description("run every rule's tests.match / tests.not_match")).action(async (flags: RulesFlags) => {
    const { ruleSet } = await load(flags, true);
    const report = await runRuleTests(ruleSet, analyzeLine);
    if (flags.json) out(JSON.stringify({ rules: report.rules, passed: report.passed, failed: report.failures.length, failures: report.failures.map((f) => ({ ...f, location: formatLocation(f.location) })) }));
    else {
      for (const failure of report.failures) out(`FAIL ${formatDiagnostic(failure)}`);
      out(`${report.passed} passed, ${report.failures.length} failed (${report.rules} rules)`);
    }
    setExit(report.failures.length > 0 ? reportError(rulesError(report.failures), false) : 0);
  });

  withSources(rules.command('lint').description('check every rules file: syntax, shape, duplicate ids and self-tests')).action(async (flags: RulesFlags) => {
    const { ruleSet, diagnostics } = await load(flags, false);
    const report = await runRuleTests(ruleSet, analyzeLine);
    const all = [...diagnostics, ...report.failures];
    const errors = all.filter((d) => d.severity !== 'warning');
    if (flags.json) out(JSON.stringify({ ok: errors.length === 0, diagnostics: all.map((d) => ({ ...d, location: formatLocation(d.location) })) }));
    else {
      for (const d of all) out(formatDiagnostic(d));
      const warnings = all.length - errors.length;
      out(errors.length === 0 ? `ok: ${ruleSet.rules.length} rules in ${ruleSet.files.length} files, ${report.passed} tests passed${warnings ? `, ${warnings} warning(s)` : ''}` : `${errors.length} problem(s)${warnings ? `, ${warnings} warning(s)` : ''}`);
    }
    setExit(errors.length > 0 ? reportError(rulesError(errors), false) : 0);
  });
  rules
    .command('pull')
    .description("fetch the approval server's signed rules bundle (verified against the pinned key; kept for offline runs)")
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const session = await requireSession();
      const result = await pullRules(process.env, session, systemClock.now());
      if (flags.json) out(JSON.stringify(result));
      else out(result.status === 'unchanged' ? `rules bundle unchanged (etag ${result.etag})` : `rules bundle updated (etag ${result.etag}): ${result.files.join(', ')}`);
      setExit(0);
    });
  return rules;
}
