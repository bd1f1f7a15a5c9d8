// The audit report as Markdown and as a self-contained HTML page (pure). Commands, reasons
// and messages come from requesters: every piece of text is escaped for the medium, so a
// crafted argv cannot add markup, links or scripts to the evidence.
import type { Report } from './audit-report.js';

interface Table {
  title: string;
  intro: string;
  headers: string[];
  rows: string[][];
  empty: string;
}

function tables(report: Report): Table[] {
  const approvers = (list: Report['approvals'][number]['approvers']): string => list.map((a) => `${a.id} (${a.via}, ${a.at})`).join('; ');
  return [
    {
      title: 'Privileged actions by actor',
      intro: 'Commands gate ran that change or move something (any action other than read), or that were approved by a reviewer.',
      headers: ['actor', 'requests', 'ran', 'privileged', 'approved', 'refused', 'pending'],
      rows: report.actors.map((a) => [a.actor, String(a.requests), String(a.ran), String(a.privileged), String(a.approved), String(a.refused), String(a.pending)]),
      empty: 'No requests in this period.',
    },
    {
      title: 'Privileged commands run',
      intro: 'Each privileged command that ran, how it was decided, and its exit code.',
      headers: ['time', 'actor', 'host', 'command', 'actions', 'decided by', 'exit', 'request'],
      rows: report.privileged.map((r) => [r.ts, r.actor, r.host, r.command, r.actions.join(', '), r.decided_by, r.exit === null ? '' : String(r.exit), r.request_id]),
      empty: 'No privileged command ran in this period.',
    },
    {
      title: 'Approvals',
      intro: 'Reviewed commands that ran on a verified decision token: approvers, the rules that required review and their policy references.',
      headers: ['time', 'requester', 'command', 'approvers', 'rules', 'policy', 'reason', 'request'],
      rows: report.approvals.map((a) => [a.ts, a.actor, a.command, approvers(a.approvers), a.rules.join(', '), a.policy.join(', '), a.reason, a.request_id]),
      empty: 'No approvals in this period.',
    },
    {
      title: 'Denials and refusals',
      intro: 'Commands that did not run: denied by a rule or a reviewer, refused tokens, missing reasons, errors.',
      headers: ['time', 'actor', 'command', 'code', 'rules', 'denied by', 'message', 'request'],
      rows: report.refusals.map((r) => [r.ts, r.actor, r.command, r.code, r.rules.join(', '), r.by.join(', '), r.message, r.request_id]),
      empty: 'No denials or refusals in this period.',
    },
    {
      title: 'Pending reviews',
      intro: 'Requests still waiting for a decision (never approved, refused or redeemed).',
      headers: ['time', 'actor', 'command', 'rules', 'request'],
      rows: report.pending.map((p) => [p.ts, p.actor, p.command, p.rules.join(', '), p.request_id]),
      empty: 'None.',
    },
    {
      title: 'Data usage by classification',
      intro: 'Which actor read, exported, wrote or deleted which classified resources (labels from the rules\' classify lists); "ran" counts the attempts that actually ran.',
      headers: ['label', 'actor', 'action', 'resource', 'attempts', 'ran'],
      rows: report.data.map((d) => [d.label, d.actor, d.action, d.resource, String(d.attempts), String(d.ran)]),
      empty: 'No classified resources were touched in this period.',
    },
    ...(report.hooks.length > 0
      ? [{ title: 'Agent hook answers', intro: 'What gate told coding agents about the shell commands they were about to run.', headers: ['agent', 'answer', 'count'], rows: report.hooks.map((h) => [h.agent, h.answer, String(h.count)]), empty: '' }]
      : []),
  ];
}

function chainLine(report: Report): string {
  const c = report.chain;
  if (c.ok) return `VERIFIED: ${c.records} records; head seq ${c.head?.seq ?? 0}, hash ${c.head?.hash ?? '-'}`;
  return `BROKEN at line ${c.broken?.line}: ${c.broken?.reason}: ${c.broken?.message} (${c.records} records verified before it)`;
}

function period(report: Report): string {
  return `${report.since ?? 'the first record'} to ${report.until ?? 'the last record'}`;
}

/** Markdown text: backslash-escape what Markdown (and the HTML it may carry) would interpret. */
export function mdEscape(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

export function renderMarkdown(report: Report): string {
  const lines = [
    '# gate audit report',
    '',
    `- Period: ${mdEscape(period(report))}`,
    `- Log: ${mdEscape(report.file)}`,
    `- Generated: ${mdEscape(report.generated_at)}`,
    `- Chain verification (whole log): **${mdEscape(chainLine(report))}**`,
    `- Totals: ${report.totals.records} records, ${report.totals.requests} requests, ${report.totals.ran} ran (${report.totals.privileged} privileged), ${report.totals.approved} approved, ${report.totals.refused} denied or refused, ${report.totals.pending} pending`,
    '',
  ];
  for (const table of tables(report)) {
    lines.push(`## ${table.title}`, '', mdEscape(table.intro), '');
    if (table.rows.length === 0) {
      lines.push(mdEscape(table.empty), '');
      continue;
    }
    lines.push(`| ${table.headers.map(mdEscape).join(' | ')} |`, `|${table.headers.map(() => ' --- |').join('')}`);
    for (const row of table.rows) lines.push(`| ${row.map(mdEscape).join(' | ')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderHtml(report: Report): string {
  const e = htmlEscape;
  const sections = tables(report).map((table) => {
    const body =
      table.rows.length === 0
        ? `<p class="empty">${e(table.empty)}</p>`
        : `<table><thead><tr>${table.headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${table.rows.map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    return `<section><h2>${e(table.title)}</h2><p>${e(table.intro)}</p>${body}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>gate audit report</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}td{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}th{background:#eee}.ok{color:#064}.broken{color:#a00;font-weight:bold}.empty{color:#666}</style>
</head><body>
<h1>gate audit report</h1>
<ul>
<li>Period: ${e(period(report))}</li>
<li>Log: ${e(report.file)}</li>
<li>Generated: ${e(report.generated_at)}</li>
<li>Chain verification (whole log): <span class="${report.chain.ok ? 'ok' : 'broken'}">${e(chainLine(report))}</span></li>
<li>Totals: ${report.totals.records} records, ${report.totals.requests} requests, ${report.totals.ran} ran (${report.totals.privileged} privileged), ${report.totals.approved} approved, ${report.totals.refused} denied or refused, ${report.totals.pending} pending</li>
</ul>
${sections.join('\n')}
</body></html>
`;
}
