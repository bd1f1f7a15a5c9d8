// The audit log as written by real gate processes: chain, concurrency, tampering, redaction.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gate, makeHome, startGate } from './gate-process.js';

// The fixture rules are installed in each test home (see makeHome).
const R: string[] = [];

describe('audit log', () => {
  const home = makeHome();
  afterAll(() => home.cleanup());
  const log = join(home.dir, 'audit.jsonl');

  it('records request, decision, started and finished for an allowed run', async () => {
    await gate([...R, '--', 'fixture-exit', 'hello'], { ...home.env, FIXTURE_EXIT: '5' });
    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.event)).toEqual(['request', 'decision', 'started', 'finished']);
    expect(records[3]).toMatchObject({ exit: 5, signal: null });
    expect(new Set(records.map((r) => r.request_id)).size).toBe(1);
    for (const r of records) expect(Object.keys(r)).toEqual(expect.arrayContaining(['v', 'seq', 'ts', 'event', 'request_id', 'actor', 'host', 'prev', 'hash']));
  });

  it('loses no record with 32 concurrent runs, and verify passes', { timeout: 120_000 }, async () => {
    const before = readFileSync(log, 'utf8').trim().split('\n').length;
    const runs = await Promise.all(Array.from({ length: 32 }, (_, i) => startGate([...R, '--', 'fixture-exit', String(i)], home.env)));
    expect(runs.every((r) => r.exitCode === 0)).toBe(true);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.length - before).toBe(32 * 4);
    const seqs = lines.map((l) => JSON.parse(l).seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const verify = await gate(['audit', 'verify', '--json'], home.env);
    expect(verify.exitCode).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, records: lines.length });
  });

  it('names the line when one byte of a middle record changes', async () => {
    const content = readFileSync(log, 'utf8');
    const lines = content.split('\n');
    const middle = Math.floor(lines.length / 2);
    lines[middle] = lines[middle]!.replace('"actor":"tester"', '"actor":"tester"'.replace('tester', 'testes'));
    const tampered = join(home.dir, 'tampered.jsonl');
    writeFileSync(tampered, lines.join('\n'));
    const verify = await gate(['audit', 'verify', '--file', tampered], home.env);
    expect(verify.exitCode).toBe(1);
    expect(verify.stdout).toContain(`tampered.jsonl:${middle + 1}: edited`);
  });

  it('tells a deleted record from a reordered one', async () => {
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const deleted = join(home.dir, 'deleted.jsonl');
    writeFileSync(deleted, [...lines.slice(0, 3), ...lines.slice(4)].join('\n') + '\n');
    expect((await gate(['audit', 'verify', '--file', deleted], home.env)).stdout).toContain(':4: deleted');
    const swapped = join(home.dir, 'swapped.jsonl');
    writeFileSync(swapped, [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n');
    expect((await gate(['audit', 'verify', '--file', swapped], home.env)).stdout).toContain(':2: reordered');
  });

  it('repairs a torn tail on the next run and keeps everything before it', async () => {
    const torn = makeHome();
    const tornLog = join(torn.dir, 'audit.jsonl');
    await gate([...R, '--', 'fixture-exit'], torn.env);
    const good = readFileSync(tornLog, 'utf8');
    writeFileSync(tornLog, good + '{"v":1,"seq":5,"ts":"2026-');
    const broken = await gate(['audit', 'verify'], torn.env);
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toContain(':5: torn');
    await gate([...R, '--', 'fixture-exit'], torn.env);
    const after = readFileSync(tornLog, 'utf8');
    expect(after.startsWith(good)).toBe(true);
    const verify = await gate(['audit', 'verify', '--json'], torn.env);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, repaired: [5] });
    torn.cleanup();
  });
});

describe('when the audit log cannot be written', () => {
  it('refuses to run the command on a full disk (no unaudited run)', async () => {
    const full = makeHome();
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/full', join(full.dir, 'audit.jsonl'));
    const run = await gate([...R, '--json', '--', 'fixture-exit', 'should-not-run'], full.env);
    expect(run.exitCode).toBe(78);
    expect(run.stdout).not.toContain('should-not-run');
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'error', code: 'audit_unwritable' });
    full.cleanup();
  });

  it('keeps the exit code of a command that ran when only its finished record fails', async () => {
    const broken = makeHome();
    const run = await gate([...R, '--json', '--', 'fixture-break-audit'], broken.env);
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('the command ran (exit 5) but its finished record could not be written');
    broken.cleanup();
  });
});

describe('redaction', () => {
  const home = makeHome({ AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', PGPASSWORD: 'pg-secret-pw' });
  afterAll(() => home.cleanup());

  it('keeps passwords, URL credentials and AWS secrets out of the audit log and explain', async () => {
    const secrets = ['hunter2', 's3cr3t-url-pw', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'pg-secret-pw', 'tok-abc-123456'];
    await gate([...R, '--', 'fixture-exit', '--password=hunter2', 'postgres://app:s3cr3t-url-pw@db.prod/app', '--token', 'tok-abc-123456'], home.env);
    await gate(['--', 'psql', 'postgres://app:s3cr3t-url-pw@db.prod/app', '-c', 'DROP TABLE users'], home.env);
    await gate(['--', 'bash', '-c', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY aws s3 ls'], home.env);
    await gate(['--reason', 'rotating password=hunter2', '--', 'curl', '-u', 'admin:s3cr3t-url-pw', 'https://x'], home.env);
    const log = readFileSync(join(home.dir, 'audit.jsonl'), 'utf8');
    const explain = await gate(['explain', '--json', '--', 'fixture-exit', '--password=hunter2', 'postgres://app:s3cr3t-url-pw@db.prod/app'], home.env);
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(explain.stdout).not.toContain(secret);
    }
    expect(log).toContain('--password=***');
    expect(log).toContain('"AWS_SECRET_ACCESS_KEY":"present"');
  });
});
