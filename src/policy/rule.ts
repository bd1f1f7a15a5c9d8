// Rule shapes: what a rules file declares, and what the compiler turns it into.
import type { Fact } from '../analyzers/types.js';
import type { MatchSpec } from './match.js';

export type Effect = 'allow' | 'review' | 'deny';
export type Risk = 'low' | 'medium' | 'high' | 'critical';

export const EFFECTS: readonly Effect[] = ['allow', 'review', 'deny'];
export const RISKS: readonly Risk[] = ['low', 'medium', 'high', 'critical'];

/** Strictness order: deny > review > allow. */
export const EFFECT_RANK: Record<Effect, number> = { allow: 0, review: 1, deny: 2 };
export const RISK_RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Where a declaration came from, for error messages and `gate rules list`. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

export interface Approvers {
  groups: string[];
  min: number;
}

export interface RuleTests {
  match: string[];
  notMatch: string[];
}

/** A rule as declared, validated, with its match compiled. */
export interface Rule {
  id: string;
  description: string | undefined;
  effect: Effect;
  risk: Risk;
  policy: string | undefined;
  approvers: Approvers | undefined;
  reasonRequired: boolean;
  /** Max approval token lifetime in ms, when the rule limits it. */
  ttlMs: number | undefined;
  /** How long a review request may stay pending on the approval server, when the rule says. */
  pendingMs: number | undefined;
  /** Whether a human at the requester's own terminal may approve (default true). */
  inline: boolean;
  /** The match as written, for display. */
  match: Record<string, unknown>;
  /** The validated match clause, kept so a compiled-rules cache can rebuild `matches`. */
  spec: MatchSpec;
  matches: (fact: Fact) => boolean;
  /** The program literals the rule is limited to, for indexing; undefined = any program. */
  programs: string[] | undefined;
  tests: RuleTests;
  location: Location;
}

/** A `classify` entry: facts whose uri matches `resource` get `labels`. */
export interface ClassifyEntry {
  resource: string;
  labels: string[];
  test: (uri: string) => boolean;
  location: Location;
}

/** Everything loaded from one rules file. */
export interface RuleFile {
  file: string;
  rules: Rule[];
  classify: ClassifyEntry[];
  defaultEffect: Effect | undefined;
  /** False for per-invocation sources (--rules, GATE_RULES): their allow rules do not count. */
  canAllow: boolean;
}
