// Property tests (fast-check): the rules loader never crashes on arbitrary YAML. Whatever the
// bytes, it returns diagnostics with a stable code and a file:line:col, and a broken file
// stops gate with a clear exit-78 error instead of a stack trace.
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { ConfigError } from '../../src/errors.js';
import { evaluate } from '../../src/policy/evaluate.js';
import { parseRuleFile } from '../../src/policy/load-rules.js';
import { rulesError, type RuleDiagnostic } from '../../src/policy/rule-errors.js';
import { buildRuleSet } from '../../src/policy/rule-set.js';
import { runRuleTests } from '../../src/policy/rule-tests.js';
import { deserializeParsedFile, serializeParsedFile } from '../../src/policy/rules-cache.js';
import { gate, makeHome } from '../integration/gate-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FUZZ = { seed: 20_261_121, numRuns: 600 };
const CODES = ['unreadable', 'yaml-syntax', 'bad-shape', 'unknown-key', 'missing-key', 'bad-value', 'duplicate-id', 'bad-match', 'test-failed', 'allow-ignored', 'classify-ignored', 'unknown-field', 'untested'];
const SHIPPED = ['git.yaml', 'shell.yaml', 'kubectl.yaml'].map((f) => readFileSync(join(ROOT, 'rules', f), 'utf8'));

// Fragments that reach the loader's corners: anchors and aliases, tags, flow collections,
// globs that picomatch may reject, odd scalars, duplicate keys.
const FRAGMENTS = [
  'rules:', '  - id: x', '    match: { program: ls }', '    effect: allow', 'effect: review', 'classify:', '  - resource: "s3://b/**"',
  '    labels: [pii]', 'default_effect: allow', '&a [*a, *a, *a]', '*a', '!!binary aGk=', '!!js/function "x"', '!tag x', '{', '[', '"', "'",
  '? complex', ': value', '<<: *a', '---', '...', '%YAML 1.2', 'args: ["**", "[!", "{a,b"]', 'program: "[!]"', 'program: "\\\\["', 'ttl: 1e999',
  'approvers: { min: -1 }', 'approvers: { min: 1.5 }', 'tests: { match: [1, null, {}] }', 'not: [[], {}, null]', '\t', '\u0000', '\ufeff', '\u202e',
  'id: x\nid: x', 'match: ~', 'match: { not: { not: { not: {} } } }', '0x1F', '.nan', '-.inf', '2026-01-01', 'y', 'NO',
];

// A rule with each known key set to anything: wrong types where strings, maps and lists belong.
const ruleLike = fc.dictionary(
  fc.constantFrom('id', 'description', 'match', 'effect', 'approvers', 'policy', 'risk', 'reason', 'ttl', 'pending', 'inline', 'tests', 'extra'),
  fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom('allow', 'review', 'deny', 'high', '10m', 'required', 'x.y'),
    fc.dictionary(fc.constantFrom('program', 'verb', 'args', 'not', 'opaque', 'Bad-Field', 'uri', 'match', 'not_match', 'groups', 'min'), fc.anything({ maxDepth: 2 })),
  ),
);
const structured = fc
  .record({ rules: fc.array(ruleLike, { maxLength: 4 }), classify: fc.anything({ maxDepth: 2 }), default_effect: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] })
  .map((doc) => {
    try {
      return stringify(doc);
    } catch {
      return '';
    }
  });

/** A shipped rules file with random edits: characters deleted, replaced or inserted. */
const mutatedShipped = fc
  .tuple(fc.constantFrom(...SHIPPED), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(...FRAGMENTS))), { minLength: 1, maxLength: 6 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, cut, insert] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + cut);
    }
    return out;
  });

// Aliases that recurse or multiply, and aliased rules.
const NASTY = [
  'rules:\n  - id: x\n    match: &a { program: ls, verb: *a }\n    effect: allow\n',
  'rules:\n  - &r { id: x, match: { program: ls }, effect: allow }\n  - *r\n',
  'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nrules:\n  - id: x\n    match: { program: ls, verb: [*c, *c, *c] }\n    effect: allow\n',
  'rules:\n  - id: x\n    match: { program: ls, args: &l ["a", *l] }\n    effect: allow\n',
  'rules:\n  - id: x\n    match: { program: ls, not: &n { program: ls, not: *n } }\n    effect: allow\n',
];

const anyYaml = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((lines) => lines.join('\n')),
  structured,
  mutatedShipped,
);

function expectDiagnostic(d: RuleDiagnostic): void {
  expect(CODES).toContain(d.code);
  expect(typeof d.message).toBe('string');
  expect(d.message.length).toBeGreaterThan(0);
  expect(d.location.file).toBe('fuzz.yaml');
  expect(Number.isInteger(d.location.line) && d.location.line >= 1).toBe(true);
  expect(Number.isInteger(d.location.col) && d.location.col >= 1).toBe(true);
}

describe('rules loader on arbitrary YAML (fast-check)', () => {
  it('never throws: it returns diagnostics with a code and file:line:col, or compiled rules', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(anyYaml, async (text) => {
        const parsed = parseRuleFile(text, 'fuzz.yaml');
        for (const d of parsed.diagnostics) expectDiagnostic(d);
        // The compiled-rules cache round-trips whatever the loader produced.
        const cached = deserializeParsedFile(serializeParsedFile(parsed));
        expect(cached?.diagnostics).toEqual(parsed.diagnostics);
        const built = buildRuleSet([parsed.ruleFile]);
        const errors = [...parsed.diagnostics, ...built.diagnostics].filter((d) => d.severity !== 'warning');
        if (errors.length > 0) {
          // What gate does with them: one exit-78 error naming the first problem's location.
          const error = rulesError(errors);
          expect(error).toBeInstanceOf(ConfigError);
          expect(error.exitCode).toBe(78);
          expect(error.code).toMatch(/^rules_[a-z_]+$/);
          expect(error.message).toMatch(/^fuzz\.yaml:\d+:\d+: /);
          return;
        }
        // A file that loads compiles into matchers that evaluate and self-test without throwing.
        for (const facts of [[{ program: 'ls', action: 'read' as const }], [{ program: 'x', action: 'exec' as const, opaque: true, args: ['a'] }], []]) {
          evaluate(built.ruleSet, facts);
        }
        const report = await runRuleTests(built.ruleSet, (line) => analyzeScript(line, { env: {}, parsers: lazyParsers }));
        for (const failure of report.failures) expect(failure.code).toBe('test-failed');
      }),
      FUZZ,
    );
  });

  it('stops a real gate with exit 78 and file:line:col, never a crash (70)', { timeout: 300_000 }, async () => {
    const home = makeHome();
    const dir = join(home.dir, 'fuzz-rules');
    mkdirSync(dir);
    const broken = anyYaml.filter((text) => {
      const parsed = parseRuleFile(text, 'x');
      return parsed.diagnostics.some((d) => d.severity !== 'warning');
    });
    try {
      await fc.assert(
        fc.asyncProperty(broken, async (text) => {
          writeFileSync(join(dir, 'fuzz.yaml'), text);
          const run = await gate(['explain', '--rules', dir, '--', 'ls'], home.env);
          expect(run.exitCode, run.stderr).toBe(78);
          expect(run.stderr).toMatch(/gate: rules_[a-z_]+: .*fuzz\.yaml:\d+:\d+/);
        }),
        { seed: FUZZ.seed, numRuns: 12 },
      );
    } finally {
      home.cleanup();
    }
  });
});
