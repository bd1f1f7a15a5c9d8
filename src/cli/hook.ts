// `gate hook claude-code|codex|gemini`: agent hook adapters (hook JSON on stdin, the agent's
// decision JSON on stdout), and `gate hook install` for their settings files.
// A hook never fails open: every failure, of input or of gate, exits 2 with the reason on
// stderr, which all three agents treat as a block.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Command, Option } from 'commander';
import { lazyParsers } from '../analyzers/parsers.js';
import { openAuditLog } from '../audit/log-file.js';
import { requesterActor } from '../app/actor.js';
import { hookAnswer, hookFailure, type HookAnswer } from '../app/hooks/hook-answers.js';
import { parseHookInput, type Agent } from '../app/hooks/hook-input.js';
import { decideHook, type ReviewMode } from '../app/hooks/decide-hook.js';
import { installHook, settingsFile, type Scope } from '../app/hooks/install-hook.js';
import { loadPolicy } from '../app/load-policy.js';
import { quoteArg } from '../app/shell-quote.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { systemClock } from '../platform/clock.js';
import { readConfigSync } from '../platform/config.js';
import { resolveHost } from '../platform/identity.js';
import { gatePaths } from '../platform/paths.js';
import { out } from './output.js';
import { currentTarget } from './shim.js';
import { writeSync } from 'node:fs';

const AGENTS: readonly Agent[] = ['claude-code', 'codex', 'gemini'];

interface HookFlags {
  review?: string;
  wait?: string;
}

/** Read the hook input, decide, and answer in the agent's format; never throws. */
async function runHook(agent: Agent, flags: HookFlags): Promise<HookAnswer> {
  try {
    const review = (flags.review ?? 'auto') as ReviewMode;
    if (!['ask', 'rewrite', 'auto'].includes(review)) throw new UsageError(`--review ${JSON.stringify(flags.review)} is not ask, rewrite or auto`);
    const wait = flags.wait ?? '5m';
    const waitMs = parseDuration(wait);
    if (waitMs === undefined) throw new UsageError(`--wait ${JSON.stringify(wait)} is not a duration`);
    if (process.stdin.isTTY) throw new UsageError(`gate hook ${agent} reads the agent's hook JSON on stdin; it is meant to be run by the agent (gate hook install ${agent})`);
    const input = readFileSync(0, 'utf8');
    const env = process.env;
    const call = parseHookInput(agent, input, process.cwd());
    const target = currentTarget(env);
    const verdict = await decideHook(
      agent,
      call,
      {
        env,
        // Rules load lazily: a tool gate has no opinion about never pays for them.
        get ruleSet() {
          return loadPolicy(env, []);
        },
        parsers: lazyParsers,
        audit: openAuditLog(gatePaths(env).audit),
        clock: systemClock,
        actor: requesterActor(undefined, env),
        host: resolveHost(),
        self: { node: target.node, entry: target.entry },
        serverConfigured: readConfigSync(env).server !== undefined || Boolean(env.GATE_SERVER),
      },
      { review, wait, waitMs },
    );
    return hookAnswer(agent, verdict);
  } catch (error) {
    return hookFailure(error instanceof Error ? error.message : String(error));
  }
}

/** The command line an agent's settings run: absolute paths, and any failure becomes exit 2. */
export function hookCommandLine(agent: Agent, env: NodeJS.ProcessEnv, extra: string[]): string {
  const target = currentTarget(env);
  const home = target.gateHome;
  const prefix = home === null ? '' : /^[A-Za-z0-9_@%+=:,./-]+$/.test(home) ? `GATE_HOME="\${GATE_HOME:-${home}}" ` : `GATE_HOME=${quoteArg(home)} `;
  return `${prefix}${[target.node, target.entry, 'hook', agent, ...extra].map(quoteArg).join(' ')} || exit 2`;
}

export function hookCommand(setExit: (code: number) => void): Command {
  const hook = new Command('hook').description('agent hook adapters: hook JSON on stdin, decision JSON on stdout');
  for (const agent of AGENTS) {
    const cmd = hook
      .command(agent)
      .description(
        agent === 'claude-code'
          ? "Claude Code PreToolUse hook for the Bash tool: allow, deny (with the rule), or for review ask / rewrite through gate"
          : agent === 'codex'
            ? 'Codex PreToolUse hook (deny-only): denies what the rules deny or send to review'
            : 'Gemini CLI BeforeTool hook for run_shell_command: allow, deny, or for review rewrite through gate',
      )
      .option('--wait <duration>', 'how long a command rewritten through gate waits for a reviewer', '5m');
    if (agent !== 'codex') {
      cmd.addOption(
        new Option('--review <mode>', 'what to do with a command that needs review: ask the human at the agent (Claude Code only), rewrite it through gate, or auto (rewrite when an approval server is configured, else ask)')
          .choices(['ask', 'rewrite', 'auto'])
          .default('auto'),
      );
    }
    cmd.action(async (flags: HookFlags) => {
      const answer = await runHook(agent, flags);
      if (answer.stdout) writeSync(1, answer.stdout);
      if (answer.stderr) writeSync(2, answer.stderr);
      setExit(answer.exit);
    });
  }

  hook
    .command('install')
    .description("add gate's hook to an agent's settings (merged into the file, with a backup)")
    .argument('<agent>', 'claude-code, codex or gemini')
    .option('--user', 'the user settings (default): ~/.claude/settings.json, ~/.codex/hooks.json, ~/.gemini/settings.json')
    .option('--project', 'this project: .claude/settings.local.json, .codex/hooks.json, .gemini/settings.json')
    .option('--file <path>', 'a settings file of your choice')
    .option('--review <mode>', 'passed to the hook: ask, rewrite or auto (Claude Code, Gemini)')
    .option('--wait <duration>', 'passed to the hook: how long a rewritten command waits for a reviewer')
    .option('--json', 'machine-readable output')
    .action((agent: string, flags: { user?: boolean; project?: boolean; file?: string; review?: string; wait?: string; json?: boolean }) => {
      if (!AGENTS.includes(agent as Agent)) throw new UsageError(`unknown agent "${agent}"`, { hint: `one of ${AGENTS.join(', ')}` });
      if (flags.user && flags.project) throw new UsageError('--user and --project exclude each other');
      if (flags.review !== undefined && !['ask', 'rewrite', 'auto'].includes(flags.review)) throw new UsageError(`--review ${JSON.stringify(flags.review)} is not ask, rewrite or auto`);
      if (flags.review !== undefined && agent === 'codex') throw new UsageError('the Codex hook is deny-only: it has no --review');
      if (flags.wait !== undefined && parseDuration(flags.wait) === undefined) throw new UsageError(`--wait ${JSON.stringify(flags.wait)} is not a duration`, { hint: 'use 30s, 5m or 10m' });
      const env = process.env;
      const scope: Scope = flags.project ? 'project' : 'user';
      const file = flags.file ?? settingsFile(agent as Agent, scope, env.HOME ?? homedir(), process.cwd());
      const extra = [...(flags.review ? ['--review', flags.review] : []), ...(flags.wait ? ['--wait', flags.wait] : [])];
      const result = installHook(agent as Agent, file, hookCommandLine(agent as Agent, env, extra), systemClock.now());
      if (flags.json) out(JSON.stringify(result));
      else {
        out(`${result.status} ${result.file}${result.backup ? ` (backup: ${result.backup})` : ''}`);
        if (agent === 'codex') out('Codex runs hooks when its hooks feature is on (the default in recent releases; older ones need `[features] codex_hooks = true` in ~/.codex/config.toml), and project hooks only in trusted projects.');
        if (agent === 'gemini') out('restart Gemini CLI to load the hook; `/hooks` lists the hooks it loaded.');
        if (agent === 'claude-code') out('restart Claude Code (or open /hooks) to load the hook.');
      }
      setExit(0);
    });
  return hook;
}
