// The approval page of one request: who, what, where, why, which rules, the votes toward the
// quorum, and the approve/deny forms when the viewer may decide. Pure: data in, Html out.
import type { RequestView } from '../../approval/api-types.js';
import { quoteArgv } from '../../app/shell-quote.js';
import { attrUrl, html, join, type Html } from './html.js';
import { csrfField, layout, type Viewer } from './layout.js';
import type { QuorumProgress } from './quorum.js';
import { timeTag } from './relative-time.js';

export interface Notice {
  kind: 'error' | 'done';
  text: string;
}

export interface RequestPageModel {
  request: RequestView;
  viewer: Viewer;
  now: Date;
  progress: QuorumProgress;
  /** null when the viewer may decide now; else why not. */
  refusal: string | null;
  notice?: Notice | undefined;
  /** What the reviewer typed, kept when a decision was refused. */
  typed?: { comment?: string | undefined; confirm?: string | undefined } | undefined;
}

/** high and critical risk need the request's confirm text typed back (as the API does). */
export const needsConfirmation = (r: Pick<RequestView, 'risk' | 'confirm'>): boolean => (r.risk === 'high' || r.risk === 'critical') && r.confirm !== null;

const MAX_NAMES = 10;

function factValue(value: unknown): Html {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return html`<span class="muted">none</span>`;
  if (typeof value === 'string') return html`<code>${value}</code>`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return html`<code>${value.join(', ')}</code>`;
  return html`<code>${JSON.stringify(value)}</code>`;
}

function factsBlock(facts: RequestView['facts']): Html {
  if (facts.length === 0) return html`<p class="muted">No facts: the command was not analyzed further.</p>`;
  return join(
    facts.map(
      (fact) => html`<table class="facts">${Object.entries(fact).map(([key, value]) => html`<tr><th>${key}</th><td>${factValue(value)}</td></tr>`)}</table>`,
    ),
  );
}

function rulesBlock(r: RequestView): Html {
  if (r.rules.length === 0) return html`<p class="muted">No rule matched.</p>`;
  return html`<table class="list">
    <tr><th>rule</th><th>policy</th><th>risk</th><th>approvers</th></tr>
    ${r.rules.map(
      (rule) => html`<tr>
        <td><code>${rule.id}</code>${rule.description ? html`<br><span class="muted">${rule.description}</span>` : ''}</td>
        <td>${rule.policy ?? '-'}</td>
        <td><span class="badge risk-${rule.risk}">${rule.risk}</span></td>
        <td>${rule.min} from ${rule.groups.length ? rule.groups.join(', ') : 'any reviewer'}</td>
      </tr>`,
    )}
  </table>`;
}

function names(list: readonly string[]): string {
  return list.length > MAX_NAMES ? `${list.slice(0, MAX_NAMES).join(', ')} and ${list.length - MAX_NAMES} more` : list.join(', ');
}

function votesBlock(m: RequestPageModel): Html {
  const { request: r, progress: p, now } = m;
  const votes = r.votes.length
    ? html`<table class="list"><tr><th>reviewer</th><th>decision</th><th>comment</th><th>via</th><th>when</th></tr>
        ${r.votes.map((v) => html`<tr><td>${v.reviewer}</td><td><span class="badge status-${v.decision === 'approve' ? 'approved' : 'denied'}">${v.decision}</span></td><td>${v.comment ?? ''}</td><td>${v.via}</td><td>${timeTag(v.at, now)}</td></tr>`)}
      </table>`
    : html`<p class="muted">No votes yet.</p>`;
  const still = p.missing
    ? html`<ul class="still">${p.rules
        .filter((rule) => rule.have.length < rule.need)
        .map(
          (rule) => html`<li>${rule.need - rule.have.length} more approval${rule.need - rule.have.length > 1 ? 's' : ''} for <code>${rule.ruleId}</code> from ${rule.groups.length ? rule.groups.join(', ') : 'any reviewer'}${
            rule.candidates.length ? html` <span class="muted">(can approve: ${names(rule.candidates)})</span>` : html` <span class="muted">(nobody else can: add a reviewer to ${rule.groups.join(', ') || 'gate'})</span>`
          }</li>`,
        )}</ul>`
    : '';
  return html`<p class="progress">${p.approvals.length} of ${p.min} approval${p.min > 1 ? 's' : ''}${r.required.groups.length ? ` from ${r.required.groups.join(', ')}` : ''}</p>${still}${votes}`;
}

function decideBlock(m: RequestPageModel): Html {
  const { request: r, viewer } = m;
  if (m.refusal !== null) return html`<p class="muted">${m.refusal}</p>`;
  const base = `/r/${encodeURIComponent(r.id)}`;
  const confirm = needsConfirmation(r)
    ? html`<label for="confirm">This is a ${r.risk}-risk request. Type <code>${r.confirm}</code> to confirm</label>
        <input type="text" id="confirm" name="confirm" required autocomplete="off" spellcheck="false" value="${m.typed?.confirm ?? ''}">`
    : '';
  return html`<div class="decide">
    <form method="post" action="${attrUrl(`${base}/approve`)}" class="card">
      ${csrfField(viewer.csrf)}
      ${confirm}
      <label for="approve-comment">Comment (optional)</label>
      <textarea id="approve-comment" name="comment">${m.typed?.comment ?? ''}</textarea>
      <button class="approve" type="submit">Approve</button>
    </form>
    <form method="post" action="${attrUrl(`${base}/deny`)}" class="card">
      ${csrfField(viewer.csrf)}
      <label for="deny-comment">Why deny? (required; the requester sees it)</label>
      <textarea id="deny-comment" name="comment" required></textarea>
      <button class="deny" type="submit">Deny</button>
    </form>
  </div>`;
}

export function requestPage(m: RequestPageModel): Html {
  const { request: r, now } = m;
  const command = r.argv.length > 0 ? quoteArgv(r.argv) : r.program;
  const body = html`
    ${m.notice ? html`<div class="card notice ${m.notice.kind}" role="status">${m.notice.text}</div>` : ''}
    <h1>${r.program} <span class="badge status-${r.status}">${r.status}</span> <span class="badge risk-${r.risk}">${r.risk} risk</span></h1>
    <p class="muted">Request <code>${r.id}</code> by <strong>${r.requester}</strong></p>
    <pre class="command"><code>${command}</code></pre>
    <div class="card">
      <table>
        <tr><th>actor</th><td>${r.actor}</td></tr>
        <tr><th>host</th><td>${r.host}</td></tr>
        <tr><th>cwd</th><td><code>${r.cwd}</code></td></tr>
        <tr><th>reason</th><td>${r.reason ?? html`<span class="muted">none given</span>`}</td></tr>
        <tr><th>labels</th><td>${r.labels.length ? r.labels.map((l) => html`<span class="chip">${l}</span>`) : html`<span class="muted">none</span>`}</td></tr>
        <tr><th>created</th><td>${timeTag(r.created_at, now)}</td></tr>
        <tr><th>${r.status === 'pending' ? 'expires' : r.status === 'approved' ? 'redeem by' : 'decided'}</th><td>${r.status === 'pending' || r.status === 'approved' ? timeTag(r.expires_at, now) : r.decided_at ? timeTag(r.decided_at, now) : '-'}</td></tr>
      </table>
    </div>
    <h2>Matched rules</h2>
    <div class="card">${rulesBlock(r)}</div>
    <h2>Facts</h2>
    <div class="card">${factsBlock(r.facts)}</div>
    <h2>Votes</h2>
    <div class="card">${votesBlock(m)}</div>
    <h2>Decision</h2>
    ${decideBlock(m)}`;
  return layout(`${r.program} (${r.status})`, m.viewer, body);
}
