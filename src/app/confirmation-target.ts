// What a reviewer must type before approving a high or critical risk command: the target
// (namespace, bucket, database, context) of the riskiest matched fact.
import { RISK_RANK } from '../policy/rule.js';
import type { Prepared } from './prepare.js';

/** The text to type, or null when the risk does not call for a typed confirmation. */
export function confirmationTarget({ request, evaluation }: Prepared): string | null {
  if (RISK_RANK[evaluation.risk] < RISK_RANK.high) return null;
  const deciding = evaluation.matches.filter((m) => m.rule.effect === evaluation.decision && m.rule.risk === evaluation.risk);
  for (const match of deciding) {
    for (const index of match.facts) {
      const fact = request.facts[index]!;
      const target = fact.target ?? fact.uri;
      if (target) return target;
    }
  }
  // No named target: confirm the program itself, so approval is still a deliberate act.
  return request.program || 'approve';
}
