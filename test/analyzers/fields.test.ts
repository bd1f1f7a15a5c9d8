// Every field the analyzers emit for the decision cases and rule self-tests is registered in
// KNOWN_FACT_FIELDS, so `gate rules lint` can warn about match fields that never occur.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { KNOWN_FACT_FIELDS } from '../../src/analyzers/fields.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { loadRuleSources } from '../../src/app/load-policy.js';

const ROOT = join(import.meta.dirname, '..', '..');

it('registers every fact field the analyzers emit', async () => {
  const lines: string[] = [];
  for (const file of readdirSync(join(ROOT, 'test', 'cases'))) {
    for (const c of parse(readFileSync(join(ROOT, 'test', 'cases', file), 'utf8')) as Array<{ command: string }>) lines.push(c.command);
  }
  const { ruleSet } = await loadRuleSources([{ dir: join(ROOT, 'rules'), optional: false, canAllow: true }]);
  for (const rule of ruleSet.rules) lines.push(...rule.tests.match, ...rule.tests.notMatch);
  const unknown = new Set<string>();
  for (const line of lines) {
    for (const fact of await analyzeScript(line, { env: {}, parsers: lazyParsers })) {
      for (const key of Object.keys(fact)) if (!KNOWN_FACT_FIELDS.has(key)) unknown.add(`${key} (from ${line})`);
    }
  }
  expect([...unknown]).toEqual([]);
}, 120_000);
