// The audit log file on a real filesystem: chain, stale locks, torn tails, unwritable logs.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log-file.js';
import type { AuditEntry } from '../../src/audit/record.js';
import { verifyChain } from '../../src/audit/verify.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempLog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-audit-'));
  dirs.push(dir);
  return join(dir, 'audit.jsonl');
}
const entry = (n: number): AuditEntry => ({ ts: `2026-01-01T00:00:0${n % 10}.000Z`, event: 'request', request_id: `r${n}`, actor: 'a', host: 'h' });

describe('audit log file', () => {
  it('chains records across appends', async () => {
    const path = tempLog();
    const log = openAuditLog(path);
    await log.append([entry(1), entry(2)]);
    await log.append([entry(3)]);
    const result = verifyChain(readFileSync(path, 'utf8'));
    expect(result).toMatchObject({ ok: true, records: 3, head: { seq: 3 } });
  });

  it('takes over a stale lock left by a killed holder', async () => {
    const path = tempLog();
    mkdirSync(`${path}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    await openAuditLog(path).append([entry(1)]);
    expect(verifyChain(readFileSync(path, 'utf8')).records).toBe(1);
  });

  it('terminates a record whose newline was lost, without a repair record', async () => {
    const path = tempLog();
    const log = openAuditLog(path);
    await log.append([entry(1)]);
    writeFileSync(path, readFileSync(path, 'utf8').trimEnd());
    await log.append([entry(2)]);
    const result = verifyChain(readFileSync(path, 'utf8'));
    expect(result).toMatchObject({ ok: true, records: 2, repaired: [] });
  });

  it('repairs a torn first line', async () => {
    const path = tempLog();
    writeFileSync(path, '{"v":1,"se');
    await openAuditLog(path).append([entry(1)]);
    const result = verifyChain(readFileSync(path, 'utf8'));
    expect(result).toMatchObject({ ok: true, repaired: [1], records: 2 });
  });

  it('refuses with a clear error when the log cannot be written', async () => {
    const path = tempLog();
    writeFileSync(path, '');
    chmodSync(path, 0o400);
    const isRoot = process.getuid?.() === 0;
    // root ignores file modes; a directory in place of the file fails for everyone.
    const target = isRoot ? join(path, 'nested', 'audit.jsonl') : path;
    await expect(openAuditLog(target).append([entry(1)])).rejects.toMatchObject({ code: 'audit_unwritable', exitCode: 78 });
  });
});

describe('verifyChain on arbitrary content', () => {
  it('never throws', () => {
    for (const text of ['\n', 'null\n', '[]\n', '{"seq":"x"}\n', '\u0000\u0001', '{}\n{}\n', '{"seq":1,"prev":"","hash":""}']) {
      expect(() => verifyChain(text)).not.toThrow();
      expect(verifyChain(text).ok).toBe(false);
    }
  });
});
