// The audit log file: appends under an inter-process lock, one write with O_APPEND, fsync;
// a torn last line (a writer killed mid-append) is terminated and the repair recorded.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import { GateError, EXIT } from '../errors.js';
import { hashRecord, sealRecord, type AuditEntry, type AuditRecord, type ChainHead } from './record.js';

/** A lock older than this is taken over: its holder died (kill -9) without releasing it. */
const STALE_MS = 5_000;

export interface AuditLog {
  /** Append entries as consecutive records; resolves after fsync. */
  append(entries: AuditEntry[]): Promise<AuditRecord[]>;
}

export function auditUnwritable(path: string, cause: unknown): GateError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new GateError('audit_unwritable', EXIT.config, `cannot write the audit log ${path}: ${reason}; the command was not run (no unaudited runs)`, {
    hint: 'free disk space or fix the permissions of the audit log, then retry',
    cause,
  });
}

export function openAuditLog(path: string): AuditLog {
  return {
    async append(entries) {
      try {
        mkdirSync(dirname(path), { recursive: true });
        closeSync(openSync(path, 'a', 0o600));
      } catch (error) {
        throw auditUnwritable(path, error);
      }
      let release: (() => Promise<void>) | undefined;
      try {
        release = await lock(path, {
          realpath: false,
          stale: STALE_MS,
          retries: { retries: 500, minTimeout: 2, maxTimeout: 40, factor: 1.3, randomize: true },
        });
      } catch (error) {
        throw auditUnwritable(path, error);
      }
      try {
        return appendLocked(path, entries);
      } catch (error) {
        throw error instanceof GateError ? error : auditUnwritable(path, error);
      } finally {
        await release().catch(() => undefined);
      }
    },
  };
}

interface Tail {
  head: ChainHead | null;
  /** The file does not end with a newline: terminate the last line before appending. */
  needsNewline: boolean;
  /** A torn last line (1-based number and its bytes), if any. */
  torn?: { line: number; bytes: Buffer };
}

function appendLocked(path: string, entries: AuditEntry[]): AuditRecord[] {
  const fd = openSync(path, 'a+');
  try {
    const tail = readTail(fd);
    let head = tail.head;
    const lines: string[] = [];
    const records: AuditRecord[] = [];
    if (tail.torn !== undefined) {
      // Terminate the torn line, then record the repair so verify can tell it from tampering.
      const first = entries[0]!;
      const repair = sealRecord(
        {
          ts: first.ts,
          event: 'error',
          request_id: null,
          actor: first.actor,
          host: first.host,
          error: 'audit_torn_tail_repaired',
          repair: { line: tail.torn.line, bytes: tail.torn.bytes.length, sha256: createHash('sha256').update(tail.torn.bytes).digest('hex') },
        },
        head,
      );
      lines.push(JSON.stringify(repair));
      head = { seq: repair.seq, hash: repair.hash };
      records.push(repair);
    }
    for (const entry of entries) {
      const record = sealRecord(entry, head);
      lines.push(JSON.stringify(record));
      head = { seq: record.seq, hash: record.hash };
      records.push(record);
    }
    // One write: O_APPEND puts it at the end even if another writer ignored the lock.
    const data = Buffer.from((tail.needsNewline ? '\n' : '') + lines.join('\n') + '\n');
    const sizeBefore = fstatSync(fd).size;
    let written: number;
    try {
      written = writeSync(fd, data);
    } catch (error) {
      truncateBack(fd, sizeBefore);
      throw error;
    }
    if (written !== data.length) {
      // A short write (disk full) would leave a torn record: take it back and refuse.
      truncateBack(fd, sizeBefore);
      throw new Error(`only ${written} of ${data.length} bytes could be written (disk full?)`);
    }
    fsyncSync(fd);
    return records;
  } finally {
    closeSync(fd);
  }
}

function truncateBack(fd: number, size: number): void {
  try {
    ftruncateSync(fd, size);
    fsyncSync(fd);
  } catch {
    // The torn tail is then repaired by the next append.
  }
}

/** The head (last complete record's seq and hash) of the log, or null when it is empty or absent. */
export function readHead(path: string): ChainHead | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readTail(fd).head;
  } finally {
    closeSync(fd);
  }
}

/** Find the last complete record (and a torn line after it) by reading backwards. */
function readTail(fd: number): Tail {
  const size = fstatSync(fd).size;
  if (size === 0) return { head: null, needsNewline: false };
  for (let window = Math.min(size, 64 * 1024); ; window = Math.min(size, window * 4)) {
    const start = size - window;
    const buffer = Buffer.alloc(window);
    readSync(fd, buffer, 0, window, start);
    const endsWithNewline = buffer[buffer.length - 1] === 0x0a;
    const body = endsWithNewline ? buffer.subarray(0, buffer.length - 1) : buffer;
    const lastNl = body.lastIndexOf(0x0a);
    // Need the whole last line (and, if torn, the whole line before it) inside the window.
    if (lastNl === -1 && start > 0) continue;
    const lastLine = body.subarray(lastNl + 1);
    if (endsWithNewline) return { head: headOf(lastLine), needsNewline: false };
    const complete = parseRecord(lastLine);
    // The whole record made it and only the newline did not: terminate it, nothing lost.
    if (complete) return { head: { seq: complete.seq, hash: complete.hash }, needsNewline: true };
    const before = lastNl === -1 ? Buffer.alloc(0) : body.subarray(0, lastNl);
    const prevNl = before.lastIndexOf(0x0a);
    if (lastNl !== -1 && prevNl === -1 && start > 0) continue;
    const head = lastNl === -1 ? null : headOf(before.subarray(prevNl + 1));
    return { head, needsNewline: true, torn: { line: countLines(fd, size) + 1, bytes: Buffer.from(lastLine) } };
  }
}

function parseRecord(line: Buffer): AuditRecord | undefined {
  try {
    const record = JSON.parse(line.toString('utf8')) as AuditRecord;
    return typeof record.seq === 'number' && typeof record.hash === 'string' && hashRecord(record) === record.hash ? record : undefined;
  } catch {
    return undefined;
  }
}

function headOf(line: Buffer): ChainHead {
  try {
    const record = JSON.parse(line.toString('utf8')) as AuditRecord;
    if (typeof record.seq === 'number' && typeof record.hash === 'string') return { seq: record.seq, hash: record.hash };
  } catch {
    // fall through
  }
  throw new GateError('audit_corrupt', EXIT.config, 'the last record of the audit log is not valid JSON, so the chain cannot be continued', {
    hint: 'run `gate audit verify` to find the damage; move the file aside to start a new log',
  });
}

/** Count complete lines (newlines) in the file; only needed on the rare torn-tail path. */
function countLines(fd: number, size: number): number {
  const buffer = Buffer.alloc(1 << 20);
  let count = 0;
  for (let pos = 0; pos < size; ) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - pos), pos);
    if (n === 0) break;
    for (let i = 0; i < n; i++) if (buffer[i] === 0x0a) count++;
    pos += n;
  }
  return count;
}
