// The guarded run: decide, obtain a review when needed, run, and audit every step.
import type { Env, Parsers } from '../analyzers/types.js';
import type { AuditEntry } from '../audit/record.js';
import type { AuditLog } from '../audit/log-file.js';
import { DeniedError, GateError, PendingError, UsageError, EXIT } from '../errors.js';
import { realpathSync } from 'node:fs';
import { resolveExecutable } from '../exec/resolve.js';
import type { ChildResult } from '../exec/spawn.js';
import { executableHash, openHashCache } from '../exec/hash.js';
import { requestDigest } from '../policy/request.js';
import type { RuleSet } from '../policy/rule-set.js';
import { redactArgv, redactValue } from '../policy/redact.js';
import type { Clock } from '../platform/clock.js';
import { gatePaths } from '../platform/paths.js';
import { explainView, type ExplainView } from './explain-view.js';
import { prepare, type Prepared } from './prepare.js';
import { confirmationTarget } from './confirmation-target.js';
import { quoteArgv } from './shell-quote.js';

export interface InlineVerdict {
  decision: 'approve' | 'deny';
  comment?: string;
  /** The reason typed at the prompt, when a rule required one and none was given. */
  reason?: string;
}

export interface InlinePromptOptions {
  /** Text the reviewer must type to approve (high/critical risk), or null. */
  confirm: string | null;
  /** A matched rule requires --reason and none was given: ask for it first. */
  askReason: boolean;
}

/** The human at the requester's own terminal (section 10). */
export interface InlineReviewer {
  review(view: ExplainView, options: InlinePromptOptions): Promise<InlineVerdict>;
}

export interface RunDeps {
  env: Env;
  cwd: string;
  clock: Clock;
  parsers: Parsers;
  audit: AuditLog;
  ruleSet: RuleSet;
  /** Null when no human can be asked here (no terminal, CI, --non-interactive, --wait 0). */
  inlineReviewer: InlineReviewer | null;
  /** Persist the full request for a later approval; returns the file path. */
  saveRequest(view: ExplainView): string;
  runChild(exe: string, argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildResult>;
}

export interface RunInput {
  argv: string[];
  actor: string;
  host: string;
  reason: string | null;
}

/** Run `argv` through the gate; resolves to the exit code, or throws a GateError. */
export async function runGuarded(deps: RunDeps, input: RunInput): Promise<number> {
  const prepared = await prepare(deps.ruleSet, { ...input, cwd: deps.cwd, env: deps.env, parsers: deps.parsers });
  const { request, evaluation } = prepared;
  const view = explainView(prepared);
  const base = (): Pick<AuditEntry, 'ts' | 'request_id' | 'actor' | 'host'> => ({ ts: deps.clock.now().toISOString(), request_id: request.id, actor: request.actor, host: request.host });
  const ruleIds = evaluation.matches.filter((m) => m.rule.effect === evaluation.decision).map((m) => m.rule.id);
  const labels = view.facts.labels;

  await deps.audit.append([
    { ...base(), event: 'request', program: request.program, argv: redactArgv(request.argv), cwd: request.cwd, env: redactValue(request.env), exe: request.exe, exe_sha256: request.exe_sha256, digest: request.digest, reason: request.reason, facts: view.facts.items },
    { ...base(), event: 'decision', decision: evaluation.decision, rules: ruleIds, risk: evaluation.risk, classification: labels, policy: policiesOf(prepared) },
  ]);

  if (evaluation.decision === 'deny') {
    const first = evaluation.matches.find((m) => m.rule.effect === 'deny')!.rule;
    const message = `denied by rule ${first.id}${first.description ? `: ${first.description}` : ''}`;
    await deps.audit.append([{ ...base(), event: 'refused', code: 'denied_by_rule', rules: ruleIds, message }]);
    throw new DeniedError('denied_by_rule', message, {
      hint: `\`gate explain -- ${quoteArgv(redactArgv(request.argv))}\` shows why; this rule does not allow approval, so ask its owner (${first.location.file}) if the command is needed`,
      details: { request_id: request.id },
    });
  }

  let approvers: Array<{ id: string; via: string; at: string }> = [];
  if (evaluation.decision === 'review') {
    approvers = await obtainReview(deps, prepared, view, base);
  }
  return execute(deps, prepared, approvers, base);
}

function policiesOf({ evaluation }: Prepared): string[] {
  return [...new Set(evaluation.matches.filter((m) => m.rule.effect === evaluation.decision).flatMap((m) => (m.rule.policy ? [m.rule.policy] : [])))];
}

type BaseFields = () => Pick<AuditEntry, 'ts' | 'request_id' | 'actor' | 'host'>;

/** Ask the human at this terminal, or end as pending (75) with the request saved. */
async function obtainReview(deps: RunDeps, prepared: Prepared, view: ExplainView, base: BaseFields): Promise<Array<{ id: string; via: string; at: string }>> {
  const { request, evaluation } = prepared;
  const canAskHere = deps.inlineReviewer !== null && evaluation.inline;
  const askReason = evaluation.reasonRequired && !request.reason;
  // At the terminal the prompt asks for the missing reason; elsewhere it is a usage error.
  if (askReason && !canAskHere) {
    await deps.audit.append([{ ...base(), event: 'refused', code: 'reason_required', message: 'a matched rule requires --reason' }]);
    throw new UsageError(`rule ${view.rules.find((r) => r.reason === 'required')?.id ?? ''} requires a reason for this command`, {
      hint: 'rerun with --reason "why this is needed" (reviewers see it)',
      details: { request_id: request.id },
    });
  }
  const ruleList = view.rules.filter((r) => r.effect === 'review').map((r) => r.id).join(', ') || 'the default (no rule matched)';
  if (!canAskHere) {
    const file = deps.saveRequest(view);
    await deps.audit.append([{ ...base(), event: 'decision', decision: 'pending', request_file: file }]);
    throw new PendingError(`review required by ${ruleList} (${evaluation.risk} risk); request ${request.id} saved to ${file}`, {
      hint: evaluation.inline
        ? 'no terminal to ask (CI, no TTY or --non-interactive): run the same command in an interactive terminal to review it there, or have a reviewer approve the saved request'
        : 'this rule does not allow approval at the requester\'s own terminal: have a reviewer approve the saved request',
      details: { request_id: request.id, request_file: file, approval_url: null, digest: request.digest },
    });
  }
  const verdict = await deps.inlineReviewer!.review(view, { confirm: confirmationTarget(prepared), askReason });
  if (verdict.reason) request.reason = verdict.reason;
  const at = deps.clock.now().toISOString();
  const approver = { id: `tty:${request.actor}`, via: 'tty', at };
  if (verdict.decision === 'deny') {
    await deps.audit.append([
      { ...base(), event: 'decision', decision: 'denied', approvers: [approver], comment: verdict.comment ?? null },
      { ...base(), event: 'refused', code: 'denied_by_reviewer', message: 'denied at the terminal' },
    ]);
    throw new DeniedError('denied_by_reviewer', `denied at the terminal${verdict.comment ? `: ${verdict.comment}` : ''}`, {
      hint: 'the command was not run; change it or ask a reviewer if it is really needed',
      details: { request_id: request.id },
    });
  }
  await deps.audit.append([{ ...base(), event: 'decision', decision: 'approved', approvers: [approver], comment: verdict.comment ?? null, reason: request.reason, rules: view.rules.filter((r) => r.effect === 'review').map((r) => r.id) }]);
  return [approver];
}

/** Run the child, bracketed by `started` and `finished` records. */
async function execute(deps: RunDeps, { request }: Prepared, approvers: Array<{ id: string; via: string; at: string }>, base: BaseFields): Promise<number> {
  if (request.exe === null || request.exe_path === null) {
    const error = programError(request.argv[0] ?? '', deps);
    await deps.audit.append([{ ...base(), event: 'error', code: error.code, message: error.message, exit: error.exitCode }]);
    throw error;
  }
  if (approvers.length > 0) {
    // What runs must be what was reviewed: re-resolve, re-hash the binary and recompute the
    // digest just before exec.
    const cache = openHashCache(gatePaths(deps.env).state);
    const exe = realpathOrNull(request.exe_path);
    const exeSha256 = exe === null ? null : executableHash({ ...cache, entries: {} }, exe);
    const digest = requestDigest({ ...request, exe, exe_sha256: exeSha256 });
    if (digest !== request.digest) {
      await deps.audit.append([{ ...base(), event: 'refused', code: 'digest_mismatch', message: 'the executable changed during review' }]);
      throw new DeniedError('digest_mismatch', `${request.exe} changed while the command was being reviewed; the approval does not cover it`, { hint: 'run the command again to get a fresh review' });
    }
  }
  await deps.audit.append([{ ...base(), event: 'started', exe: request.exe, approvers }]);
  let result: ChildResult;
  try {
    result = await deps.runChild(request.exe_path, request.argv, { cwd: request.cwd, env: deps.env as NodeJS.ProcessEnv });
  } catch (error) {
    const code = error instanceof GateError ? error.code : 'spawn_failed';
    await deps.audit.append([{ ...base(), event: 'error', code, message: error instanceof Error ? error.message : String(error) }]);
    throw error;
  }
  await deps.audit.append([{ ...base(), event: 'finished', exit: result.exitCode, signal: result.signal, duration_ms: result.durationMs }]);
  return result.exitCode;
}

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Why the program cannot run: not found (127) or not executable (126). */
function programError(program: string, deps: RunDeps): GateError {
  try {
    resolveExecutable(program, deps.env.PATH, deps.cwd);
  } catch (error) {
    if (error instanceof GateError) return error;
  }
  return new GateError('not_found', EXIT.notFound, `${program}: command not found`);
}
