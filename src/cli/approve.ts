// `gate approve --offline --request FILE`: sign a decision token with your own key; prints
// only the compact token on stdout (the request summary goes to stderr).
import { Command } from 'commander';
import { approveOffline } from '../app/approve-offline.js';
import { loadSigningKey } from '../app/own-keys.js';
import { readRequestFile } from '../app/request-file.js';
import { quoteArgv } from '../app/shell-quote.js';
import { openAuditLog } from '../audit/log-file.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { systemClock } from '../platform/clock.js';
import { resolveHost } from '../platform/identity.js';
import { gatePaths } from '../platform/paths.js';
import { err, out } from './output.js';
import { approveOnServer } from './requests.js';

interface ApproveFlags {
  offline?: boolean;
  request?: string;
  comment?: string;
  ttl?: string;
  confirm?: string;
  json?: boolean;
}

export function approveCommand(setExit: (code: number) => void): Command {
  return new Command('approve')
    .description('approve a request: --offline signs a token for a request file with your own key')
    .argument('[request-id]', 'a request on the approval server (needs `gate login`)')
    .option('--offline', 'sign locally with your key (`gate keys init`) instead of asking a server')
    .option('--request <file>', 'the request file the requester got from `gate --wait 0 --json -- <command>`')
    .option('--comment <text>', 'a note for the record')
    .option('--ttl <duration>', "how long the token is valid (at most the rules' ttl; default: that ttl, or 1h)")
    .option('--confirm <text>', 'for high and critical risk: the target (namespace, bucket, database, context), typed')
    .option('--json', 'machine-readable output (server approvals)')
    .action(async (requestId: string | undefined, flags: ApproveFlags) => {
      if (!flags.offline) {
        if (!requestId) throw new UsageError('nothing to approve', { hint: 'gate approve REQUEST_ID, or gate approve --offline --request FILE' });
        await approveOnServer(requestId, flags);
        setExit(0);
        return;
      }
      if (!flags.request) throw new UsageError('--offline needs --request FILE', { hint: 'gate approve --offline --request FILE' });
      const ttlMs = flags.ttl === undefined ? undefined : parseDuration(flags.ttl);
      if (flags.ttl !== undefined && (ttlMs === undefined || ttlMs <= 0)) throw new UsageError(`--ttl ${JSON.stringify(flags.ttl)} is not a duration`, { hint: 'use 5m, 30m or 1h' });
      const paths = gatePaths(process.env);
      const saved = readRequestFile(flags.request);
      const { meta, key } = await loadSigningKey({ paths, warn: err }, 'signing');
      const now = systemClock.now();
      const approval = await approveOffline(saved, { name: meta.name, key }, { now, ...(flags.comment ? { comment: flags.comment } : {}), ...(ttlMs !== undefined ? { ttlMs } : {}) });
      const { request } = saved;
      err(`approving request ${request.id} for ${request.actor}@${request.host}: ${quoteArgv(request.argv)}`);
      err(`  in ${request.cwd}; rules ${saved.rules.filter((r) => r.effect === 'review').map((r) => r.id).join(', ') || '(default review)'}; risk ${saved.risk}`);
      err(`  token valid until ${new Date(approval.claims.exp * 1000).toISOString()}`);
      for (const warning of approval.warnings) err(`gate: warning: ${warning}`);
      await openAuditLog(paths.audit).append([
        { ts: now.toISOString(), event: 'decision', request_id: request.id, actor: meta.name, host: resolveHost(), decision: 'approved', via: 'offline', digest: request.digest, requester: request.actor, token_jti: approval.claims.jti, rules: approval.claims.rules, approvers: approval.claims.approvers, comment: flags.comment ?? null },
      ]);
      out(approval.token);
      setExit(0);
    });
}
