// `gate requests`, `gate deny ID --comment`, and the server half of `gate approve ID`.
import { Command, Option } from 'commander';
import type { RequestStatus, RequestView } from '../approval/api-types.js';
import { openSession, type Session } from '../app/login.js';
import { ConfigError, UsageError } from '../errors.js';
import { err, out } from './output.js';

export async function requireSession(): Promise<Session> {
  const session = await openSession(process.env, undefined, { warn: err });
  if (!session) throw new ConfigError('not_logged_in', 'not logged in to an approval server', undefined, { hint: 'gate login URL --token TOKEN' });
  return session;
}

export function formatRequest(r: RequestView): string {
  const votes = r.votes.length > 0 ? `  votes: ${r.votes.map((v) => `${v.reviewer} ${v.decision}`).join(', ')}` : '';
  return `${r.id}  ${r.status.padEnd(9)} ${r.risk.padEnd(8)} ${r.requester}@${r.host}  ${r.argv.join(' ')}  [${r.rules.map((x) => x.id).join(', ') || 'default'}]${votes}`;
}

export function requestsCommands(setExit: (code: number) => void): Command[] {
  const list = new Command('requests')
    .description('requests on the approval server you may see')
    .addOption(new Option('--status <status>', 'which ones').choices(['pending', 'approved', 'denied', 'expired', 'cancelled', 'redeemed', 'all']).default('pending'))
    .option('--json', 'machine-readable output')
    .action(async (flags: { status: RequestStatus | 'all'; json?: boolean }) => {
      const session = await requireSession();
      const requests = await session.client.listRequests(flags.status);
      if (flags.json) out(JSON.stringify(requests));
      else {
        for (const r of requests) out(formatRequest(r));
        if (requests.length === 0) out(`no ${flags.status === 'all' ? '' : `${flags.status} `}requests`);
      }
      setExit(0);
    });

  const deny = new Command('deny')
    .description('deny a request on the approval server (a comment is required)')
    .argument('<request-id>')
    .requiredOption('--comment <text>', 'why: the requester sees it')
    .option('--json', 'machine-readable output')
    .action(async (id: string, flags: { comment: string; json?: boolean }) => {
      if (flags.comment.trim() === '') throw new UsageError('a denial needs a comment');
      const session = await requireSession();
      const view = await session.client.deny(id, { comment: flags.comment });
      out(flags.json ? JSON.stringify(view) : `denied ${view.id}`);
      setExit(0);
    });
  return [list, deny];
}

/** `gate approve ID` on the server: one vote; the request is approved once the quorum is met. */
export async function approveOnServer(id: string, flags: { comment?: string; confirm?: string; json?: boolean }): Promise<void> {
  const session = await requireSession();
  const request = await session.client.getRequest(id);
  if (request.confirm !== null && flags.confirm !== request.confirm) {
    // High and critical risk: approving is a decision, so the target is typed, as at the terminal.
    throw new UsageError(`request ${id} is ${request.risk} risk: confirm its target to approve it`, {
      hint: `gate approve ${id} --confirm ${request.confirm}   (${request.argv.join(' ')})`,
    });
  }
  const view = await session.client.approve(id, { ...(flags.comment ? { comment: flags.comment } : {}), ...(flags.confirm ? { confirm: flags.confirm } : {}) });
  if (flags.json) out(JSON.stringify(view));
  else {
    const approvals = view.votes.filter((v) => v.decision === 'approve').length;
    out(view.status === 'approved' ? `approved ${view.id}` : `voted to approve ${view.id} (${approvals} of ${view.required.min})`);
  }
}
