// The explain view: the request, facts, matched rules and decision, redacted, as the
// `gate explain --json` contract object and as text for people.
import type { Fact } from '../analyzers/types.js';
import { redactArgv, redactText, redactValue } from '../policy/redact.js';
import { formatLocation } from '../policy/rule.js';
import type { Prepared } from './prepare.js';
import { quoteArgv } from './shell-quote.js';

export interface RuleView {
  id: string;
  effect: string;
  risk: string;
  description: string | null;
  policy: string | null;
  approvers: { groups: string[]; min: number } | null;
  reason: 'required' | 'optional';
  ttl_ms: number | null;
  /** How long a server request for it may stay pending. */
  pending_ms: number | null;
  /** Whether the requester's own terminal may approve. */
  inline: boolean;
  source: string;
  /** Indexes into facts.items. */
  facts: number[];
}

export interface ExplainView {
  decision: 'allow' | 'review' | 'deny';
  risk: string;
  rules: RuleView[];
  facts: { items: Fact[]; actions: string[]; labels: string[]; opaque: boolean; unmatched: number[] };
  request: { id: string; program: string; argv: string[]; exe: string | null; exe_sha256: string | null; cwd: string; env: Record<string, string>; actor: string; host: string; reason: string | null; digest: string };
  approvers: { groups: string[]; min: number };
  reason_required: boolean;
  reasons: string[];
}

export function explainView({ request, evaluation }: Prepared): ExplainView {
  const items = redactValue(request.facts);
  const uniq = (values: Array<string | undefined>): string[] => [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    decision: evaluation.decision,
    risk: evaluation.risk,
    rules: evaluation.matches.map(({ rule, facts }) => ({
      id: rule.id,
      effect: rule.effect,
      risk: rule.risk,
      description: rule.description ?? null,
      policy: rule.policy ?? null,
      approvers: rule.approvers ?? null,
      reason: rule.reasonRequired ? 'required' : 'optional',
      ttl_ms: rule.ttlMs ?? null,
      pending_ms: rule.pendingMs ?? null,
      inline: rule.inline,
      source: formatLocation(rule.location),
      facts,
    })),
    facts: {
      items,
      actions: uniq(items.map((f) => f.action)),
      labels: uniq(items.flatMap((f) => f.classification ?? [])),
      opaque: items.some((f) => f.opaque === true),
      unmatched: evaluation.unmatched,
    },
    request: {
      id: request.id,
      program: request.program,
      argv: redactArgv(request.argv),
      exe: request.exe,
      exe_sha256: request.exe_sha256,
      cwd: request.cwd,
      env: redactValue(request.env),
      actor: request.actor,
      host: request.host,
      reason: request.reason === null ? null : redactText(request.reason),
      digest: request.digest,
    },
    approvers: evaluation.approvers,
    reason_required: evaluation.reasonRequired,
    reasons: evaluation.reasons.map((r) => redactValue(r)),
  };
}

/** A one-line summary of a fact for people: `delete kubectl namespace prod (kube://ctx/prod) [production]`. */
export function describeFactLine(fact: Fact): string {
  const skip = new Set(['program', 'action', 'args', 'via', 'uri', 'classification', 'opaque', 'opaque_reason']);
  const details = Object.entries(fact)
    .filter(([k, v]) => !skip.has(k) && v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? k : `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`));
  const parts = [fact.action, fact.program || '(empty)', ...details];
  if (fact.uri) parts.push(fact.uri);
  if (fact.classification) parts.push(`[${fact.classification.join(', ')}]`);
  if (fact.via && fact.via.length > 0) parts.push(`via ${fact.via.join(' > ')}`);
  if (fact.opaque) parts.push(`OPAQUE: ${fact.opaque_reason ?? 'not understood'}`);
  return parts.join(' ');
}

export function formatExplain(view: ExplainView): string {
  const lines: string[] = [];
  lines.push(`decision: ${view.decision}${view.decision === 'allow' ? '' : ` (${view.risk} risk)`}`);
  lines.push(`command:  ${quoteArgv(view.request.argv)}`);
  lines.push(`exe:      ${view.request.exe ?? '(not installed)'}`);
  lines.push(`actor:    ${view.request.actor}@${view.request.host}  cwd: ${view.request.cwd}`);
  lines.push('facts:');
  view.facts.items.forEach((fact, i) => lines.push(`  [${i}] ${describeFactLine(fact)}`));
  lines.push('rules:');
  if (view.rules.length === 0) lines.push('  (none matched)');
  for (const rule of view.rules) {
    const policy = rule.policy ? `  policy: ${rule.policy}` : '';
    lines.push(`  ${rule.effect.padEnd(6)} ${rule.id}  (${rule.risk})${policy}  facts ${rule.facts.join(',')}`);
    if (rule.description) lines.push(`         ${rule.description}`);
  }
  if (view.decision === 'review') {
    const groups = view.approvers.groups.length > 0 ? view.approvers.groups.join(', ') : 'any reviewer';
    lines.push(`approval: ${view.approvers.min} of ${groups}${view.reason_required ? '; --reason required' : ''}`);
  }
  lines.push('why:');
  for (const reason of view.reasons) lines.push(`  ${reason}`);
  lines.push(`digest:   ${view.request.digest}`);
  return lines.join('\n');
}
