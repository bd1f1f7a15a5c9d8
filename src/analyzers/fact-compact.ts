// Facts leave absent fields out instead of carrying `undefined` (booleans are only set when true).
import type { Fact, FactValue } from './types.js';

/** Build a fact from fields, dropping the undefined ones. */
export function compactFact(fields: Record<string, FactValue>): Fact {
  const fact: Record<string, FactValue> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) fact[name] = value;
  return fact as Fact;
}
