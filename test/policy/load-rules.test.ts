// The rules loader: every problem with file:line:col and a stable code; valid files compile.
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../src/policy/load-rules.js';
import { buildRuleSet } from '../../src/policy/rule-set.js';
import { evaluate } from '../../src/policy/evaluate.js';

const problems = (text: string) =>
  parseRuleFile(text, 'r.yaml')
    .diagnostics.filter((d) => d.severity !== 'warning')
    .map((d) => `${d.location.line}:${d.location.col} ${d.code}`);
const warnings = (text: string) =>
  parseRuleFile(text, 'r.yaml')
    .diagnostics.filter((d) => d.severity === 'warning')
    .map((d) => `${d.location.line}:${d.location.col} ${d.code}`);

describe('parseRuleFile', () => {
  it('compiles a valid rule with all contract keys', () => {
    const { ruleFile, diagnostics } = parseRuleFile(
      `rules:
  - id: kubectl.delete-namespace
    description: Deleting a namespace deletes everything in it
    match: { program: kubectl, verb: delete, resource: namespace }
    effect: review
    approvers: { groups: [platform-oncall], min: 2 }
    policy: SOC2 CC8.1
    risk: high
    reason: required
    ttl: 10m
    tests:
      match: ["kubectl delete ns prod"]
      not_match: ["kubectl get ns"]
`,
      'r.yaml',
    );
    expect(diagnostics).toEqual([]);
    const rule = ruleFile.rules[0]!;
    expect(rule).toMatchObject({ id: 'kubectl.delete-namespace', effect: 'review', risk: 'high', policy: 'SOC2 CC8.1', reasonRequired: true, ttlMs: 600_000, approvers: { groups: ['platform-oncall'], min: 2 }, programs: ['kubectl'] });
    expect(rule.location).toEqual({ file: 'r.yaml', line: 2, col: 5 });
  });

  it('reports YAML syntax errors at their line and column', () => {
    expect(problems('rules:\n  - id: x\n    match: { program: ls\n    effect: allow\n')[0]).toBe('4:5 yaml-syntax');
    expect(problems('rules:\n  - id: a\n    match: { program: ls }\n    effect: allow\n\n  - id: b\n    effect: [deny\n')[0]).toMatch(/^[78]:\d+ yaml-syntax$/);
    expect(problems('rules:\n\t- id: x\n')[0]).toBe('2:1 yaml-syntax');
  });

  it('reports unknown keys (a typo must not silently loosen a rule)', () => {
    expect(problems('rules:\n  - id: x\n    match: { program: ls }\n    efect: deny\n    effect: allow\n')).toEqual(['4:5 unknown-key']);
    expect(problems('rulez: []\n')).toEqual(['1:1 unknown-key']);
  });

  it('reports missing keys, bad values and bad matches', () => {
    expect(problems('rules:\n  - id: x\n    effect: allow\n')).toEqual(['2:5 missing-key']);
    expect(problems('rules:\n  - id: x\n    match: { program: ls }\n    effect: permit\n')).toEqual(['4:13 bad-value']);
    expect(problems('rules:\n  - id: x\n    match: { program: ls }\n    effect: allow\n    ttl: soon\n')).toEqual(['5:10 bad-value']);
    expect(problems('rules:\n  - id: x\n    match: { program: ls }\n    effect: review\n    pending: never\n')).toEqual(['5:14 bad-value']);
    expect(problems('rules:\n  - id: x\n    match: {}\n    effect: allow\n')).toEqual(['3:12 bad-match']);
    expect(problems('rules:\n  - id: x\n    match: { program: [] }\n    effect: allow\n')).toEqual(['3:23 bad-match']);
    expect(problems('rules:\n  - id: x\n    match: { program: "[" }\n    effect: allow\n')).toEqual(['3:23 bad-match']);
    expect(problems('rules:\n  - id: Bad Id\n    match: { program: ls }\n    effect: allow\n')).toEqual(['2:9 bad-value']);
  });

  it('warns about match fields no analyzer produces, and rules without tests, but loads them', () => {
    const text = 'rules:\n  - id: x\n    match: { program: ls, bogus_field: 1 }\n    effect: deny\n';
    expect(warnings(text)).toEqual(['3:27 unknown-field', '2:5 untested']);
    expect(parseRuleFile(text, 'r.yaml').ruleFile.rules.map((r) => r.id)).toEqual(['x']);
  });

  it('rejects a default that would loosen', () => {
    expect(problems('default_effect: allow\n')).toEqual(['1:17 bad-value']);
  });

  it('reports duplicate ids across files', () => {
    const a = parseRuleFile('rules:\n  - { id: x, match: { program: ls }, effect: allow }\n', 'a.yaml').ruleFile;
    const b = parseRuleFile('rules:\n  - { id: x, match: { program: ls }, effect: deny }\n', 'b.yaml').ruleFile;
    const { diagnostics } = buildRuleSet([a, b]);
    expect(diagnostics).toMatchObject([{ code: 'duplicate-id', location: { file: 'b.yaml', line: 2 } }]);
  });
});

describe('evaluate', () => {
  const file = parseRuleFile(
    `rules:
  - { id: a.allow, match: { program: tool }, effect: allow, risk: low }
  - { id: a.review, match: { program: tool, verb: rm }, effect: review, risk: high, approvers: { groups: [ops], min: 2 } }
  - { id: a.deny, match: { program: tool, verb: nuke }, effect: deny }
  - { id: any.opaque, match: { opaque: true }, effect: review }
`,
    'r.yaml',
  ).ruleFile;
  const { ruleSet } = buildRuleSet([file]);
  it('lets the strictest matching effect win', () => {
    expect(evaluate(ruleSet, [{ program: 'tool', action: 'exec' }]).decision).toBe('allow');
    const review = evaluate(ruleSet, [{ program: 'tool', action: 'exec', verb: 'rm' }]);
    expect(review).toMatchObject({ decision: 'review', risk: 'high', approvers: { groups: ['ops'], min: 2 } });
    expect(evaluate(ruleSet, [{ program: 'tool', action: 'exec', verb: 'rm' }, { program: 'tool', action: 'exec', verb: 'nuke' }]).decision).toBe('deny');
  });
  it('gives unmatched facts the default, even next to allowed ones', () => {
    const e = evaluate(ruleSet, [{ program: 'tool', action: 'exec' }, { program: 'other', action: 'exec' }]);
    expect(e.decision).toBe('review');
    expect(e.unmatched).toEqual([1]);
  });
  it('matches rules without a program against every program', () => {
    expect(evaluate(ruleSet, [{ program: 'tool', action: 'exec', opaque: true }]).decision).toBe('review');
  });
  it('reviews an empty fact list', () => {
    expect(evaluate(ruleSet, []).decision).toBe('review');
  });
});

describe('buildRuleSet: sources that may only tighten', () => {
  it('ignores their classify lists: a label can loosen a rule (here one that reviews all but public data)', () => {
    const home = parseRuleFile(
      `rules:
  - id: data.export
    match: { action: export, not: { classification: public } }
    effect: review
`,
      'home.yaml',
    ).ruleFile;
    const extra = parseRuleFile(
      `classify:
  - resource: "s3://prod-exports/**"
    labels: [public]
`,
      'extra.yaml',
    ).ruleFile;
    extra.canAllow = false;
    const { ruleSet, diagnostics } = buildRuleSet([home, extra]);
    expect(ruleSet.classify).toEqual([]);
    expect(diagnostics.map((d) => `${d.code}:${d.severity}`)).toEqual(['classify-ignored:warning']);
  });
});
