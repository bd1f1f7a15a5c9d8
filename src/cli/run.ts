// `gate [run options] -- <command>`: builds the run's dependencies and hands off to runGuarded.
import { lazyParsers } from '../analyzers/parsers.js';
import { openAuditLog } from '../audit/log-file.js';
import { loadPolicy } from '../app/load-policy.js';
import { runGuarded } from '../app/run-guarded.js';
import { saveRequestFile } from '../app/request-file.js';
import { ttyInlineReviewer } from '../approval/tty.js';
import { UsageError } from '../errors.js';
import { runChild } from '../exec/spawn.js';
import { parseDuration } from '../policy/duration.js';
import { systemClock } from '../platform/clock.js';
import { resolveActor, resolveHost } from '../platform/identity.js';
import { gatePaths } from '../platform/paths.js';
import { isInteractive } from '../platform/tty.js';

export interface RunFlags {
  reason?: string;
  actor?: string;
  wait?: string;
  nonInteractive?: boolean;
  json?: boolean;
  rules?: string[];
  quiet?: boolean;
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
  return runGuarded(
    {
      env,
      cwd: process.cwd(),
      clock: systemClock,
      parsers: lazyParsers,
      audit: openAuditLog(paths.audit),
      ruleSet,
      inlineReviewer: interactive ? ttyInlineReviewer() : null,
      saveRequest: (view) => saveRequestFile(paths.requests, view),
      runChild,
    },
    { argv: command, actor: resolveActor(flags.actor, env), host: resolveHost(), reason: flags.reason ?? null },
  );
}
