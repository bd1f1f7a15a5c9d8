// The inline reviewer's screen: the request in full (redacted), facts, matched rules, policy,
// risk and reason; `a` approves (after typing the target for high/critical risk), `d` denies.
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { InlineVerdict } from '../app/inline-approval.js';
import { describeFactLine, type ExplainView } from '../app/explain-view.js';
import { quoteArgv } from '../app/shell-quote.js';

export interface InlineReviewProps {
  view: ExplainView;
  /** Text the reviewer must type to approve, or null when a key press is enough. */
  confirm: string | null;
  /** Ask for the reason a rule requires before anything else. */
  askReason?: boolean;
  color: boolean;
  onDone(verdict: InlineVerdict): void;
  /** Keys pressed before the prompt has been on screen this long are dropped (typed ahead). */
  armDelayMs?: number;
}

/** Long enough that keys typed before the prompt appeared cannot answer it. */
const ARM_DELAY_MS = 400;

interface PromptState {
  mode: 'reason' | 'choose' | 'confirm' | 'done';
  /** The verdict, once given; the last frame shows it so the terminal keeps a record. */
  verdict?: InlineVerdict;
  typed: string;
  reason: string | null;
  warning: string | null;
}

const RISK_COLOR: Record<string, string> = { low: 'green', medium: 'yellow', high: 'red', critical: 'magenta' };

export function InlineReview({ view, confirm, askReason = false, color, onDone, armDelayMs = ARM_DELAY_MS }: InlineReviewProps) {
  const { exit } = useApp();
  // Approval must answer this screen: keys already in the terminal's buffer do not count.
  const armed = useRef(armDelayMs <= 0);
  useEffect(() => {
    if (armed.current) return;
    const timer = setTimeout(() => (armed.current = true), armDelayMs);
    return () => clearTimeout(timer);
  }, [armDelayMs]);
  // Key presses can arrive faster than React re-renders (a paste, or text then Enter in one
  // read), so the prompt's state lives in a ref that each key updates synchronously.
  const state = useRef<PromptState>({ mode: askReason ? 'reason' : 'choose', typed: '', reason: null, warning: null });
  const [, rerender] = useState(0);
  const update = (patch: Partial<PromptState>): void => {
    Object.assign(state.current, patch);
    rerender((v) => v + 1);
  };
  const { mode, typed, reason, warning } = state.current;

  const finish = (verdict: InlineVerdict): void => {
    if (state.current.mode === 'done') return;
    const given = state.current.reason;
    const final = given !== null && verdict.decision === 'approve' ? { ...verdict, reason: given } : verdict;
    onDone(final);
    update({ mode: 'done', verdict: final, warning: null });
  };
  // Exit after the final frame (with the verdict) has been rendered.
  useEffect(() => {
    if (mode === 'done') exit();
  }, [mode, exit]);

  useInput((input, key) => {
    const { mode, typed } = state.current;
    if (mode === 'done' || !armed.current) return;
    if (key.ctrl && input === 'c') return finish({ decision: 'deny', comment: 'interrupted at the prompt' });
    if (mode === 'choose') {
      if (input === 'a' || input === 'A') {
        if (confirm === null) return finish({ decision: 'approve' });
        update({ mode: 'confirm', warning: null });
      } else if (input === 'd' || input === 'D' || input === 'q' || key.escape) {
        finish({ decision: 'deny' });
      }
      return;
    }
    // Text entry: the reason (mode 'reason') or the typed confirmation (mode 'confirm').
    if (key.escape) {
      if (mode === 'reason') return finish({ decision: 'deny', comment: 'no reason given' });
      return update({ mode: 'choose', typed: '' });
    }
    if (key.backspace || key.delete) return update({ typed: typed.slice(0, -1) });
    // A paste or fast typing can deliver text and Enter in one chunk.
    let text = typed;
    let submit = key.return;
    if (!key.return && input && !key.ctrl && !key.meta) {
      const end = input.search(/[\r\n]/);
      text += end === -1 ? input : input.slice(0, end);
      submit = end !== -1;
    }
    if (!submit) return update({ typed: text });
    if (mode === 'reason') {
      if (text.trim() === '') return update({ typed: '', warning: 'a matched rule requires a reason; type one, or Esc to deny' });
      return update({ mode: 'choose', reason: text.trim(), typed: '', warning: null });
    }
    if (text === confirm) return finish({ decision: 'approve' });
    return update({ typed: '', warning: `"${text}" does not match; type ${confirm} exactly, or Esc to go back` });
  });

  const c = (name: string | undefined) => (color ? name : undefined);
  const { request } = view;
  const reviewRules = view.rules.filter((r) => r.effect === 'review');
  return (
    <Box flexDirection="column">
      <Text bold color={c(RISK_COLOR[view.risk])}>
        gate: review required ({view.risk} risk)
      </Text>
      <Text>  command  {quoteArgv(request.argv)}</Text>
      <Text>  actor    {request.actor}@{request.host}</Text>
      <Text>  cwd      {request.cwd}</Text>
      <Text>  reason   {reason ?? request.reason ?? '(none given)'}</Text>
      <Text bold>facts</Text>
      {view.facts.items.map((fact, i) => (
        <Text key={i}>  [{i}] {describeFactLine(fact)}</Text>
      ))}
      <Text bold>rules</Text>
      {reviewRules.length === 0 ? <Text>  no rule matched: the default is review</Text> : null}
      {reviewRules.map((rule) => (
        <Box key={rule.id} flexDirection="column">
          <Text>
            {'  '}
            <Text color={c(RISK_COLOR[rule.risk])}>{rule.risk}</Text> {rule.id}
            {rule.policy ? `  policy ${rule.policy}` : ''}
          </Text>
          {rule.description ? <Text>{'      '}{rule.description}</Text> : null}
        </Box>
      ))}
      <Text> </Text>
      {mode === 'done' ? (
        <Text bold color={c(state.current.verdict?.decision === 'approve' ? 'green' : 'red')}>
          {state.current.verdict?.decision === 'approve' ? `approved at this terminal; running ${request.program}` : 'denied at this terminal; not run'}
        </Text>
      ) : mode === 'reason' ? (
        <Text>
          A matched rule requires a reason. Reason (Enter to continue, Esc to deny): {typed}
        </Text>
      ) : mode === 'choose' ? (
        <Text bold>[a] approve and run   [d] deny</Text>
      ) : (
        <Text>
          Type <Text bold>{confirm}</Text> to approve (Esc to go back): {typed}
        </Text>
      )}
      {warning ? <Text color={c('red')}>{warning}</Text> : null}
    </Box>
  );
}
