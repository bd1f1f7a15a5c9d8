// Audit records and the hash chain (pure): hash = sha256(JCS(record without `hash`)),
// and each record's `prev` is the hash of the record before it.
import * as crypto from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

export const AUDIT_VERSION = 1;
/** `prev` of the first record. */
export const GENESIS = '0'.repeat(64);

export type AuditEvent = 'request' | 'decision' | 'started' | 'finished' | 'refused' | 'error';

/** The fields a caller supplies; the chain adds v, seq, prev and hash. */
export interface AuditEntry {
  ts: string;
  event: AuditEvent;
  request_id: string | null;
  actor: string;
  host: string;
  [field: string]: unknown;
}

export interface AuditRecord extends AuditEntry {
  v: number;
  seq: number;
  prev: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** One-shot sha256 where Node has it (20.12+): verify hashes every record of the log. */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: 'hex'): string }).hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function hashRecord(record: Omit<AuditRecord, 'hash'> | Record<string, unknown>): string {
  return sha256Hex(canonicalJson(record, 'hash') ?? '');
}

/** Seal an entry onto the chain after `head` (null for an empty log). */
export function sealRecord(entry: AuditEntry, head: ChainHead | null): AuditRecord {
  const unsealed = { v: AUDIT_VERSION, seq: head ? head.seq + 1 : 1, ...entry, prev: head ? head.hash : GENESIS };
  // Fields of the entry named like chain fields must not override them.
  unsealed.v = AUDIT_VERSION;
  unsealed.seq = head ? head.seq + 1 : 1;
  unsealed.prev = head ? head.hash : GENESIS;
  return { ...unsealed, hash: hashRecord(unsealed) } as AuditRecord;
}
