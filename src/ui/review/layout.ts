// The review screen as lines of text (pure): list rows, the detail pane, help. Widths are
// exact so the screen fits 80 columns and adapts to wider ones; nothing here touches ink.
import type { Identity, RequestView } from '../../approval/api-types.js';
import { describeFactLine } from '../../app/explain-view.js';
import { quoteArgv } from '../../app/shell-quote.js';
import { approvalsOf, cannotDecide, formatAge, formatCountdown, outcomeText, quorumLine } from '../../app/review-list.js';
import type { Fact } from '../../analyzers/types.js';

export interface Line {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

export const RISK_COLOR: Record<string, string> = { low: 'green', medium: 'yellow', high: 'red', critical: 'magenta' };
const STATUS_COLOR: Record<string, string> = { approved: 'green', redeemed: 'green', denied: 'red', expired: 'yellow', cancelled: 'yellow', pending: 'cyan' };

/** Cut or pad `text` to exactly `width` columns (an ellipsis marks a cut). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text.replace(/[\r\n\t]/g, ' ')];
  if (chars.length <= width) return text.replace(/[\r\n\t]/g, ' ') + ' '.repeat(width - chars.length);
  return chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/** Wrap `text` to `width`, breaking at spaces when it can; continuation lines get `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const clean = text.replace(/[\r\n\t]/g, ' ');
  if (width <= indent.length + 1) return [clean];
  const lines: string[] = [];
  let rest = [...clean];
  let prefix = '';
  while (rest.length > 0) {
    const room = width - prefix.length;
    if (rest.length <= room) {
      lines.push(prefix + rest.join(''));
      break;
    }
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    lines.push(prefix + rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
    prefix = indent;
  }
  return lines;
}

const commandOf = (r: RequestView): string => (r.argv.length > 0 ? quoteArgv(r.argv) : r.program);
const who = (r: RequestView, me: Identity | null): string => (me && r.requester === me.name ? 'you' : `${r.requester}@${r.host}`);

const RISK_SHORT: Record<string, string> = { low: 'low', medium: 'med', high: 'HIGH', critical: 'CRIT' };

/** Column widths of the list for a pane `width` columns wide: the command gets what is left. */
function columns(width: number): { who: number; command: number } {
  const whoW = width >= 100 ? 22 : width >= 70 ? 16 : 12;
  return { who: whoW, command: Math.max(8, width - 2 - 7 - 5 - whoW - 1 - 6) };
}

export function listHeader(width: number): string {
  const c = columns(width);
  return fit(`  ${'AGE'.padEnd(7)}${'RISK'.padEnd(5)}${fit('REQUESTER', c.who)} ${fit('COMMAND', c.command)} VOTES`, width);
}

/** One row: marker, age, risk, who, command and votes; a request that left shows how it ended instead. */
export function listRow(r: RequestView, width: number, now: number, me: Identity | null, selected: boolean): Line {
  const c = columns(width);
  const mark = selected ? '> ' : '  ';
  const pending = r.status === 'pending';
  const ended = r.status === 'denied' ? '✗' : r.status === 'approved' || r.status === 'redeemed' ? '✓' : '-';
  const what = pending ? commandOf(r) : `${ended} ${outcomeText(r)} · ${commandOf(r)}`;
  const votes = pending ? `${approvalsOf(r).length}/${r.required.min}${me && r.votes.some((v) => v.reviewer === me.name) ? '*' : ''}` : '';
  const text = `${mark}${fit(formatAge(now - Date.parse(r.created_at)), 6)} ${fit(RISK_SHORT[r.risk] ?? r.risk, 4)} ${fit(who(r, me), c.who)} ${fit(what, c.command)} ${votes}`;
  return { text: fit(text, width), bold: selected, ...(pending ? { color: RISK_COLOR[r.risk] } : { color: STATUS_COLOR[r.status], dim: true }) };
}

export interface DetailContext {
  now: number;
  me: Identity | null;
  /** A comment drafted with `c`, waiting to go with the next approval. */
  draft: string | null;
}

/** The detail pane: everything a reviewer needs to decide, wrapped to `width`. */
export function detailLines(r: RequestView, width: number, ctx: DetailContext): Line[] {
  const lines: Line[] = [];
  const field = (label: string, value: string, style: Omit<Line, 'text'> = {}): void => {
    for (const text of wrap(`${label.padEnd(10)}${value}`, width, ' '.repeat(10))) lines.push({ text, ...style });
  };
  for (const text of wrap(`$ ${commandOf(r)}`, width, '    ')) lines.push({ text, bold: true });
  field('status', r.status === 'pending' ? `pending · ${r.risk.toUpperCase()} risk` : `${outcomeText(r)} · ${r.risk} risk`, { color: r.status === 'pending' ? RISK_COLOR[r.risk] : STATUS_COLOR[r.status], bold: true });
  field('request', r.id);
  field('requester', `${r.requester}@${r.host}${ctx.me && r.requester === ctx.me.name ? ' (you)' : ''}`);
  field('cwd', r.cwd);
  field('reason', r.reason ?? '(none given)');
  const age = formatAge(ctx.now - Date.parse(r.created_at));
  field('age', r.status === 'pending' ? `${age} · expires in ${formatCountdown(Date.parse(r.expires_at) - ctx.now)}` : `${age} · decided ${r.decided_at ? `${formatAge(ctx.now - Date.parse(r.decided_at))} ago` : '-'}`);
  if (r.labels.length > 0) field('labels', r.labels.join(', '));
  lines.push({ text: 'facts', bold: true });
  if (r.facts.length === 0) lines.push({ text: '  (none)' });
  for (const fact of r.facts) for (const text of wrap(`  ${describeFactLine(fact as unknown as Fact)}`, width, '    ')) lines.push({ text });
  lines.push({ text: 'rules', bold: true });
  if (r.rules.length === 0) lines.push({ text: '  no rule matched: the default is review' });
  for (const rule of r.rules) {
    const needs = `needs ${rule.min} of ${rule.groups.length > 0 ? rule.groups.join(', ') : 'any reviewer'}`;
    for (const text of wrap(`  ${rule.risk.padEnd(8)} ${rule.id}${rule.policy ? ` · policy ${rule.policy}` : ''} · ${needs}`, width, '           ')) lines.push({ text, color: RISK_COLOR[rule.risk] });
    if (rule.description) for (const text of wrap(`           ${rule.description}`, width, '           ')) lines.push({ text, dim: true });
  }
  lines.push({ text: `votes     ${quorumLine(r)}`, bold: true });
  for (const v of r.votes) {
    const signed = v.kid ? `, reviewer's key ${v.kid.slice(0, 8)}…` : '';
    const text = `  ${v.decision === 'approve' ? '✓' : '✗'} ${v.reviewer} ${v.decision === 'approve' ? 'approved' : 'denied'} ${formatAge(ctx.now - Date.parse(v.at))} ago (${v.via}${signed})${v.comment ? `: ${v.comment}` : ''}`;
    for (const t of wrap(text, width, '    ')) lines.push({ text: t, color: v.decision === 'approve' ? 'green' : 'red' });
  }
  if (ctx.draft) for (const text of wrap(`your comment (goes with your approval): ${ctx.draft}`, width, '  ')) lines.push({ text, color: 'cyan' });
  const why = cannotDecide(r, ctx.me);
  if (why) for (const text of wrap(`note: ${why}`, width, '      ')) lines.push({ text, color: 'yellow' });
  else if (r.confirm !== null && (r.risk === 'high' || r.risk === 'critical')) lines.push({ text: fit(`to approve, type: ${r.confirm}`, width), bold: true });
  return lines;
}

export const HELP_LINES: readonly string[] = [
  'Keys',
  '  ↑ ↓  j k     move between requests',
  '  enter        open or close the details (Esc closes)',
  '  a            approve: high and critical risk ask you to type the target,',
  '               medium and low ask y to send',
  '  d            deny: a comment is required; the requester sees it',
  '  c            write a comment for the selected request: it goes with your next',
  '               approval of it, and starts your denial text',
  '  /            filter: words, risk:high, risk:medium+ (or riskier), group:ops',
  '  s            sort by age (oldest first) or by risk (riskiest first)',
  '  r            reconnect and re-read the list now',
  '  pgup pgdn    scroll the details (space scrolls down)',
  '  ?            this help',
  '  q            quit (Ctrl-C too)',
];
