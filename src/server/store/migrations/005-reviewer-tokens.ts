// Version 5: a vote may carry the decision token its reviewer signed with their own key
// (`gate review` with `gate keys init`). The server checked its claims, not its signature, and
// hands it to the requester at redeem, whose gate prefers it when it trusts the key.
import type { Migration } from './index.js';

export const reviewerTokens: Migration = {
  version: 5,
  name: 'reviewer-tokens',
  sqlite: `
    ALTER TABLE votes ADD COLUMN token TEXT;
  `,
  postgres: `
    ALTER TABLE votes ADD COLUMN token TEXT;
  `,
};
