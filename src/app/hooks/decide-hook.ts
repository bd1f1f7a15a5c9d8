// The agent hook use case: analyze the shell command an agent is about to run exactly as
// `gate explain` would, decide, audit the answer, and say what the agent should do. Every
// path that is not a clear allow ends in deny, ask, block or a rewrite through gate.
import type { Env, Parsers } from '../../analyzers/types.js';
import type { AuditLog } from '../../audit/log-file.js';
import type { RuleSet } from '../../policy/rule-set.js';
import type { Clock } from '../../platform/clock.js';
import { explainView, type ExplainView } from '../explain-view.js';
import { prepare, type Prepared } from '../prepare.js';
import { quoteArgv } from '../shell-quote.js';
import { redactArgv } from '../../policy/redact.js';
import type { Verdict } from './hook-answers.js';
import type { Agent, HookCall } from './hook-input.js';
import { gatedArgv, gatedScript, type SelfPaths } from './self-invocation.js';

export type ReviewMode = 'ask' | 'rewrite' | 'auto';

export interface HookDeps {
  env: Env;
  /** A promise when the rules load lazily (only for a tool gate has an opinion about). */
  ruleSet: RuleSet | Promise<RuleSet>;
  parsers: Parsers;
  audit: AuditLog;
  clock: Clock;
  actor: string;
  host: string;
  self: SelfPaths;
  /** Whether an approval server is configured (login or GATE_SERVER): rewrites go there. */
  serverConfigured: boolean;
}

export interface HookOptions {
  review: ReviewMode;
  /** --wait for a rewritten command, as text (`5m`) and in milliseconds. */
  wait: string;
  waitMs: number;
}

/** The longest a Claude Code Bash call may run (its documented maximum timeout). */
const CLAUDE_MAX_TIMEOUT_MS = 600_000;

export async function decideHook(agent: Agent, call: HookCall, deps: HookDeps, options: HookOptions): Promise<Verdict> {
  if (call.kind === 'other') return { kind: 'pass' };
  const gated = call.script !== null ? await gatedScript(call.script, deps.parsers, deps.env, call.cwd, deps.self) : gatedArgv(call.argv, deps.env, call.cwd, deps.self);
  if (gated !== null) return { kind: 'allow', reason: `gate: runs through gate, which enforces the rules for ${quoteArgv(redactArgv(gated))}` };

  // A shell tool's command string is a shell script: `bash -c SCRIPT` is what gate analyzes,
  // and what a rewrite runs, so the decision and the digest are the same in both places.
  const argv = call.script !== null ? ['bash', '-c', call.script] : call.argv;
  const prepared = await prepare(await deps.ruleSet, { argv, cwd: call.cwd, env: deps.env, actor: deps.actor, host: deps.host, reason: call.description, parsers: deps.parsers });
  const view = explainView(prepared);
  const verdict = verdictFor(agent, call, prepared, view, deps, options);
  await auditAnswer(agent, prepared, view, verdict, deps);
  return verdict;
}

function ruleSummary(view: ExplainView, effect: string): string {
  const rules = view.rules.filter((r) => r.effect === effect);
  if (rules.length === 0) return 'the default for commands no rule matches';
  return rules.map((r) => `${r.id}${r.description ? ` (${r.description})` : ''}${r.policy ? ` [policy ${r.policy}]` : ''}`).join('; ');
}

function verdictFor(agent: Agent, call: Extract<HookCall, { kind: 'shell' }>, { request }: Prepared, view: ExplainView, deps: HookDeps, options: HookOptions): Verdict {
  const shown = call.script !== null ? call.script : quoteArgv(redactArgv(request.argv));
  if (view.decision === 'allow') return { kind: 'allow', reason: `gate: allowed by ${ruleSummary(view, 'allow')}` };
  if (view.decision === 'deny') {
    return { kind: 'deny', reason: `gate: denied by rule ${ruleSummary(view, 'deny')}. The command was not run and no approval can allow it; do not retry it in another form. \`gate explain -- ${quoteArgv(redactArgv(request.argv))}\` shows why.` };
  }
  const what = `gate: review required by ${ruleSummary(view, 'review')}; ${view.risk} risk; ${view.approvers.min} approver(s) from ${view.approvers.groups.join(', ') || 'any reviewer'}`;
  const gatedCommand = (wait: string): string =>
    quoteArgv([deps.self.node, deps.self.entry, '--wait', wait, ...(call.description ? ['--reason', call.description] : []), '--', ...request.argv]);
  const mode = options.review === 'auto' ? (deps.serverConfigured ? 'rewrite' : 'ask') : options.review;

  if (mode === 'rewrite' && call.script !== null && agent !== 'codex') {
    const command = gatedCommand(options.wait);
    const reason = `${what}. It runs through gate instead, which asks the approval server and runs it only once a reviewer approves (exit 75 with a request id if nobody decides within ${options.wait}).`;
    if (agent === 'gemini') return { kind: 'rewrite', reason, toolInput: { command } };
    const timeout = Math.min(CLAUDE_MAX_TIMEOUT_MS, Math.max(typeof call.toolInput.timeout === 'number' ? call.toolInput.timeout : 0, options.waitMs + 60_000));
    return { kind: 'rewrite', reason, toolInput: { ...call.toolInput, command, timeout } };
  }
  if (mode === 'ask' && agent === 'claude-code') {
    return { kind: 'ask', reason: `${what}. Approve only if you meant exactly: ${shown}` };
  }
  return {
    kind: 'block',
    reason: `${what}. It was not run. To ask a reviewer, run it through gate: ${gatedCommand('0')} — gate exits 75 with a request id; once a reviewer approves, rerun the same command with --request ID (approval server) or --token TOKEN.`,
  };
}

/** The hook's answer joins the audit log: request, decision (and the refusal for a deny). */
async function auditAnswer(agent: Agent, { request, evaluation }: Prepared, view: ExplainView, verdict: Verdict, deps: HookDeps): Promise<void> {
  const base = { ts: deps.clock.now().toISOString(), request_id: request.id, actor: request.actor, host: request.host };
  const deciding = evaluation.matches.filter((m) => m.rule.effect === evaluation.decision);
  const hook = { agent, answer: verdict.kind };
  await deps.audit.append([
    { ...base, event: 'request', program: request.program, argv: view.request.argv, cwd: request.cwd, env: view.request.env, exe: request.exe, exe_sha256: request.exe_sha256, digest: request.digest, reason: view.request.reason, facts: view.facts.items, hook },
    { ...base, event: 'decision', decision: evaluation.decision, rules: deciding.map((m) => m.rule.id), risk: evaluation.risk, classification: view.facts.labels, policy: [...new Set(deciding.flatMap((m) => (m.rule.policy ? [m.rule.policy] : [])))], hook },
    ...(verdict.kind === 'deny' || verdict.kind === 'block'
      ? [{ ...base, event: 'refused' as const, code: verdict.kind === 'deny' ? 'denied_by_rule' : 'review_required', rules: deciding.map((m) => m.rule.id), message: verdict.reason, hook }]
      : []),
  ]);
}
