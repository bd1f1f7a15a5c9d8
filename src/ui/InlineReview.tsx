// The inline reviewer's screen: the request in full (redacted), facts, matched rules, policy,
// risk and reason; `a` approves (after typing the target for high/critical risk), `d` denies.
import { Box, Text, useApp, useInput } from 'ink';
import { useState } from 'react';
import type { InlineVerdict } from '../app/run-guarded.js';
import { describeFactLine, type ExplainView } from '../app/explain-view.js';
import { quoteArgv } from '../app/shell-quote.js';

export interface InlineReviewProps {
  view: ExplainView;
  /** Text the reviewer must type to approve, or null when a key press is enough. */
  confirm: string | null;
  color: boolean;
  onDone(verdict: InlineVerdict): void;
}

const RISK_COLOR: Record<string, string> = { low: 'green', medium: 'yellow', high: 'red', critical: 'magenta' };

export function InlineReview({ view, confirm, color, onDone }: InlineReviewProps) {
  const { exit } = useApp();
  const [mode, setMode] = useState<'choose' | 'confirm'>('choose');
  const [typed, setTyped] = useState('');
  const [warning, setWarning] = useState<string | null>(null);

  const finish = (verdict: InlineVerdict): void => {
    onDone(verdict);
    exit();
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return finish({ decision: 'deny', comment: 'interrupted at the prompt' });
    if (mode === 'choose') {
      if (input === 'a' || input === 'A') {
        if (confirm === null) return finish({ decision: 'approve' });
        setMode('confirm');
        setWarning(null);
      } else if (input === 'd' || input === 'D' || input === 'q' || key.escape) {
        finish({ decision: 'deny' });
      }
      return;
    }
    if (key.escape) {
      setMode('choose');
      setTyped('');
    } else if (key.return) {
      if (typed === confirm) finish({ decision: 'approve' });
      else {
        setWarning(`"${typed}" does not match; type ${confirm} exactly, or Esc to go back`);
        setTyped('');
      }
    } else if (key.backspace || key.delete) {
      setTyped((t) => t.slice(0, -1));
    } else if (input && !key.ctrl && !key.meta) {
      setTyped((t) => t + input);
    }
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
      <Text>  reason   {request.reason ?? '(none given)'}</Text>
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
      {mode === 'choose' ? (
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
