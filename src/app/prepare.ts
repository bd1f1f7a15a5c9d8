// Builds the request for an argv and evaluates it: shared by `gate --`, `gate explain` and
// the rules self-tests. Everything gate decides flows through here.
import { randomUUID } from 'node:crypto';
import { analyzeArgv } from '../analyzers/analyze.js';
import { programName } from '../analyzers/program.js';
import type { Env, Fact, Parsers } from '../analyzers/types.js';
import { findExecutable } from '../exec/resolve.js';
import { executableHash, openHashCache, saveHashCache } from '../exec/hash.js';
import { classifyFacts } from '../policy/classify.js';
import { evaluate, type Evaluation } from '../policy/evaluate.js';
import { boundEnv, requestDigest, type Request } from '../policy/request.js';
import type { RuleSet } from '../policy/rule-set.js';
import { kubeCurrentContext } from '../platform/kubeconfig.js';
import { gatePaths } from '../platform/paths.js';
import { knownShimDirs } from './shims/shim-dirs.js';

export interface PrepareInput {
  argv: string[];
  cwd: string;
  env: Env;
  actor: string;
  host: string;
  reason: string | null;
  parsers: Parsers;
}

export interface Prepared {
  request: Request;
  evaluation: Evaluation;
}

/** Analyze, resolve, hash, classify and evaluate one command. Runs nothing. */
export async function prepare(ruleSet: RuleSet, input: PrepareInput): Promise<Prepared> {
  // Only commands that mention kube tools pay for reading the kubeconfig.
  const kubeContext = input.argv.some((a) => /kubectl|helm/.test(a)) ? kubeCurrentContext(input.env) : undefined;
  const facts: Fact[] = await analyzeArgv(input.argv, { env: input.env, parsers: input.parsers, ...(kubeContext ? { kubeContext } : {}) });
  classifyFacts(facts, ruleSet.classify);
  const evaluation = evaluate(ruleSet, facts);

  const located = input.argv.length > 0 ? findExecutable(input.argv[0]!, input.env.PATH, input.cwd, { shimDirs: knownShimDirs(input.env) }) : null;
  const exe = located?.realpath ?? null;
  let exeSha256: string | null = null;
  if (exe !== null) {
    const cache = openHashCache(gatePaths(input.env).state);
    try {
      exeSha256 = executableHash(cache, exe);
    } catch {
      exeSha256 = null;
    }
    saveHashCache(cache);
  }
  const binding = { argv: input.argv, exe, exe_sha256: exeSha256, cwd: input.cwd, env: boundEnv(input.env, kubeContext), actor: input.actor, host: input.host };
  const request: Request = {
    id: randomUUID(),
    ...binding,
    exe_path: located?.path ?? null,
    program: input.argv.length > 0 ? programName(input.argv[0]!) : '',
    reason: input.reason,
    facts,
    digest: requestDigest(binding),
  };
  return { request, evaluation };
}
