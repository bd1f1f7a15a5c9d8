// Times as people read them on the page: "3 min ago", "in 58 min", with the ISO time beside.
import { html, type Html } from './html.js';

const UNITS: Array<[limitMs: number, unitMs: number, unit: string]> = [
  [90_000, 1000, 's'],
  [90 * 60_000, 60_000, 'min'],
  [36 * 3_600_000, 3_600_000, 'h'],
  [Infinity, 86_400_000, 'd'],
];

/** "12 s ago", "in 58 min", "3 d ago" for `iso` relative to `now`. */
export function relativeTime(iso: string, now: Date): string {
  const delta = Date.parse(iso) - now.getTime();
  const abs = Math.abs(delta);
  if (abs < 1000) return 'now';
  const [, unitMs, unit] = UNITS.find(([limit]) => abs < limit)!;
  const n = Math.round(abs / unitMs);
  return delta < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** <time> with the ISO timestamp as its machine value and tooltip, the relative text shown. */
export function timeTag(iso: string, now: Date): Html {
  return html`<time datetime="${iso}" title="${iso}">${relativeTime(iso, now)}</time> <span class="iso">${iso.replace(/\.\d{3}Z$/, 'Z')}</span>`;
}
