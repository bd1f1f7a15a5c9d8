// The inbox: pending requests the signed-in reviewer may decide, newest first, and their own
// requests still waiting. Pure: data in, Html out.
import type { RequestView } from '../../approval/api-types.js';
import { quoteArgv } from '../../app/shell-quote.js';
import { attrUrl, html, type Html } from './html.js';
import { layout, type Viewer } from './layout.js';
import { relativeTime } from './relative-time.js';

export interface InboxModel {
  viewer: Viewer;
  now: Date;
  /** Pending, decidable by the viewer, not yet voted on by them. */
  toDecide: RequestView[];
  /** Pending requests the viewer voted on, waiting for others. */
  voted: RequestView[];
  /** The viewer's own pending requests. */
  own: RequestView[];
}

const MAX_COMMAND = 120;

function commandText(r: RequestView): string {
  const text = r.argv.length > 0 ? quoteArgv(r.argv) : r.program;
  return text.length > MAX_COMMAND ? `${text.slice(0, MAX_COMMAND - 1)}…` : text;
}

function table(rows: RequestView[], now: Date, empty: string): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table class="list inbox">
    <tr><th>command</th><th>who</th><th>risk</th><th>rules</th><th>approvals</th><th>age</th><th>expires</th></tr>
    ${rows.map(
      (r) => html`<tr>
        <td><a href="${attrUrl(`/r/${encodeURIComponent(r.id)}`)}"><code>${commandText(r)}</code></a>${r.reason ? html`<br><span class="muted">${r.reason}</span>` : ''}</td>
        <td>${r.requester}<br><span class="muted">${r.host}</span></td>
        <td><span class="badge risk-${r.risk}">${r.risk}</span></td>
        <td>${r.rules.map((rule) => html`<code>${rule.id}</code> `)}</td>
        <td>${r.votes.filter((v) => v.decision === 'approve').length} / ${r.required.min}</td>
        <td><time datetime="${r.created_at}" title="${r.created_at}">${relativeTime(r.created_at, now)}</time></td>
        <td><time datetime="${r.expires_at}" title="${r.expires_at}">${relativeTime(r.expires_at, now)}</time></td>
      </tr>`,
    )}
  </table>`;
}

export function inboxPage(m: InboxModel): Html {
  const body = html`
    <h1>Waiting for your decision <span class="muted">(${m.toDecide.length})</span></h1>
    <div class="card">${table(m.toDecide, m.now, m.viewer.identity.role === 'requester' ? 'Requesters do not decide; your own requests are below.' : 'Nothing to decide right now.')}</div>
    ${m.voted.length ? html`<h2>You voted; waiting for others</h2><div class="card">${table(m.voted, m.now, '')}</div>` : ''}
    ${m.own.length ? html`<h2>Your pending requests</h2><div class="card">${table(m.own, m.now, '')}</div>` : ''}
    <p class="muted">Reload to see new requests. Each request's page is also its approval link.</p>`;
  return layout('Inbox', m.viewer, body);
}
