// Chain verification (pure over the file's bytes): the record count and head hash, or the
// first broken line and why.
import { GENESIS, hashRecord, type ChainHead } from './record.js';

export type BreakReason = 'torn' | 'not-json' | 'edited' | 'deleted' | 'reordered' | 'bad-record';

export interface VerifyResult {
  ok: boolean;
  records: number;
  head: ChainHead | null;
  /** Lines that were torn and later repaired by gate (1-based). */
  repaired: number[];
  broken?: { line: number; reason: BreakReason; message: string };
}

interface Parsed {
  seq: number;
  prev: string;
  hash: string;
  event: string;
  repair?: { line?: number };
}

function parse(line: string): Parsed | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as unknown as Parsed;
  } catch {
    return undefined;
  }
}

/**
 * The record's chain hash, or undefined when JCS cannot canonicalize it: JSON.parse accepts
 * 1e999 (Infinity), lone surrogates and nesting deeper than the stack, which canonicalize
 * throws on (found by test/audit/verify-fuzz.test.ts).
 */
function hashOf(record: Parsed): string | undefined {
  try {
    return hashRecord(record as unknown as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/** Verify the whole log. Never throws, whatever the bytes. */
export function verifyChain(content: string): VerifyResult {
  const result: VerifyResult = { ok: true, records: 0, head: null, repaired: [] };
  if (content === '') return result;
  const endsClean = content.endsWith('\n');
  const lines = content.split('\n');
  if (endsClean) lines.pop();
  let prevHash = GENESIS;
  let expectSeq = 1;
  let pendingTorn: number | undefined;
  const fail = (line: number, reason: BreakReason, message: string): VerifyResult => ({ ...result, ok: false, broken: { line, reason, message } });

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i]!;
    const isLast = i === lines.length - 1;
    const record = parse(text);
    if (record === undefined) {
      if (isLast && !endsClean) return fail(lineNo, 'torn', 'the last line is incomplete (a write was interrupted); the next gate run repairs it');
      // A torn line is acceptable only when the very next record is gate's repair note for it.
      const next = i + 1 < lines.length ? parse(lines[i + 1]!) : undefined;
      if (next?.repair?.line === lineNo) {
        pendingTorn = lineNo;
        continue;
      }
      return fail(lineNo, 'not-json', 'the line is not a JSON record (edited or corrupted)');
    }
    if (typeof record.seq !== 'number' || typeof record.hash !== 'string' || typeof record.prev !== 'string') {
      return fail(lineNo, 'bad-record', 'the record lacks seq, prev or hash');
    }
    const hash = hashOf(record);
    if (hash === undefined) return fail(lineNo, 'bad-record', `record seq ${record.seq} cannot be hashed (a number out of range, a lone surrogate or nesting too deep): it was not written by gate`);
    if (hash !== record.hash) {
      return fail(lineNo, 'edited', `record seq ${record.seq} does not match its hash (its content was changed)`);
    }
    if (record.seq !== expectSeq || record.prev !== prevHash) {
      if (record.seq > expectSeq) {
        // The missing record further down means a move, not a deletion.
        const later = lines.slice(i + 1).some((l) => parse(l)?.seq === expectSeq);
        if (later) return fail(lineNo, 'reordered', `seq ${record.seq} appears where seq ${expectSeq} belongs: records were reordered`);
        return fail(lineNo, 'deleted', `expected seq ${expectSeq} but found ${record.seq}: records before this line were removed`);
      }
      if (record.seq < expectSeq) return fail(lineNo, 'reordered', `seq ${record.seq} appears after seq ${expectSeq - 1}: records were reordered or duplicated`);
      return fail(lineNo, 'edited', `record seq ${record.seq} does not chain to the previous record (prev hash differs)`);
    }
    if (pendingTorn !== undefined) {
      result.repaired.push(pendingTorn);
      pendingTorn = undefined;
    }
    prevHash = record.hash;
    expectSeq = record.seq + 1;
    result.records++;
    result.head = { seq: record.seq, hash: record.hash };
  }
  return result;
}
