// Compiles a rule's `match` clause into a predicate over one fact.
import type { Fact, FactValue } from '../analyzers/types.js';
import { compileResourceGlob, compileValueGlob, type StringTest } from './glob.js';

export type FactTest = (fact: Fact) => boolean;

/** A scalar a match value may hold. */
export type MatchScalar = string | number | boolean;

export interface MatchSpec {
  fields: Map<string, MatchScalar[]>;
  not: MatchSpec[];
  args: string[] | undefined;
}

type AltTest = (value: string | number | boolean | undefined) => boolean;

/** Fields holding resource URIs use path globs; everything else uses value globs. */
const RESOURCE_FIELDS = new Set(['uri']);

function compileAlternative(field: string, alt: MatchScalar): AltTest {
  if (typeof alt === 'boolean') {
    // A missing boolean field counts as false, so `dry_run: false` matches facts without it.
    return (value) => (value === undefined ? alt === false : value === alt || String(value) === String(alt));
  }
  if (typeof alt === 'number') {
    return (value) => value === alt || (typeof value === 'string' && value !== '' && Number(value) === alt);
  }
  const test: StringTest = RESOURCE_FIELDS.has(field) ? compileResourceGlob(alt) : compileValueGlob(alt);
  return (value) => value !== undefined && test(String(value));
}

function compileField(field: string, alternatives: MatchScalar[]): FactTest {
  const tests = alternatives.map((alt) => compileAlternative(field, alt));
  const anyAlt = (value: string | number | boolean | undefined): boolean => tests.some((t) => t(value));
  return (fact) => {
    const value: FactValue = fact[field];
    if (Array.isArray(value)) return value.length === 0 ? anyAlt(undefined) : value.some((v) => anyAlt(v));
    return anyAlt(value);
  };
}

/** Element-wise `match.args`: anchored at both ends; `**` matches zero or more arguments. */
export function compileArgs(patterns: string[]): (args: readonly string[]) => boolean {
  const parts = patterns.map((p) => (p === '**' ? null : compileValueGlob(p)));
  return (args) => {
    // reachable[j]: the first i patterns can consume exactly the first j arguments.
    let reachable = new Array<boolean>(args.length + 1).fill(false);
    reachable[0] = true;
    for (const part of parts) {
      const next = new Array<boolean>(args.length + 1).fill(false);
      for (let j = 0; j <= args.length; j++) {
        if (part === null) {
          next[j] = reachable[j]! || (j > 0 && next[j - 1]!);
        } else if (j > 0 && reachable[j - 1]! && part(args[j - 1]!)) {
          next[j] = true;
        }
      }
      reachable = next;
    }
    return reachable[args.length]!;
  };
}

/** The predicate for a whole match clause: every field holds, no `not` clause holds. */
export function compileMatch(spec: MatchSpec): FactTest {
  const tests: FactTest[] = [];
  for (const [field, alternatives] of spec.fields) tests.push(compileField(field, alternatives));
  if (spec.args !== undefined) {
    const argsTest = compileArgs(spec.args);
    tests.push((fact) => argsTest(fact.args ?? []));
  }
  const nots = spec.not.map(compileMatch);
  return (fact) => {
    for (const test of tests) if (!test(fact)) return false;
    for (const not of nots) if (not(fact)) return false;
    return true;
  };
}

/** Program literals a match is limited to (for the index), or undefined when any may match. */
export function programLiterals(spec: MatchSpec): string[] | undefined {
  const programs = spec.fields.get('program');
  if (!programs) return undefined;
  if (programs.some((p) => typeof p !== 'string' || /[*?[\]{}]/.test(p))) return undefined;
  return programs as string[];
}
