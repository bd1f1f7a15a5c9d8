// rules/schema.json (for editors) accepts every shipped pack and rejects what the loader rejects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const RULES = join(import.meta.dirname, '..', '..', 'rules');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(RULES, 'schema.json'), 'utf8')));

describe('rules/schema.json', () => {
  for (const file of readdirSync(RULES).filter((f) => f.endsWith('.yaml'))) {
    it(`accepts ${file}`, () => {
      const ok = validate(parse(readFileSync(join(RULES, file), 'utf8')));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('rejects unknown keys, bad effects and empty matches', () => {
    expect(validate({ rules: [{ id: 'x', match: { program: 'ls' }, effect: 'allow', efect: 'deny' }] })).toBe(false);
    expect(validate({ rules: [{ id: 'x', match: { program: 'ls' }, effect: 'permit' }] })).toBe(false);
    expect(validate({ rules: [{ id: 'x', match: {}, effect: 'allow' }] })).toBe(false);
    expect(validate({ default_effect: 'allow' })).toBe(false);
  });
});
