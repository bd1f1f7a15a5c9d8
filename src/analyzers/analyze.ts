// Entry point of the analyzers: argv (or a shell script) in, normalized facts out.
import { launchGuards } from './launch-guards.js';
import { opaqueFact } from './opaque.js';
import { programName } from './program.js';
import { lookupAnalyzer } from './registry.js';
import { analyzeShellScript } from './shell.js';
import type { AnalyzeContext, Env, Fact, Parsers } from './types.js';

/** Nesting deeper than this (sudo sudo sudo ... or bash -c 'bash -c ...') is opaque. */
const MAX_DEPTH = 12;

export interface AnalyzeOptions {
  env: Env;
  parsers: Parsers;
  kubeContext?: string;
}

/** Analyze one command given as argv. Never throws: failures become opaque facts. */
export function analyzeArgv(argv: readonly string[], options: AnalyzeOptions): Promise<Fact[]> {
  return analyzeAt([...argv], options, [], options.env);
}

/** Analyze a shell command line (rule self-tests, `sh -c` bodies). */
export function analyzeScript(script: string, options: AnalyzeOptions): Promise<Fact[]> {
  return analyzeShellScript(script, contextFor(options, [], options.env));
}

function contextFor(options: AnalyzeOptions, via: string[], env: Env): AnalyzeContext {
  const ctx: AnalyzeContext = {
    env,
    parsers: options.parsers,
    via,
    analyze: (argv, wrapper, innerEnv) => analyzeAt(argv, options, wrapper === undefined ? via : [...via, wrapper], innerEnv ?? env),
    analyzeScript: (script, wrapper) => analyzeShellScript(script, contextFor(options, [...via, wrapper], env)),
  };
  if (options.kubeContext !== undefined) ctx.kubeContext = options.kubeContext;
  return ctx;
}

async function analyzeAt(argv: string[], options: AnalyzeOptions, via: string[], env: Env): Promise<Fact[]> {
  if (argv.length === 0 || argv[0] === '') {
    return [opaqueFact('', [], via, 'empty command')];
  }
  const program = programName(argv[0]!);
  if (via.length > MAX_DEPTH) return [opaqueFact(program, argv.slice(1), via, 'nested too deeply')];
  const guards = launchGuards(program, argv[0]!, argv.slice(1), via, env, options.env);
  return [...guards, ...(await analyzeProgram(program, argv, options, via, env))];
}

async function analyzeProgram(program: string, argv: string[], options: AnalyzeOptions, via: string[], env: Env): Promise<Fact[]> {
  const analyzer = lookupAnalyzer(program);
  if (!analyzer) return [{ program, action: 'exec', args: argv.slice(1), via }];
  let facts: Fact[];
  try {
    facts = await analyzer(argv, contextFor(options, via, env));
  } catch (error) {
    // An analyzer bug must not let a command through: it becomes opaque (reviewed).
    const message = error instanceof Error ? error.message : String(error);
    return [opaqueFact(program, argv.slice(1), via, `analyzer failed: ${message}`)];
  }
  if (facts.length === 0) return [{ program, action: 'exec', args: argv.slice(1), via }];
  for (const fact of facts) {
    fact.args ??= argv.slice(1);
    fact.via ??= via;
  }
  return facts;
}
