// `gate audit verify|tail|show|anchor|export|report`: read, check and hand over the hash-chained audit log.
import { readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { Command, Option } from 'commander';
import { inRange, parseRecords, parseWhen, type TimeRange } from '../app/evidence/audit-events.js';
import { toCsv, toJsonl, toOcsf } from '../app/evidence/export-formats.js';
import { buildReport } from '../app/evidence/audit-report.js';
import { renderHtml, renderMarkdown } from '../app/evidence/render-report.js';
import { VERSION } from '../version.js';
import { verifyChain, verifyFile, type VerifyResult } from '../audit/verify.js';
import { GateError } from '../errors.js';
import { gatePaths } from '../platform/paths.js';
import { formatRecordLine } from '../app/audit-view.js';
import { out } from './output.js';
import { requireSession } from './requests.js';
import { checkAgainstAnchor, fetchHead, sendHead } from '../app/audit-anchor.js';
import { readHead } from '../audit/log-file.js';
import { systemClock } from '../platform/clock.js';
import { resolveHost } from '../platform/identity.js';

interface AuditFlags {
  file?: string;
  json?: boolean;
  lines?: string;
}

/** Exit code of `gate audit verify` when the chain is broken. */
const BROKEN = 1;

function readLog(flags: AuditFlags): { file: string; content: string } {
  const file = flags.file ?? gatePaths(process.env).audit;
  try {
    return { file, content: readFileSync(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, content: '' };
    throw new GateError('audit_unreadable', 78, `cannot read ${file}: ${(error as Error).message}`, { hint: 'check the path and permissions (--file F chooses another log)' });
  }
}

function records(content: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of content.split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Damaged lines are verify's business; listing skips them.
    }
  }
  return out;
}

export function auditCommand(setExit: (code: number) => void): Command {
  const audit = new Command('audit').description('verify, tail and show the audit log');
  const common = (cmd: Command): Command => cmd.option('--file <path>', 'audit log to read (default: the configured log)').option('--json', 'machine-readable output');

  common(audit.command('verify').description('check the hash chain: record count and head hash, or the first broken line'))
    .option('--server', 'also check against the head anchored on the approval server (detects a cut or rewritten log)')
    .action(async (flags: AuditFlags & { server?: boolean }) => {
      if (flags.server) {
        const { file, content } = readLog(flags);
        const session = await requireSession();
        const check = checkAgainstAnchor(content, await fetchHead(session, resolveHost(), session.settings.identity));
        if (flags.json) out(JSON.stringify({ file, ...check }));
        else out(`${check.ok ? 'ok' : 'BROKEN'}: ${check.message}`);
        setExit(check.ok ? 0 : BROKEN);
        return;
      }
      // Streamed from the file: a log of any size is checked in constant memory.
      const file = flags.file ?? gatePaths(process.env).audit;
      let result: VerifyResult;
      try {
        result = verifyFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new GateError('audit_unreadable', 78, `cannot read ${file}: ${(error as Error).message}`, { hint: 'check the path and permissions (--file F chooses another log)' });
        result = verifyChain('');
      }
      if (flags.json) out(JSON.stringify({ file, ...result }));
      else if (result.ok) {
        const repaired = result.repaired.length > 0 ? `; torn line(s) ${result.repaired.join(', ')} repaired by gate` : '';
        out(`ok: ${result.records} records; head seq ${result.head?.seq ?? 0} hash ${result.head?.hash ?? '-'}${repaired}`);
      } else {
        out(`BROKEN at ${file}:${result.broken!.line}: ${result.broken!.reason}: ${result.broken!.message}`);
        out(`${result.records} records verified before it`);
      }
      setExit(result.ok ? 0 : BROKEN);
    });

  common(audit.command('anchor').description("send the log's head (seq, hash) to the approval server")).action(async (flags: AuditFlags) => {
    const session = await requireSession();
    const head = readHead(flags.file ?? gatePaths(process.env).audit);
    if (!head) throw new GateError('audit_empty', 64, 'the audit log is empty: nothing to anchor');
    await sendHead(session, { host: resolveHost(), actor: session.settings.identity, seq: head.seq, hash: head.hash, at: systemClock.now().toISOString() });
    out(flags.json ? JSON.stringify(head) : `anchored seq ${head.seq} (${head.hash}) at ${session.settings.url}`);
    setExit(0);
  });

  common(audit.command('tail').description('the last records, one line each'))
    .option('-n, --lines <n>', 'how many records', '20')
    .action((flags: AuditFlags) => {
      const all = records(readLog(flags).content);
      const last = all.slice(-Math.max(0, Number(flags.lines) || 20));
      for (const record of last) out(flags.json ? JSON.stringify(record) : formatRecordLine(record));
      setExit(0);
    });

  common(audit.command('show').description('every record of one request (by request id or seq)'))
    .argument('<id>', 'request id, or a record seq number')
    .action((id: string, flags: AuditFlags) => {
      const all = records(readLog(flags).content);
      const match = all.filter((r) => r.request_id === id || String(r.seq) === id);
      if (match.length === 0) throw new GateError('not_found', 64, `no audit record for ${id}`, { hint: '`gate audit tail` lists recent request ids' });
      for (const record of match) out(flags.json ? JSON.stringify(record) : JSON.stringify(record, null, 2));
      setExit(0);
    });
  const ranged = (cmd: Command): Command =>
    cmd
      .option('--since <when>', 'from this date or time (2026-01-31, 2026-01-31T12:00:00Z) or duration ago (7d)')
      .option('--until <when>', 'up to (not including) this date or time, or duration ago')
      .option('--output <file>', 'write to this file (0600) instead of stdout');

  ranged(common(audit.command('export').description('the records for a SIEM or an archive: jsonl, csv or OCSF API Activity (docs/audit-export.md)')))
    .addOption(new Option('--format <format>', 'jsonl (records as they are), csv (spreadsheet-safe) or ocsf (OCSF 1.3 API Activity, one event per line)').choices(['jsonl', 'csv', 'ocsf']).default('jsonl'))
    .action((flags: AuditFlags & RangeFlags & { format: 'jsonl' | 'csv' | 'ocsf' }) => {
      const { rows } = selected(flags);
      const text = flags.format === 'csv' ? toCsv(rows) : flags.format === 'ocsf' ? toOcsf(rows, { version: VERSION }) : toJsonl(rows);
      emit(text, flags.output);
      setExit(0);
    });

  ranged(common(audit.command('report').description('evidence for auditors: privileged actions by actor, approvals, denials, data usage by label, chain verification')))
    .addOption(new Option('--format <format>', 'markdown or html (self-contained, everything escaped)').choices(['markdown', 'html']).default('markdown'))
    .action((flags: AuditFlags & RangeFlags & { format: 'markdown' | 'html' }) => {
      const { file, content, rows, range } = selected(flags);
      const report = buildReport({ rows, chain: verifyChain(content), file, since: range.since, until: range.until, generatedAt: systemClock.now() });
      emit(flags.json ? `${JSON.stringify(report)}\n` : flags.format === 'html' ? renderHtml(report) : renderMarkdown(report), flags.output);
      setExit(0);
    });
  return audit;
}

interface RangeFlags {
  since?: string;
  until?: string;
  output?: string;
}

/** The log's records within --since/--until. */
function selected(flags: AuditFlags & RangeFlags): { file: string; content: string; rows: ReturnType<typeof parseRecords>; range: TimeRange } {
  const now = systemClock.now();
  const range: TimeRange = { since: parseWhen(flags.since, now, '--since'), until: parseWhen(flags.until, now, '--until') };
  const { file, content } = readLog(flags);
  return { file, content, rows: parseRecords(content).filter((r) => inRange(r, range)), range };
}

/** All of `text` to stdout, synchronously (gate exits right after), however large. */
function writeAll(text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset, buffer.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

/** Write to --output (atomically, 0600: it holds the audit trail) or stdout. */
function emit(text: string, output: string | undefined): void {
  if (output === undefined) {
    writeAll(text);
    return;
  }
  const tmp = `${output}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, output);
}
