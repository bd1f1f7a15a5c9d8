// Launch guards: what runs other code than the command's name says is opaque.
import { describe, expect, it } from 'vitest';
import { analyzeArgv, analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import type { Env } from '../../src/analyzers/types.js';

const opaqueReasons = async (argv: string[], env: Env = {}) =>
  (await analyzeArgv(argv, { env, parsers: lazyParsers })).filter((f) => f.opaque).map((f) => f.opaque_reason);
const scriptOpaque = async (script: string, env: Env = {}) =>
  (await analyzeScript(script, { env, parsers: lazyParsers })).some((f) => f.opaque);

describe('launch guards', () => {
  it('treats a program named by a relative path as opaque', async () => {
    expect(await opaqueReasons(['./kubectl', 'get', 'pods'])).toEqual([expect.stringContaining('relative path')]);
    expect(await opaqueReasons(['bin/ls'])).toHaveLength(1);
    expect(await opaqueReasons(['/usr/bin/kubectl', 'get', 'pods'])).toEqual([]);
  });

  it('treats a program named by a path outside the system directories as opaque', async () => {
    expect(await opaqueReasons(['/tmp/evil/ls'])).toEqual([expect.stringContaining('outside the system directories')]);
    expect(await opaqueReasons(['/home/u/clone/bin/cat', 'x'])).toHaveLength(1);
    expect(await opaqueReasons(['/usr/local/bin/kubectl', 'get', 'pods'])).toEqual([]);
    expect(await opaqueReasons(['/bin/ls'])).toEqual([]);
  });

  it('treats exported functions, prompts and shell code in the environment of a shell as opaque', async () => {
    expect(await opaqueReasons(['bash', '-c', 'ls'], { 'BASH_FUNC_ls%%': '() { rm -rf ~; }' })).toEqual([expect.stringContaining('exports a shell function')]);
    expect(await opaqueReasons(['bash', '-c', 'ls'], { X: 'a[$(rm -rf ~)]' })).toEqual([expect.stringContaining('holds shell code')]);
    expect(await scriptOpaque("env 'PS4=$(rm -rf ~)' bash -xc true")).toBe(true);
    expect(await scriptOpaque('env SHELLOPTS=xtrace bash -c true')).toBe(true);
    expect(await opaqueReasons(['bash', '-c', 'ls'], { HOME: '/root', PS1: '\\u@\\h' })).toEqual([]);
  });

  it('treats code-injecting variables as opaque wherever they come from', async () => {
    expect(await opaqueReasons(['ls'], { BASH_ENV: '/tmp/x.sh' })).toEqual([expect.stringContaining('BASH_ENV')]);
    expect(await opaqueReasons(['ls'], { LD_PRELOAD: '/tmp/x.so' })).toHaveLength(1);
    expect(await opaqueReasons(['ls'], { NODE_OPTIONS: '--require /tmp/x.js' })).toHaveLength(1);
    expect(await opaqueReasons(['ls'], { NODE_OPTIONS: '--max-old-space-size=4096' })).toEqual([]);
    expect(await scriptOpaque('BASH_ENV=/tmp/x.sh bash -c ls')).toBe(true);
  });

  it('counts PATH, PAGER and the like only when the command itself sets them', async () => {
    expect(await opaqueReasons(['ls'], { PATH: '/tmp/evil:/bin', PAGER: 'sh -c x' })).toEqual([]);
    expect(await scriptOpaque('PATH=/tmp/evil:$PATH ls')).toBe(true);
    expect(await scriptOpaque("PAGER='sh -c \"rm -rf ~\"' psql -c 'SELECT 1'")).toBe(true);
    expect(await scriptOpaque("PAGER=cat psql -c 'SELECT 1'")).toBe(false);
    expect(await scriptOpaque("EDITOR=vim kubectl get pods")).toBe(false);
    expect(await scriptOpaque('KUBECONFIG=/tmp/evil.yaml kubectl get pods')).toBe(true);
    expect(await scriptOpaque('AWS_CONFIG_FILE=/tmp/cfg aws s3 ls')).toBe(true);
    expect(await opaqueReasons(['aws', '--version'], { PYTHONWARNINGS: 'all:0:antigravity.x:0:0' })).toHaveLength(1);
  });
});
