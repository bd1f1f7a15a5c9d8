// Requester-controlled text is inert in every medium: Slack mrkdwn (no mentions, links or
// formatting), Adaptive Card markdown (no formatting, links or text functions), webhook JSON
// (data, exactly as sent). Checked on the rendered messages and on what reaches a receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestView } from '../../../src/approval/api-types.js';
import { requestMessage } from '../../../src/server/channels/slack/slack-message.js';
import { approveModal } from '../../../src/server/channels/slack/slack-modals.js';
import { escapeMrkdwn, slackCode, slackCodeBlock } from '../../../src/server/channels/slack/slack-text.js';
import { outcomeCard, requestCard } from '../../../src/server/channels/teams/teams-card.js';
import { cardBlock, cardText, escapeCardMarkdown } from '../../../src/server/channels/teams/teams-text.js';
import { fitEscaped, truncate, visible } from '../../../src/server/channels/visible-text.js';
import { requestBody, rule } from '../server-fixture.js';
import { slackBot, startChannelServer, type ChannelServer } from './channels-fixture.js';
import { startReceiver, type Receiver } from './receiver.js';

const EVIL = {
  host: '<!channel>',
  cwd: '/tmp/<script>alert(1)</script>',
  argv: ['sh', '-c', 'echo *bold* <!here> <https://evil.example|click here> [x](https://evil.example) ``` done'],
  reason: '<@U123> *urgent* _now_ ~gone~ `code` &amp; {{DATE(2020-01-01T00:00:00Z)}} \u202Eexe.txt\u0007\nline2 <!subteam^S1>',
  labels: ['<b>bold</b>', '**x**'],
  confirm: '<!everyone>',
  rules: [rule({ id: 'r<!channel>', policy: '*policy* [p](https://evil.example)', description: '<script>' })],
  facts: [{ action: 'delete', program: 'kubectl', names: ['<!everyone>', '*n*'], uri: 'kube://<@U9>/x' }],
};

function evilView(over: Partial<RequestView> = {}): RequestView {
  return {
    ...requestBody('rita', { ...EVIL, risk: 'critical' }),
    status: 'pending',
    requester: 'rita',
    created_at: '2026-11-21T12:00:00.000Z',
    expires_at: '2026-11-21T13:00:00.000Z',
    decided_at: null,
    votes: [],
    required: { groups: ['ops'], min: 1 },
    approval_url: 'https://gate.example.com/r/req-1',
    ...over,
  };
}

/** Every string in a card (or any JSON value). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Markdown that would act: an unescaped <, [, ** or a text function. */
const ACTIVE_MARKDOWN = /(?<!\\)(?:[<[]|\*\*|\{\{)/;

/** Every mrkdwn text in a Slack payload. */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
    return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
  }
  return [];
}

describe('Slack mrkdwn', () => {
  it('escapes &, < and > so mentions and links stay text', () => {
    expect(escapeMrkdwn('<!channel> <@U1> <https://x|y> a & b')).toBe('&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; a &amp; b');
  });

  it('puts values in code spans, where Slack formats nothing, with backticks and invisibles shown', () => {
    expect(slackCode('*bold* _it_ `x` \u202Eab\u0007\nc')).toBe('`*bold* _it_ ˋxˋ \\u{202E}ab\\u{0007} ⏎ c`');
    expect(slackCodeBlock('a ``` b\nc')).toBe('```a `\u200B`\u200B` b\nc```');
    expect(slackCode('')).toBe('_(empty)_');
  });

  it('leaves no mention, link, markup or control character in the request message', () => {
    const message = requestMessage(evilView());
    const texts = [message.text, ...mrkdwnTexts(message.blocks)];
    for (const text of texts) {
      expect(text).not.toMatch(/[<>]/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F\u202E]/);
    }
    const all = JSON.stringify(message.blocks);
    expect(all).toContain('`rita@&lt;!channel&gt;`');
    expect(all).toContain('`/tmp/&lt;script&gt;alert(1)&lt;/script&gt;`');
    const reason = mrkdwnTexts(message.blocks).find((t) => t.startsWith('*Reason*'))!;
    expect(reason).toBe('*Reason*\n`&lt;@U123&gt; *urgent* _now_ ~gone~ ˋcodeˋ &amp;amp; {{DATE(2020-01-01T00:00:00Z)}} \\u{202E}exe.txt\\u{0007} ⏎ line2 &lt;!subteam^S1&gt;`');
    // The command block holds exactly one opening and one closing fence.
    const command = mrkdwnTexts(message.blocks).find((t) => t.startsWith('*Command*'))!;
    expect(command.match(/```/g)).toHaveLength(2);
    expect(command).toContain('&lt;https://evil.example|click here&gt;');
    // Every mrkdwn object opts out of auto-linking and mention parsing.
    expect(JSON.stringify(message.blocks).match(/"type":"mrkdwn"/g)!.length).toBe(JSON.stringify(message.blocks).match(/"verbatim":true/g)!.length);
  });

  it('keeps the typed target literal in the modal (plain_text) and the denial comment inert in the outcome', () => {
    const modal = JSON.stringify(approveModal(evilView({ confirm: '<!everyone> *x*' })));
    expect(modal).toContain('"hint":{"type":"plain_text","text":"Type exactly: <!everyone> *x*","emoji":false}');
    const denied = requestMessage(evilView({ status: 'denied', votes: [{ reviewer: 'bob', decision: 'deny', comment: '<!here> see <https://evil.example|this>', via: 'slack', at: 'x' }] }));
    for (const text of mrkdwnTexts(denied.blocks)) expect(text).not.toMatch(/[<>]/);
    expect(JSON.stringify(denied.blocks)).toContain('`&lt;!here&gt; see &lt;https://evil.example|this&gt;`');
  });
});

describe('Adaptive Card markdown', () => {
  it('backslash-escapes markdown punctuation, line-start markers, text functions and URLs', () => {
    expect(escapeCardMarkdown('**b** _i_ [x](https://e.example) <at>u</at> {{DATE(1)}} a&b')).toBe(
      '\\*\\*b\\*\\* \\_i\\_ \\[x\\]\\(https\\://e.example\\) \\<at\\>u\\</at\\> \\{\\{DATE\\(1\\)\\}\\} a\\&b',
    );
    expect(escapeCardMarkdown('- item\n1. first\n# head\n> quote')).toBe('\\- item\n1\\. first\n\\# head\n\\> quote');
    expect(cardText('a\u202Eb\nc')).toBe('a\\\\u\\{202E\\}b ⏎ c');
    expect(cardBlock('a\nb')).toBe('a\n\nb');
  });

  it('leaves no markup, link or text function in the request card and the outcome card', () => {
    const cards = [requestCard(evilView()), outcomeCard(evilView({ status: 'denied', votes: [{ reviewer: 'bob', decision: 'deny', comment: '[ok](https://evil.example) **now**', via: 'api', at: 'x' }] }))];
    for (const card of cards) {
      for (const text of strings(card)) expect(text).not.toMatch(ACTIVE_MARKDOWN);
      expect(JSON.stringify(card)).not.toContain('{{DATE');
    }
    const facts = (requestCard(evilView()) as any).attachments[0].content.body[1].facts;
    expect(facts.find((f: { title: string }) => f.title === 'Directory').value).toBe('/tmp/\\<script\\>alert\\(1\\)\\</script\\>');
    expect(facts.find((f: { title: string }) => f.title === 'Requester').value).toBe('rita@\\<\\!channel\\>');
  });
});

describe('limits', () => {
  it('cuts long values without breaking an entity or escape', () => {
    const cut = slackCode('&'.repeat(5000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^`(&amp;)+…`$/);
    const card = cardText('*'.repeat(5000), 100);
    expect(card.length).toBeLessThanOrEqual(100);
    expect(card).toMatch(/^(\\\*)+…$/);
    expect(truncate('abc', 2)).toBe('a…');
    expect(fitEscaped('abc', (s) => s, 10)).toBe('abc');
    expect(visible('a\tb\r\nc', true)).toBe('a b\nc');
  });

  it('keeps a huge request within Slack block limits', () => {
    const message = requestMessage(evilView({ argv: ['x'.repeat(70_000)], reason: 'y'.repeat(4000), rules: Array.from({ length: 200 }, (_, i) => rule({ id: `rule-${i}` })), labels: Array.from({ length: 500 }, (_, i) => `l${i}`) }));
    for (const block of message.blocks) {
      if (typeof (block.text as { text?: string } | undefined)?.text === 'string') expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
      for (const field of (block.fields as Array<{ text: string }> | undefined) ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    expect(JSON.stringify(message.blocks)).toContain('and 190 more');
  });
});

describe('what reaches the receivers', () => {
  let receiver: Receiver;
  let server: ChannelServer;
  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startChannelServer({ slack: slackBot(receiver), teams: { webhook_url_file: 'teams-webhook-url' }, webhooks: [{ url: `${receiver.url}/hook`, secret_file: 'webhook-secret' }] }, receiver);
    await server.addUser('rita', 'requester');
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('Slack and Teams get inert text; the webhook gets the values exactly, as JSON data', async () => {
    const body = requestBody('rita', { ...EVIL, risk: 'critical' });
    expect((await server.call('rita', 'POST', '/v1/requests', body)).status).toBe(201);
    const slack = (await receiver.waitFor('/api/chat.postMessage', (r) => r.body.includes(body.id))).json();
    for (const text of [slack.text, ...mrkdwnTexts(slack.blocks)]) expect(text).not.toMatch(/[<>]/);
    const teams = await receiver.waitFor('/teams', (r) => r.body.includes(body.id));
    for (const text of strings(teams.json())) expect(text).not.toMatch(ACTIVE_MARKDOWN);
    const hook = await receiver.waitFor('/hook', (r) => r.json().request.id === body.id);
    expect(hook.headers['content-type']).toBe('application/json');
    const request = hook.json().request;
    expect({ host: request.host, cwd: request.cwd, argv: request.argv, reason: request.reason, labels: request.labels, facts: request.facts }).toEqual({ host: EVIL.host, cwd: EVIL.cwd, argv: EVIL.argv, reason: EVIL.reason, labels: EVIL.labels, facts: EVIL.facts });
  });
});
