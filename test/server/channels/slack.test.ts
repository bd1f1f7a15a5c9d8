// Slack against a real server on loopback and a receiver standing in for Slack: the message
// per request, the signed interaction endpoint, identity mapping, modals, in-place updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSlackUser } from '../../../src/server/channels/identity-links.js';
import { addIdentity } from '../../../src/server/users.js';
import { createRequest, rule, startTestServer, type TestServer } from '../server-fixture.js';
import { BOT_TOKEN, click, slackBot, slackPost, startChannelServer, submit, type ChannelServer } from './channels-fixture.js';
import { startReceiver, type Receiver } from './receiver.js';

let receiver: Receiver;
let server: ChannelServer;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startChannelServer({ slack: slackBot(receiver, { match_email: true, team_id: 'T0GATE' }), retry: { attempts: 3, min_delay: '20ms', max_delay: '100ms' } }, receiver);
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
  await server.addUser('dana', 'reviewer', ['dba']);
  await addIdentity(server.store, { name: 'erin', role: 'reviewer', groups: ['ops'], email: 'erin@example.com' }, server.clock.now());
  await linkSlackUser(server.store, 'alice', 'UALICE', server.clock.now());
  await linkSlackUser(server.store, 'bob', 'UBOB', server.clock.now());
  await linkSlackUser(server.store, 'dana', 'UDANA', server.clock.now());
  await linkSlackUser(server.store, 'rita', 'URITA', server.clock.now());
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** How users.info describes a full member of the workspace T0GATE. */
const member = { team_id: 'T0GATE', is_restricted: false, is_ultra_restricted: false, is_bot: false, deleted: false, is_email_confirmed: true };

const postedFor = (id: string) => receiver.waitFor('/api/chat.postMessage', (r) => r.body.includes(id));
const updatesFor = (id: string) => receiver.to('/api/chat.update').filter((r) => r.body.includes(id));
const status = async (id: string) => (await server.call('alice', 'GET', `/v1/requests/${id}`)).body.status as string;

describe('the message per request', () => {
  it('is posted with chat.postMessage: bot token, channel, who, what, where, rules, risk, reason, link, buttons', async () => {
    const id = await createRequest(server, 'rita', { reason: 'INC-7 cleanup', risk: 'medium', rules: [rule({ id: 'kubectl.delete-namespace', policy: 'prod changes' })] });
    const posted = await postedFor(id);
    expect(posted.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(posted.headers['content-type']).toMatch(/^application\/json/);
    const body = posted.json();
    expect(body.channel).toBe('C0GATE');
    expect(body.text).toBe(`Review requested: ${id} from rita (medium risk)`);
    const text = JSON.stringify(body.blocks);
    for (const shown of ['rita@build-1', '/srv/app', 'kubectl delete namespace scratch', 'kubectl.delete-namespace', 'prod changes', 'INC-7 cleanup', 'medium', 'destructive', 'kubectl verb=delete resource=namespace names=scratch', '1 approval from ops']) {
      expect(text).toContain(shown);
    }
    const actions = body.blocks.find((b: { type: string }) => b.type === 'actions');
    expect(actions.elements.map((e: { action_id: string }) => e.action_id)).toEqual(['gate_approve', 'gate_deny', 'gate_open']);
    expect(actions.elements[0].value).toBe(id);
    expect(actions.elements[2].url).toBe(`${server.url}/r/${id}`);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Review requested: medium risk', emoji: false } });
  });
});

describe('the interaction endpoint', () => {
  it('refuses a bad signature, a stale or missing timestamp and a missing signature (401), and the click does not count', async () => {
    const id = await createRequest(server, 'rita');
    const now = Math.floor(server.clock.now().getTime() / 1000);
    const cases = [
      { over: { secret: 'not-the-signing-secret' }, code: 'slack_signature_invalid' },
      { over: { timestamp: now - 301 }, code: 'slack_timestamp_stale' },
      { over: { timestamp: now + 301 }, code: 'slack_timestamp_stale' },
      { over: { signature: 'v0=zz' }, code: 'slack_signature_missing' },
    ];
    for (const { over, code } of cases) {
      const res = await slackPost(server, click(receiver, 'UALICE', 'gate_approve', id), over);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(code);
    }
    const noTimestamp = await server.call(null, 'POST', '/v1/slack/interactions', 'payload=%7B%7D', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(noTimestamp.status).toBe(401);
    expect(noTimestamp.body.error.code).toBe('slack_timestamp_missing');
    expect(await status(id)).toBe('pending');
  });

  it('refuses a body signed for another body (the signature covers the raw bytes)', async () => {
    const id = await createRequest(server, 'rita');
    const now = String(Math.floor(server.clock.now().getTime() / 1000));
    const { slackSignature } = await import('../../../src/server/channels/slack/slack-signature.js');
    const signedFor = new URLSearchParams({ payload: JSON.stringify(click(receiver, 'UDANA', 'gate_approve', id)) }).toString();
    const sent = new URLSearchParams({ payload: JSON.stringify(click(receiver, 'UALICE', 'gate_approve', id)) }).toString();
    const res = await server.call(null, 'POST', '/v1/slack/interactions', sent, { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': now, 'x-slack-signature': slackSignature('8f742231b10e8888abcd99yyyzzz85a5', now, signedFor) });
    expect(res.status).toBe(401);
    expect(await status(id)).toBe('pending');
  });

  it('does not count a click from an unmapped Slack user, and tells them how to get linked', async () => {
    const id = await createRequest(server, 'rita');
    const res = await slackPost(server, click(receiver, 'USTRANGER', 'gate_approve', id));
    expect(res.status).toBe(200);
    expect(await status(id)).toBe('pending');
    const note = await receiver.waitFor(`/response/${id}`);
    expect(note.json()).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(note.json().text).toContain('gate server user link NAME --slack USTRANGER');
    // match_email asked Slack for the email, which maps to nobody.
    expect(receiver.to('/api/users.info').some((r) => r.body === 'user=USTRANGER')).toBe(true);
  });

  it('accepts a valid click from a linked reviewer: approved, a waiting long-poll returns, the message is updated in place', async () => {
    const id = await createRequest(server, 'rita');
    const posted = (await postedFor(id)).json();
    const waiting = server.call('rita', 'GET', `/v1/requests/${id}/wait?timeout=20`);
    await new Promise((r) => setTimeout(r, 50));
    const res = await slackPost(server, click(receiver, 'UALICE', 'gate_approve', id));
    expect(res.status).toBe(200);
    const waited = await waiting;
    expect(waited.body.status).toBe('approved');
    expect(waited.body.votes).toEqual([expect.objectContaining({ reviewer: 'alice', decision: 'approve', via: 'slack' })]);
    const update = await receiver.waitFor('/api/chat.update', (r) => r.body.includes(id) && r.body.includes('Approved'));
    const body = update.json();
    expect(update.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(body.ts).toBeTruthy();
    expect({ channel: body.channel, ts: body.ts }).toEqual({ channel: 'C0GATE', ts: expect.any(String) });
    expect(body.blocks[0].text.text).toBe('Approved: medium risk');
    expect(JSON.stringify(body.blocks)).toContain('approved by alice (slack)');
    expect(JSON.stringify(body.blocks)).not.toContain('gate_approve');
    expect(posted.channel).toBe(body.channel);
  });

  it('maps a Slack user by the email users.info reports when match_email is on', async () => {
    receiver.on('/api/users.info', (r) => ({ body: { ok: true, user: { ...member, id: 'UERIN', profile: { email: r.body === 'user=UERIN' ? 'Erin@Example.com' : '' } } } }));
    const id = await createRequest(server, 'rita');
    await slackPost(server, click(receiver, 'UERIN', 'gate_approve', id));
    const view = (await server.call('alice', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('approved');
    expect(view.votes[0]).toMatchObject({ reviewer: 'erin', via: 'slack' });
  });

  it.each([
    ['a single-channel guest', { is_ultra_restricted: true }],
    ['a multi-channel guest', { is_restricted: true }],
    ['a Slack Connect user from another organisation', { team_id: 'T0OTHER', is_stranger: true }],
    ['a user of another workspace', { team_id: 'T0OTHER' }],
    ['a bot', { is_bot: true }],
    ['a deactivated account', { deleted: true }],
    ['an unconfirmed email', { is_email_confirmed: false }],
    ['an answer that does not say whether the user is a guest', { is_restricted: undefined, is_ultra_restricted: undefined }],
  ])('does not match %s by email, even with an identity\'s address', async (_what, over) => {
    receiver.on('/api/users.info', () => ({ body: { ok: true, user: { ...member, id: 'UERIN', profile: { email: 'erin@example.com' }, ...over } } }));
    const id = await createRequest(server, 'rita');
    await slackPost(server, click(receiver, 'UERIN', 'gate_approve', id));
    const note = await receiver.waitFor(`/response/${id}`);
    expect(note.json().text).toContain('not linked to a gate identity');
    expect(await status(id)).toBe('pending');
  });

  it('does not count a click from another workspace, even by a linked user', async () => {
    const id = await createRequest(server, 'rita');
    const payload = click(receiver, 'UALICE', 'gate_approve', id);
    const res = await slackPost(server, { ...payload, team: { id: 'T0OTHER' }, user: { ...payload.user, team_id: 'T0OTHER' } });
    expect(res.status).toBe(200);
    expect((await receiver.waitFor(`/response/${id}`)).json().text).toContain('not linked to a gate identity');
    expect(await status(id)).toBe('pending');
  });

  it('applies the same rules as the API: a requester, a reviewer outside the groups, a second vote', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ groups: ['ops'], min: 2 })] });
    await slackPost(server, click(receiver, 'URITA', 'gate_approve', id));
    expect((await receiver.waitFor(`/response/${id}`, (r) => r.body.includes('requester'))).json().text).toContain('rita is a requester');
    await slackPost(server, click(receiver, 'UDANA', 'gate_approve', id));
    // dana (dba) may not even see an ops request: the same 404 as the API gives.
    await receiver.waitFor(`/response/${id}`, (r) => r.body.includes('you may not see it'));
    await slackPost(server, click(receiver, 'UALICE', 'gate_approve', id));
    await slackPost(server, click(receiver, 'UALICE', 'gate_approve', id));
    await receiver.waitFor(`/response/${id}`, (r) => r.body.includes('already voted'));
    const view = (await server.call('alice', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('pending');
    expect(view.votes.map((v: { reviewer: string }) => v.reviewer)).toEqual(['alice']);
    // The partial approval shows on the message, buttons still there.
    const update = await receiver.waitFor('/api/chat.update', (r) => r.body.includes(id));
    expect(update.body).toContain('gate_approve');
    expect(update.body).toContain('approved via');
  });

  it('refuses self-approval through Slack', async () => {
    const id = await createRequest(server, 'bob');
    await slackPost(server, click(receiver, 'UBOB', 'gate_approve', id));
    expect((await receiver.waitFor(`/response/${id}`)).json().text).toContain('cannot decide their own request');
    expect(await status(id)).toBe('pending');
  });
});

describe('modals', () => {
  it('asks for the typed target on high risk: a wrong target is an error on the field, the right one approves', async () => {
    const id = await createRequest(server, 'rita', { risk: 'critical', confirm: 'prod-eu', rules: [rule({ risk: 'critical' })] });
    await slackPost(server, click(receiver, 'UALICE', 'gate_approve', id));
    const opened = (await receiver.waitFor('/api/views.open', (r) => r.body.includes(id))).json();
    expect(opened.trigger_id).toBe(`trigger-${id}`);
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'gate_approve_view', private_metadata: id });
    expect(JSON.stringify(opened.view.blocks)).toContain('Type exactly: prod-eu');
    expect(await status(id)).toBe('pending');

    const wrong = await slackPost(server, submit('UALICE', 'gate_approve_view', id, { confirm: 'prod-us' }));
    expect(wrong.status).toBe(200);
    expect(wrong.body).toEqual({ response_action: 'errors', errors: { confirm: 'that is not the target: type it exactly as shown' } });
    expect(await status(id)).toBe('pending');

    const right = await slackPost(server, submit('UALICE', 'gate_approve_view', id, { confirm: 'prod-eu', comment: 'checked' }));
    expect(right.body).toEqual({ response_action: 'clear' });
    const view = (await server.call('alice', 'GET', `/v1/requests/${id}`)).body;
    expect(view.status).toBe('approved');
    expect(view.votes[0]).toMatchObject({ reviewer: 'alice', comment: 'checked', via: 'slack' });
  });

  it('asks for a comment on deny: an empty one is refused, then the denial shows on the message', async () => {
    const id = await createRequest(server, 'rita');
    await slackPost(server, click(receiver, 'UBOB', 'gate_deny', id));
    const opened = (await receiver.waitFor('/api/views.open', (r) => r.body.includes(id))).json();
    expect(opened.view.callback_id).toBe('gate_deny_view');
    expect(await status(id)).toBe('pending');

    const empty = await slackPost(server, submit('UBOB', 'gate_deny_view', id, { comment: '   ' }));
    expect(empty.body.response_action).toBe('errors');
    expect(Object.keys(empty.body.errors)).toEqual(['comment']);

    const denied = await slackPost(server, submit('UBOB', 'gate_deny_view', id, { comment: 'not during the freeze' }));
    expect(denied.body).toEqual({ response_action: 'clear' });
    expect(await status(id)).toBe('denied');
    const update = await receiver.waitFor('/api/chat.update', (r) => r.body.includes(id) && r.body.includes('Denied'));
    expect(update.body).toContain('denied by bob (slack)');
    expect(update.body).toContain('not during the freeze');
  });

  it('does not count a modal submitted by an unmapped user', async () => {
    const id = await createRequest(server, 'rita');
    const res = await slackPost(server, submit('USTRANGER', 'gate_deny_view', id, { comment: 'no' }));
    expect(res.body.response_action).toBe('errors');
    expect(res.body.errors.comment).toContain('not linked');
    expect(await status(id)).toBe('pending');
  });
});

describe('decisions made elsewhere', () => {
  it('update the message in place too (API approval, cancel, expiry)', async () => {
    const approved = await createRequest(server, 'rita');
    await postedFor(approved);
    await server.call('alice', 'POST', `/v1/requests/${approved}/approve`, {});
    expect((await receiver.waitFor('/api/chat.update', (r) => r.body.includes(approved))).body).toContain('approved by alice (api)');

    const cancelled = await createRequest(server, 'rita');
    await postedFor(cancelled);
    await server.call('rita', 'POST', `/v1/requests/${cancelled}/cancel`, {});
    expect((await receiver.waitFor('/api/chat.update', (r) => r.body.includes(cancelled))).body).toContain('cancelled by rita');

    const expiring = await createRequest(server, 'rita', { rules: [rule({ pending_ms: 1000 })] });
    await postedFor(expiring);
    server.clock.advance(2000);
    await server.running.sweep();
    expect((await receiver.waitFor('/api/chat.update', (r) => r.body.includes(expiring))).body).toContain('expired without a decision');
    expect(updatesFor(expiring)).toHaveLength(1);
  });
});

describe('without a bot token (incoming webhook)', () => {
  let hooked: ChannelServer;
  beforeAll(async () => {
    hooked = await startChannelServer({ slack: { webhook_url_file: 'slack-webhook-url', signing_secret_file: 'slack-signing-secret', api_url: `${receiver.url}/api` } }, receiver);
    await hooked.addUser('rita', 'requester');
    await hooked.addUser('alice', 'reviewer', ['ops']);
    await linkSlackUser(hooked.store, 'alice', 'UALICE', hooked.clock.now());
  });
  afterAll(() => hooked.close());

  it('posts through the webhook; a click that decides replaces the message through its response_url', async () => {
    const id = await createRequest(hooked, 'rita');
    const posted = await receiver.waitFor('/slack-webhook', (r) => r.body.includes(id));
    expect(posted.headers.authorization).toBeUndefined();
    expect(posted.json().blocks.some((b: { type: string }) => b.type === 'actions')).toBe(true);
    await slackPost(hooked, click(receiver, 'UALICE', 'gate_approve', id));
    const replaced = await receiver.waitFor(`/response/${id}`, (r) => r.json().replace_original === true);
    expect(replaced.body).toContain('approved by alice (slack)');
  });

  it('points deny to the approval page (a comment needs the modal, which needs the bot)', async () => {
    const id = await createRequest(hooked, 'rita');
    await receiver.waitFor('/slack-webhook', (r) => r.body.includes(id));
    await slackPost(hooked, click(receiver, 'UALICE', 'gate_deny', id));
    expect((await receiver.waitFor(`/response/${id}`)).json().text).toContain(`decide on the approval page: ${hooked.url}/r/${id}`);
    expect((await hooked.call('alice', 'GET', `/v1/requests/${id}`)).body.status).toBe('pending');
  });

  it('follows up with a new message when nobody clicked in Slack and the request was decided elsewhere', async () => {
    const id = await createRequest(hooked, 'rita');
    await receiver.waitFor('/slack-webhook', (r) => r.body.includes(id));
    await hooked.call('rita', 'POST', `/v1/requests/${id}/cancel`, {});
    const followUp = await receiver.waitFor('/slack-webhook', (r) => r.body.includes(id) && r.body.includes('Cancelled'));
    expect(followUp.json().text).toContain('cancelled by rita');
  });
});

describe('a server without Slack', () => {
  let plain: TestServer;
  beforeAll(async () => {
    plain = await startTestServer();
  });
  afterAll(() => plain.close());

  it('answers 404 at the interaction endpoint', async () => {
    const res = await slackPost(plain, { type: 'block_actions' });
    expect(res.status).toBe(404);
  });
});
