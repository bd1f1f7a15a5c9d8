// Property tests (fast-check): audit verification never crashes, whatever the bytes, and
// names the first bad line; a log cut at any byte is reported as torn with every complete
// record before it counted; appending to any damaged file either repairs and continues the
// chain or refuses with a typed error.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/log-file.js';
import { sealRecord, type AuditEntry, type AuditRecord } from '../../src/audit/record.js';
import { verifyChain, type VerifyResult } from '../../src/audit/verify.js';
import { GateError } from '../../src/errors.js';
import { gate, makeHome } from '../integration/gate-process.js';

const FUZZ = { seed: 20_261_121, numRuns: 1000 };
const REASONS = ['torn', 'not-json', 'edited', 'deleted', 'reordered', 'bad-record'];
const dir = mkdtempSync(join(tmpdir(), 'gate-audit-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(i: number): AuditEntry {
  return { ts: `2026-11-21T12:00:${String(i % 60).padStart(2, '0')}Z`, event: i % 2 ? 'request' : 'finished', request_id: `r${i}`, actor: 'tester', host: 'box', argv: ['echo', `ünï\u0001${i}`, '"q"'], exit: i };
}

/** A valid log of n records, as gate writes it. */
function validLog(n: number): { text: string; lines: string[] } {
  const lines: string[] = [];
  let head: AuditRecord | null = null;
  for (let i = 0; i < n; i++) {
    head = sealRecord(entry(i), head);
    lines.push(JSON.stringify(head));
  }
  return { text: lines.map((l) => `${l}\n`).join(''), lines };
}
const LOG = validLog(8);

function expectConsistent(result: VerifyResult, content: string): void {
  const lineCount = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  expect(result.records).toBeLessThanOrEqual(lineCount);
  if (result.ok) {
    expect(result.broken).toBeUndefined();
    expect(result.head === null).toBe(result.records === 0);
  } else {
    expect(REASONS).toContain(result.broken!.reason);
    expect(result.broken!.line).toBeGreaterThanOrEqual(1);
    expect(result.broken!.line).toBeLessThanOrEqual(lineCount);
    expect(typeof result.broken!.message).toBe('string');
  }
}

// Lines that are JSON but not what JCS can hash, and lines that nest deeper than a stack.
const NASTY_LINES = [
  '{"seq":1,"prev":"0","hash":"x","n":1e999}',
  '{"seq":1,"prev":"0","hash":"x","s":"\\ud800"}',
  `{"seq":1,"prev":"0","hash":"x","deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  '{"seq":1,"prev":"0","hash":"x","__proto__":{"seq":2}}',
  '{"seq":"1","prev":0,"hash":null}',
  'null', '[]', '"x"', '1', '{}', '\u0000', '\ufeff{}',
  '{"repair":{"line":1}}',
  '{"seq":1e308,"prev":"","hash":""}',
];
const anyLog = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.array(fc.oneof(fc.constantFrom(...NASTY_LINES, ...LOG.lines), fc.string({ maxLength: 40 })), { maxLength: 10 }).map((ls) => ls.join('\n')),
);

describe('audit verify on arbitrary bytes (fast-check)', () => {
  it('never throws and reports a consistent result', () => {
    fc.assert(
      fc.property(anyLog, fc.boolean(), (content, newline) => {
        const text = newline ? `${content}\n` : content;
        expectConsistent(verifyChain(text), text);
      }),
      FUZZ,
    );
  });

  it('hash-breaking lines (Infinity, lone surrogates, deep nesting) are reported, not thrown', () => {
    for (const nasty of NASTY_LINES) {
      for (const text of [`${nasty}\n`, `${LOG.text}${nasty}\n`, `${LOG.lines[0]}\n${nasty}\n${LOG.lines.slice(1).join('\n')}\n`]) {
        const result = verifyChain(text);
        expectConsistent(result, text);
        expect(result.ok).toBe(false);
      }
    }
  });

  it('names the first changed line of a valid log (changes that keep the JSON value aside)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (offset, xor) => {
        const bytes = Buffer.from(LOG.text);
        const at = offset % bytes.length;
        const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1; // 1-based line of the changed byte
        bytes[at]! ^= xor;
        const content = bytes.toString('utf8');
        const result = verifyChain(content);
        expectConsistent(result, content);
        const changed = content.split('\n')[line - 1];
        let sameValue = false;
        try {
          sameValue = JSON.stringify(JSON.parse(changed!)) === LOG.lines[line - 1];
        } catch {
          // not JSON any more
        }
        if (sameValue) expect(result.ok).toBe(true); // e.g. \u001f spelled \u001F: the same record
        else expect(result.broken?.line).toBe(line);
      }),
      FUZZ,
    );
  });

  it('reports a log cut at any byte as torn, counting every complete record before it', () => {
    fc.assert(
      fc.property(fc.nat({ max: LOG.text.length }), (cut) => {
        const content = LOG.text.slice(0, cut);
        const complete = content.split('\n').length - 1;
        const result = verifyChain(content);
        if (cut === 0 || content.endsWith('\n')) {
          expect(result).toMatchObject({ ok: true, records: complete });
        } else if (LOG.text[cut] === '\n') {
          // Only the newline is missing: the record itself is whole, nothing is lost.
          expect(result).toMatchObject({ ok: true, records: complete + 1 });
        } else {
          expect(result).toMatchObject({ ok: false, records: complete, broken: { line: complete + 1, reason: 'torn' } });
        }
      }),
      { ...FUZZ, numRuns: LOG.text.length + 1 },
    );
  });

  it('appending to a damaged log repairs a torn tail and continues the chain, or refuses with a typed error', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyLog, fc.nat({ max: LOG.text.length }).map((cut) => LOG.text.slice(0, cut))), async (content) => {
        const file = join(dir, `append-${n++}.jsonl`);
        writeFileSync(file, content);
        const before = verifyChain(content);
        try {
          await openAuditLog(file).append([entry(100)]);
        } catch (error) {
          expect(error).toBeInstanceOf(GateError);
          expect((error as GateError).code).toMatch(/^audit_/);
          expect(readFileSync(file, 'utf8')).toBe(content); // refused: nothing written
          return;
        }
        const after = readFileSync(file, 'utf8');
        expect(after.startsWith(content)).toBe(true); // nothing earlier lost or rewritten
        // A chain that verified (or was only torn at its tail) still verifies after the append.
        if (before.ok || before.broken?.reason === 'torn') expect(verifyChain(after)).toMatchObject({ ok: true, records: before.records + 1 + (before.ok ? 0 : 1) });
      }),
      { ...FUZZ, numRuns: 150 },
    );
  });

  it('`gate audit verify` exits 0 or 1 with JSON on random files, never 70', { timeout: 300_000 }, async () => {
    const home = makeHome();
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), anyLog.map((s) => Buffer.from(s))), async (bytes) => {
          const file = join(home.dir, `random-${n++}.jsonl`);
          writeFileSync(file, bytes);
          const run = await gate(['audit', 'verify', '--json', '--file', file], home.env);
          expect([0, 1], run.stderr).toContain(run.exitCode);
          const result = JSON.parse(run.stdout) as VerifyResult;
          expect(result.ok).toBe(run.exitCode === 0);
          if (!result.ok) expect(result.broken!.line).toBeGreaterThanOrEqual(1);
        }),
        { seed: FUZZ.seed, numRuns: 15 },
      );
      for (const nasty of NASTY_LINES) {
        const file = join(home.dir, `nasty-${n++}.jsonl`);
        writeFileSync(file, `${LOG.text}${nasty}\n`);
        const run = await gate(['audit', 'verify', '--file', file], home.env);
        expect(run.exitCode, run.stderr).toBe(1);
        expect(run.stdout).toMatch(/^BROKEN at .*:9: (not-json|bad-record|edited): /);
        expect(run.stdout).toContain('8 records verified before it');
      }
    } finally {
      home.cleanup();
    }
  });
});
