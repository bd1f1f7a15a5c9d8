// Who clicked: the gate identity linked to the Slack user id, else (when match_email is on)
// the identity whose email (`gate server user add --email`, or single sign-on) is the one
// Slack reports for the user. Null: the click does not count.
//
// Security invariant: an email names a gate identity only for a full member of the configured
// workspace. A guest, a Slack Connect user from another organisation, a bot or a deactivated
// account can carry any address its own admins gave it, so theirs names nobody.
import type { Identity } from '../../../approval/api-types.js';
import type { Store } from '../../store/store.js';
import type { SlackApi } from './slack-api.js';

export interface SlackMatch {
  /** Look people up by their Slack email (channels.slack.match_email). */
  matchEmail: boolean;
  /** The workspace whose members may be matched by email (channels.slack.team_id). */
  teamId: string | null;
}

export async function slackIdentity(store: Pick<Store, 'findIdentityByLink' | 'findIdentityByEmail'>, api: Pick<SlackApi, 'userInfo'>, match: SlackMatch, slackUser: string): Promise<Identity | null> {
  let found = await store.findIdentityByLink('slack', slackUser);
  if (!found && match.matchEmail && match.teamId) {
    const info = await api.userInfo(slackUser).catch(() => null);
    if (info?.email && info.fullMember && info.teams.includes(match.teamId)) found = await store.findIdentityByEmail(info.email);
  }
  return found ? { name: found.name, role: found.role, groups: found.groups } : null;
}
