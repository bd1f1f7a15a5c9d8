// Requester-controlled text in an Adaptive Card TextBlock or Fact, which Teams renders as a
// markdown subset (bold, italics, lists, [links](url)). Every markdown punctuation character
// gets a backslash, as do list and quote markers at the start of a line, so `**x**`,
// `[click](https://evil)`, `<at>…</at>` and `{{DATE(…)}}` show as typed, and URLs are not
// auto-linked. Control and bidi characters are shown, and long values cut.
import { fitEscaped, visible } from '../visible-text.js';

const SPECIAL = /[\\`*_~[\](){}<>#|!&]/g;

/** Backslash-escape markdown in `text` (line starts included). */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(SPECIAL, (ch) => `\\${ch}`)
    // Not an auto-link: a URL in a value is shown, not made clickable.
    .replace(/:\/\//g, '\\://')
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** A one-line value for a TextBlock or Fact, at most `limit` characters once escaped. */
export function cardText(value: string, limit = 500): string {
  const shown = visible(value, false).trim();
  return shown === '' ? '(empty)' : fitEscaped(shown, escapeCardMarkdown, limit);
}

/** A multi-line value (the command); markdown needs a blank line for a line break. */
export function cardBlock(value: string, limit = 3000): string {
  return fitEscaped(visible(value, true), (cut) => escapeCardMarkdown(cut).replace(/\n/g, '\n\n'), limit);
}
