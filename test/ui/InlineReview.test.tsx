// The inline reviewer's screen as unstyled frames, and its key handling.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ExplainView } from '../../src/app/explain-view.js';
import type { InlineVerdict } from '../../src/app/inline-approval.js';
import { InlineReview } from '../../src/ui/InlineReview.js';

const view: ExplainView = {
  decision: 'review',
  risk: 'high',
  rules: [{ id: 'kubectl.delete-namespace', effect: 'review', risk: 'high', description: 'Deleting a namespace deletes everything in it', policy: 'SOC2 CC8.1', approvers: null, reason: 'optional', ttl_ms: null, pending_ms: null, inline: true, source: 'rules/kubectl.yaml:3:5', facts: [0] }],
  facts: { items: [{ program: 'kubectl', action: 'delete', verb: 'delete', resource: 'namespace', uri: 'kube://prod/prod', target: 'prod', classification: ['production'] }], actions: ['delete'], labels: ['production'], opaque: false, unmatched: [] },
  request: { id: 'r1', program: 'kubectl', argv: ['kubectl', 'delete', 'ns', 'prod', '--token', '***'], exe: '/usr/bin/kubectl', exe_sha256: null, cwd: '/srv', env: {}, actor: 'alice', host: 'box', reason: 'INC-7', digest: 'd' },
  approvers: { groups: [], min: 1 },
  reason_required: false,
  reasons: [],
};

const tick = () => new Promise((r) => setTimeout(r, 20));

/** Wait until `check` holds: rendering is asynchronous and the machine may be busy. */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

const shows = (app: { lastFrame(): string | undefined }, text: string) => until(() => (app.lastFrame() ?? '').includes(text), text);

function mount(confirm: string | null) {
  const verdicts: InlineVerdict[] = [];
  const app = render(<InlineReview view={view} confirm={confirm} color={false} onDone={(v) => verdicts.push(v)} armDelayMs={0} />);
  return { app, verdicts };
}

describe('InlineReview', () => {
  it('shows the request, facts and rules', () => {
    const { app } = mount('prod');
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatchInlineSnapshot(`
      "gate: review required (high risk)
        command  kubectl delete ns prod --token '***'
        actor    alice@box
        cwd      /srv
        reason   INC-7
      facts
        [0] delete kubectl verb=delete resource=namespace target=prod kube://prod/prod [production]
      rules
        high kubectl.delete-namespace  policy SOC2 CC8.1
            Deleting a namespace deletes everything in it

      [a] approve and run   [d] deny"
    `);
    app.unmount();
  });

  it('requires the typed target before approving a high-risk command', async () => {
    const { app, verdicts } = mount('prod');
    await shows(app, '[a] approve');
    app.stdin.write('a');
    await shows(app, 'Type prod to approve');
    app.stdin.write('pro');
    await shows(app, ': pro');
    app.stdin.write('\r');
    await shows(app, 'does not match');
    expect(verdicts).toEqual([]);
    app.stdin.write('prod');
    await shows(app, ': prod');
    app.stdin.write('\r');
    await until(() => verdicts.length > 0, 'the verdict');
    expect(verdicts).toEqual([{ decision: 'approve' }]);
    // The final frame holds the verdict (the app exits right after it, which may clear lastFrame).
    await until(() => app.frames.some((f) => f.includes('approved at this terminal; running kubectl')), 'the final frame');
  });

  it('asks for a required reason first and returns it with the approval', async () => {
    const verdicts: InlineVerdict[] = [];
    const app = render(<InlineReview view={view} confirm={null} askReason color={false} onDone={(v) => verdicts.push(v)} armDelayMs={0} />);
    await shows(app, 'A matched rule requires a reason');
    app.stdin.write('\r');
    await shows(app, 'type one, or Esc to deny');
    app.stdin.write('INC-9 cleanup');
    await shows(app, ': INC-9 cleanup');
    app.stdin.write('\r');
    await shows(app, 'reason   INC-9 cleanup');
    app.stdin.write('a');
    await until(() => verdicts.length > 0, 'the verdict');
    expect(verdicts).toEqual([{ decision: 'approve', reason: 'INC-9 cleanup' }]);
  });

  it('drops keys typed before the prompt was on screen', async () => {
    const verdicts: InlineVerdict[] = [];
    const app = render(<InlineReview view={view} confirm={null} color={false} onDone={(v) => verdicts.push(v)} armDelayMs={300} />);
    app.stdin.write('a');
    await tick();
    expect(verdicts).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    app.stdin.write('a');
    await until(() => verdicts.length > 0, 'the verdict');
    expect(verdicts).toEqual([{ decision: 'approve' }]);
  });

  it('approves with one key when no confirmation is needed, and denies with d', async () => {
    const low = mount(null);
    await shows(low.app, '[a] approve');
    low.app.stdin.write('a');
    await until(() => low.verdicts.length > 0, 'the verdict');
    expect(low.verdicts).toEqual([{ decision: 'approve' }]);
    const deny = mount('prod');
    await shows(deny.app, '[a] approve');
    deny.app.stdin.write('d');
    await until(() => deny.verdicts.length > 0, 'the verdict');
    expect(deny.verdicts).toEqual([{ decision: 'deny' }]);
    await until(() => deny.app.frames.some((f) => f.includes('denied at this terminal; not run')), 'the final frame');
  });
});
