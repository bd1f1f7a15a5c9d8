// Match semantics of rules: fields, alternatives, globs, booleans, `not`, and `match.args`.
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/analyzers/types.js';
import { compileArgs, compileMatch, type MatchScalar } from '../../src/policy/match.js';

const spec = (fields: Record<string, MatchScalar | MatchScalar[]>, extra: { not?: Array<Record<string, MatchScalar>>; args?: string[] } = {}) =>
  compileMatch({
    fields: new Map(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    not: (extra.not ?? []).map((n) => ({ fields: new Map(Object.entries(n).map(([k, v]) => [k, [v]])), not: [], args: undefined })),
    args: extra.args,
  });
const fact = (f: Partial<Fact>): Fact => ({ program: 'tool', action: 'exec', ...f });

describe('match.args (contract)', () => {
  const danger = compileArgs(['--danger', '**']);
  it('anchors at both ends; ** matches zero or more arguments', () => {
    expect(danger(['--danger'])).toBe(true);
    expect(danger(['--danger', 'x', 'y'])).toBe(true);
    expect(danger(['x', '--danger'])).toBe(false);
    expect(danger([])).toBe(false);
  });
  it('globs inside an element: *, ?, [...], {a,b}', () => {
    expect(compileArgs(['deploy', 'env-*'])(['deploy', 'env-prod'])).toBe(true);
    expect(compileArgs(['deploy', 'env-*'])(['deploy', 'env-prod', 'x'])).toBe(false);
    expect(compileArgs(['v?'])(['v1'])).toBe(true);
    expect(compileArgs(['v[0-9]'])(['vx'])).toBe(false);
    expect(compileArgs(['{start,stop}', '**'])(['stop', 'now'])).toBe(true);
    expect(compileArgs(['{start,stop}', '**'])(['restart'])).toBe(false);
    expect(compileArgs(['*'])(['a/b/c'])).toBe(true);
    expect(compileArgs(['[!-]*'])(['file'])).toBe(true);
    expect(compileArgs(['[!-]*'])(['-f'])).toBe(false);
  });
  it('supports ** in the middle and several of them', () => {
    const m = compileArgs(['**', '--force', '**']);
    expect(m(['push', '--force', 'origin'])).toBe(true);
    expect(m(['--force'])).toBe(true);
    expect(m(['push', 'origin'])).toBe(false);
    expect(compileArgs(['a', '**', 'z'])(['a', 'z'])).toBe(true);
    expect(compileArgs(['a', '**', 'z'])(['a', 'b', 'c', 'z'])).toBe(true);
    expect(compileArgs(['a', '**', 'z'])(['a', 'b', 'c'])).toBe(false);
  });
  it('no args key matches any arguments', () => {
    expect(spec({ program: 'tool' })(fact({ args: ['anything', '--at', 'all'] }))).toBe(true);
  });
});

describe('fact fields', () => {
  it('list values are alternatives', () => {
    const m = spec({ verb: ['delete', 'drain'] });
    expect(m(fact({ verb: 'drain' }))).toBe(true);
    expect(m(fact({ verb: 'get' }))).toBe(false);
  });
  it('a list-valued fact matches when any element matches', () => {
    const m = spec({ classification: 'confidential' });
    expect(m(fact({ classification: ['pii', 'confidential'] }))).toBe(true);
    expect(m(fact({ classification: ['unclassified'] }))).toBe(false);
  });
  it('a missing boolean field counts as false', () => {
    expect(spec({ dry_run: false })(fact({}))).toBe(true);
    expect(spec({ dry_run: true })(fact({}))).toBe(false);
    expect(spec({ dry_run: false })(fact({ dry_run: true }))).toBe(false);
  });
  it('a missing string field never matches, not even *', () => {
    expect(spec({ namespace: '*' })(fact({}))).toBe(false);
  });
  it('numbers match numbers', () => {
    expect(spec({ replicas: 0 })(fact({ replicas: 0 }))).toBe(true);
    expect(spec({ replicas: 0 })(fact({ replicas: 3 }))).toBe(false);
  });
  it('value globs span slashes; uri globs keep * within a segment', () => {
    expect(spec({ operation: 'delete-*' })(fact({ operation: 'delete-bucket' }))).toBe(true);
    expect(spec({ uri: 's3://b/*' })(fact({ uri: 's3://b/a/x.csv' }))).toBe(false);
    expect(spec({ uri: 's3://b/**' })(fact({ uri: 's3://b/a/x.csv' }))).toBe(true);
    expect(spec({ uri: 's3://b/**' })(fact({ uri: 's3://b' }))).toBe(true);
    expect(spec({ uri: 's3://b/**' })(fact({ uri: 's3://bb/x' }))).toBe(false);
  });
  it('`not` excludes', () => {
    const m = spec({ verb: 'delete' }, { not: [{ dry_run: true }] });
    expect(m(fact({ verb: 'delete' }))).toBe(true);
    expect(m(fact({ verb: 'delete', dry_run: true }))).toBe(false);
  });
});
