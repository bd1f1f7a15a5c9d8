// Bearer tokens of identities: 32 random bytes with a `gate_` prefix; only the sha256 is kept.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'gate_';

export function newBearerToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashBearerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
