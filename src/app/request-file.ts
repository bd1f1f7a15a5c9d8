// Pending requests are saved in full so they can be approved later (`gate approve --offline`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExplainView } from './explain-view.js';

/** Write the request as JSON under the requests directory; returns the path. */
export function saveRequestFile(dir: string, view: ExplainView): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${view.request.id}.json`);
  writeFileSync(file, JSON.stringify({ version: 1, ...view }, null, 2) + '\n', { mode: 0o600 });
  return file;
}
