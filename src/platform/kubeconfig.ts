// kubectl's current context, read from the kubeconfig so kube:// resources name the real
// cluster even when the command has no --context.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../analyzers/types.js';

/** current-context of the first kubeconfig file that sets one, or undefined. */
export function kubeCurrentContext(env: Env): string | undefined {
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(':').filter(Boolean) : [join(env.HOME ?? homedir(), '.kube', 'config')];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const m = /^current-context:[ \t]*["']?([^"'\s#]+)/m.exec(text);
    if (m) return m[1];
  }
  return undefined;
}
