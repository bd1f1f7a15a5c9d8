// What every channel message says about a request, medium-neutral and unescaped: who asks
// (requester@host), what (the redacted command), where (cwd, facts, labels), which rules and
// policies, risk, reason, quorum, votes, outcome and the approval link. Each medium escapes it.
import type { RequestView, Vote } from '../../approval/api-types.js';
import { quoteArgv } from '../../app/shell-quote.js';

export interface RequestSummary {
  id: string;
  status: RequestView['status'];
  risk: RequestView['risk'];
  /** requester@host */
  who: string;
  /** The redacted command as a person would type it. */
  command: string;
  cwd: string;
  /** One line per fact: action, program, resource fields (at most MAX_FACTS). */
  facts: string[];
  labels: string[];
  rules: Array<{ id: string; policy: string | null; risk: string; description: string | null }>;
  reason: string | null;
  /** "1 approval from ops, dba" */
  needs: string;
  /** Typed confirmation the reviewer must give, for high and critical risk. */
  confirm: string | null;
  votes: Vote[];
  expiresAt: string;
  url: string;
}

const MAX_FACTS = 10;
const SKIP = new Set(['program', 'action', 'args', 'via', 'classification', 'opaque', 'opaque_reason']);

const scalar = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : null);

/** A fact as one line; the wire only promises a record, so every field is checked. */
export function factLine(fact: Record<string, unknown>): string {
  const parts = [scalar(fact.action), scalar(fact.program) ?? '?'].filter((p): p is string => p !== null);
  for (const [key, value] of Object.entries(fact)) {
    if (SKIP.has(key) || value === undefined || value === false || value === null) continue;
    const shown = Array.isArray(value) ? value.map(scalar).filter((v) => v !== null).join(',') : scalar(value);
    if (shown !== null) parts.push(value === true ? key : `${key}=${shown}`);
  }
  if (fact.opaque === true) parts.push(`OPAQUE: ${scalar(fact.opaque_reason) ?? 'not understood'}`);
  return parts.join(' ');
}

export function summarize(request: RequestView): RequestSummary {
  const groups = request.required.groups;
  const facts = request.facts.slice(0, MAX_FACTS).map(factLine);
  if (request.facts.length > MAX_FACTS) facts.push(`and ${request.facts.length - MAX_FACTS} more`);
  return {
    id: request.id,
    status: request.status,
    risk: request.risk,
    who: `${request.requester}@${request.host}`,
    command: request.argv.length > 0 ? quoteArgv(request.argv) : request.program,
    cwd: request.cwd,
    facts,
    labels: request.labels,
    rules: request.rules.map((r) => ({ id: r.id, policy: r.policy, risk: r.risk, description: r.description })),
    reason: request.reason,
    needs: `${request.required.min} approval${request.required.min === 1 ? '' : 's'} from ${groups.length > 0 ? groups.join(', ') : 'any reviewer'}`,
    confirm: request.risk === 'high' || request.risk === 'critical' ? request.confirm : null,
    votes: request.votes,
    expiresAt: request.expires_at,
    url: request.approval_url,
  };
}

/** The outcome in a few words, or null while pending: "approved by alice, bob". */
export function outcomeLine(request: Pick<RequestView, 'status' | 'votes' | 'requester' | 'decided_at'>): string | null {
  const approvers = request.votes.filter((v) => v.decision === 'approve').map((v) => `${v.reviewer} (${v.via})`);
  const denial = request.votes.find((v) => v.decision === 'deny');
  switch (request.status) {
    case 'pending':
      return null;
    case 'approved':
      return `approved by ${approvers.join(', ')}`;
    case 'redeemed':
      return `approved by ${approvers.join(', ')}; the command was started`;
    case 'denied':
      return denial ? `denied by ${denial.reviewer} (${denial.via})` : 'denied';
    case 'expired':
      return request.decided_at !== null ? `approved by ${approvers.join(', ')}, but not used in time: expired` : 'expired without a decision';
    case 'cancelled':
      return `cancelled by ${request.requester}`;
  }
}
