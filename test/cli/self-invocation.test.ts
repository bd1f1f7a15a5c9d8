// The hook's "already a run through gate" test reads run options exactly as `gate` does.
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatedArgv } from '../../src/app/hooks/self-invocation.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gate-self-')));
const entry = join(dir, 'gate.js');
writeFileSync(entry, '');
const self = { node: realpathSync(process.execPath), entry };
const gated = (...args: string[]) => gatedArgv([entry, ...args], { PATH: '' }, dir, self);

describe('gatedArgv', () => {
  it('finds the command after run options, as the plain run parses them', () => {
    expect(gated('--reason', 'x', '--json', '--', 'rm', '-rf', 'tmp')).toEqual(['rm', '-rf', 'tmp']);
    expect(gated('--wait=0', '--', 'ls')).toEqual(['ls']);
    expect(gatedArgv([process.execPath, entry, '--', 'ls'], { PATH: '' }, dir, self)).toEqual(['ls']);
  });

  it('is not a run when gate would not take it as one: the command is what gate runs, split at the first `--`', () => {
    // gate splits at the first `--`: `--wait` has no value, a usage error, not a run of `rm`.
    expect(gated('--wait', '--', '--', 'rm', '-rf', 'tmp')).toBeNull();
    expect(gated('--bogus', '--', 'ls')).toBeNull();
    expect(gated('keys', 'trust', '--', 'x')).toBeNull();
    expect(gated('--')).toBeNull();
    expect(gated('ls')).toBeNull();
  });
});
