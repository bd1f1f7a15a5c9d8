// The review screen as unstyled frames: list, details, filter, help, typed confirmation,
// server errors with their next step, the disconnected banner, and the 80-column layout.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Identity, RequestView } from '../../src/approval/api-types.js';
import type { Decided, Decider } from '../../src/app/review-decide.js';
import type { FeedState, ReviewFeed } from '../../src/app/review-feed.js';
import { DeniedError, UsageError } from '../../src/errors.js';
import { ReviewApp } from '../../src/ui/ReviewApp.js';

const NOW = Date.parse('2026-11-21T12:10:00.000Z');
const bob: Identity = { name: 'bob', role: 'reviewer', groups: ['platform-oncall'] };

function request(over: Partial<RequestView> = {}): RequestView {
  return {
    id: 'req-1',
    digest: 'd'.repeat(64),
    actor: 'alice',
    host: 'build-1',
    cwd: '/srv/app',
    program: 'kubectl',
    argv: ['kubectl', 'delete', 'ns', 'scratch', '--token', '***'],
    reason: 'INC-42 cleanup',
    risk: 'high',
    rules: [{ id: 'kubectl.delete-namespace', description: 'Deleting a namespace deletes everything in it', policy: 'SOC2 CC8.1', risk: 'high', groups: ['platform-oncall'], min: 1, ttl_ms: 600_000, pending_ms: null }],
    facts: [{ program: 'kubectl', action: 'delete', verb: 'delete', resource: 'namespace', names: ['scratch'], target: 'scratch', uri: 'kube://prod/scratch', classification: ['production'] }],
    labels: ['production'],
    confirm: 'scratch',
    status: 'pending',
    requester: 'alice',
    created_at: '2026-11-21T12:05:00.000Z',
    expires_at: '2026-11-21T13:05:00.000Z',
    decided_at: null,
    votes: [],
    required: { groups: ['platform-oncall'], min: 1 },
    approval_url: 'http://127.0.0.1:8787/r/req-1',
    ...over,
  };
}

const sqlRequest = request({
  id: 'req-2',
  actor: 'ci-bot',
  requester: 'ci-bot',
  host: 'ci-7',
  program: 'psql',
  argv: ['psql', '-h', 'db.prod', '-c', 'UPDATE users SET plan = 1 WHERE id = 7'],
  reason: null,
  risk: 'medium',
  rules: [{ id: 'postgres.sql-modify-rows', description: null, policy: null, risk: 'medium', groups: ['dba'], min: 2, ttl_ms: null, pending_ms: null }],
  facts: [{ program: 'psql', action: 'write', statement: 'update', where: true, objects: ['users'], uri: 'postgres://db.prod/app' }],
  labels: [],
  confirm: null,
  created_at: '2026-11-21T12:09:30.000Z',
  required: { groups: ['dba'], min: 2 },
  votes: [{ reviewer: 'carol', decision: 'approve', comment: 'fine by me', via: 'api', at: '2026-11-21T12:09:40.000Z' }],
});

/** A feed that the test drives: the port ReviewApp reads, without a server. */
function testFeed(requests: RequestView[], over: Partial<FeedState> = {}) {
  const listeners = new Set<() => void>();
  let state: FeedState = { me: bob, requests: new Map(requests.map((r) => [r.id, r])), leftAt: new Map(), connection: { state: 'live' }, focusError: null, ...over };
  const feed = {
    refreshed: 0,
    applied: [] as RequestView[],
    getSnapshot: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    refresh() {
      feed.refreshed += 1;
    },
    apply(r: RequestView) {
      feed.applied.push(r);
      feed.set({ requests: new Map([...state.requests, [r.id, r]]), leftAt: r.status === 'pending' ? state.leftAt : new Map([...state.leftAt, [r.id, NOW]]) });
    },
    set(patch: Partial<FeedState>) {
      state = { ...state, ...patch };
      for (const l of listeners) l();
    },
  } satisfies Pick<ReviewFeed, 'getSnapshot' | 'subscribe' | 'refresh' | 'apply'> & Record<string, unknown>;
  return feed;
}

/** Records each decision and answers with `answer` (or throws it). */
function recordingDecider(answer: (kind: 'approve' | 'deny', r: RequestView) => Decided | Error) {
  const calls: Array<{ kind: string; id: string; comment: string | null; confirm?: string | null }> = [];
  const decider: Decider = {
    async approve(r, input) {
      calls.push({ kind: 'approve', id: r.id, ...input });
      const result = answer('approve', r);
      if (result instanceof Error) throw result;
      return result;
    },
    async deny(r, comment) {
      calls.push({ kind: 'deny', id: r.id, comment });
      const result = answer('deny', r);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return { decider, calls };
}

const approvedBy = (r: RequestView, who: string): Decided => ({ view: { ...r, status: 'approved', decided_at: new Date(NOW).toISOString(), votes: [...r.votes, { reviewer: who, decision: 'approve', comment: null, via: 'api', at: new Date(NOW).toISOString() }] }, signedWith: null });

function mount(opts: { requests?: RequestView[]; feed?: ReturnType<typeof testFeed>; answer?: Parameters<typeof recordingDecider>[0]; columns?: number; rows?: number; focusId?: string; signer?: string | null } = {}) {
  const feed = opts.feed ?? testFeed(opts.requests ?? [request(), sqlRequest]);
  const { decider, calls } = recordingDecider(opts.answer ?? ((kind, r) => (kind === 'approve' ? approvedBy(r, 'bob') : { view: { ...r, status: 'denied' }, signedWith: null })));
  const app = render(
    <ReviewApp feed={feed} decider={decider} serverUrl="http://127.0.0.1:8787" signer={opts.signer ?? null} focusId={opts.focusId ?? null} color={false} now={() => NOW} size={{ columns: opts.columns ?? 80, rows: opts.rows ?? 24 }} tickMs={60_000} armDelayMs={0} />,
  );
  return { app, feed, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 15));
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}
const frame = (app: { lastFrame(): string | undefined }) => app.lastFrame() ?? '';
const shows = (app: { lastFrame(): string | undefined }, text: string) => until(() => frame(app).includes(text), `"${text}" in:\n${frame(app)}`);
const press = async (app: { stdin: { write(s: string): void } }, keys: string) => {
  app.stdin.write(keys);
  await tick();
};
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('ReviewApp', () => {
  it('lists pending requests oldest first, fitted to 80 columns', () => {
    const { app } = mount();
    expect(frame(app)).toMatchInlineSnapshot(`
      "gate review · bob (reviewer: platform-oncall) @ http://127.0.0.1:8787
      ● live · 2 pending · sort: age · signed by the server
        AGE    RISK REQUESTER        COMMAND                                     VOTES
      > 5m00s  HIGH alice@build-1    kubectl delete ns scratch --token '***'     0/1
        30s    med  ci-bot@ci-7      psql -h db.prod -c 'UPDATE users SET plan … 1/2

















      ↑↓/jk move  enter open  a approve  d deny  c comment  / filter  ? help  q quit"
    `);
    app.unmount();
  });

  it('never draws wider than the terminal, and keeps the key hints at 80x24', () => {
    const { app } = mount();
    const text = frame(app);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text.split('\n').length).toBeLessThanOrEqual(23);
    expect(text).toContain('↑↓/jk move');
    app.unmount();
  });

  it('moves with j/k and the arrows, sorts by risk with s, and opens the details with enter', async () => {
    const { app } = mount();
    await press(app, 'j');
    await shows(app, '> 30s');
    await press(app, '\u001B[A');
    await shows(app, '> 5m00s');
    await press(app, 's');
    await shows(app, 'sort: risk');
    await press(app, 'j');
    await press(app, '\r');
    await shows(app, '$ psql -h db.prod');
    const text = frame(app);
    expect(text).toContain('requester ci-bot@ci-7');
    expect(text).toContain('reason    (none given)');
    expect(text).toContain('write psql statement=update where objects=users postgres://db.prod/app');
    expect(text).toContain('medium   postgres.sql-modify-rows · needs 2 of dba');
    expect(text).toContain('votes     1 of 2 from dba');
    expect(text).toContain('✓ carol approved 20s ago (api): fine by me');
    app.unmount();
  });

  it('shows the details: actor, cwd, redacted argv, facts, rules, reason, age and expiry', async () => {
    const { app } = mount({ focusId: 'req-1' });
    await shows(app, '$ kubectl');
    expect(frame(app)).toMatchInlineSnapshot(`
      "gate review · bob (reviewer: platform-oncall) @ http://127.0.0.1:8787
      ● live · 2 pending · sort: age · signed by the server
      $ kubectl delete ns scratch --token '***'
      status    pending · HIGH risk
      request   req-1
      requester alice@build-1
      cwd       /srv/app
      reason    INC-42 cleanup
      age       5m00s · expires in 55:00
      labels    production
      facts
        delete kubectl verb=delete resource=namespace names=scratch target=scratch
          kube://prod/scratch [production]
      rules
        high     kubectl.delete-namespace · policy SOC2 CC8.1 · needs 1 of
                 platform-oncall
                 Deleting a namespace deletes everything in it
      votes     0 of 1 from platform-oncall
      to approve, type: scratch



      a approve  d deny  c comment  ↑↓ next  pgdn scroll  esc back  ? help  q quit"
    `);
    app.unmount();
  });

  it('sends a high-risk approval only after the target is typed exactly', async () => {
    const { app, calls, feed } = mount();
    await press(app, 'a');
    await shows(app, 'HIGH RISK: type scratch to approve');
    await press(app, 'scr');
    await press(app, '\r');
    await shows(app, '"scr" is not the target; type scratch exactly');
    expect(calls).toEqual([]);
    await press(app, 'scratch\r');
    await until(() => calls.length === 1, 'the approval');
    expect(calls[0]).toEqual({ kind: 'approve', id: 'req-1', comment: null, confirm: 'scratch' });
    await shows(app, '✓ approved req-1 (kubectl); the server signs the token');
    expect(feed.applied.map((r) => r.status)).toEqual(['approved']);
    await shows(app, 'approved by bob');
    app.unmount();
  });

  it('asks y for a medium-risk approval and sends the comment written with c', async () => {
    const { app, calls } = mount({ answer: (_k, r) => ({ view: { ...r, votes: [...r.votes, { reviewer: 'bob', decision: 'approve', comment: 'checked', via: 'api', at: new Date(NOW).toISOString() }] }, signedWith: 'PkMuyuvHucAWUy' }) });
    await press(app, 'j');
    await press(app, 'c');
    await shows(app, 'comment for ci-bot');
    await press(app, 'checked\r');
    await shows(app, 'comment kept');
    await shows(app, 'your comment (goes with your approval): checked');
    await press(app, 'a');
    await shows(app, 'with your comment? y sends, n or Esc cancels');
    expect(frame(app)).not.toContain('type');
    await press(app, 'n');
    await shows(app, 'not sent');
    expect(calls).toEqual([]);
    await press(app, 'a');
    await press(app, 'y');
    await until(() => calls.length === 1, 'the approval');
    expect(calls[0]).toEqual({ kind: 'approve', id: 'req-2', comment: 'checked', confirm: null });
    await shows(app, 'your approval of req-2 is counted: 2 of 2 from dba; signed with your');
    expect(frame(app).replace(/\n\s+/g, ' ')).toContain('signed with your key PkMuyuvH');
    app.unmount();
  });

  it('requires a comment to deny and sends it', async () => {
    const { app, calls } = mount();
    await press(app, 'd');
    await shows(app, 'deny alice');
    await press(app, '\r');
    await shows(app, 'a denial needs a comment');
    expect(calls).toEqual([]);
    await press(app, 'not during the freeze\r');
    await until(() => calls.length === 1, 'the denial');
    expect(calls[0]).toEqual({ kind: 'deny', id: 'req-1', comment: 'not during the freeze' });
    await shows(app, '✓ denied req-1');
    app.unmount();
  });

  it('shows a server refusal with its next step, and does not crash', async () => {
    const { app, feed } = mount({ answer: () => new DeniedError('not_in_group', 'bob is not in an approver group of this request (dba) (http://127.0.0.1:8787, HTTP 403)', { details: { server_code: 'not_in_group' } }) });
    await press(app, 'j');
    await press(app, 'a');
    await press(app, 'y');
    await shows(app, '✗ not_in_group: bob is not in an approver group');
    expect(frame(app).replace(/\n\s+/g, ' ')).toContain('next: it needs a reviewer from dba: ask one of them, or an admin to add you to a group');
    expect(feed.refreshed).toBe(1);
    // A 400 keeps the server's own code (the client's error code is "usage").
    const second = mount({ answer: () => new UsageError('this is a high-risk request: set "confirm" (http://x, HTTP 400)', { details: { server_code: 'confirmation_mismatch' } }) });
    await press(second.app, 'a');
    await press(second.app, 'scratch\r');
    await shows(second.app, '✗ confirmation_mismatch');
    expect(frame(second.app)).toContain('next: type the target exactly as shown (scratch)');
    app.unmount();
    second.app.unmount();
  });

  it('says why a request cannot be decided before sending anything', async () => {
    const own = request({ id: 'mine', requester: 'bob', actor: 'bob' });
    const { app, calls } = mount({ requests: [own] });
    await press(app, 'a');
    await shows(app, '✗ this is your own request: another reviewer must decide it');
    expect(calls).toEqual([]);
    app.unmount();
  });

  it('filters by words, risk and group as you type, and Esc restores', async () => {
    const { app } = mount();
    await press(app, '/');
    await shows(app, 'filter (words');
    await press(app, 'risk:medium');
    await shows(app, '(1 match "risk:medium")');
    expect(frame(app)).not.toContain('kubectl delete');
    await press(app, '\u001B');
    await shows(app, '● live · 2 pending · sort');
    expect(frame(app)).toContain('kubectl delete');
    await press(app, '/');
    await press(app, 'group:platform-oncall scratch\r');
    await shows(app, '(1 match "group:platform-oncall scratch")');
    expect(frame(app)).not.toContain('psql');
    await press(app, '/');
    for (let i = 0; i < 32; i++) await press(app, '\u007F');
    await press(app, 'nothing-like-this\r');
    await shows(app, 'nothing matches the filter "nothing-like-this"');
    app.unmount();
  });

  it('shows the keys with ?', async () => {
    const { app } = mount();
    await press(app, '?');
    await shows(app, 'Keys');
    const text = frame(app);
    for (const key of ['j k', 'enter', 'approve', 'deny', 'comment', 'filter', 'sort', 'quit']) expect(text).toContain(key);
    expect(text).toContain('Approvals are signed by the server');
    await press(app, 'x');
    await shows(app, 'AGE');
    app.unmount();
  });

  it('says so when the server is unreachable, and r retries', async () => {
    const feed = testFeed([request()], { connection: { state: 'down', error: 'cannot reach the approval server http://127.0.0.1:8787: connect ECONNREFUSED', hint: 'check that the server is running', retryAt: NOW + 4000, attempt: 3 } });
    const { app } = mount({ feed });
    await shows(app, '✗ DISCONNECTED · retrying in 0:04 (attempt 3) · r retries now');
    expect(frame(app).replace(/\n\s+/g, ' ')).toContain('connect ECONNREFUSED · check that the server is running');
    await press(app, 'r');
    expect(feed.refreshed).toBe(1);
    feed.set({ connection: { state: 'live' } });
    await shows(app, '● live');
    expect(frame(app)).not.toContain('DISCONNECTED');
    app.unmount();
  });

  it('shows who decided a request that left, then lets it go', async () => {
    const feed = testFeed([request(), sqlRequest]);
    const { app } = mount({ feed });
    const decided = { ...sqlRequest, status: 'denied' as const, votes: [...sqlRequest.votes, { reviewer: 'dave', decision: 'deny' as const, comment: 'wrong db', via: 'web', at: new Date(NOW).toISOString() }] };
    feed.set({ requests: new Map([['req-1', request()], ['req-2', decided]]), leftAt: new Map([['req-2', NOW]]) });
    await shows(app, '✗ denied by dave: wrong db');
    expect(frame(app)).toContain('1 pending');
    feed.set({ leftAt: new Map([['req-2', NOW - 60_000]]) });
    await until(() => !frame(app).includes('dave'), 'the denied request to leave');
    app.unmount();
  });

  it('puts the list and the details side by side in a wide terminal', () => {
    const { app } = mount({ columns: 160, rows: 40 });
    const text = frame(app);
    expect(text).toMatch(/│ \$ kubectl delete ns scratch --token '\*\*\*'/);
    expect(text).toMatch(/> 5m00s\s+HIGH alice@build-1.*│ status    pending · HIGH risk/);
    expect(widest(text)).toBeLessThanOrEqual(160);
    app.unmount();
  });

  it('opens one request directly, even when it is no longer pending', async () => {
    const done = { ...request({ id: 'old' }), status: 'approved' as const, votes: [{ reviewer: 'carol', decision: 'approve' as const, comment: null, via: 'slack', at: '2026-11-21T12:08:00.000Z' }], decided_at: '2026-11-21T12:08:00.000Z' };
    const feed = testFeed([request(), done], { leftAt: new Map([['old', NOW - 3_600_000]]) });
    const { app, calls } = mount({ feed, focusId: 'old' });
    await shows(app, 'status    approved by carol · high risk');
    await press(app, 'a');
    await shows(app, 'this request is no longer pending: approved by carol');
    expect(calls).toEqual([]);
    app.unmount();
  });
});

describe('ReviewApp key safety', () => {
  it('never approves from keys that arrive in one read with the a', async () => {
    const feed = testFeed([sqlRequest]);
    const { decider, calls } = recordingDecider((_k, r) => approvedBy(r, 'bob'));
    const app = render(<ReviewApp feed={feed} decider={decider} serverUrl="http://x" signer={null} color={false} now={() => NOW} size={{ columns: 80, rows: 24 }} tickMs={60_000} armDelayMs={0} />);
    await press(app, 'ay');
    await shows(app, 'y sends, n or Esc cancels');
    expect(calls).toEqual([]);
    await press(app, 'y');
    await until(() => calls.length === 1, 'the approval');
    app.unmount();
  });

  it('drops keys typed before an approval prompt was on screen long enough', async () => {
    let t = NOW;
    const feed = testFeed([sqlRequest]);
    const { decider, calls } = recordingDecider((_k, r) => approvedBy(r, 'bob'));
    const app = render(<ReviewApp feed={feed} decider={decider} serverUrl="http://x" signer={null} color={false} now={() => t} size={{ columns: 80, rows: 24 }} tickMs={60_000} armDelayMs={300} />);
    await press(app, 'a');
    await shows(app, "approve ci-bot's psql (req-2)…");
    expect(frame(app)).not.toContain('y sends');
    await press(app, 'y');
    expect(calls).toEqual([]);
    t += 301;
    await shows(app, 'y sends');
    await press(app, 'y');
    await until(() => calls.length === 1, 'the approval');
    app.unmount();
  });
});

describe('ReviewApp pasted text', () => {
  it('never sends a denial from text that arrived in one read with the d', async () => {
    const { app, calls } = mount();
    await press(app, 'dnot now\r');
    await shows(app, 'why? (required');
    expect(frame(app)).not.toContain('not now');
    expect(calls).toEqual([]);
    app.unmount();
  });
});
