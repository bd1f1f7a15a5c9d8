// The Block Kit message for a request: who, what, where, rules and policies, risk, reason,
// quorum and the link; Approve and Deny buttons while pending, the outcome once decided. Pure.
import type { RequestView } from '../../../approval/api-types.js';
import { outcomeLine, summarize } from '../request-summary.js';
import { escapeMrkdwn, slackCode, slackCodeBlock } from './slack-text.js';

export type Block = Record<string, unknown>;

export interface SlackMessage {
  /** The notification text (mrkdwn, escaped). */
  text: string;
  blocks: Block[];
}

export const APPROVE_ACTION = 'gate_approve';
export const DENY_ACTION = 'gate_deny';

const TITLE: Record<RequestView['status'], string> = {
  pending: 'Review requested',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
  cancelled: 'Cancelled',
  redeemed: 'Approved and started',
};

/** Section text is limited to 3000 characters, fields to 2000. */
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const MAX_LINES = 10;

// verbatim: Slack neither auto-links URLs nor turns #channel or @name into links here.
export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });
export const plain = (text: string) => ({ type: 'plain_text', text, emoji: false });

/** As many of `parts` as fit in `limit` characters, joined, with "and N more" for the rest. */
function within(parts: string[], separator: string, limit: number): string {
  let text = '';
  for (const [i, part] of parts.entries()) {
    const next = text === '' ? part : `${text}${separator}${part}`;
    if (i >= MAX_LINES || next.length > limit - 20) return `${text}${separator}_and ${parts.length - i} more_`;
    text = next;
  }
  return text;
}

export function requestMessage(request: RequestView): SlackMessage {
  const s = summarize(request);
  const pending = request.status === 'pending';
  const field = (label: string, value: string) => mrkdwn(`*${label}*\n${value}`);
  const blocks: Block[] = [
    { type: 'header', text: plain(`${TITLE[request.status]}: ${s.risk} risk`) },
    { type: 'section', text: mrkdwn(`*Command*\n${slackCodeBlock(s.command, SECTION_MAX - 20)}`) },
    {
      type: 'section',
      fields: [
        field('Requester', slackCode(s.who, FIELD_MAX - 20)),
        field('Directory', slackCode(s.cwd, FIELD_MAX - 20)),
        field('Risk', s.risk),
        field('Reason', s.reason === null ? '_none given_' : slackCode(s.reason, FIELD_MAX - 20)),
        field('Needs', slackCode(s.needs, FIELD_MAX - 20)),
        field('Expires', escapeMrkdwn(s.expiresAt)),
        field('Labels', s.labels.length === 0 ? '_none_' : within(s.labels.map((l) => slackCode(l, 200)), ' ', FIELD_MAX - 20)),
      ],
    },
    {
      type: 'section',
      text: mrkdwn(`*Rules*\n${within(s.rules.map((r) => `• ${slackCode(r.id, 200)}, policy ${r.policy === null ? '_none_' : slackCode(r.policy, 300)}, ${escapeMrkdwn(r.risk)} risk`), '\n', SECTION_MAX - 20)}`),
    },
    { type: 'section', text: mrkdwn(`*Facts*\n${s.facts.length === 0 ? '_none_' : within(s.facts.map((f) => `• ${slackCode(f, 280)}`), '\n', SECTION_MAX - 20)}`) },
  ];
  const votes = s.votes.map((v) => `${slackCode(v.reviewer, 200)} ${v.decision === 'approve' ? 'approved' : 'denied'} via ${slackCode(v.via, 40)}`);
  blocks.push({ type: 'context', elements: [mrkdwn(`Request ${slackCode(s.id, 100)}${votes.length > 0 ? ` · ${votes.join(', ')}` : ''}`.slice(0, SECTION_MAX))] });
  const link = { type: 'button', action_id: 'gate_open', text: plain('Open the approval page'), url: s.url };
  if (pending) {
    blocks.push({
      type: 'actions',
      block_id: 'gate_decide',
      elements: [
        { type: 'button', action_id: APPROVE_ACTION, style: 'primary', text: plain('Approve'), value: s.id },
        { type: 'button', action_id: DENY_ACTION, style: 'danger', text: plain('Deny'), value: s.id },
        link,
      ],
    });
  } else {
    const denial = request.votes.find((v) => v.decision === 'deny');
    const comment = denial?.comment ? `\n*Comment* ${slackCode(denial.comment, 1500)}` : '';
    blocks.push({ type: 'section', text: mrkdwn(`*Outcome* ${slackCode(outcomeLine(request) ?? request.status, 1000)}${comment}`) });
    blocks.push({ type: 'actions', block_id: 'gate_link', elements: [link] });
  }
  const text = pending
    ? `Review requested: ${escapeMrkdwn(s.id)} from ${escapeMrkdwn(request.requester)} (${s.risk} risk)`
    : `Request ${escapeMrkdwn(s.id)}: ${escapeMrkdwn(outcomeLine(request) ?? request.status)}`;
  return { text, blocks };
}
