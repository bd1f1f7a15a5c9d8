// The two modals a click can open: Deny (a required comment) and, for high and critical risk,
// Approve with the target typed as confirmation, as at the terminal. Pure.
import type { RequestView } from '../../../approval/api-types.js';
import { summarize } from '../request-summary.js';
import { mrkdwn, plain, type Block } from './slack-message.js';
import { slackCode, slackCodeBlock, slackPlain } from './slack-text.js';

export const APPROVE_VIEW = 'gate_approve_view';
export const DENY_VIEW = 'gate_deny_view';
/** block_id / action_id of the inputs (view_submission errors name the block). */
export const CONFIRM_BLOCK = 'confirm';
export const COMMENT_BLOCK = 'comment';
export const INPUT_ACTION = 'value';

function summaryBlock(request: RequestView): Block {
  const s = summarize(request);
  return { type: 'section', text: mrkdwn(`*${s.risk} risk* request from ${slackCode(s.who, 300)}\n${slackCodeBlock(s.command, 2500)}`) };
}

const commentInput = (optional: boolean): Block => ({
  type: 'input',
  block_id: COMMENT_BLOCK,
  optional,
  label: plain(optional ? 'Comment (optional)' : 'Why deny? (required)'),
  element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: 4000 },
});

/** Approve a high or critical risk request: the reviewer types the target. */
export function approveModal(request: RequestView): Block {
  return {
    type: 'modal',
    callback_id: APPROVE_VIEW,
    private_metadata: request.id,
    title: plain('Approve request'),
    submit: plain('Approve'),
    close: plain('Cancel'),
    blocks: [
      summaryBlock(request),
      {
        type: 'input',
        block_id: CONFIRM_BLOCK,
        label: plain('Type the target to confirm'),
        hint: plain(slackPlain(`Type exactly: ${request.confirm ?? ''}`, 150)),
        element: { type: 'plain_text_input', action_id: INPUT_ACTION, max_length: 1000 },
      },
      commentInput(true),
    ],
  };
}

/** Deny: a comment is required. */
export function denyModal(request: RequestView): Block {
  return {
    type: 'modal',
    callback_id: DENY_VIEW,
    private_metadata: request.id,
    title: plain('Deny request'),
    submit: plain('Deny'),
    close: plain('Cancel'),
    blocks: [summaryBlock(request), commentInput(false)],
  };
}
