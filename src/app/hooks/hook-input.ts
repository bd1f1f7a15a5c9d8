// Reading an agent's pre-tool hook JSON (pure). Anything unexpected throws HookInputError,
// which the hook turns into a block: a hook never fails open.
//
// The shapes, as documented:
// - Claude Code PreToolUse (code.claude.com/docs/en/hooks): {hook_event_name: "PreToolUse",
//   tool_name: "Bash", tool_input: {command, description?, timeout?, run_in_background?}, cwd, ...}
// - Codex PreToolUse (developers.openai.com/codex/hooks; codex-rs/hooks/src/events/pre_tool_use.rs):
//   the same envelope; shell tools arrive as tool_name "Bash" with tool_input {command}.
// - Gemini CLI BeforeTool (geminicli.com/docs/hooks/reference): {hook_event_name: "BeforeTool",
//   tool_name: "run_shell_command", tool_input: {command, description?, dir_path?}, cwd, ...}.

export type Agent = 'claude-code' | 'codex' | 'gemini';

export class HookInputError extends Error {
  override readonly name = 'HookInputError';
}

/** A shell command the agent is about to run, or a tool gate has no opinion about. */
export type HookCall =
  | { kind: 'shell'; tool: string; script: string; argv: null; cwd: string; description: string | null; toolInput: Record<string, unknown> }
  | { kind: 'shell'; tool: string; script: null; argv: string[]; cwd: string; description: string | null; toolInput: Record<string, unknown> }
  | { kind: 'other'; tool: string };

const EVENTS: Record<Agent, string> = { 'claude-code': 'PreToolUse', codex: 'PreToolUse', gemini: 'BeforeTool' };
/** Tool names that run shell commands. Codex reports its shell tools as "Bash"; older
 * builds used their internal names, which are recognized too rather than passed over. */
const SHELL_TOOLS: Record<Agent, ReadonlySet<string>> = {
  'claude-code': new Set(['Bash']),
  codex: new Set(['Bash', 'shell', 'local_shell', 'exec_command', 'unified_exec', 'container.exec']),
  gemini: new Set(['run_shell_command']),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseHookInput(agent: Agent, text: string, fallbackCwd: string): HookCall {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HookInputError(`the hook input is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw new HookInputError('the hook input is not a JSON object');
  const event = value.hook_event_name;
  if (event !== undefined && event !== EVENTS[agent]) throw new HookInputError(`gate hook ${agent} handles ${EVENTS[agent]} events, not ${JSON.stringify(event)}; register it under ${EVENTS[agent]}`);
  const tool = value.tool_name;
  if (typeof tool !== 'string' || tool === '') throw new HookInputError('the hook input has no tool_name');
  if (!SHELL_TOOLS[agent].has(tool)) return { kind: 'other', tool };

  const input = value.tool_input;
  if (!isRecord(input)) throw new HookInputError(`${tool}: tool_input is missing or not an object`);
  let cwd = typeof value.cwd === 'string' && value.cwd.startsWith('/') ? value.cwd : fallbackCwd;
  // Gemini runs the command in dir_path (older builds: directory), relative to the project.
  const dir = input.dir_path ?? input.directory ?? input.workdir;
  if (typeof dir === 'string' && dir !== '') cwd = dir.startsWith('/') ? dir : `${cwd.replace(/\/$/, '')}/${dir}`;
  const description = typeof input.description === 'string' && input.description.trim() !== '' ? input.description.trim() : null;
  const command = input.command ?? input.cmd;
  if (typeof command === 'string') {
    if (command.trim() === '') throw new HookInputError(`${tool}: the command is empty`);
    return { kind: 'shell', tool, script: command, argv: null, cwd, description, toolInput: input };
  }
  if (Array.isArray(command) && command.length > 0 && command.every((a) => typeof a === 'string')) {
    return { kind: 'shell', tool, script: null, argv: command as string[], cwd, description, toolInput: input };
  }
  throw new HookInputError(`${tool}: tool_input.command is missing or not a string`);
}
