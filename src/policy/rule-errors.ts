// Rule diagnostics: each has a stable code and a file:line:col, and all are collected at once.
import { ConfigError } from '../errors.js';
import { formatLocation, type Location } from './rule.js';

/** Stable diagnostic codes; scripts and docs may rely on them. */
export type RuleErrorCode =
  | 'unreadable' // the file or directory cannot be read
  | 'yaml-syntax' // the YAML itself does not parse
  | 'bad-shape' // a section has the wrong type (a list where a mapping belongs, ...)
  | 'unknown-key' // a key gate does not know (typos must not silently loosen a rule)
  | 'missing-key' // a required key is absent
  | 'bad-value' // a value outside its allowed set or format
  | 'duplicate-id' // two rules share an id
  | 'bad-match' // a match clause gate cannot compile
  | 'test-failed' // a rule's own tests do not hold
  | 'allow-ignored' // an allow rule from --rules/GATE_RULES (warning: such sources only tighten)
  | 'classify-ignored' // a classify entry from --rules/GATE_RULES (warning: labels can loosen a rule)
  | 'unknown-field' // a match field no analyzer produces (warning: it would never match)
  | 'untested'; // a rule without tests.match (warning: a typo in it would go unnoticed)

export interface RuleDiagnostic {
  code: RuleErrorCode;
  message: string;
  location: Location;
  /** Warnings are reported by `gate rules lint` but do not stop gate. */
  severity?: 'warning';
}

export function formatDiagnostic(d: RuleDiagnostic): string {
  return `${formatLocation(d.location)}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.code}: ${d.message}`;
}

/** The error that stops gate when rules are broken (exit 78). */
export function rulesError(diagnostics: RuleDiagnostic[]): ConfigError {
  const first = diagnostics[0]!;
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  const error = new ConfigError(`rules_${first.code.replace(/-/g, '_')}`, `${first.code}: ${first.message}${more}`, formatLocation(first.location), {
    hint: 'fix the rules file; `gate rules lint` lists every problem',
    details: { diagnostics: diagnostics.map((d) => ({ ...d, location: formatLocation(d.location) })) },
  });
  return error;
}
