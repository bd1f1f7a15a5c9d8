// Typed errors: each carries a stable code, the process exit code of the contract and a hint
// (the next step for the user). Only src/cli turns them into an exit.

export const EXIT = {
  usage: 64,
  unavailable: 69,
  internal: 70,
  pending: 75,
  denied: 77,
  config: 78,
  notExecutable: 126,
  notFound: 127,
} as const;

export type Outcome = 'denied' | 'pending' | 'error';

export interface GateErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra fields for the `--json` outcome object (request_id, request_file, ...). */
  details?: Record<string, unknown>;
}

export class GateError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: string, exitCode: number, message: string, options: GateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GateError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  get outcome(): Outcome {
    if (this.exitCode === EXIT.denied) return 'denied';
    if (this.exitCode === EXIT.pending) return 'pending';
    return 'error';
  }
}

export class UsageError extends GateError {
  constructor(message: string, options?: GateErrorOptions) {
    super('usage', EXIT.usage, message, options);
  }
}

/** A rules or configuration problem; `location` is file:line:col when known. */
export class ConfigError extends GateError {
  readonly location: string | undefined;
  constructor(code: string, message: string, location?: string, options?: GateErrorOptions) {
    super(code, EXIT.config, location ? `${location}: ${message}` : message, options);
    this.location = location;
  }
}

export class DeniedError extends GateError {
  constructor(code: string, message: string, options?: GateErrorOptions) {
    super(code, EXIT.denied, message, options);
  }
}

export class PendingError extends GateError {
  constructor(message: string, options?: GateErrorOptions) {
    super('pending', EXIT.pending, message, options);
  }
}

export class ProgramError extends GateError {}

export function notFound(program: string): ProgramError {
  return new ProgramError('not_found', EXIT.notFound, `${program}: command not found on PATH`, {
    hint: 'check the program name and PATH; `gate explain -- <command>` shows the decision without running it',
  });
}

export function notExecutable(path: string, cause?: unknown): ProgramError {
  return new ProgramError('not_executable', EXIT.notExecutable, `${path}: permission denied (not executable)`, {
    hint: `make it executable (chmod +x ${path}) or call the intended program`,
    cause,
  });
}

export function isGateError(error: unknown): error is GateError {
  return error instanceof GateError;
}
