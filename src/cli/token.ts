// `gate token inspect <jws>`: the decoded token, and whether it verifies against a command
// (`-- cmd`), a request file (--request), or at least against the trust store.
import { Command } from 'commander';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { lazyParsers } from '../analyzers/parsers.js';
import { savedRequirements } from '../app/approve-offline.js';
import { loadPolicy } from '../app/load-policy.js';
import { prepare } from '../app/prepare.js';
import { readRequestFile } from '../app/request-file.js';
import { readTrust } from '../app/trust-file.js';
import { digestNow, requirementsOf } from '../app/verify-approval.js';
import { GateError, EXIT } from '../errors.js';
import { systemClock } from '../platform/clock.js';
import { resolveHost } from '../platform/identity.js';
import { requesterActor } from '../app/actor.js';
import { gatePaths } from '../platform/paths.js';
import { openLedger } from '../token/ledger.js';
import { TokenError } from '../token/token-error.js';
import { checkQuorum, verifyDecision, type Expectations } from '../token/verify.js';
import { out } from './output.js';

interface InspectFlags {
  request?: string;
  json?: boolean;
  actor?: string;
}

export function tokenCommand(command: () => string[] | undefined, setExit: (code: number) => void): Command {
  const token = new Command('token').description('inspect decision tokens');
  token
    .command('inspect')
    .description('decode a token and verify it against a command (-- cmd), a request file, or the trust store')
    .usage('<jws> [--request FILE] [--json] [-- <command> [args...]]')
    .argument('<jws>', 'the compact token')
    .option('--request <file>', 'verify against this request file')
    .option('--actor <id>', 'the requester, when verifying against -- cmd (default: GATE_ACTOR or the OS user)')
    .option('--json', 'machine-readable output')
    .action(async (jws: string, flags: InspectFlags) => {
      let header: unknown;
      let claims: Record<string, unknown>;
      try {
        header = decodeProtectedHeader(jws);
        claims = decodeJwt(jws) as Record<string, unknown>;
      } catch (error) {
        throw new TokenError('token_malformed', `cannot decode the token: ${(error as Error).message}`);
      }
      const paths = gatePaths(process.env);
      const now = systemClock.now();
      const { expectations, against } = await expectationsFor(flags, command(), claims);
      let verification: { ok: boolean; against: string; code?: string; message?: string; approvers?: string[]; used?: boolean };
      try {
        const verified = await verifyDecision(jws, expectations, readTrust(paths.trust), now);
        const counted = against === 'the trust store only' ? verified.approvers : checkQuorum([verified], expectations);
        verification = { ok: true, against, approvers: counted, used: openLedger(paths.ledger).seen(verified.claims.jti) };
      } catch (error) {
        if (!(error instanceof GateError)) throw error;
        verification = { ok: false, against, code: error.code, message: error.message };
      }
      if (flags.json) out(JSON.stringify({ header, claims, verification }));
      else {
        out(`header: ${JSON.stringify(header)}`);
        out(`claims: ${JSON.stringify(claims, null, 2)}`);
        out(
          verification.ok
            ? `verification: ok against ${against}; approvers ${verification.approvers?.join(', ')}${verification.used ? ' (ALREADY USED here: a run would be refused as a replay)' : ''}`
            : `verification: REFUSED against ${against}: ${verification.code}: ${verification.message}`,
        );
      }
      setExit(verification.ok ? 0 : EXIT.denied);
    });
  return token;
}

async function expectationsFor(flags: InspectFlags, argv: string[] | undefined, claims: Record<string, unknown>): Promise<{ expectations: Expectations; against: string }> {
  if (argv !== undefined && argv.length > 0) {
    const env = process.env;
    const prepared = await prepare(await loadPolicy(env, []), { argv, cwd: process.cwd(), env, actor: requesterActor(flags.actor, env), host: resolveHost(), reason: null, parsers: lazyParsers });
    return {
      expectations: { digest: digestNow(prepared.request, gatePaths(env).state), requester: prepared.request.actor, rules: requirementsOf(prepared.evaluation) },
      against: 'the command given after --',
    };
  }
  if (flags.request) {
    const saved = readRequestFile(flags.request);
    return { expectations: { digest: saved.request.digest, requester: saved.request.actor, rules: savedRequirements(saved) }, against: `request file ${flags.request}` };
  }
  // Only signature, trust and validity times: the token's own binding is taken as given.
  return {
    expectations: { digest: String(claims.req ?? ''), requester: String(claims.sub ?? ''), rules: [] },
    against: 'the trust store only',
  };
}
