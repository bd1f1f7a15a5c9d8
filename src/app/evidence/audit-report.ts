// `gate audit report` (pure): the evidence an auditor asks for, from the audit log. Who ran
// which privileged commands, what was approved by whom under which policy, what was denied
// or refused, which actor touched which classified data, and whether the chain verifies.
import type { VerifyResult } from '../../audit/verify.js';
import { quoteArgv } from '../shell-quote.js';
import { approversOf, groupByRequest, str, strings, type Approver, type AuditRow } from './audit-events.js';

export interface ReportInput {
  rows: readonly AuditRow[];
  chain: VerifyResult;
  file: string;
  since: Date | null;
  until: Date | null;
  generatedAt: Date;
}

export interface Run {
  ts: string;
  request_id: string;
  actor: string;
  host: string;
  command: string;
  actions: string[];
  decided_by: string;
  exit: number | null;
}

export interface Approval {
  ts: string;
  request_id: string;
  actor: string;
  command: string;
  approvers: Approver[];
  rules: string[];
  policy: string[];
  reason: string;
}

export interface Refusal {
  ts: string;
  request_id: string;
  actor: string;
  command: string;
  code: string;
  rules: string[];
  message: string;
  by: string[];
}

export interface DataUse {
  label: string;
  actor: string;
  action: string;
  resource: string;
  attempts: number;
  ran: number;
}

export interface ActorSummary {
  actor: string;
  requests: number;
  ran: number;
  privileged: number;
  approved: number;
  refused: number;
  pending: number;
}

export interface Report {
  generated_at: string;
  file: string;
  since: string | null;
  until: string | null;
  chain: { ok: boolean; records: number; head: { seq: number; hash: string } | null; broken: VerifyResult['broken'] | null };
  totals: { records: number; requests: number; ran: number; privileged: number; approved: number; refused: number; pending: number };
  actors: ActorSummary[];
  privileged: Run[];
  approvals: Approval[];
  refusals: Refusal[];
  pending: Array<{ ts: string; request_id: string; actor: string; command: string; rules: string[] }>;
  data: DataUse[];
  hooks: Array<{ agent: string; answer: string; count: number }>;
}

/** Actions that change or move something: a command with only `read` facts is not privileged. */
const isPrivileged = (actions: readonly string[]): boolean => actions.some((a) => a !== 'read');

export function buildReport(input: ReportInput): Report {
  const groups = groupByRequest(input.rows);
  const redeemed = new Set(input.rows.flatMap((r) => (r.event === 'decision' && r.decision === 'approved' ? strings(r.reviewed_request_id) : [])));
  const actors = new Map<string, ActorSummary>();
  const summary = (actor: string): ActorSummary => {
    let s = actors.get(actor);
    if (!s) actors.set(actor, (s = { actor, requests: 0, ran: 0, privileged: 0, approved: 0, refused: 0, pending: 0 }));
    return s;
  };
  const report: Report = {
    generated_at: input.generatedAt.toISOString(),
    file: input.file,
    since: input.since?.toISOString() ?? null,
    until: input.until?.toISOString() ?? null,
    chain: { ok: input.chain.ok, records: input.chain.records, head: input.chain.head, broken: input.chain.broken ?? null },
    totals: { records: input.rows.length, requests: 0, ran: 0, privileged: 0, approved: 0, refused: 0, pending: 0 },
    actors: [],
    privileged: [],
    approvals: [],
    refusals: [],
    pending: [],
    data: [],
    hooks: [],
  };
  const data = new Map<string, DataUse>();
  const hooks = new Map<string, { agent: string; answer: string; count: number }>();

  for (const [id, rows] of groups) {
    const request = rows.find((r) => r.event === 'request');
    const actor = str(request?.actor ?? rows[0]!.actor);
    const command = quoteArgv(strings(request?.argv));
    const facts = Array.isArray(request?.facts) ? (request!.facts as Array<Record<string, unknown>>) : [];
    const actions = [...new Set(facts.map((f) => str(f.action)).filter(Boolean))].sort();
    const firstDecision = rows.find((r) => r.event === 'decision' && r.decision !== 'pending' && r.decision !== 'approved' && r.decision !== 'denied');
    const approved = rows.find((r) => r.event === 'decision' && r.decision === 'approved');
    const started = rows.find((r) => r.event === 'started');
    const finished = rows.find((r) => r.event === 'finished');
    const refusals = rows.filter((r) => r.event === 'refused' || r.event === 'error');
    const hook = request?.hook as Record<string, unknown> | undefined;
    const s = summary(actor);
    if (request) {
      s.requests++;
      report.totals.requests++;
    }
    if (hook) {
      const key = `${str(hook.agent)}|${str(hook.answer)}`;
      const entry = hooks.get(key) ?? { agent: str(hook.agent), answer: str(hook.answer), count: 0 };
      entry.count++;
      hooks.set(key, entry);
    }
    if (started) {
      s.ran++;
      report.totals.ran++;
      if (isPrivileged(actions) || approved) {
        s.privileged++;
        report.totals.privileged++;
        report.privileged.push({
          ts: str(started.ts),
          request_id: id,
          actor,
          host: str(started.host),
          command,
          actions,
          decided_by: approved ? `approved by ${approversOf(approved).map((a) => a.id).join(', ')}` : `allowed by ${strings(firstDecision?.rules).join(', ') || 'rule'}`,
          exit: typeof finished?.exit === 'number' ? finished.exit : null,
        });
      }
    }
    if (approved) {
      s.approved++;
      report.totals.approved++;
      report.approvals.push({ ts: str(approved.ts), request_id: id, actor, command, approvers: approversOf(approved), rules: strings(approved.rules), policy: strings(firstDecision?.policy), reason: str(approved.reason ?? request?.reason) });
    }
    for (const refusal of refusals) {
      s.refused++;
      report.totals.refused++;
      const byReviewer = rows.find((r) => r.event === 'decision' && r.decision === 'denied');
      report.refusals.push({ ts: str(refusal.ts), request_id: id, actor, command, code: str(refusal.code), rules: strings(refusal.rules ?? firstDecision?.rules), message: str(refusal.message), by: byReviewer ? approversOf(byReviewer).map((a) => a.id) : [] });
    }
    const pendingRow = rows.find((r) => r.event === 'decision' && r.decision === 'pending');
    if (pendingRow && !approved && !started && refusals.length === 0 && !redeemed.has(id)) {
      s.pending++;
      report.totals.pending++;
      report.pending.push({ ts: str(pendingRow.ts), request_id: id, actor, command, rules: strings(firstDecision?.rules) });
    }
    for (const fact of facts) {
      for (const label of strings(fact.classification)) {
        const resource = str(fact.uri) || str(fact.path) || str(fact.target);
        const key = JSON.stringify([label, actor, str(fact.action), resource]);
        const entry = data.get(key) ?? { label, actor, action: str(fact.action), resource, attempts: 0, ran: 0 };
        entry.attempts++;
        if (started) entry.ran++;
        data.set(key, entry);
      }
    }
  }
  report.actors = [...actors.values()].sort((a, b) => a.actor.localeCompare(b.actor));
  report.data = [...data.values()].sort((a, b) => a.label.localeCompare(b.label) || a.actor.localeCompare(b.actor) || a.resource.localeCompare(b.resource) || a.action.localeCompare(b.action));
  report.hooks = [...hooks.values()].sort((a, b) => a.agent.localeCompare(b.agent) || a.answer.localeCompare(b.answer));
  return report;
}
