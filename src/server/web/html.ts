// HTML built from tagged templates: every interpolated value is escaped unless it is already
// Html (made by this module), so requester-controlled text cannot become markup.
import { visible } from '../channels/visible-text.js';

/** Markup that is safe to insert as is: only `html`, `join` and `attrUrl` make it. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** The one escape function: text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  // Invisible and direction-changing characters are shown as \u{...}: the page must not show
  // a reviewer a different command than the one that runs (bidi "Trojan source" tricks).
  return visible(value, true).replace(/[&<>"'`]/g, (ch) => ENTITIES[ch]!);
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The template helper: html`<p>${text}</p>` escapes `text`; nested html`` stays markup. */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Items joined by a separator, each escaped unless Html. */
export function join(items: readonly Interpolation[], separator: Html | string = ''): Html {
  return new Html(items.map(render).join(render(separator)));
}

/**
 * A URL for an href/action: only same-site paths ("/r/x") and http(s) URLs pass; anything
 * else (javascript:, data:, protocol-relative //host) becomes "#". Escape still applies.
 */
export function attrUrl(url: string): Html {
  const ok = (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) || /^https?:\/\//i.test(url);
  return new Html(escapeHtml(ok ? url : '#'));
}
