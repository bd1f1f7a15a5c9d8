// Structured logs: one JSON object per line on stderr. Bearer tokens and bodies never reach it.
import type { Clock } from '../platform/clock.js';

export type LogLevel = 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** A logger writing JSON lines through `write`, stamped by `clock`. */
export function jsonLogger(write: (line: string) => void, clock: Clock): Logger {
  return (level, msg, fields = {}) => write(`${JSON.stringify({ ts: clock.now().toISOString(), level, msg, ...fields })}\n`);
}

/** The message and code of an error, for a log line (no stack unless asked). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: error.message, ...('code' in error ? { code: (error as { code: unknown }).code } : {}) };
}
