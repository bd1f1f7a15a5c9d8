// Version 2: what single sign-on needs on identities. `email` (lower case, unique when set)
// maps a provider's email claim to an identity; `origin` tells identities made with
// `gate server user add` ('cli') from reviewers created at sign-in ('oidc'), whose groups
// each sign-in refreshes from the provider.
import type { Migration } from './index.js';

export const web: Migration = {
  version: 2,
  name: 'web',
  sqlite: `
    ALTER TABLE identities ADD COLUMN email TEXT;
    ALTER TABLE identities ADD COLUMN origin TEXT NOT NULL DEFAULT 'cli' CHECK (origin IN ('cli', 'oidc'));
    CREATE UNIQUE INDEX identities_email ON identities (email) WHERE email IS NOT NULL;
  `,
  postgres: `
    ALTER TABLE identities ADD COLUMN email TEXT;
    ALTER TABLE identities ADD COLUMN origin TEXT NOT NULL DEFAULT 'cli' CHECK (origin IN ('cli', 'oidc'));
    CREATE UNIQUE INDEX identities_email ON identities (email) WHERE email IS NOT NULL;
  `,
};
