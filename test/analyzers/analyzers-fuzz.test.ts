// Property tests (fast-check): the analyzers never throw on arbitrary argv or scripts, every
// fact is well formed, and what gate cannot understand is never allowed. A fixed seed keeps
// failures reproducible; fast-check prints the seed and the shrunk counterexample.
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeArgv, analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { ACTIONS, type Fact } from '../../src/analyzers/types.js';
import { loadRuleSources } from '../../src/app/load-policy.js';
import { classifyFacts } from '../../src/policy/classify.js';
import { evaluate } from '../../src/policy/evaluate.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { ruleSet } = await loadRuleSources([{ dir: join(ROOT, 'rules'), optional: false, canAllow: true }]);
/** Runs per property; the seed makes any failure reproducible. */
export const FUZZ = { seed: 20_261_121, numRuns: 1000 };

// Programs with analyzers, wrappers and shells: where the interesting parsing happens.
const PROGRAMS = [
  'aws', 'kubectl', 'helm', 'psql', 'pg_dump', 'pg_restore', 'dropdb', 'terraform', 'git', 'rm', 'find', 'dd', 'mkfs.ext4',
  'chmod', 'gcloud', 'gsutil', 'docker', 'docker-compose', 'env', 'sudo', 'doas', 'timeout', 'nice', 'nohup', 'command',
  'xargs', 'ssh', 'bash', 'sh', 'zsh', 'eval', 'ls', 'cat', 'sort', 'echo', 'tofu',
];
// Words that steer parsers into their option, subcommand and quoting paths.
const WORDS = [
  '-', '--', '-f', '--force', '-c', '-lc', '-e', '-exec', ';', '+', '{}', '-rf', '-R', '-n', '--namespace=prod', '--context', 'delete', 'ns',
  'namespace', 'prod', 'get', 'push', '+main', ':old', 'origin', 's3', 'cp', 's3://b/k', '.', '-o', 'exec', '--dry-run=client', '-i', '-u',
  'DROP TABLE users', 'SELECT 1', 'WITH d AS (DELETE FROM t RETURNING *) SELECT 1', "'", '"', '$(', ')', '`', '\\', '$X', '${X:-y}', '|', '&&',
  '\n', '#', 'apply', 'destroy', '-auto-approve', 'run', '--privileged', 'rm -rf /', 'kubectl delete ns prod', '%', '\u0000', '\u202e', '=',
];

const word = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')) },
);
const knownArgv = fc.tuple(fc.constantFrom(...PROGRAMS), fc.array(word, { maxLength: 8 })).map(([p, args]) => [p, ...args]);
const anyArgv = fc.array(word, { maxLength: 8 });

function decide(facts: Fact[]) {
  classifyFacts(facts, ruleSet.classify);
  return evaluate(ruleSet, facts);
}

/** Facts are well formed; no facts at all (an empty script) is left to the default, review. */
function expectWellFormed(facts: Fact[], allowNone = false): void {
  if (allowNone && facts.length === 0) return void expect(decide(facts).decision).toBe(ruleSet.defaultEffect);
  expect(facts.length).toBeGreaterThan(0);
  for (const fact of facts) {
    expect(typeof fact.program).toBe('string');
    expect(ACTIONS).toContain(fact.action);
    if (fact.opaque) expect(typeof fact.opaque_reason).toBe('string');
  }
}

/** Opaque is reviewed, whatever else the command does. */
function expectOpaqueNeverAllowed(facts: Fact[]): void {
  if (facts.some((f) => f.opaque)) expect(decide(facts).decision).not.toBe('allow');
}

const options = { env: {}, parsers: lazyParsers };

describe('analyzers on arbitrary input (fast-check)', () => {
  it('never throw on argv for known programs and wrappers; opaque is never allowed', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(knownArgv, async (argv) => {
        const facts = await analyzeArgv(argv, options);
        expectWellFormed(facts);
        expectOpaqueNeverAllowed(facts);
      }),
      FUZZ,
    );
  });

  it('never throw on arbitrary argv; a command no rule matches is never allowed', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(anyArgv, async (argv) => {
        const facts = await analyzeArgv(argv, options);
        expectWellFormed(facts);
        expectOpaqueNeverAllowed(facts);
        const evaluation = decide(facts);
        if (evaluation.unmatched.length > 0) expect(evaluation.decision).not.toBe('allow');
      }),
      FUZZ,
    );
  });

  it('never throw on arbitrary shell scripts (sh -c bodies, rule test lines)', { timeout: 300_000 }, async () => {
    const script = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(word, { maxLength: 10 }).map((ws) => ws.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(script, async (text) => {
        const facts = await analyzeScript(text, options);
        expectWellFormed(facts, true);
        expectOpaqueNeverAllowed(facts);
        const viaBash = await analyzeArgv(['bash', '-c', text], options);
        expectWellFormed(viaBash, true);
        expectOpaqueNeverAllowed(viaBash);
      }),
      FUZZ,
    );
  });

  it('never allow an unknown program, however it is spelled or wrapped', { timeout: 300_000 }, async () => {
    const unknown = fc.stringMatching(/^[a-z][a-z0-9_-]{2,10}$/).filter((name) => !ruleSet.byProgram.has(name) && !PROGRAMS.includes(name));
    const wrapper = fc.constantFrom<string[]>([], ['env', 'A=1'], ['sudo'], ['timeout', '5'], ['nice', '-n', '5'], ['nohup'], ['command'], ['xargs']);
    const spelling = fc.constantFrom((p: string) => p, (p: string) => `/usr/local/bin/${p}`, (p: string) => `\\${p}`);
    await fc.assert(
      fc.asyncProperty(wrapper, spelling, unknown, fc.array(word, { maxLength: 4 }), async (wrap, spell, name, args) => {
        const facts = await analyzeArgv([...wrap, spell(name), ...args], options);
        expect(decide(facts).decision).not.toBe('allow');
      }),
      { ...FUZZ, numRuns: 200 },
    );
  });
});
