// Evaluation: facts in, decision out. Pure: no I/O, no clock.
import type { Fact } from '../analyzers/types.js';
import type { RuleSet } from './rule-set.js';
import { EFFECT_RANK, RISK_RANK, type Approvers, type Effect, type Risk, type Rule } from './rule.js';

export interface RuleMatch {
  rule: Rule;
  /** Indexes into the facts list of the facts this rule matched. */
  facts: number[];
}

export interface Evaluation {
  decision: Effect;
  /** Every matching rule, strictest effect first, then highest risk. */
  matches: RuleMatch[];
  /** Facts no rule matched; each got the default effect. */
  unmatched: number[];
  /** The highest risk among the rules that decided (medium when only the default did). */
  risk: Risk;
  /** Groups and quorum a review needs: union of groups, largest min. */
  approvers: Approvers;
  reasonRequired: boolean;
  /** Shortest ttl among deciding rules. */
  ttlMs: number | undefined;
  /** Whether a human at the requester's terminal may approve (false if any deciding rule says so). */
  inline: boolean;
  reasons: string[];
}

/** The strictest effect among all matching rules; facts nothing matches get the default. */
export function evaluate(ruleSet: RuleSet, facts: readonly Fact[]): Evaluation {
  const byRule = new Map<Rule, number[]>();
  const unmatched: number[] = [];
  facts.forEach((fact, index) => {
    let matched = false;
    const candidates = ruleSet.byProgram.get(fact.program);
    for (const list of candidates ? [candidates, ruleSet.anyProgram] : [ruleSet.anyProgram]) {
      for (const rule of list) {
        if (!rule.matches(fact)) continue;
        matched = true;
        const hits = byRule.get(rule);
        if (hits) hits.push(index);
        else byRule.set(rule, [index]);
      }
    }
    if (!matched) unmatched.push(index);
  });

  const matches = [...byRule].map(([rule, hits]) => ({ rule, facts: hits }));
  matches.sort((a, b) => EFFECT_RANK[b.rule.effect] - EFFECT_RANK[a.rule.effect] || RISK_RANK[b.rule.risk] - RISK_RANK[a.rule.risk] || a.rule.id.localeCompare(b.rule.id));

  let decision: Effect = facts.length === 0 ? ruleSet.defaultEffect : 'allow';
  for (const { rule } of matches) if (EFFECT_RANK[rule.effect] > EFFECT_RANK[decision]) decision = rule.effect;
  if (unmatched.length > 0 && EFFECT_RANK[ruleSet.defaultEffect] > EFFECT_RANK[decision]) decision = ruleSet.defaultEffect;

  const deciding = matches.filter((m) => m.rule.effect === decision).map((m) => m.rule);
  const reasons = deciding.map((rule) => `${rule.id}: ${rule.description ?? `${rule.effect} (${rule.risk} risk)`}`);
  if (unmatched.length > 0 && decision === ruleSet.defaultEffect) {
    const names = [...new Set(unmatched.map((i) => describeFact(facts[i]!)))];
    reasons.push(`no rule matched ${names.join(', ')}: the default is ${ruleSet.defaultEffect}`);
  }
  return {
    decision,
    matches,
    unmatched,
    risk: deciding.reduce<Risk>((max, rule) => (RISK_RANK[rule.risk] > RISK_RANK[max] ? rule.risk : max), deciding.length > 0 ? 'low' : 'medium'),
    approvers: mergeApprovers(deciding),
    reasonRequired: deciding.some((rule) => rule.reasonRequired),
    ttlMs: deciding.reduce<number | undefined>((min, rule) => (rule.ttlMs !== undefined && (min === undefined || rule.ttlMs < min) ? rule.ttlMs : min), undefined),
    inline: deciding.every((rule) => rule.inline),
    reasons,
  };
}

function mergeApprovers(rules: Rule[]): Approvers {
  const groups = new Set<string>();
  let min = 1;
  for (const rule of rules) {
    for (const group of rule.approvers?.groups ?? []) groups.add(group);
    if (rule.approvers && rule.approvers.min > min) min = rule.approvers.min;
  }
  return { groups: [...groups].sort(), min };
}

/** A short human name for a fact in reasons: `kubectl`, or `opaque command (eval)`. */
export function describeFact(fact: Fact): string {
  if (fact.opaque) return `\`${fact.program || 'command'}\` (opaque: ${fact.opaque_reason ?? 'not understood'})`;
  return `\`${fact.program}\``;
}
