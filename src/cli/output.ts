// Writing to the terminal, synchronously (so nothing is lost when gate exits), and the one
// place that turns errors into the contract's stderr line, JSON object and exit code.
import { writeSync } from 'node:fs';
import chalk, { chalkStderr } from 'chalk';
import { EXIT, GateError } from '../errors.js';
import { redactText } from '../policy/redact.js';

export function out(text: string): void {
  writeSync(1, text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  writeSync(2, text.endsWith('\n') ? text : `${text}\n`);
}

/** Report an error as the contract says and return the exit code. Never throws. */
export function reportError(error: unknown, json: boolean): number {
  const gateError =
    error instanceof GateError
      ? error
      : new GateError('internal_error', EXIT.internal, `unexpected error: ${error instanceof Error ? error.message : String(error)}`, {
          hint: 'this is a bug in gate; please report it with `gate --version`, the command (secrets removed) and this message',
          cause: error,
        });
  const message = redactText(gateError.message);
  // Colour only at a terminal that wants it (chalk honours NO_COLOR, FORCE_COLOR and isatty).
  const tone = gateError.exitCode === EXIT.pending ? chalkStderr.yellow : chalkStderr.red;
  err(`${chalkStderr.bold('gate:')} ${tone(`${gateError.code}:`)} ${message}`);
  if (gateError.hint) err(`${chalkStderr.dim('hint:')} ${redactText(gateError.hint)}`);
  if (gateError.exitCode === EXIT.internal && error instanceof Error && error.stack && process.env.GATE_DEBUG) err(error.stack);
  if (json) {
    const details = gateError.details;
    out(JSON.stringify({ outcome: gateError.outcome, exit: gateError.exitCode, code: gateError.code, message, request_id: details.request_id ?? null, ...details }));
  }
  return gateError.exitCode;
}

/** A decision word as a terminal shows it: allow green, review yellow, deny red. */
export function decisionColor(decision: string): string {
  if (decision === 'allow') return chalk.green(decision);
  if (decision === 'deny') return chalk.red(decision);
  return chalk.yellow(decision);
}
