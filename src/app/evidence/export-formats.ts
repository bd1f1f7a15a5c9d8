// `gate audit export` formats (pure): JSONL (the records as they are), CSV (flat, safe to open
// in a spreadsheet) and OCSF API Activity events for SIEMs (mapping in docs/audit-export.md).
import { quoteArgv } from '../shell-quote.js';
import { approversOf, requestIndex, str, strings, type AuditRow } from './audit-events.js';

export function toJsonl(rows: readonly AuditRow[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

export const CSV_COLUMNS = ['seq', 'ts', 'event', 'request_id', 'actor', 'host', 'program', 'command', 'cwd', 'decision', 'rules', 'policy', 'risk', 'classification', 'approvers', 'token_jti', 'exit', 'signal', 'code', 'message', 'reason', 'hook_agent', 'hook_answer', 'hash'] as const;

/**
 * One CSV cell: a value a spreadsheet would run as a formula (leading = + - @, or a tab or
 * carriage return that some of them strip first) gets a leading apostrophe (OWASP's advice);
 * cells with a comma, quote or line break are quoted, quotes doubled (RFC 4180).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly AuditRow[]): string {
  const requests = requestIndex(rows);
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const request = typeof row.request_id === 'string' ? requests.get(row.request_id) : undefined;
    const argv = strings(row.argv ?? request?.argv);
    const hook = (row.hook ?? {}) as Record<string, unknown>;
    const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
      seq: str(row.seq),
      ts: str(row.ts),
      event: str(row.event),
      request_id: str(row.request_id),
      actor: str(row.actor),
      host: str(row.host),
      program: str(row.program ?? request?.program),
      command: argv.length > 0 ? quoteArgv(argv) : '',
      cwd: str(row.cwd ?? request?.cwd),
      decision: str(row.decision),
      rules: strings(row.rules).join(' '),
      policy: strings(row.policy).join('; '),
      risk: str(row.risk),
      classification: strings(row.classification).join(' '),
      approvers: approversOf(row).map((a) => `${a.id} (${a.via})`).join('; '),
      token_jti: strings(row.token_jti).join(' '),
      exit: str(row.exit),
      signal: str(row.signal),
      code: str(row.code),
      message: str(row.message),
      reason: str(row.reason),
      hook_agent: str(hook.agent),
      hook_answer: str(hook.answer),
      hash: str(row.hash),
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** OCSF 1.3 API Activity (class 6003, category 6 Application Activity). */
const OCSF = { version: '1.3.0', class_uid: 6003, class_name: 'API Activity', category_uid: 6, category_name: 'Application Activity' } as const;
const ACTIVITY = { create: [1, 'Create'], read: [2, 'Read'], update: [3, 'Update'], delete: [4, 'Delete'], other: [99, 'Other'] } as const;
type ActivityName = keyof typeof ACTIVITY;

/** The OCSF activity of a request, from the strongest action among its facts. */
function activityOf(request: AuditRow | undefined): ActivityName {
  const actions = new Set(Array.isArray(request?.facts) ? (request!.facts as Array<Record<string, unknown>>).map((f) => str(f.action)) : []);
  if (actions.has('delete')) return 'delete';
  if (actions.has('write') || actions.has('infra') || actions.has('privilege')) return 'update';
  if (actions.has('read') || actions.has('export')) return 'read';
  return 'other';
}

/** status_id: 1 Success, 2 Failure, 0 Unknown; disposition_id: 1 Allowed, 2 Blocked, 0 Unknown. */
function outcomeOf(row: AuditRow): { status_id: number; status: string; disposition_id?: number; disposition?: string } {
  const event = str(row.event);
  if (event === 'refused' || event === 'error') return { status_id: 2, status: 'Failure', disposition_id: 2, disposition: 'Blocked' };
  if (event === 'finished') return typeof row.exit === 'number' && row.exit === 0 ? { status_id: 1, status: 'Success' } : { status_id: 2, status: 'Failure' };
  if (event === 'started') return { status_id: 1, status: 'Success', disposition_id: 1, disposition: 'Allowed' };
  if (event === 'decision') {
    const decision = str(row.decision);
    if (decision === 'allow' || decision === 'approved') return { status_id: 1, status: 'Success', disposition_id: 1, disposition: 'Allowed' };
    if (decision === 'deny' || decision === 'denied') return { status_id: 2, status: 'Failure', disposition_id: 2, disposition: 'Blocked' };
  }
  return { status_id: 0, status: 'Unknown' };
}

const SEVERITY: Record<string, [number, string]> = { low: [1, 'Informational'], medium: [2, 'Low'], high: [3, 'Medium'], critical: [4, 'High'] };

export function toOcsf(rows: readonly AuditRow[], product: { version: string }): string {
  const requests = requestIndex(rows);
  const risks = new Map<string, string>();
  for (const row of rows) if (row.event === 'decision' && typeof row.request_id === 'string' && typeof row.risk === 'string') risks.set(row.request_id, row.risk);
  return rows
    .map((row) => {
      const request = typeof row.request_id === 'string' ? requests.get(row.request_id) : undefined;
      const [activity_id, activity_name] = ACTIVITY[activityOf(request)];
      const [severity_id, severity] = SEVERITY[risks.get(str(row.request_id)) ?? ''] ?? [1, 'Informational'];
      const argv = strings(row.argv ?? request?.argv);
      const facts = Array.isArray(request?.facts) ? (request!.facts as Array<Record<string, unknown>>) : [];
      const resources = facts.filter((f) => typeof f.uri === 'string').map((f) => ({ uid: str(f.uri), type: str(f.program), labels: strings(f.classification) }));
      const event = {
        ...OCSF,
        activity_id,
        activity_name,
        type_uid: OCSF.class_uid * 100 + activity_id,
        type_name: `${OCSF.class_name}: ${activity_name}`,
        time: Date.parse(str(row.ts)),
        severity_id,
        severity,
        ...outcomeOf(row),
        message: `${str(row.event)}${row.decision ? ` ${str(row.decision)}` : ''}: ${argv.length > 0 ? quoteArgv(argv) : str(row.message)}`,
        actor: { user: { name: str(row.actor), uid: str(row.actor) } },
        api: { operation: str(row.event), service: { name: str(row.program ?? request?.program) || 'gate' }, request: { uid: str(row.request_id) } },
        src_endpoint: { hostname: str(row.host) },
        resources,
        metadata: {
          version: OCSF.version,
          product: { name: 'gate', vendor_name: 'gate', version: product.version },
          uid: str(row.hash),
          correlation_uid: str(row.request_id),
          log_name: 'gate-audit',
          sequence: typeof row.seq === 'number' ? row.seq : undefined,
          original_time: str(row.ts),
        },
        unmapped: Object.fromEntries(
          Object.entries({ command: argv, cwd: row.cwd ?? request?.cwd, decision: row.decision, rules: row.rules, policy: row.policy, classification: row.classification, approvers: row.approvers, token_jti: row.token_jti, exit: row.exit, signal: row.signal, code: row.code, reason: row.reason, hook: row.hook, prev: row.prev }).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)),
        ),
      };
      return `${JSON.stringify(event)}\n`;
    })
    .join('');
}
