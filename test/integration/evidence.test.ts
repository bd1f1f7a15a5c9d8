// `gate audit export` and `gate audit report` on a log with known content, made by real runs:
// allowed, denied, pending, approved by a reviewer, and a classified export.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gate, makeHome, type GateHome } from './gate-process.js';

let alice: GateHome;
let bob: GateHome;
const INJECTION = '<script>alert(1)</script>';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

beforeAll(async () => {
  alice = makeHome({ GATE_ACTOR: 'alice' });
  bob = makeHome({ GATE_ACTOR: 'bob' });
  appendFileSync(join(alice.dir, 'rules', 'fixtures.yaml'), 'classify:\n  - resource: "s3://prod-exports/**"\n    labels: [confidential, pii]\n');
  expect((await gate(['keys', 'init', '--file-store'], bob.env)).exitCode).toBe(0);
  const jwk = join(alice.dir, 'bob.jwk');
  writeFileSync(jwk, (await gate(['keys', 'export'], bob.env)).stdout);
  expect((await gate(['keys', 'trust', jwk, '--name', 'bob', '--group', 'ops', '--group', 'data-owners'], alice.env)).exitCode).toBe(0);

  expect((await gate(['--', 'fixture-exit', INJECTION], alice.env)).exitCode).toBe(0);
  expect((await gate(['--reason', FORMULA, '--', 'fixture-exit', FORMULA], alice.env)).exitCode).toBe(0);
  expect((await gate(['--', 'fixture-exit', '--forbidden'], alice.env)).exitCode).toBe(77);
  expect((await gate(['--wait', '0', '--', 'fixture-review', 'never'], alice.env)).exitCode).toBe(75);
  // A classified export, approved by bob and run (aws itself stops: no credentials; it ran).
  const pending = await gate(['--wait', '0', '--json', '--reason', 'quarterly audit', '--', 'aws', 's3', 'cp', 's3://prod-exports/customers.csv', '/dev/null'], alice.env);
  expect(pending.exitCode, pending.stderr).toBe(75);
  const token = (await gate(['approve', '--offline', '--request', JSON.parse(pending.stdout).request_file], bob.env)).stdout.trim();
  const ran = await gate(['--token', token, '--reason', 'quarterly audit', '--', 'aws', 's3', 'cp', 's3://prod-exports/customers.csv', '/dev/null'], alice.env);
  expect(ran.stderr).not.toContain('gate:');
  expect(log().filter((r) => r.event === 'started')).toHaveLength(3);
}, 120_000);

afterAll(() => {
  alice?.cleanup();
  bob?.cleanup();
});

const log = (): Array<Record<string, unknown>> => readFileSync(join(alice.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('gate audit export', () => {
  it('jsonl is the records as they are, filtered by --since/--until', async () => {
    const all = await gate(['audit', 'export'], alice.env);
    expect(all.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(log());
    expect((await gate(['audit', 'export', '--since', '2999-01-01'], alice.env)).stdout).toBe('');
    expect((await gate(['audit', 'export', '--until', '2000-01-01'], alice.env)).stdout).toBe('');
    expect((await gate(['audit', 'export', '--since', '1h'], alice.env)).stdout.trim().split('\n')).toHaveLength(log().length);
    expect((await gate(['audit', 'export', '--since', 'yesterday'], alice.env)).exitCode).toBe(64);
  });

  it('csv quotes properly and defuses formulas', async () => {
    const csv = (await gate(['audit', 'export', '--format', 'csv'], alice.env)).stdout;
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(log().length + 1);
    expect(lines[0]).toBe('seq,ts,event,request_id,actor,host,program,command,cwd,decision,rules,policy,risk,classification,approvers,token_jti,exit,signal,code,message,reason,hook_agent,hook_answer,hash');
    // The command cell starts with the program; the reason cell is the formula, defused with a
    // leading apostrophe and quoted (it holds quotes and a comma).
    expect(csv).toContain(`"fixture-exit '=HYPERLINK(""http://evil.example"",""x"")'"`);
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    const approved = lines.find((l) => l.includes(',approved,'))!;
    expect(approved).toContain('bob (offline)');
    expect(approved).toContain('quarterly audit');
    const exported = lines.find((l) => l.includes(',decision,') && l.includes('confidential pii'));
    expect(exported).toContain('SOC2 CC6.7');
  });

  it('ocsf gives one API Activity event per record', async () => {
    const output = join(alice.dir, 'export.ocsf.jsonl');
    expect((await gate(['audit', 'export', '--format', 'ocsf', '--output', output], alice.env)).exitCode).toBe(0);
    expect(statSync(output).mode & 0o777).toBe(0o600);
    const events = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(log().length);
    for (const event of events) {
      expect(event).toMatchObject({ class_uid: 6003, category_uid: 6, metadata: { version: '1.3.0', product: { name: 'gate' } } });
      expect(event.type_uid).toBe(600300 + event.activity_id);
      expect(typeof event.time).toBe('number');
    }
    const refused = events.find((e) => e.api.operation === 'refused')!;
    expect(refused).toMatchObject({ status_id: 2, disposition_id: 2, actor: { user: { name: 'alice' } } });
    const exportEvent = events.find((e) => e.api.operation === 'request' && e.api.service.name === 'aws')!;
    expect(exportEvent).toMatchObject({ activity_id: 2, resources: [{ uid: 's3://prod-exports/customers.csv', labels: ['confidential', 'pii'] }] });
  });
});

describe('gate audit report', () => {
  it('has the counts, approvers with policy, refusals, data usage by label and the chain head', async () => {
    const json = JSON.parse((await gate(['audit', 'report', '--json'], alice.env)).stdout);
    const head = log().at(-1)!;
    expect(json.chain).toMatchObject({ ok: true, records: log().length, head: { seq: head.seq, hash: head.hash } });
    expect(json.totals).toMatchObject({ requests: 6, ran: 3, approved: 1, refused: 1, pending: 1 });
    expect(json.actors).toEqual([expect.objectContaining({ actor: 'alice', requests: 6, ran: 3, approved: 1, refused: 1, pending: 1 })]);
    expect(json.approvals).toEqual([expect.objectContaining({ actor: 'alice', approvers: [expect.objectContaining({ id: 'bob', via: 'offline' })], rules: ['aws.s3-export'], policy: ['SOC2 CC6.7'], reason: 'quarterly audit' })]);
    expect(json.refusals).toEqual([expect.objectContaining({ code: 'denied_by_rule', rules: ['fixtures.deny'] })]);
    expect(json.pending).toEqual([expect.objectContaining({ command: 'fixture-review never' })]);
    expect(json.data).toEqual([
      { label: 'confidential', actor: 'alice', action: 'export', resource: 's3://prod-exports/customers.csv', attempts: 2, ran: 1 },
      { label: 'pii', actor: 'alice', action: 'export', resource: 's3://prod-exports/customers.csv', attempts: 2, ran: 1 },
    ]);

    const md = (await gate(['audit', 'report'], alice.env)).stdout;
    expect(md).toContain(`VERIFIED: ${log().length} records; head seq ${head.seq}, hash ${head.hash}`);
    expect(md).toContain('| confidential | alice | export | s3://prod\\-exports/customers.csv | 2 | 1 |'.replace('\\-', '-'));
    expect(md).toContain('bob (offline,');
    expect(md).not.toContain(INJECTION);
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  it('html escapes requester-controlled text', async () => {
    const html = (await gate(['audit', 'report', '--format', 'html'], alice.env)).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain(INJECTION);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('SOC2 CC6.7');
    expect(html).toContain('class="ok"');
  });

  it('reports a broken chain', async () => {
    const broken = makeHome();
    try {
      expect((await gate(['--', 'fixture-exit'], broken.env)).exitCode).toBe(0);
      const file = join(broken.dir, 'audit.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"fixture-exit"', '"fixture-exiT"'));
      const report = JSON.parse((await gate(['audit', 'report', '--json'], broken.env)).stdout);
      expect(report.chain).toMatchObject({ ok: false, broken: { reason: 'edited' } });
      expect((await gate(['audit', 'report'], broken.env)).stdout).toContain('BROKEN at line 1: edited');
    } finally {
      broken.cleanup();
    }
  });
});
