// Requester-controlled text made safe to show in any medium before the medium's own escaping:
// control characters, bidirectional overrides and invisible marks become visible \u{...}
// escapes (so a reviewer sees that something odd is there), and long values are cut.

/** C0/C1 controls but tab and newline, DEL, bidi marks and overrides, line/paragraph separators, BOM. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2028\u2029\u2060-\u2064\u2066-\u2069\uFEFF]/g;

const codePoint = (ch: string) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;

/** `text` with invisible characters shown; newlines kept when `multiline`, else shown as ⏎. */
export function visible(text: string, multiline: boolean): string {
  const lines = text.replace(/\r\n/g, '\n').replace(/\t/g, ' ').replace(INVISIBLE, codePoint);
  return multiline ? lines : lines.replace(/\n/g, ' ⏎ ');
}

/** At most `max` characters (code points), with … when cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** The longest cut of `text` whose escaped form fits in `limit` characters. */
export function fitEscaped(text: string, escape: (cut: string) => string, limit: number): string {
  let max = Array.from(text).length;
  let out = escape(text);
  while (out.length > limit && max > 1) {
    max = Math.max(1, Math.min(max - 1, Math.floor((max * limit) / out.length)));
    out = escape(truncate(text, max));
  }
  return out;
}
