// `gate [run options] -- <command>`: builds the run's dependencies and hands off to runGuarded.
import { lazyParsers } from '../analyzers/parsers.js';
import { openAuditLog } from '../audit/log-file.js';
import { loadPolicy } from '../app/load-policy.js';
import { runGuarded } from '../app/run-guarded.js';
import { saveRequestFile } from '../app/request-file.js';
import { terminalSigner } from '../app/terminal-key.js';
import { readTrust } from '../app/trust-file.js';
import { openLedger } from '../token/ledger.js';
import { ttyInlineReviewer } from '../approval/tty.js';
import { UsageError } from '../errors.js';
import { runChild } from '../exec/spawn.js';
import { parseDuration } from '../policy/duration.js';
import { systemClock } from '../platform/clock.js';
import { resolveActor, resolveHost } from '../platform/identity.js';
import { gatePaths } from '../platform/paths.js';
import { isInteractive } from '../platform/tty.js';
import { err } from './output.js';

export interface RunFlags {
  reason?: string;
  actor?: string;
  wait?: string;
  nonInteractive?: boolean;
  json?: boolean;
  rules?: string[];
  quiet?: boolean;
  token?: string[];
}

/** Tokens from --token (repeatable) and GATE_TOKEN (whitespace or comma separated). */
export function tokensFrom(flags: RunFlags, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env.GATE_TOKEN ?? '').split(/[\s,]+/).filter(Boolean);
  return [...(flags.token ?? []), ...fromEnv];
}

/** Parse --wait: undefined (default), or milliseconds. */
export function parseWait(wait: string | undefined): number | undefined {
  if (wait === undefined) return undefined;
  const ms = parseDuration(wait);
  if (ms === undefined) throw new UsageError(`--wait ${JSON.stringify(wait)} is not a duration`, { hint: 'use 0, 30s, 10m or 1h' });
  return ms;
}

export async function runCommand(command: string[], flags: RunFlags): Promise<number> {
  if (command.length === 0) throw new UsageError('no command after `--`', { hint: 'gate -- <command> [args...]' });
  const env = process.env;
  const wait = parseWait(flags.wait);
  const ruleSet = loadPolicy(env, flags.rules ?? []);
  const paths = gatePaths(env);
  const interactive = wait !== 0 && !flags.nonInteractive && isInteractive(env);
  const actor = resolveActor(flags.actor, env);
  const host = resolveHost();
  return runGuarded(
    {
      env,
      cwd: process.cwd(),
      clock: systemClock,
      parsers: lazyParsers,
      audit: openAuditLog(paths.audit),
      ruleSet,
      stateDir: paths.state,
      tokens: tokensFrom(flags, env),
      inlineReviewer: interactive ? ttyInlineReviewer() : null,
      terminalSigner: () => terminalSigner({ paths, warn: err }, { actor, host }, systemClock.now()),
      loadTrust: () => readTrust(paths.trust),
      ledger: openLedger(paths.ledger),
      saveRequest: (saved) => saveRequestFile(paths.requests, saved),
      runChild,
      warn: err,
    },
    { argv: command, actor, host, reason: flags.reason ?? null },
  );
}
