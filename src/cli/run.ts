// `gate [run options] -- <command>`: builds the run's dependencies and hands off to runGuarded.
import { lazyParsers } from '../analyzers/parsers.js';
import { openAuditLog } from '../audit/log-file.js';
import { loadPolicy } from '../app/load-policy.js';
import { runGuarded } from '../app/run-guarded.js';
import { saveRequestFile } from '../app/request-file.js';
import { readTrust } from '../app/trust-file.js';
import { openLedger } from '../token/ledger.js';
import { ttyInlineReviewer } from '../approval/tty.js';
import { UsageError } from '../errors.js';
import { runChild } from '../exec/spawn.js';
import { parseDuration } from '../policy/duration.js';
import { systemClock } from '../platform/clock.js';
import { resolveHost } from '../platform/identity.js';
import { requesterActor } from '../app/actor.js';
import { gatePaths } from '../platform/paths.js';
import { isInteractive } from '../platform/tty.js';
import { spawn } from 'node:child_process';
import { err } from './output.js';
import { readConfigSync } from '../platform/config.js';
import { stderrProgress } from '../platform/progress.js';

export interface RunFlags {
  reason?: string;
  actor?: string;
  wait?: string;
  nonInteractive?: boolean;
  json?: boolean;
  rules?: string[];
  quiet?: boolean;
  token?: string[];
  server?: string;
  open?: boolean;
  request?: string;
}

/** Tokens from --token (repeatable) and GATE_TOKEN (whitespace or comma separated). */
export function tokensFrom(flags: RunFlags, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env.GATE_TOKEN ?? '').split(/[\s,]+/).filter(Boolean);
  return [...(flags.token ?? []), ...fromEnv];
}

/** How long an interactive run waits for a server decision when --wait is not given. */
const DEFAULT_INTERACTIVE_WAIT_MS = 15 * 60_000;

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
  const ruleSet = await loadPolicy(env, flags.rules ?? []);
  const paths = gatePaths(env);
  const interactive = wait !== 0 && !flags.nonInteractive && isInteractive(env);
  // Logged in to a server, the actor is who the server knows this login as.
  const loggedIn = readConfigSync(env).server;
  const actor = requesterActor(flags.actor, env);
  try {
    return await guarded(command, flags, { env, wait, ruleSet, paths, interactive, actor });
  } finally {
    if (loggedIn) anchorInBackground();
  }
}

/**
 * Send the audit head to the server after the run, from a detached `gate audit anchor`, so
 * the run itself never waits for the network.
 */
function anchorInBackground(): void {
  try {
    const child = spawn(process.execPath, [process.argv[1]!, 'audit', 'anchor'], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Anchoring is best effort; `gate audit anchor` can always be run by hand.
  }
}

interface GuardedContext {
  env: NodeJS.ProcessEnv;
  wait: number | undefined;
  ruleSet: Awaited<ReturnType<typeof loadPolicy>>;
  paths: ReturnType<typeof gatePaths>;
  interactive: boolean;
  actor: string;
}

function guarded(command: string[], flags: RunFlags, { env, wait, ruleSet, paths, interactive, actor }: GuardedContext): Promise<number> {
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
      // Keys, tokens and the server client load only when a review needs them: an allowed
      // command never pays for them.
      terminalSigner: async () => (await import('../app/terminal-key.js')).terminalSigner({ paths, warn: err }, { actor, host }, systemClock.now()),
      loadTrust: () => readTrust(paths.trust),
      ledger: openLedger(paths.ledger),
      saveRequest: (saved) => saveRequestFile(paths.requests, saved),
      server: async () => {
        const session = await (await import('../app/login.js')).openSession(env, flags.server, { warn: err });
        if (!session) return null;
        return {
          client: session.client,
          // Never hang without a terminal: CI and agents wait only when told to.
          waitMs: wait ?? (interactive ? DEFAULT_INTERACTIVE_WAIT_MS : 0),
          openPage: flags.open ? async (url: string) => void (await (await import('open')).default(url)) : null,
          progress: stderrProgress(),
          now: () => systemClock.now().getTime(),
          onInterrupt: (handler) => {
            process.on('SIGINT', handler);
            return () => process.off('SIGINT', handler);
          },
        };
      },
      redeemRequestId: flags.request ?? null,
      runChild,
      warn: err,
    },
    { argv: command, actor, host, reason: flags.reason ?? (env.GATE_REASON || null) },
  );
}
