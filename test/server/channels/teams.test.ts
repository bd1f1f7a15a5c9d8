// Teams: an Adaptive Card through the incoming webhook per new request, and a follow-up card
// with the outcome, checked against a receiving server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, rule } from '../server-fixture.js';
import { startChannelServer, type ChannelServer } from './channels-fixture.js';
import { startReceiver, type Receiver } from './receiver.js';

let receiver: Receiver;
let server: ChannelServer;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startChannelServer({ teams: { webhook_url_file: 'teams-webhook-url' }, retry: { attempts: 3, min_delay: '20ms', max_delay: '50ms' } }, receiver);
  await server.addUser('rita', 'requester');
  await server.addUser('alice', 'reviewer', ['ops']);
  await server.addUser('bob', 'reviewer', ['ops']);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const cardsFor = (id: string) => receiver.to('/teams').filter((r) => r.body.includes(id));

describe('teams', () => {
  it('posts an Adaptive Card with who, what, where, rules, risk, reason and a link to the approval page', async () => {
    const id = await createRequest(server, 'rita', { reason: 'INC-9', rules: [rule({ id: 'kubectl.delete-namespace', policy: 'prod changes', risk: 'high' })], risk: 'high' });
    const posted = await receiver.waitFor('/teams', (r) => r.body.includes(id));
    expect(posted.headers['content-type']).toBe('application/json');
    const body = posted.json();
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const attachment = body.attachments[0];
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment.content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the approval page', url: `${server.url}/r/${id}` }]);
    expect(card.body[0].text).toBe('Review requested: high risk');
    const facts = Object.fromEntries(card.body.find((e: { type: string }) => e.type === 'FactSet').facts.map((f: { title: string; value: string }) => [f.title, f.value]));
    expect(facts).toMatchObject({ Requester: 'rita@build-1', Directory: '/srv/app', Risk: 'high', Reason: 'INC-9', Needs: '1 approval from ops', Labels: 'destructive', Request: id });
    const texts = card.body.filter((e: { type: string }) => e.type === 'TextBlock').map((e: { text: string }) => e.text);
    expect(texts).toContain('kubectl delete namespace scratch');
    expect(texts).toContain('• kubectl.delete-namespace, policy prod changes, high risk');
    expect(card.body.find((e: { fontType?: string }) => e.fontType === 'Monospace').text).toBe('kubectl delete namespace scratch');
  });

  it('follows up with the outcome (incoming webhooks cannot update a card), and posts nothing for a partial vote', async () => {
    const id = await createRequest(server, 'rita', { rules: [rule({ min: 2 })] });
    await receiver.waitFor('/teams', (r) => r.body.includes(id));
    await server.call('alice', 'POST', `/v1/requests/${id}/approve`, {});
    await server.call('bob', 'POST', `/v1/requests/${id}/approve`, { comment: 'fine' });
    const followUp = await receiver.waitFor('/teams', (r) => r.body.includes(id) && r.body.includes('approved by'));
    const card = followUp.json().attachments[0].content;
    expect(card.body[0].text).toBe(`Request ${id}: approved`);
    expect(card.body[1].facts[0]).toEqual({ title: 'Outcome', value: 'approved by alice \\(api\\), bob \\(api\\)' });
    expect(card.actions[0].url).toBe(`${server.url}/r/${id}`);
    expect(cardsFor(id)).toHaveLength(2);
  });

  it('shows the denial comment', async () => {
    const id = await createRequest(server, 'rita');
    await server.call('alice', 'POST', `/v1/requests/${id}/deny`, { comment: 'not now' });
    const followUp = await receiver.waitFor('/teams', (r) => r.body.includes(id) && r.body.includes('denied by'));
    expect(followUp.json().attachments[0].content.body[1].facts).toContainEqual({ title: 'Comment', value: 'not now' });
  });

  it('retries when the webhook answers 500, in order: the outcome card never overtakes the request card', async () => {
    let failed = false;
    receiver.on('/teams', (r) => {
      if (failed || !r.body.includes('Review requested')) return { body: '1' };
      failed = true;
      return { status: 500 };
    });
    const id = await createRequest(server, 'rita');
    await server.call('rita', 'POST', `/v1/requests/${id}/cancel`, {});
    const followUp = await receiver.waitFor('/teams', (r) => r.body.includes(id) && r.body.includes('cancelled by rita'));
    const cards = cardsFor(id);
    expect(cards).toHaveLength(3);
    expect(cards[0]!.body).toBe(cards[1]!.body);
    expect(cards[2]).toBe(followUp);
  });
});
