// Why a decision token was refused: one stable code per check, each with the next step.
import { DeniedError } from '../errors.js';

export type TokenErrorCode =
  | 'token_malformed'
  | 'token_alg_not_allowed'
  | 'token_wrong_type'
  | 'token_unknown_key'
  | 'token_key_revoked'
  | 'token_key_expired'
  | 'token_bad_signature'
  | 'token_wrong_audience'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_ttl_exceeded'
  | 'token_digest_mismatch'
  | 'token_decision_deny'
  | 'token_wrong_subject'
  | 'token_rules_changed'
  | 'token_key_not_scoped'
  | 'token_terminal_not_allowed'
  | 'token_self_approval'
  | 'token_quorum_not_met'
  | 'token_replayed';

const HINTS: Record<TokenErrorCode, string> = {
  token_malformed: 'pass the compact token exactly as `gate approve` printed it',
  token_alg_not_allowed: 'gate accepts only EdDSA (Ed25519) decision tokens; get a new token from a reviewer',
  token_wrong_type: 'this is not a gate decision token; get one with `gate approve`',
  token_unknown_key: 'the signing key is not trusted here: trust the reviewer with `gate keys trust FILE --name NAME --group G`',
  token_key_revoked: 'the signing key was revoked; ask another reviewer for a new approval',
  token_key_expired: 'the trust entry of the signing key has expired; renew it with `gate keys trust`',
  token_bad_signature: 'the token was altered or signed by another key; ask the reviewer for a new one',
  token_wrong_audience: 'the token was issued for another system; get a gate decision token',
  token_expired: 'the approval has expired; run the command again to request a new review (if it was issued moments ago, this machine\'s clock runs ahead of the approver\'s: sync both clocks with NTP)',
  token_not_yet_valid: 'clock skew: this machine\'s clock is behind the approver\'s by more than the 30 s tolerance; sync both clocks with NTP, then ask for a new approval (a server approval is spent once redeemed)',
  token_ttl_exceeded: "the token lives longer than the rule's ttl allows; ask for a token within the rule's ttl",
  token_digest_mismatch: 'the token approves a different command, directory, environment or binary; request a review of exactly this command',
  token_decision_deny: 'the reviewer denied this request',
  token_wrong_subject: 'the token was issued to another requester; run the command as the requester it names',
  token_rules_changed: 'the rules changed since the approval and now require review by rules the token does not cover; request a new review',
  token_key_not_scoped: "the signing key may not approve for this rule's approver groups; ask a reviewer of those groups",
  token_terminal_not_allowed: 'a matched rule does not allow approval at the requester\'s own terminal; have a reviewer approve it',
  token_self_approval: 'nobody may approve their own request; ask another reviewer',
  token_quorum_not_met: 'this rule needs more distinct approvers; collect a token from each (repeat --token)',
  token_replayed: 'each token runs one command once; request a new review',
};

export class TokenError extends DeniedError {
  constructor(code: TokenErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(code, message, { hint: HINTS[code], ...options });
    this.name = 'TokenError';
  }
}
