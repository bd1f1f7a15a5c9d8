// `gate audit verify|tail|show`: read and check the hash-chained audit log.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { verifyChain } from '../audit/verify.js';
import { GateError } from '../errors.js';
import { gatePaths } from '../platform/paths.js';
import { formatRecordLine } from '../app/audit-view.js';
import { out } from './output.js';

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

  common(audit.command('verify').description('check the hash chain: record count and head hash, or the first broken line')).action((flags: AuditFlags) => {
    const { file, content } = readLog(flags);
    const result = verifyChain(content);
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
  return audit;
}
