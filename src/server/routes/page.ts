// The approval pages: GET /r/:id (where approval_url points), its approve and deny forms, and
// the inbox. Votes go through the same service as the API, recorded with via "web". A refused
// vote re-renders the page with the reason and what the reviewer typed.
import type { Context, Hono } from 'hono';
import type { RequestView } from '../../approval/api-types.js';
import { requestId } from '../body.js';
import { HttpError } from '../http-error.js';
import { decideRefusal } from '../lifecycle.js';
import { inboxPage } from '../web/inbox-page.js';
import { quorumProgress } from '../web/quorum.js';
import { requestPage, type Notice } from '../web/request-page.js';
import { csrfChecked, signedIn } from '../web/web-auth.js';
import type { WebDeps, WebEnv } from '../web/web-env.js';

/** The channel recorded on votes cast on these pages. */
const VIA = 'web';
const MAX_COMMENT = 4000;
const MAX_CONFIRM = 1000;

/** Why the viewer cannot decide the request now, or null. */
function refusalOf(c: Context<WebEnv>, r: RequestView): string | null {
  const me = c.get('identity');
  if (r.status !== 'pending') return `This request is ${r.status}; there is nothing to decide.`;
  const mine = r.votes.find((v) => v.reviewer === me.name);
  if (mine) return `You ${mine.decision === 'approve' ? 'approved' : 'denied'} this request; it waits for other reviewers.`;
  const refusal = decideRefusal(me, r);
  if (!refusal) return null;
  if (refusal.code === 'self_approval') return 'This is your own request: another reviewer must decide it.';
  if (refusal.code === 'forbidden_role') return 'You are a requester here: requesters do not decide.';
  return `Only reviewers in ${r.required.groups.join(', ')} may decide this request; you are in ${me.groups.join(', ') || 'no group'}.`;
}

/** The voted-on outcome, said to the reviewer after the redirect. */
function doneNotice(r: RequestView, me: string): Notice | undefined {
  const mine = r.votes.find((v) => v.reviewer === me);
  if (!mine) return undefined;
  if (mine.decision === 'deny') return { kind: 'done', text: `You denied this request. The requester's gate ends with your comment.` };
  if (r.status === 'approved' || r.status === 'redeemed') return { kind: 'done', text: `You approved this request. It is approved: the requester's command runs now.` };
  return { kind: 'done', text: `You approved this request. It needs more approvals before it runs.` };
}

export function pageRoutes(web: Hono<WebEnv>, deps: WebDeps): void {
  const auth = signedIn(deps);

  const render = async (c: Context<WebEnv>, id: string, notice?: Notice, typed?: { comment?: string; confirm?: string }, status: 200 | 400 | 403 | 409 = 200) => {
    const request = await deps.service.get(c.get('identity'), id);
    const identities = (await deps.store.listIdentities()).map(({ name, role, groups }) => ({ name, role, groups }));
    const page = requestPage({
      request,
      viewer: c.get('viewer'),
      now: deps.clock.now(),
      progress: quorumProgress(request, identities),
      refusal: refusalOf(c, request),
      notice: notice ?? (c.req.query('done') !== undefined ? doneNotice(request, c.get('identity').name) : undefined),
      typed,
    });
    return c.html(page.text, status);
  };

  const vote = (decision: 'approve' | 'deny') => async (c: Context<WebEnv>) => {
    const id = requestId(c);
    const form = await c.req.parseBody();
    const comment = (typeof form.comment === 'string' ? form.comment : '').slice(0, MAX_COMMENT);
    const confirm = (typeof form.confirm === 'string' ? form.confirm : '').slice(0, MAX_CONFIRM);
    const typed = { comment, confirm };
    if (decision === 'deny' && comment.trim() === '') return render(c, id, { kind: 'error', text: 'A denial needs a comment saying why: the requester sees it.' }, typed, 400);
    try {
      await deps.service.vote(c.get('identity'), id, { decision, body: { comment, ...(decision === 'approve' ? { confirm } : {}) }, via: VIA });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === 404 || ![400, 403, 409].includes(error.status)) throw error;
      const text = error.code === 'confirmation_mismatch' ? 'To approve, type the target exactly as shown (it is case-sensitive).' : error.message;
      return render(c, id, { kind: 'error', text }, typed, error.status as 400 | 403 | 409);
    }
    return c.redirect(`/r/${encodeURIComponent(id)}?done`, 303);
  };

  web.get('/', (c) => c.redirect('/inbox', 303));

  web.get('/inbox', auth, async (c) => {
    const me = c.get('identity');
    const pending = await deps.service.list(me, 'pending', 500);
    const mayDecide = (r: RequestView) => decideRefusal(me, r) === null;
    const votedOn = (r: RequestView) => r.votes.some((v) => v.reviewer === me.name);
    return c.html(
      inboxPage({
        viewer: c.get('viewer'),
        now: deps.clock.now(),
        toDecide: pending.filter((r) => mayDecide(r) && !votedOn(r)),
        voted: pending.filter((r) => mayDecide(r) && votedOn(r)),
        own: pending.filter((r) => r.requester === me.name),
      }).text,
    );
  });

  web.get('/r/:id', auth, (c) => render(c, requestId(c)));
  web.post('/r/:id/approve', auth, csrfChecked(deps), vote('approve'));
  web.post('/r/:id/deny', auth, csrfChecked(deps), vote('deny'));
}
