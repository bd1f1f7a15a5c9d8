// Linking Slack accounts to gate identities by Slack user id. A click in Slack counts only for
// a linked user (or, with match_email, one whose Slack email is an identity's email).
import { UsageError } from '../../errors.js';
import type { IdentityLink, Store } from '../store/store.js';

const SLACK_USER = /^[UW][A-Z0-9]{2,30}$/;

function slackUser(id: string): string {
  if (!SLACK_USER.test(id)) throw new UsageError(`invalid Slack user id ${JSON.stringify(id)}`, { hint: "a member id like U024BE7LH (in Slack: the person's profile, ⋮, Copy member ID)" });
  return id;
}

/** Link the Slack user `slackId` to the identity `name`. */
export async function linkSlackUser(store: Store, name: string, slackId: string, now: Date): Promise<IdentityLink> {
  const value = slackUser(slackId);
  if (!(await store.listIdentities()).some((i) => i.name === name)) throw new UsageError(`there is no identity ${name}`, { hint: 'see `gate server user list`' });
  const link: IdentityLink = { kind: 'slack', value, identity: name, created_at: now.toISOString() };
  if (!(await store.addIdentityLink(link))) {
    const owner = (await store.listIdentityLinks()).find((l) => l.kind === 'slack' && l.value === value)?.identity;
    if (owner !== name) throw new UsageError(`Slack user ${value} is linked to ${owner ?? 'another identity'} already`, { hint: `unlink it first: gate server user unlink --slack ${value}` });
  }
  return link;
}

export async function unlinkSlackUser(store: Store, slackId: string): Promise<void> {
  if (!(await store.removeIdentityLink('slack', slackUser(slackId)))) throw new UsageError(`Slack user ${slackId} is not linked`, { hint: 'see `gate server user links`' });
}

export async function listLinks(store: Store): Promise<IdentityLink[]> {
  return store.listIdentityLinks();
}
