// Anchoring the audit log: its head (seq, hash) is sent to the approval server, so cutting the
// log short or rewriting it wholesale is detectable later (`gate audit verify --server`).
import type { AuditHeadBody } from '../approval/api-types.js';
import { unreachable } from '../approval/http-client.js';
import type { ChainHead } from '../audit/record.js';
import { verifyChain } from '../audit/verify.js';
import { GateError, EXIT } from '../errors.js';
import type { Session } from './login.js';

export async function sendHead(session: Session, body: AuditHeadBody, timeoutMs = 5000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${session.settings.url}/v1/audit/heads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw unreachable(session.settings.url, error);
  }
  if (!response.ok) throw new GateError('anchor_failed', EXIT.unavailable, `the server refused the audit head: HTTP ${response.status}`);
}

export async function fetchHead(session: Session, host: string, actor: string): Promise<AuditHeadBody | null> {
  let response: Response;
  try {
    response = await fetch(`${session.settings.url}/v1/audit/heads?host=${encodeURIComponent(host)}&actor=${encodeURIComponent(actor)}`, { headers: { authorization: `Bearer ${session.token}` } });
  } catch (error) {
    throw unreachable(session.settings.url, error);
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new GateError('anchor_failed', EXIT.unavailable, `the server did not return the audit head: HTTP ${response.status}`);
  return (await response.json()) as AuditHeadBody;
}

export interface AnchorCheck {
  ok: boolean;
  anchored: AuditHeadBody | null;
  local: ChainHead | null;
  message: string;
}

/** The local chain must be intact and still hold the anchored record, unchanged. */
export function checkAgainstAnchor(content: string, anchored: AuditHeadBody | null): AnchorCheck {
  const result = verifyChain(content);
  if (!result.ok) return { ok: false, anchored, local: result.head, message: `the local chain is broken at line ${result.broken!.line}: ${result.broken!.message}` };
  if (anchored === null) return { ok: true, anchored, local: result.head, message: 'no head was anchored on the server yet' };
  if (result.head === null || result.head.seq < anchored.seq) {
    return { ok: false, anchored, local: result.head, message: `the log ends at seq ${result.head?.seq ?? 0} but seq ${anchored.seq} was anchored at ${anchored.at}: it was cut short` };
  }
  if (hashAt(content, anchored.seq) !== anchored.hash) {
    return { ok: false, anchored, local: result.head, message: `record seq ${anchored.seq} differs from the one anchored at ${anchored.at}: the log was rewritten` };
  }
  return { ok: true, anchored, local: result.head, message: `consistent with the head anchored at ${anchored.at} (seq ${anchored.seq})` };
}

/** The hash of the record with `seq` (the chain is intact, so lines parse). */
function hashAt(content: string, seq: number): string | undefined {
  for (const line of content.split('\n')) {
    if (line === '') continue;
    try {
      const record = JSON.parse(line) as { seq?: number; hash?: string };
      if (record.seq === seq) return record.hash;
    } catch {
      // a repaired torn line
    }
  }
  return undefined;
}
