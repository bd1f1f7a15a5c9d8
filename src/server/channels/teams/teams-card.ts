// The Adaptive Cards posted to a Teams incoming webhook: one per new request with who, what,
// where, rules and policies, risk, reason and a button to the approval page; one more with the
// outcome (incoming webhooks cannot update a card they posted). Pure.
import type { RequestView } from '../../../approval/api-types.js';
import { outcomeLine, summarize } from '../request-summary.js';
import { cardBlock, cardText } from './teams-text.js';

type Element = Record<string, unknown>;

const MAX_LINES = 10;

const heading = (text: string): Element => ({ type: 'TextBlock', text, weight: 'Bolder', size: 'Medium', wrap: true });
const label = (text: string): Element => ({ type: 'TextBlock', text, weight: 'Bolder', wrap: true, spacing: 'Medium' });
const line = (text: string): Element => ({ type: 'TextBlock', text, wrap: true, spacing: 'None' });

/** The webhook body carrying one card. */
function message(body: Element[], url: string): Element {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [{ type: 'Action.OpenUrl', title: 'Open the approval page', url }],
        },
      },
    ],
  };
}

const lines = (items: string[]) => [...items.slice(0, MAX_LINES).map((t) => line(`• ${cardText(t, 400)}`)), ...(items.length > MAX_LINES ? [line(`and ${items.length - MAX_LINES} more`)] : [])];

export function requestCard(request: RequestView): Element {
  const s = summarize(request);
  return message(
    [
      heading(`Review requested: ${s.risk} risk`),
      {
        type: 'FactSet',
        facts: [
          { title: 'Requester', value: cardText(s.who) },
          { title: 'Directory', value: cardText(s.cwd) },
          { title: 'Risk', value: s.risk },
          { title: 'Reason', value: s.reason === null ? 'none given' : cardText(s.reason, 2000) },
          { title: 'Needs', value: cardText(s.needs) },
          { title: 'Labels', value: s.labels.length === 0 ? 'none' : cardText(s.labels.join(', '), 1000) },
          { title: 'Expires', value: s.expiresAt },
          { title: 'Request', value: cardText(s.id) },
        ],
      },
      label('Command'),
      { type: 'TextBlock', text: cardBlock(s.command), fontType: 'Monospace', wrap: true, spacing: 'None' },
      label('Rules'),
      ...lines(s.rules.map((r) => `${r.id}, policy ${r.policy ?? 'none'}, ${r.risk} risk`)),
      label('Facts'),
      ...lines(s.facts),
    ],
    s.url,
  );
}

/** The follow-up card once the request is decided, expired or cancelled. */
export function outcomeCard(request: RequestView): Element {
  const s = summarize(request);
  const denial = request.votes.find((v) => v.decision === 'deny');
  return message(
    [
      heading(`Request ${cardText(s.id)}: ${request.status}`),
      {
        type: 'FactSet',
        facts: [
          { title: 'Outcome', value: cardText(outcomeLine(request) ?? request.status) },
          ...(denial?.comment ? [{ title: 'Comment', value: cardText(denial.comment, 2000) }] : []),
          { title: 'Requester', value: cardText(s.who) },
          { title: 'Command', value: cardText(s.command, 1000) },
        ],
      },
    ],
    s.url,
  );
}
