// The plain run's own option parser gives what commander gives for the same arguments, and
// hands everything else (subcommands, help, unknown or incomplete options) to commander.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runFlags } from '../../src/cli/run-flags.js';
import { addRunOptions } from '../../src/cli/run-options.js';

function commanderFlags(args: string[]): unknown {
  let flags: unknown;
  const program = addRunOptions(new Command('gate').exitOverride().configureOutput({ writeErr: () => {} })).action((f: unknown) => {
    flags = f;
  });
  program.parse(args, { from: 'user' });
  return flags;
}

describe('runFlags', () => {
  it.each([
    [[]],
    [['--json']],
    [['--reason', 'INC-1', '--wait', '0']],
    [['--reason=INC 2', '--wait=', '--json', '--quiet', '--open', '--non-interactive']],
    [['--token', 'a', '--token=b', '--rules', 'x', '--rules', 'y']],
    [['--reason', '--json']],
    [['--actor', 'ci', '--request', 'r1', '--server', 'http://127.0.0.1:1', '--reason', 'a', '--reason', 'b']],
  ])('parses %j as commander does', (args) => {
    expect(runFlags(args)).toEqual(commanderFlags(args));
  });

  it.each([[['explain']], [['--help']], [['-V']], [['--bogus']], [['--reason']], [['--json', 'rules']], [['--json=1']]])('leaves %j to the full program', (args) => {
    expect(runFlags(args)).toBeUndefined();
  });
});
