// Verifying a log streamed from its file (constant memory, any size) gives exactly what
// verifying it in memory gives, wherever the chunks split it: mid-line, mid-character, at a
// newline; for valid logs and damaged ones alike.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sealRecord, type AuditRecord } from '../../src/audit/record.js';
import { fileLines, verifyChain, verifyFile, verifyLines } from '../../src/audit/verify.js';

const dir = mkdtempSync(join(tmpdir(), 'gate-verify-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validLog(n: number): string[] {
  const lines: string[] = [];
  let head: AuditRecord | null = null;
  for (let i = 0; i < n; i++) {
    head = sealRecord({ ts: '2026-11-21T12:00:00Z', event: i % 2 ? 'request' : 'finished', request_id: `r${i}`, actor: 'tester', host: 'box', argv: ['echo', `ünï€😀${i}`], exit: i }, head);
    lines.push(JSON.stringify(head));
  }
  return lines;
}
const LINES = validLog(12);

/** Damage a valid log: delete, swap, edit, tear or drop the final newline. */
const damaged = fc.oneof(
  fc.constant(LINES.map((l) => `${l}\n`).join('')),
  fc.nat(LINES.length - 1).map((i) => LINES.filter((_, j) => j !== i).map((l) => `${l}\n`).join('')),
  fc.nat(LINES.length - 2).map((i) => { const l = [...LINES]; [l[i], l[i + 1]] = [l[i + 1]!, l[i]!]; return l.map((x) => `${x}\n`).join(''); }),
  fc.tuple(fc.nat(LINES.length - 1), fc.string({ minLength: 1, maxLength: 3 })).map(([i, s]) => LINES.map((l, j) => (j === i ? l.replace('tester', s) : l)).map((x) => `${x}\n`).join('')),
  fc.nat(LINES.join('\n').length).map((cut) => `${LINES.join('\n')}\n`.slice(0, cut)),
  fc.constant(LINES.join('\n')),
  fc.constant(''),
  fc.constant('\n'),
  fc.string({ maxLength: 200 }),
);

describe('streamed verification', () => {
  it('equals in-memory verification for any chunk size, valid or damaged', () => {
    let n = 0;
    fc.assert(
      fc.property(damaged, fc.constantFrom(1, 2, 3, 7, 64, 4096), (content, chunk) => {
        const file = join(dir, `log-${n++}.jsonl`);
        writeFileSync(file, content);
        const lines = fileLines(file, chunk);
        try {
          expect(verifyLines(lines)).toEqual(verifyChain(content));
        } finally {
          lines.close?.();
        }
      }),
      { seed: 20_261_121, numRuns: 400 },
    );
  });

  it('verifies a file without holding it: a valid log counts every record; a missing file is an error for the caller', () => {
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, validLog(2000).map((l) => `${l}\n`).join(''));
    expect(verifyFile(file)).toMatchObject({ ok: true, records: 2000, head: { seq: 2000 } });
    expect(() => verifyFile(join(dir, 'absent.jsonl'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('cuts an endless line instead of growing without bound', () => {
    const file = join(dir, 'endless.jsonl');
    writeFileSync(file, `${LINES[0]}\n${'x'.repeat(17 << 20)}`);
    expect(verifyFile(file)).toMatchObject({ ok: false, records: 1, broken: { line: 2, reason: 'not-json' } });
  });
});
