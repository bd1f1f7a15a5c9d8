// Escaping of requester-controlled text in exported and rendered evidence (pure).
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/app/evidence/export-formats.js';
import { htmlEscape, mdEscape } from '../../src/app/evidence/render-report.js';
import { pathLine } from '../../src/app/shims/shim-env.js';
import { renderShim, shimExecTarget } from '../../src/app/shims/shim-script.js';

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=a,"b"', `"'=a,""b"""`],
  ])('%j -> %j', (input, output) => expect(csvCell(input)).toBe(output));
});

describe('report escaping', () => {
  it('html escapes every markup character', () => {
    expect(htmlEscape(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
  it('markdown escapes table breakers, markup and links, and flattens lines', () => {
    expect(mdEscape('a|b [x](http://e) <img> *y* `z`\nnext')).toBe('a\\|b \\[x\\](http://e) \\<img\\> \\*y\\* \\`z\\` next');
  });
});

describe('shim script and PATH line', () => {
  it('quotes paths and keeps the exec target readable for doctor', () => {
    const text = renderShim('kubectl', { node: "/opt/it's node/bin/node", entry: '/opt/gate/bin/gate.js', gateHome: null });
    expect(text).toContain(`exec '/opt/it'\\''s node/bin/node' '/opt/gate/bin/gate.js' -- 'kubectl' "$@"`);
    expect(shimExecTarget(text)).toEqual({ node: "/opt/it's node/bin/node", entry: '/opt/gate/bin/gate.js' });
    expect(() => renderShim('../evil', { node: '/n', entry: '/e', gateHome: null })).toThrow(/not a program name/);
  });
  it('prints an idempotent PATH line per shell', () => {
    expect(pathLine('bash', '/h/shims')).toBe(`case ":\${PATH}:" in *:'/h/shims':*) ;; *) PATH='/h/shims'":\${PATH}"; export PATH ;; esac`);
    expect(pathLine('fish', '/h/shims')).toBe(`contains -- '/h/shims' $PATH; or set -gx PATH '/h/shims' $PATH`);
  });
});
