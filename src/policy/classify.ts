// Data classification: labels from `classify` lists attached to facts by their resource URI.
import type { Fact } from '../analyzers/types.js';
import type { ClassifyEntry } from './rule.js';

export const UNCLASSIFIED = 'unclassified';

/** Set `classification` on every fact that names a resource; unlabelled ones are unclassified. */
export function classifyFacts(facts: Fact[], entries: readonly ClassifyEntry[]): void {
  for (const fact of facts) {
    if (fact.uri === undefined) continue;
    const labels = new Set<string>();
    for (const entry of entries) if (entry.test(fact.uri)) for (const label of entry.labels) labels.add(label);
    fact.classification = labels.size > 0 ? [...labels].sort() : [UNCLASSIFIED];
  }
}
