// The template helper escapes everything it did not make itself; URLs in attributes are
// limited to local paths and http(s).
import { describe, expect, it } from 'vitest';
import { attrUrl, escapeHtml, html, join } from '../../../src/server/web/html.js';
import { relativeTime } from '../../../src/server/web/relative-time.js';

describe('escapeHtml', () => {
  it('escapes the characters that open markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });
});

describe('html``', () => {
  it('escapes interpolated text, keeps nested html, flattens arrays and drops null', () => {
    const name = '<script>alert(1)</script>';
    const out = html`<p title="${'"><img src=x onerror=alert(1)>'}">${name}${html`<b>${'&'}</b>`}${['<i>', html`<br>`]}${null}${undefined}${false}${0}</p>`;
    expect(out.text).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>&amp;</b>&lt;i&gt;<br>0</p>');
  });

  it('joins with an escaped separator', () => {
    expect(join(['a<', html`<b>`], ' & ').text).toBe('a&lt; &amp; <b>');
  });
});

describe('attrUrl', () => {
  it.each([
    ['/r/abc', '/r/abc'],
    ['https://gate.example.com/r/1?a=1&b=2', 'https://gate.example.com/r/1?a=1&amp;b=2'],
    ['javascript:alert(1)', '#'],
    [' javascript:alert(1)', '#'],
    ['JaVaScRiPt:alert(1)', '#'],
    ['data:text/html,<script>', '#'],
    ['//evil.example.com/', '#'],
    ['/\\evil.example.com', '#'],
    ['r/relative', '#'],
  ])('%s -> %s', (input, output) => {
    expect(attrUrl(input).text).toBe(output);
  });
});

describe('relativeTime', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it.each([
    ['2026-11-21T12:00:00.400Z', 'now'],
    ['2026-11-21T11:59:30Z', '30 s ago'],
    ['2026-11-21T11:57:00Z', '3 min ago'],
    ['2026-11-21T12:58:00Z', 'in 58 min'],
    ['2026-11-21T09:00:00Z', '3 h ago'],
    ['2026-11-18T12:00:00Z', '3 d ago'],
  ])('%s is %s', (iso, text) => {
    expect(relativeTime(iso, now)).toBe(text);
  });
});

describe('invisible and direction-changing characters', () => {
  it('are shown as \\u{...}, so the page cannot disguise a command', () => {
    expect(escapeHtml('rm -rf /srv/\u202Ekcab\u202C')).toBe('rm -rf /srv/\\u{202E}kcab\\u{202C}');
    expect(escapeHtml('x\u200By')).toBe('x\\u{200B}y');
    expect(html`<code>${'a\u2066b'}</code>`.text).toBe('<code>a\\u{2066}b</code>');
  });
});
