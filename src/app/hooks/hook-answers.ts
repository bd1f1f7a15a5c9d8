// What each agent is told (pure): gate's verdict in the agent's documented hook output.
//
// - Claude Code PreToolUse: exit 0 with {"hookSpecificOutput": {"hookEventName": "PreToolUse",
//   "permissionDecision": "allow"|"deny"|"ask", "permissionDecisionReason", "updatedInput"}};
//   exit 2 blocks with stderr as the reason (code.claude.com/docs/en/hooks).
// - Codex PreToolUse is deny-only: "permissionDecision": "deny" with a reason, or exit 2 with
//   stderr; allow, ask and updatedInput are not honoured by every Codex release, so gate says
//   nothing for an allowed command (Codex's own approval policy still applies) and blocks
//   anything that needs review (developers.openai.com/codex/hooks).
// - Gemini CLI BeforeTool: {"decision": "allow"|"deny", "reason"}, hookSpecificOutput.tool_input
//   merges into the tool's arguments; exit 2 blocks with stderr (geminicli.com/docs/hooks/reference).
//   Gemini has no "ask", so a review without a server to take it is a deny (fail closed).
import type { Agent } from './hook-input.js';

export type Verdict =
  /** Not a shell tool: no opinion. */
  | { kind: 'pass' }
  | { kind: 'allow'; reason: string }
  | { kind: 'deny'; reason: string }
  /** The human at the agent's prompt decides (Claude Code only). */
  | { kind: 'ask'; reason: string }
  /** Run the command through gate instead, so the central review happens. */
  | { kind: 'rewrite'; reason: string; toolInput: Record<string, unknown> }
  /** Review needed and the agent cannot ask: refuse, saying how to get it reviewed. */
  | { kind: 'block'; reason: string };

export interface HookAnswer {
  exit: 0 | 2;
  stdout: string;
  stderr: string;
}

const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

function claude(verdict: Verdict): HookAnswer {
  const output = (decision: 'allow' | 'deny' | 'ask', reason: string, updatedInput?: Record<string, unknown>): HookAnswer => ({
    exit: 0,
    stdout: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason, ...(updatedInput ? { updatedInput } : {}) } }),
    stderr: '',
  });
  switch (verdict.kind) {
    case 'pass':
      return { exit: 0, stdout: '', stderr: '' };
    case 'allow':
      return output('allow', verdict.reason);
    case 'deny':
    case 'block':
      return output('deny', verdict.reason);
    case 'ask':
      return output('ask', verdict.reason);
    case 'rewrite':
      return output('allow', verdict.reason, verdict.toolInput);
  }
}

function codex(verdict: Verdict): HookAnswer {
  switch (verdict.kind) {
    case 'pass':
    case 'allow':
      return { exit: 0, stdout: '', stderr: '' };
    case 'deny':
    case 'block':
    case 'ask':
    case 'rewrite':
      return { exit: 0, stdout: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: verdict.reason } }), stderr: '' };
  }
}

function gemini(verdict: Verdict): HookAnswer {
  switch (verdict.kind) {
    case 'pass':
      return { exit: 0, stdout: json({}), stderr: '' };
    case 'allow':
      return { exit: 0, stdout: json({ decision: 'allow', reason: verdict.reason }), stderr: '' };
    case 'rewrite':
      return { exit: 0, stdout: json({ decision: 'allow', reason: verdict.reason, hookSpecificOutput: { tool_input: verdict.toolInput } }), stderr: '' };
    case 'deny':
    case 'block':
    case 'ask':
      return { exit: 0, stdout: json({ decision: 'deny', reason: verdict.reason }), stderr: '' };
  }
}

export function hookAnswer(agent: Agent, verdict: Verdict): HookAnswer {
  if (agent === 'claude-code') return claude(verdict);
  if (agent === 'codex') return codex(verdict);
  return gemini(verdict);
}

/** Any failure: exit 2 with the reason on stderr, which every one of the three treats as a block. */
export function hookFailure(message: string): HookAnswer {
  return { exit: 2, stdout: '', stderr: `gate: hook blocked the command: ${message.replace(/\s+$/, '')}\n` };
}
