// The reviewer's list (pure): which requests show, in what order, how old they are, how far
// along their quorum is, how they ended, and what to do after a refused decision.
import type { Identity, RequestView } from '../approval/api-types.js';

export type SortOrder = 'age' | 'risk';
export type Risk = RequestView['risk'];

export const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];
const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Age: oldest first (who has waited longest). Risk: riskiest first, then oldest. */
export function sortRequests(requests: readonly RequestView[], order: SortOrder): RequestView[] {
  const byAge = (a: RequestView, b: RequestView) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
  return [...requests].sort(order === 'risk' ? (a, b) => RANK[b.risk] - RANK[a.risk] || byAge(a, b) : byAge);
}

export interface Filter {
  /** Words that must all appear (case-insensitive) in the request's text. */
  words: string[];
  /** Allowed risks, or null for any. */
  risks: Set<Risk> | null;
  /** Approver groups of which the request must need at least one. */
  groups: string[];
  /** Terms that could not be read (shown to the reviewer). */
  problems: string[];
}

/**
 * `kubectl prod risk:high+ group:ops`: words match the command, requester, host, cwd, reason,
 * rules, policies, labels and id; `risk:X` is exactly X, `risk:X+` X or riskier; `group:G`
 * needs G among the request's approver groups.
 */
export function parseFilter(text: string): Filter {
  const filter: Filter = { words: [], risks: null, groups: [], problems: [] };
  for (const term of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = term.split(':');
    const value = rest.join(':').toLowerCase();
    if (rest.length > 0 && key!.toLowerCase() === 'risk') {
      const atLeast = value.endsWith('+');
      const risk = (atLeast ? value.slice(0, -1) : value) as Risk;
      if (!RISKS.includes(risk)) {
        filter.problems.push(`${term}: risk is low, medium, high or critical`);
        continue;
      }
      const wanted = atLeast ? RISKS.filter((r) => RANK[r] >= RANK[risk]) : [risk];
      filter.risks = new Set(filter.risks ? wanted.filter((r) => filter.risks!.has(r)) : wanted);
    } else if (rest.length > 0 && key!.toLowerCase() === 'group') {
      if (value === '') filter.problems.push(`${term}: name a group`);
      else filter.groups.push(value);
    } else {
      filter.words.push(term.toLowerCase());
    }
  }
  return filter;
}

export function matchesFilter(request: RequestView, filter: Filter): boolean {
  if (filter.risks && !filter.risks.has(request.risk)) return false;
  if (filter.groups.length > 0 && !filter.groups.some((g) => request.required.groups.some((rg) => rg.toLowerCase() === g))) return false;
  if (filter.words.length === 0) return true;
  const text = [
    request.id,
    request.requester,
    request.host,
    request.cwd,
    request.argv.join(' '),
    request.reason ?? '',
    request.status,
    ...request.rules.flatMap((r) => [r.id, r.policy ?? '']),
    ...request.labels,
  ]
    .join('\n')
    .toLowerCase();
  return filter.words.every((w) => text.includes(w));
}

/** A compact age: `42s`, `3m05s`, `2h10m`, `3d4h`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** A countdown: `59:12`, `1:02:03`, or `0:00` once due. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export const approvalsOf = (request: RequestView): string[] => request.votes.filter((v) => v.decision === 'approve').map((v) => v.reviewer);

/** `1 of 2 from ops, dba` */
export function quorumLine(request: RequestView): string {
  const groups = request.required.groups.length > 0 ? request.required.groups.join(', ') : 'any reviewer';
  return `${approvalsOf(request).length} of ${request.required.min} from ${groups}`;
}

/** How a request left the pending list, in a few words: `approved by carol`. */
export function outcomeText(request: RequestView): string {
  const deny = request.votes.find((v) => v.decision === 'deny');
  switch (request.status) {
    case 'pending':
      return 'pending';
    case 'approved':
      return `approved by ${approvalsOf(request).join(', ') || 'a reviewer'}`;
    case 'redeemed':
      return `approved by ${approvalsOf(request).join(', ') || 'a reviewer'}; ran`;
    case 'denied':
      return `denied by ${deny?.reviewer ?? 'a reviewer'}${deny?.comment ? `: ${deny.comment}` : ''}`;
    case 'expired':
      return 'expired without a decision';
    case 'cancelled':
      return `cancelled by ${request.requester}`;
  }
}

/** Why `me` cannot decide `request` now, or null when the server may accept a vote. */
export function cannotDecide(request: RequestView, me: Identity | null): string | null {
  if (request.status !== 'pending') return `this request is no longer pending: ${outcomeText(request)}`;
  if (!me) return null;
  if (me.role === 'requester') return `you are logged in as ${me.name}, a requester: only reviewers and admins decide`;
  if (request.requester === me.name) return 'this is your own request: another reviewer must decide it';
  const mine = request.votes.find((v) => v.reviewer === me.name);
  if (mine) return `you already voted ${mine.decision} on this request (${quorumLine(request)})`;
  return null;
}

/** The next step after the server refused a decision, by its error code. */
export function nextStep(code: string, request: RequestView): string {
  const groups = request.required.groups.join(', ') || 'any reviewer';
  switch (code) {
    case 'self_approval':
      return 'you asked for this one: another reviewer must decide it';
    case 'not_in_group':
      return `it needs a reviewer from ${groups}: ask one of them, or an admin to add you to a group`;
    case 'already_voted':
      return `your vote is counted (${quorumLine(request)}); others must add theirs`;
    case 'confirmation_mismatch':
      return `type the target exactly as shown (${request.confirm ?? ''})`;
    case 'comment_required':
      return 'say why in the comment; the requester sees it';
    case 'not_pending':
      return 'someone decided it first, or it expired: the list shows where it stands';
    case 'forbidden_role':
      return 'your identity is a requester: log in as a reviewer (gate login URL --token TOKEN)';
    case 'unauthorized':
    case 'http_401':
      return 'your login was refused: gate login URL --token TOKEN';
    case 'token_mismatch':
      return 'the token your key signed was refused; press a again, or move your key aside to let the server sign';
    case 'not_found':
    case 'usage':
      return 'it is gone or no longer visible to you';
    case 'rate_limited':
      return 'too many calls: wait a little and try again';
    case 'server_unreachable':
      return 'nothing may have been recorded: once the banner says live, check the request and try again';
    default:
      return 'try again; `gate requests --status all` shows where each request stands';
  }
}
