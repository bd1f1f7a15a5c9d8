// What a verified Slack interaction does. A button click (block_actions) from a mapped gate
// identity: Approve votes at once, or opens the confirmation modal for high and critical
// risk; Deny opens the comment modal. A modal submission (view_submission) votes with what
// was typed. Every vote goes through the requests service with via "slack": the same rules
// as everywhere (roles, groups, self-approval, quorum, confirmation, comment).
import { z } from 'zod';
import type { Identity, RequestView } from '../../../approval/api-types.js';
import { HttpError } from '../../http-error.js';
import { decideRefusal } from '../../lifecycle.js';
import type { Logger } from '../../log.js';
import type { RequestsService } from '../../requests-service.js';
import { ID_PATTERN } from '../../schemas.js';
import type { Store } from '../../store/store.js';
import type { SlackApi } from './slack-api.js';
import { slackIdentity, type SlackMatch } from './slack-identity.js';
import { APPROVE_ACTION, DENY_ACTION } from './slack-message.js';
import { APPROVE_VIEW, approveModal, COMMENT_BLOCK, CONFIRM_BLOCK, DENY_VIEW, denyModal, INPUT_ACTION } from './slack-modals.js';
import { escapeMrkdwn, slackPlain } from './slack-text.js';

const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const input = z.object({ value: z.string().nullish() }).partial();
const payloadSchema = z.object({
  type: z.string(),
  user: z.object({ id: z.string() }),
  team: z.object({ id: z.string() }).nullish(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).optional(),
  view: z
    .object({
      callback_id: z.string(),
      private_metadata: z.string().optional(),
      state: z.object({ values: z.record(z.string(), z.record(z.string(), input)) }).optional(),
    })
    .optional(),
});
type Payload = z.infer<typeof payloadSchema>;

/** What to answer Slack with: null is an empty 200. */
export type SlackAnswer = Record<string, unknown> | null;

export interface SlackInteractionsDeps {
  service: Pick<RequestsService, 'get' | 'vote'>;
  store: Pick<Store, 'findIdentityByLink' | 'findIdentityByEmail' | 'putChannelMessage'>;
  api: SlackApi;
  /** How Slack users are matched to identities (besides explicit links), and the one workspace
   * whose clicks count when set. */
  match: SlackMatch;
  /** Origins response_url may point at (Slack's hooks, and the configured API's). */
  responseOrigins: string[];
  log: Logger;
  now(): Date;
  /** Runs work that must not hold up the answer (Slack waits 3 s at most). */
  background(task: Promise<unknown>): void;
}

export type SlackInteractions = ReturnType<typeof slackInteractions>;

export function slackInteractions(deps: SlackInteractionsDeps) {
  const { api } = deps;

  /** The interaction's response_url when it points at Slack (never somewhere a payload names at will). */
  const responseUrl = (payload: Payload): string | null => {
    const url = payload.response_url;
    return url && deps.responseOrigins.some((origin) => url.startsWith(`${origin}/`)) ? url : null;
  };

  /** An ephemeral note to the clicking user only, through the interaction's response_url. */
  const note = (payload: Payload, text: string): void => {
    const url = responseUrl(payload);
    if (url) deps.background(api.respond(url, { response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(text) }));
  };

  const unlinked = (payload: Payload) => {
    const id = SLACK_ID.test(payload.user.id) ? payload.user.id : 'USER_ID';
    return `gate: your Slack account (${id}) is not linked to a gate identity, so this did not count. An admin can link it: gate server user link NAME --slack ${id}`;
  };

  /** The gate identity behind the click, when it comes from the configured workspace. */
  const identify = async (payload: Payload): Promise<Identity | null> => {
    if (deps.match.teamId && payload.team?.id !== deps.match.teamId) {
      deps.log('warn', 'slack interaction from another workspace', { team: String(payload.team?.id ?? '').slice(0, 40) });
      return null;
    }
    return slackIdentity(deps.store, api, deps.match, payload.user.id);
  };

  const vote = (who: Identity, id: string, decision: 'approve' | 'deny', body: { comment?: string; confirm?: string }) => deps.service.vote(who, id, { decision, body, via: 'slack' });

  async function onClick(payload: Payload): Promise<SlackAnswer> {
    const action = payload.actions?.[0];
    if (!action || (action.action_id !== APPROVE_ACTION && action.action_id !== DENY_ACTION)) return null;
    const id = action.value ?? '';
    if (!ID_PATTERN.test(id)) return null;
    const who = await identify(payload);
    if (!who) {
      deps.log('warn', 'slack click from an unlinked user', { slack_user: payload.user.id.slice(0, 40), request_id: id });
      note(payload, unlinked(payload));
      return null;
    }
    let request: RequestView;
    try {
      request = await deps.service.get(who, id);
      const refusal = decideRefusal(who, request);
      if (refusal) throw refusal;
      if (request.status !== 'pending') throw new HttpError(409, 'not_pending', `request ${id} is ${request.status}, not pending`);
    } catch (error) {
      note(payload, `gate: ${refusalText(error)}`);
      return null;
    }
    // Without a bot token, the click's response_url is how the message gets its outcome.
    const url = responseUrl(payload);
    if (url && !api.hasBot) await deps.store.putChannelMessage('slack', id, { response_url: url }, deps.now().toISOString());
    const needsConfirm = (request.risk === 'high' || request.risk === 'critical') && request.confirm !== null;
    if (action.action_id === APPROVE_ACTION && !needsConfirm) {
      await vote(who, id, 'approve', {}).catch((error: unknown) => note(payload, `gate: ${refusalText(error)}`));
      return null;
    }
    const modal = action.action_id === DENY_ACTION ? denyModal(request) : approveModal(request);
    const why = action.action_id === DENY_ACTION ? 'a denial needs a comment' : `a ${request.risk}-risk approval needs the target typed`;
    if (!api.hasBot || !payload.trigger_id) {
      note(payload, `gate: ${why}; decide on the approval page: ${request.approval_url}`);
      return null;
    }
    await api.openView(payload.trigger_id, modal).catch((error: unknown) => {
      deps.log('warn', 'slack views.open failed', { request_id: id, error: (error as Error).message });
      note(payload, `gate: ${why}, and the form could not be opened; decide on the approval page: ${request.approval_url}`);
    });
    return null;
  }

  async function onSubmit(payload: Payload): Promise<SlackAnswer> {
    const view = payload.view;
    if (!view || (view.callback_id !== APPROVE_VIEW && view.callback_id !== DENY_VIEW)) return null;
    const approve = view.callback_id === APPROVE_VIEW;
    const block = approve ? CONFIRM_BLOCK : COMMENT_BLOCK;
    const fail = (message: string, at = block): SlackAnswer => ({ response_action: 'errors', errors: { [at]: slackPlain(message, 300) } });
    const id = view.private_metadata ?? '';
    if (!ID_PATTERN.test(id)) return fail('this form does not name a request');
    const who = await identify(payload);
    if (!who) return fail(unlinked(payload));
    // The API's limits (decisionSchema), whatever the form sent.
    const typed = (name: string, max: number) => view.state?.values[name]?.[INPUT_ACTION]?.value?.slice(0, max) ?? undefined;
    const comment = typed(COMMENT_BLOCK, 4000)?.trim();
    try {
      if (approve) await vote(who, id, 'approve', { confirm: typed(CONFIRM_BLOCK, 1000) ?? '', ...(comment ? { comment } : {}) });
      else await vote(who, id, 'deny', { comment: comment ?? '' });
    } catch (error) {
      return fail(refusalText(error), error instanceof HttpError && error.code === 'comment_required' ? COMMENT_BLOCK : block);
    }
    return { response_action: 'clear' };
  }

  return {
    /** Handle a verified payload (the `payload` form field, parsed JSON). */
    async handle(raw: unknown): Promise<SlackAnswer> {
      const parsed = payloadSchema.safeParse(raw);
      if (!parsed.success) return null;
      if (parsed.data.type === 'block_actions') return onClick(parsed.data);
      if (parsed.data.type === 'view_submission') return onSubmit(parsed.data);
      return null;
    },
  };
}

/** A refusal as a person reads it in Slack. */
function refusalText(error: unknown): string {
  if (!(error instanceof HttpError)) throw error;
  if (error.code === 'confirmation_mismatch') return 'that is not the target: type it exactly as shown';
  if (error.code === 'not_found') return 'this request does not exist, or you may not see it';
  return error.message;
}
