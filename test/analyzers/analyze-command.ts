// Helpers for the analyzer tests: analyze a command the way gate does (with the lazily loaded
// parsers) and take the single fact a test expects.
import { expect } from 'vitest';
import { analyzeArgv, type AnalyzeOptions } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import type { Env, Fact } from '../../src/analyzers/types.js';

/** Analyze argv, or a command line split on every single space. */
export function analyze(command: string | string[], env: Env = {}, options: Pick<AnalyzeOptions, 'kubeContext'> = {}): Promise<Fact[]> {
  return analyzeArgv(typeof command === 'string' ? command.split(' ') : command, { env, parsers: lazyParsers, ...options });
}

/** The one fact a command yields; fails the test when it yields more or none. */
export async function one(command: string | string[], env: Env = {}): Promise<Fact> {
  return onlyFact(await analyze(command, env));
}

/** The only fact in `facts`; fails the test when there are more or none. */
export function onlyFact(facts: Fact[]): Fact {
  expect(facts).toHaveLength(1);
  return facts[0]!;
}

/** The words of a test line, ignoring runs of spaces. */
export function words(line: string): string[] {
  return line.split(' ').filter((w) => w !== '');
}
