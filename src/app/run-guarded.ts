// The guarded run: decide, obtain an approval when needed, verify it, run, and audit every
// step. Every reviewed command, including one approved at the requester's own terminal, runs
// only after its decision token(s) pass verifyApproval.
import type { Env, Parsers } from '../analyzers/types.js';
import type { AuditLog } from '../audit/log-file.js';
import type { AuditEntry } from '../audit/record.js';
import { DeniedError, GateError, EXIT, PendingError, UsageError } from '../errors.js';
import { findExecutable, resolveExecutable } from '../exec/resolve.js';
import type { ChildResult } from '../exec/spawn.js';
import { redactArgv, redactText, redactValue } from '../policy/redact.js';
import type { RuleSet } from '../policy/rule-set.js';
import type { Clock } from '../platform/clock.js';
import type { Ledger } from '../token/ledger.js';
import type { TrustStore } from '../token/trust.js';
import { explainView, type ExplainView } from './explain-view.js';
import type { InlineReviewer, TerminalSigner } from './inline-approval.js';
import type { ServerApprovalDeps, ServerTokens } from './server-approval.js';
import { prepare, type Prepared } from './prepare.js';
import { savedRequest, type SavedRequest } from './request-file.js';
import { quoteArg, quoteArgv } from './shell-quote.js';
import type { VerifiedApproval } from './verify-approval.js';
import { knownShimDirs } from './shims/shim-dirs.js';

export interface RunDeps {
  env: Env;
  cwd: string;
  clock: Clock;
  parsers: Parsers;
  audit: AuditLog;
  ruleSet: RuleSet;
  stateDir: string;
  /** Decision tokens given with --token / GATE_TOKEN. */
  tokens: string[];
  /** Null when no human can be asked here (no terminal, CI, --non-interactive, --wait 0). */
  inlineReviewer: InlineReviewer | null;
  /** The local terminal key, created and trusted on first use. */
  terminalSigner(): Promise<TerminalSigner>;
  loadTrust(): TrustStore;
  ledger: Ledger;
  /** Persist the full request for a later approval; returns the file path. */
  saveRequest(request: SavedRequest): string;
  /** The approval server, when one is configured: it takes the review instead of the terminal. */
  server(): Promise<ServerApprovalDeps | null>;
  /** --request ID: redeem an approval the server gave earlier. */
  redeemRequestId: string | null;
  runChild(exe: string, argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildResult>;
  /** One line on stderr for the user (never stdout: it belongs to the child). */
  warn(line: string): void;
}

export interface RunInput {
  argv: string[];
  actor: string;
  host: string;
  reason: string | null;
}

type BaseFields = () => Pick<AuditEntry, 'ts' | 'request_id' | 'actor' | 'host'>;

// The review path (tokens, keys, the server, the terminal prompt) loads only when a command
// needs review: an allowed or denied command never compiles it.
const reviewModules = () => Promise.all([import('./verify-approval.js'), import('../token/token-error.js')]);

/** Run `argv` through the gate; resolves to the exit code, or throws a GateError. */
export async function runGuarded(deps: RunDeps, input: RunInput): Promise<number> {
  const prepared = await prepare(deps.ruleSet, { ...input, cwd: deps.cwd, env: deps.env, parsers: deps.parsers });
  const { request, evaluation } = prepared;
  const view = explainView(prepared);
  const base: BaseFields = () => ({ ts: deps.clock.now().toISOString(), request_id: request.id, actor: request.actor, host: request.host });
  const decidingIds = evaluation.matches.filter((m) => m.rule.effect === evaluation.decision).map((m) => m.rule.id);

  const opening: AuditEntry[] = [
    { ...base(), event: 'request', program: request.program, argv: redactArgv(request.argv), cwd: request.cwd, env: redactValue(request.env), exe: request.exe, exe_sha256: request.exe_sha256, digest: request.digest, reason: view.request.reason, facts: view.facts.items },
    { ...base(), event: 'decision', decision: evaluation.decision, rules: decidingIds, risk: evaluation.risk, classification: view.facts.labels, policy: policiesOf(prepared) },
  ];
  // An allowed command's request, decision and start go in one locked, fsynced append.
  if (evaluation.decision === 'allow') return execute(deps, prepared, null, base, opening);

  if (evaluation.decision === 'deny') {
    const first = evaluation.matches.find((m) => m.rule.effect === 'deny')!.rule;
    const message = `denied by rule ${first.id}${first.description ? `: ${first.description}` : ''}`;
    await deps.audit.append([...opening, { ...base(), event: 'refused', code: 'denied_by_rule', rules: decidingIds, message }]);
    throw new DeniedError('denied_by_rule', message, {
      hint: `\`gate explain -- ${quoteArgv(redactArgv(request.argv))}\` shows why; this rule does not allow approval, so ask its owner (${first.location.file}) if the command is needed`,
      details: { request_id: request.id },
    });
  }
  // A shim whose program is not installed ends as not found (127), not as a review nobody
  // could act on: only the shim stands on PATH for it.
  if (request.exe === null && onlyShimmed(request.argv[0] ?? '', deps)) return execute(deps, prepared, null, base, opening);
  await deps.audit.append(opening);
  return execute(deps, prepared, await obtainApproval(deps, prepared, view, base), base);
}

function policiesOf({ evaluation }: Prepared): string[] {
  return [...new Set(evaluation.matches.filter((m) => m.rule.effect === evaluation.decision).flatMap((m) => (m.rule.policy ? [m.rule.policy] : [])))];
}

/** Tokens given, else the human at this terminal, else pending (75) with the request saved. */
async function obtainApproval(deps: RunDeps, prepared: Prepared, view: ExplainView, base: BaseFields): Promise<VerifiedApproval> {
  const { request, evaluation } = prepared;
  if (deps.tokens.length > 0) return verified(deps, prepared, deps.tokens, base);
  const server = await deps.server();
  if (deps.redeemRequestId !== null) {
    if (!server) throw new UsageError('--request redeems an approval on an approval server, and none is configured', { hint: 'log in first: gate login URL --token TOKEN (or set GATE_SERVER)' });
    const { redeemServerApproval } = await import('./server-approval.js');
    const tokens = await throughServer(deps, server, base, () => redeemServerApproval(server, deps.redeemRequestId!, prepared));
    return verified(deps, prepared, tokens, base);
  }

  const canAskHere = deps.inlineReviewer !== null && evaluation.inline && evaluation.approvers.min <= 1;
  const askReason = evaluation.reasonRequired && !request.reason;
  // At the terminal the prompt asks for a missing reason; elsewhere it is a usage error.
  if (askReason && !canAskHere) {
    await deps.audit.append([{ ...base(), event: 'refused', code: 'reason_required', message: 'a matched rule requires --reason' }]);
    throw new UsageError(`rule ${view.rules.find((r) => r.reason === 'required')?.id ?? ''} requires a reason for this command`, {
      hint: 'rerun with --reason "why this is needed" (or set GATE_REASON, e.g. for a command run through a shim); reviewers see it',
      details: { request_id: request.id },
    });
  }
  if (server) {
    if (askReason) {
      await deps.audit.append([{ ...base(), event: 'refused', code: 'reason_required', message: 'a matched rule requires --reason' }]);
      throw new UsageError(`rule ${view.rules.find((r) => r.reason === 'required')?.id ?? ''} requires a reason for this command`, { hint: 'rerun with --reason "why this is needed" (or set GATE_REASON, e.g. for a command run through a shim); reviewers see it', details: { request_id: request.id } });
    }
    const { requestServerApproval } = await import('./server-approval.js');
    const tokens = await throughServer(deps, server, base, () => requestServerApproval(server, prepared, view));
    return verified(deps, prepared, tokens, base);
  }
  if (!canAskHere) return pending(deps, prepared, view, base);

  const { approveInline } = await import('./inline-approval.js');
  let outcome: Awaited<ReturnType<typeof approveInline>>;
  try {
    outcome = await approveInline(deps.inlineReviewer!, await deps.terminalSigner(), prepared, view, { askReason, now: () => deps.clock.now() });
  } catch (error) {
    // The prompt ended without a verdict (a signal, no terminal, a key store failure).
    const code = error instanceof GateError ? error.code : 'prompt_failed';
    await deps.audit.append([{ ...base(), event: 'refused', code, message: error instanceof Error ? error.message : String(error) }]);
    if (error instanceof GateError) error.details.request_id = request.id;
    throw error;
  }
  if (outcome.decision === 'deny') {
    await deps.audit.append([
      { ...base(), event: 'decision', decision: 'denied', approvers: [outcome.approver], comment: outcome.comment ?? null },
      { ...base(), event: 'refused', code: 'denied_by_reviewer', message: 'denied at the terminal' },
    ]);
    throw new DeniedError('denied_by_reviewer', `denied at the terminal${outcome.comment ? `: ${outcome.comment}` : ''}`, {
      hint: 'the command was not run; change it or ask a reviewer if it is really needed',
      details: { request_id: request.id },
    });
  }
  if (outcome.reason) request.reason = outcome.reason;
  return verified(deps, prepared, [outcome.token], base);
}

/** A server round trip; how it ends (pending, denied, unreachable) is audited before it is reported. */
async function throughServer<T>(deps: RunDeps, server: ServerApprovalDeps, base: BaseFields, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GateError) {
      const entry = error.exitCode === EXIT.pending ? { event: 'decision' as const, decision: 'pending', approval_url: error.details.approval_url ?? null } : { event: 'refused' as const, code: error.code, message: error.message };
      await deps.audit.append([{ ...base(), ...entry, server: server.client.url }]);
    }
    throw error;
  }
}

/**
 * Verify tokens (given ones, or a server approval: the reviewers' own tokens first, else the
 * server's); a refusal is audited with its reason and exits 77. The record names the keys that signed.
 */
async function verified(deps: RunDeps, prepared: Prepared, tokens: readonly string[] | ServerTokens, base: BaseFields): Promise<VerifiedApproval> {
  const { request, evaluation } = prepared;
  const [{ verifyApproval, verifyServerApproval }] = await reviewModules();
  try {
    const verifyDeps = { trust: deps.loadTrust(), ledger: deps.ledger, now: deps.clock.now(), stateDir: deps.stateDir };
    const approval: VerifiedApproval & { reviewerTokensSkipped?: string[] } = Array.isArray(tokens)
      ? await verifyApproval(tokens, request, evaluation, verifyDeps)
      : await verifyServerApproval(tokens as ServerTokens, request, evaluation, verifyDeps);
    const skipped = approval.reviewerTokensSkipped ?? [];
    await deps.audit.append([
      {
        ...base(),
        event: 'decision',
        decision: 'approved',
        token_jti: approval.jtis.length === 1 ? approval.jtis[0] : approval.jtis,
        reviewed_request_id: approval.requestIds.length === 1 ? approval.requestIds[0] : approval.requestIds.length > 1 ? approval.requestIds : null,
        approvers: approval.approvers,
        signed_by: approval.signers,
        ...(skipped.length > 0 ? { reviewer_tokens_skipped: skipped } : {}),
        reason: request.reason === null ? null : redactText(request.reason),
        rules: evaluation.matches.filter((m) => m.rule.effect === 'review').map((m) => m.rule.id),
      },
    ]);
    return approval;
  } catch (error) {
    if (error instanceof GateError) {
      await deps.audit.append([{ ...base(), event: 'refused', code: error.code, message: error.message }]);
      error.details.request_id ??= request.id;
    }
    throw error;
  }
}

async function pending(deps: RunDeps, { request, evaluation }: Prepared, view: ExplainView, base: BaseFields): Promise<never> {
  const file = deps.saveRequest(savedRequest(view, request));
  await deps.audit.append([{ ...base(), event: 'decision', decision: 'pending', request_file: file }]);
  const ruleList = view.rules.filter((r) => r.effect === 'review').map((r) => r.id).join(', ') || 'the default (no rule matched)';
  const local = evaluation.inline && evaluation.approvers.min <= 1;
  throw new PendingError(`review required by ${ruleList} (${evaluation.risk} risk); request ${request.id} saved to ${file}`, {
    hint:
      `a reviewer approves it with \`gate approve --offline --request ${file}\` and the printed token runs it: \`gate --token TOKEN${request.reason ? ` --reason ${quoteArg(redactText(request.reason))}` : ''} -- ${quoteArgv(redactArgv(request.argv))}\`` +
      (local ? '; or run the same command in an interactive terminal to review it there' : ''),
    details: { request_id: request.id, request_file: file, approval_url: null, digest: request.digest },
  });
}

/** Run the child, bracketed by `started` and `finished` records. */
async function execute(deps: RunDeps, { request }: Prepared, approval: VerifiedApproval | null, base: BaseFields, opening: AuditEntry[] = []): Promise<number> {
  if (request.exe === null || request.exe_path === null) {
    const error = programError(request.argv[0] ?? '', deps);
    await deps.audit.append([...opening, { ...base(), event: 'error', code: error.code, message: error.message, exit: error.exitCode }]);
    error.details.request_id = request.id;
    throw error;
  }
  await deps.audit.append([...opening, { ...base(), event: 'started', exe: request.exe, ...(approval ? { token_jti: approval.jtis.length === 1 ? approval.jtis[0] : approval.jtis, approvers: approval.approvers } : {}) }]);
  const reviewed = approval === null ? null : await reviewModules();
  if (reviewed !== null && reviewed[0].digestNow(request, deps.stateDir) !== request.digest) {
    // Checked again after the last audit write, as close to exec as gate can get: a binary
    // swapped while gate waited for the audit lock is not what the reviewer approved.
    const { TokenError } = reviewed[1];
    const error = new TokenError('token_digest_mismatch', `${request.exe_path} changed after it was approved; it was not run`);
    await deps.audit.append([{ ...base(), event: 'refused', code: error.code, message: error.message }]);
    error.details.request_id = request.id;
    throw error;
  }
  let result: ChildResult;
  try {
    result = await deps.runChild(request.exe_path, request.argv, { cwd: request.cwd, env: deps.env as NodeJS.ProcessEnv });
  } catch (error) {
    const code = error instanceof GateError ? error.code : 'spawn_failed';
    await deps.audit.append([{ ...base(), event: 'error', code, message: error instanceof Error ? error.message : String(error) }]);
    if (error instanceof GateError) error.details.request_id = request.id;
    throw error;
  }
  try {
    await deps.audit.append([{ ...base(), event: 'finished', exit: result.exitCode, signal: result.signal, duration_ms: result.durationMs }]);
  } catch (error) {
    // The command ran and its `started` record is in the log: report the gap, keep its exit code.
    deps.warn(`gate: warning: the command ran (exit ${result.exitCode}) but its finished record could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
  return result.exitCode;
}

/** Whether the only `program` on PATH is a gate shim (the real one is not installed). */
function onlyShimmed(program: string, deps: RunDeps): boolean {
  const skipped: string[] = [];
  return findExecutable(program, deps.env.PATH, deps.cwd, { shimDirs: knownShimDirs(deps.env), skipped }) === null && skipped.length > 0;
}

/** Why the program cannot run: not found (127) or not executable (126). */
function programError(program: string, deps: RunDeps): GateError {
  try {
    resolveExecutable(program, deps.env.PATH, deps.cwd, { shimDirs: knownShimDirs(deps.env) });
  } catch (error) {
    if (error instanceof GateError) return error;
  }
  return new GateError('not_found', EXIT.notFound, `${program}: command not found`);
}
