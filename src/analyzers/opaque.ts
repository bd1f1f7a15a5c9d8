// Opaque facts: what cannot be understood is a fact of its own, and shipped rules review it.
import type { Fact } from './types.js';

/** A fact for a command that cannot be understood. Unknown is never allowed by accident. */
export function opaqueFact(program: string, args: string[], via: string[], reason: string): Fact {
  return { program, action: 'exec', args, via, opaque: true, opaque_reason: reason };
}
