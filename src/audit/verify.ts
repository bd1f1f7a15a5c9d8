// Chain verification over the file's bytes (in memory, or streamed from the file in constant
// memory): the record count and head hash, or the first broken line and why.
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
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

/** Lines one at a time, with one line of lookahead; `endsClean` once the last was read. */
export interface LineSource {
  /** The next line, or undefined at the end. */
  next(): string | undefined;
  /** Whether the content ended with a newline (known once next() returned undefined). */
  readonly endsClean: boolean;
  close?(): void;
}

/** A "line" longer than this is no record gate wrote; it is cut so it cannot exhaust memory. */
const MAX_LINE_CHARS = 16 << 20;

/** The lines of a string in memory. */
export function stringLines(content: string): LineSource {
  const endsClean = content.endsWith('\n');
  const lines = content === '' ? [] : content.split('\n');
  if (endsClean) lines.pop();
  let i = 0;
  return { next: () => lines[i++], endsClean };
}

/**
 * The lines of a file, read in chunks so that a log of any size is checked in constant memory
 * (a whole large log as one string would pass V8's string limit).
 */
export function fileLines(path: string, chunkBytes = 1 << 20): LineSource {
  const fd = openSync(path, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let queue: string[] = [];
  let carry = '';
  let done = false;
  let endsClean = true;
  let closed = false;
  const close = (): void => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  const fill = (): void => {
    while (queue.length === 0 && !done) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) {
        done = true;
        close();
        const rest = carry + decoder.end();
        endsClean = rest === '';
        if (rest !== '') queue.push(rest);
        carry = '';
        return;
      }
      const parts = (carry + decoder.write(buffer.subarray(0, n))).split('\n');
      carry = parts.pop()!;
      if (carry.length > MAX_LINE_CHARS) {
        parts.push(carry);
        carry = '';
      }
      queue = parts;
    }
  };
  let index = 0;
  return {
    next() {
      if (index >= queue.length) {
        queue = [];
        index = 0;
        fill();
      }
      return index < queue.length ? queue[index++] : undefined;
    },
    get endsClean() {
      return endsClean;
    },
    close,
  };
}

/** Verify the whole log. Never throws, whatever the bytes. */
export function verifyChain(content: string): VerifyResult {
  return verifyLines(stringLines(content));
}

/** Verify the log file at `path` as it is read, in constant memory. */
export function verifyFile(path: string): VerifyResult {
  const lines = fileLines(path);
  try {
    return verifyLines(lines);
  } finally {
    lines.close?.();
  }
}

export function verifyLines(source: LineSource): VerifyResult {
  const result: VerifyResult = { ok: true, records: 0, head: null, repaired: [] };
  let prevHash = GENESIS;
  let expectSeq = 1;
  let pendingTorn: number | undefined;
  const fail = (line: number, reason: BreakReason, message: string): VerifyResult => ({ ...result, ok: false, broken: { line, reason, message } });

  let lookahead = source.next();
  for (let lineNo = 1; lookahead !== undefined; lineNo++) {
    const text = lookahead;
    lookahead = source.next();
    const isLast = lookahead === undefined;
    const record = parse(text);
    if (record === undefined) {
      if (isLast && !source.endsClean) return fail(lineNo, 'torn', 'the last line is incomplete (a write was interrupted); the next gate run repairs it');
      // A torn line is acceptable only when the very next record is gate's repair note for it.
      const next = lookahead !== undefined ? parse(lookahead) : undefined;
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
        let later = false;
        for (let l = lookahead; l !== undefined && !later; l = source.next()) later = parse(l)?.seq === expectSeq;
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
