// Review through the central approval server: create the request, wait for the decision
// (pushed within milliseconds), and redeem the approval for a token signed by the server.
import type { CreateRequestBody, RequestView } from '../approval/api-types.js';
import type { ApprovalClient } from '../approval/http-client.js';
import { waitForDecision } from '../approval/wait-decision.js';
import { DeniedError, EXIT, GateError, PendingError } from '../errors.js';
import { redactArgv, redactText } from '../policy/redact.js';
import type { Progress } from '../platform/progress.js';
import { confirmationTarget } from './confirmation-target.js';
import type { ExplainView } from './explain-view.js';
import type { Prepared } from './prepare.js';
import { quoteArgv } from './shell-quote.js';

export interface ServerApprovalDeps {
  client: ApprovalClient;
  /** How long to wait for a decision; 0 = create the request and end as pending. */
  waitMs: number;
  /** Open the approval page in a browser (--open). */
  openPage: ((url: string) => Promise<void>) | null;
  progress: Progress;
  now(): number;
  /** Subscribe to the user's interrupt (Ctrl-C) while waiting; returns the unsubscribe. */
  onInterrupt(handler: () => void): () => void;
}

/** What redeeming an approval gives: the server's token and any tokens reviewers signed with their own keys. */
export interface ServerTokens {
  token: string;
  reviewerTokens: string[];
}

/** The request as the server needs it: redacted, with what each review rule asks. */
export function createBody(prepared: Prepared, view: ExplainView): CreateRequestBody {
  const { request } = prepared;
  return {
    id: request.id,
    digest: request.digest,
    actor: request.actor,
    host: request.host,
    cwd: request.cwd,
    program: request.program,
    argv: redactArgv(request.argv),
    reason: request.reason === null ? null : redactText(request.reason),
    risk: view.risk as CreateRequestBody['risk'],
    rules: view.rules
      .filter((r) => r.effect === 'review')
      .map((r) => ({ id: r.id, description: r.description, policy: r.policy, risk: r.risk as CreateRequestBody['risk'], groups: r.approvers?.groups ?? [], min: r.approvers?.min ?? 1, ttl_ms: r.ttl_ms, pending_ms: r.pending_ms })),
    facts: view.facts.items as Array<Record<string, unknown>>,
    labels: view.facts.labels,
    confirm: confirmationTarget(prepared),
  };
}

function who(view: RequestView): string {
  const groups = view.required.groups.length > 0 ? view.required.groups.join(', ') : 'any reviewer';
  return `${view.required.min} of ${groups}`;
}

function elapsed(fromIso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Create the request on the server and wait for its decision; returns the server's token. */
export async function requestServerApproval(deps: ServerApprovalDeps, prepared: Prepared, view: ExplainView): Promise<ServerTokens> {
  const created = await deps.client.createRequest(createBody(prepared, view));
  const details = { request_id: created.id, approval_url: created.approval_url, digest: created.digest };
  const command = quoteArgv(redactArgv(prepared.request.argv));
  if (deps.waitMs <= 0) {
    throw new PendingError(`review required (${view.risk} risk): request ${created.id} waits for ${who(created)} at ${created.approval_url}`, {
      hint: `once approved, run it with \`gate --request ${created.id} -- ${command}\``,
      details,
    });
  }
  if (deps.openPage) await deps.openPage(created.approval_url).catch(() => undefined);
  const deadline = deps.now() + deps.waitMs;
  // Ctrl-C while waiting cancels the request on the server (not the same as a denial).
  const interrupted = new AbortController();
  const unsubscribe = deps.onInterrupt(() => interrupted.abort());
  const show = (v: RequestView) => deps.progress.update(`waiting for ${who(v)} to review ${created.id} (${elapsed(created.created_at, deps.now())}) ${created.approval_url}`);
  show(created);
  const ticker = setInterval(() => show(created), 1000);
  ticker.unref();
  let result: Awaited<ReturnType<typeof waitForDecision>>;
  try {
    result = await waitForDecision(deps.client, created, {
      deadline,
      now: deps.now,
      signal: interrupted.signal,
      onRetry: (error) => deps.progress.update(`server unreachable, retrying (${error.message})`),
    });
  } finally {
    clearInterval(ticker);
    unsubscribe();
  }
  if (interrupted.signal.aborted) {
    await deps.client.cancel(created.id).catch(() => undefined);
    deps.progress.done(`cancelled request ${created.id}`);
    throw new GateError('cancelled', 130, `interrupted: request ${created.id} was cancelled; nothing was run`, { details });
  }
  if (result.kind === 'unreachable') {
    deps.progress.done('the approval server could not be reached');
    result.error.details.request_id = created.id;
    throw result.error;
  }
  const final = result.view;
  if (result.kind === 'timeout') {
    deps.progress.done(`no decision yet on ${created.id}`);
    throw new PendingError(`no decision on request ${created.id} within --wait; it stays pending until ${final.expires_at}`, {
      hint: `once approved, run it with \`gate --request ${created.id} -- ${command}\``,
      details,
    });
  }
  return settle(deps, final, prepared, details);
}

/** Redeem an approval made earlier (`gate --request ID -- cmd`). */
export async function redeemServerApproval(deps: Pick<ServerApprovalDeps, 'client' | 'progress'>, requestId: string, prepared: Prepared): Promise<ServerTokens> {
  const view = await deps.client.getRequest(requestId);
  return settle(deps, view, prepared, { request_id: view.id, approval_url: view.approval_url, digest: view.digest });
}

/** Tokens are judged with this tolerance (token/verify.ts); a margin for the Date header's whole seconds. */
const TOLERANCE_MS = 30_000;
const MARGIN_MS = 2_000;
/** What the server signs for when no rule limits the token's life (server/decision-token.ts). */
const DEFAULT_TOKEN_LIFE_MS = 10 * 60_000;

/**
 * Refuse before redeeming when the clocks are too far apart for the token to verify here: a
 * clock behind the server's sees a token that is not valid yet, one ahead by more than the
 * token's life sees it expired. Either way the approval would be spent for nothing.
 */
export function checkClock(offsetMs: number | null, view: RequestView, details: Record<string, unknown>): void {
  if (offsetMs === null) return;
  const lives = view.rules.map((r) => r.ttl_ms).filter((t): t is number => typeof t === 'number');
  const lifeMs = lives.length > 0 ? Math.min(...lives) : DEFAULT_TOKEN_LIFE_MS;
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const fix = `sync this machine's clock (and the server's) with NTP, then run the same command with --request ${view.id}: the approval is kept`;
  if (offsetMs > TOLERANCE_MS + MARGIN_MS) {
    throw new GateError('clock_skew', EXIT.config, `clock skew: this machine's clock is about ${seconds} s behind the approval server's, more than the 30 s a token allows, so its token would not be valid yet here`, { hint: fix, details: { ...details, clock_offset_s: Math.round(offsetMs / 1000) } });
  }
  if (-offsetMs > lifeMs + TOLERANCE_MS - MARGIN_MS) {
    throw new GateError('clock_skew', EXIT.config, `clock skew: this machine's clock is about ${seconds} s ahead of the approval server's, more than the ${Math.round(lifeMs / 1000)} s the approval's token lives, so it would be expired on arrival`, { hint: fix, details: { ...details, clock_offset_s: Math.round(offsetMs / 1000) } });
  }
}

/** A decided request: approved gives the token; anything else ends the run with its reason. */
async function settle(deps: Pick<ServerApprovalDeps, 'client' | 'progress'>, view: RequestView, prepared: Prepared, details: Record<string, unknown>): Promise<ServerTokens> {
  const deny = view.votes.find((v) => v.decision === 'deny');
  switch (view.status) {
    case 'approved': {
      deps.progress.done(`approved by ${view.votes.filter((v) => v.decision === 'approve').map((v) => v.reviewer).join(', ')}`);
      // Redeeming spends the approval: first make sure this clock can accept the token.
      checkClock(deps.client.serverClockOffsetMs?.() ?? null, view, details);
      const { token, reviewer_tokens: reviewerTokens } = await deps.client.redeem(view.id, prepared.request.digest);
      return { token, reviewerTokens };
    }
    case 'denied':
      deps.progress.done(`denied by ${deny?.reviewer ?? 'a reviewer'}`);
      throw new DeniedError('denied_by_reviewer', `denied by ${deny?.reviewer ?? 'a reviewer'}: ${deny?.comment ?? '(no comment)'}`, { hint: 'the command was not run', details });
    case 'pending':
      throw new PendingError(`request ${view.id} is still pending`, { hint: 'wait for a reviewer, then run the same command with --request again', details });
    case 'expired':
      deps.progress.done(`request ${view.id} expired`);
      throw new PendingError(`request ${view.id} expired without a decision`, { hint: 'run the command again to ask for a new review', details });
    case 'cancelled':
      throw new DeniedError('request_cancelled', `request ${view.id} was cancelled`, { hint: 'run the command again to ask for a new review', details });
    case 'redeemed':
      throw new DeniedError('token_replayed', `request ${view.id} was already used to run its command`, { hint: 'each approval runs one command once; ask for a new review', details });
  }
}
