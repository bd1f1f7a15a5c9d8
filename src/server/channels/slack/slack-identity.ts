// Who clicked: the gate identity linked to the Slack user id, else (when match_email is on)
// the identity whose email (`gate server user add --email`, or single sign-on) is the one
// Slack reports for the user. Null: the click does not count.
import type { Identity } from '../../../approval/api-types.js';
import type { Store } from '../../store/store.js';
import type { SlackApi } from './slack-api.js';

export async function slackIdentity(store: Pick<Store, 'findIdentityByLink' | 'findIdentityByEmail'>, api: Pick<SlackApi, 'userEmail'>, matchEmail: boolean, slackUser: string): Promise<Identity | null> {
  let found = await store.findIdentityByLink('slack', slackUser);
  if (!found && matchEmail) {
    const email = await api.userEmail(slackUser).catch(() => null);
    if (email) found = await store.findIdentityByEmail(email);
  }
  return found ? { name: found.name, role: found.role, groups: found.groups } : null;
}
