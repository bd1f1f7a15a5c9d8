// The rows both stores read (the schema is the same in SQLite and Postgres) and how they
// become the store's records. JSON columns hold what only the application reads.
import type { RequestStatus, Vote } from '../../approval/api-types.js';
import { ConfigError } from '../../errors.js';
import type { Migration } from './migrations/index.js';
import type { IdentityRecord, StoredRequest, StoredVote } from './store.js';

export interface RequestRow {
  id: string;
  requester: string;
  status: string;
  body_json: string;
  required_json: string;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  redeemed_at: string | null;
  token_jti: string | null;
}

export interface IdentityRow {
  name: string;
  role: string;
  groups_json: string;
  token_hash: string;
  created_at: string;
  email?: string | null;
  origin?: 'cli' | 'oidc';
}

export type VoteRow = Vote & { token: string | null };

export const toIdentity = (row: IdentityRow): IdentityRecord => ({
  name: row.name,
  role: row.role as IdentityRecord['role'],
  groups: JSON.parse(row.groups_json) as string[],
  token_hash: row.token_hash,
  created_at: row.created_at,
  ...(row.email !== undefined ? { email: row.email } : {}),
  ...(row.origin !== undefined ? { origin: row.origin } : {}),
});

/** A vote without a reviewer's token has no `token` key at all (not null). */
export const toVote = ({ token, ...vote }: VoteRow): StoredVote => (token === null ? vote : { ...vote, token });

export const toRequest = (row: RequestRow, votes: readonly VoteRow[]): StoredRequest => ({
  body: JSON.parse(row.body_json) as StoredRequest['body'],
  requester: row.requester,
  status: row.status as RequestStatus,
  required: JSON.parse(row.required_json) as StoredRequest['required'],
  created_at: row.created_at,
  expires_at: row.expires_at,
  decided_at: row.decided_at,
  redeemed_at: row.redeemed_at,
  token_jti: row.token_jti,
  votes: votes.map(toVote),
});

/** The migrations still to apply to a database that has `applied`; refuses one newer than this gate. */
export function pendingMigrations(applied: ReadonlySet<number>, migrations: readonly Migration[]): Migration[] {
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  const ahead = [...applied].filter((v) => v > newest);
  if (ahead.length > 0) {
    throw new ConfigError('db_too_new', `the database has schema version ${Math.max(...ahead)}, newer than this gate knows (${newest})`, undefined, { hint: 'upgrade gate, or point --db at another database' });
  }
  return migrations.filter((m) => !applied.has(m.version));
}
