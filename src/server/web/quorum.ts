// How far a request is from its quorum, for the page: per matched rule, the approvals that
// count toward it and who may still give the missing ones. The server decides by lifecycle.ts;
// this only explains the same counting (admins count for any rule, each human once).
import type { Identity, RequestView } from '../../approval/api-types.js';

export interface RuleProgress {
  ruleId: string;
  groups: string[];
  need: number;
  /** Approvers whose approval counts toward this rule. */
  have: string[];
  /** Who could still approve toward it (not the requester, not yet voted). */
  candidates: string[];
}

export interface QuorumProgress {
  /** Distinct humans who approved. */
  approvals: string[];
  min: number;
  rules: RuleProgress[];
  /** Whether more approvals are needed (pending only). */
  missing: boolean;
}

const counts = (who: Pick<Identity, 'role' | 'groups'> | undefined, groups: readonly string[]): boolean =>
  who !== undefined && (groups.length === 0 ? who.role !== 'requester' : who.role === 'admin' || who.groups.some((g) => groups.includes(g)));

export function quorumProgress(request: RequestView, identities: readonly Identity[]): QuorumProgress {
  const byName = new Map(identities.map((i) => [i.name, i]));
  const approvals = request.votes.filter((v) => v.decision === 'approve').map((v) => v.reviewer);
  const voted = new Set(request.votes.map((v) => v.reviewer));
  const rules = request.rules.map((rule): RuleProgress => {
    const have = approvals.filter((name) => (rule.groups.length === 0 ? true : counts(byName.get(name), rule.groups)));
    const candidates = identities.filter((i) => i.name !== request.requester && !voted.has(i.name) && counts(i, rule.groups)).map((i) => i.name);
    return { ruleId: rule.id, groups: rule.groups, need: rule.min, have, candidates };
  });
  const missing = request.status === 'pending' && (approvals.length < request.required.min || rules.some((r) => r.have.length < r.need));
  return { approvals, min: request.required.min, rules, missing };
}
