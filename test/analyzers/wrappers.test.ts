// Wrappers: the inner command is analyzed as if run directly, with `via` set.
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze-command.js';

const argv = (...a: string[]) => analyze(a);
const inner = async (...a: string[]) => (await argv(...a)).map((f) => `${f.program}<${(f.via ?? []).join('>')}>${f.opaque ? '!' : ''}`);

describe('wrappers', () => {
  it('env with assignments, -i, -u and -S', async () => {
    expect(await inner('env', 'A=1', 'rm', '-rf', 'x')).toEqual(['rm<env>']);
    expect(await inner('env', '-i', '-u', 'X', 'LANG=C', 'ls')).toEqual(['ls<env>']);
    // A changed PATH decides which program runs: not something to allow unseen.
    expect(await inner('env', 'PATH=/tmp/evil:/bin', 'ls')).toEqual(['ls<env>!', 'ls<env>']);
    expect(await inner('env', '-S', 'rm -rf x')).toEqual(['rm<env>']);
    expect(await inner('env')).toEqual(['env<>']);
    const [fact] = await argv('env', 'PGHOST=db.prod', 'PGDATABASE=app', 'psql', '-c', 'SELECT 1');
    expect(fact!.uri).toBe('postgres://db.prod/app');
  });

  it('sudo adds a privilege fact and unwraps options', async () => {
    expect(await inner('sudo', '-u', 'postgres', '-E', 'psql', '-c', 'SELECT 1')).toEqual(['sudo<>', 'psql<sudo>']);
    const [own] = await argv('sudo', '-u', 'postgres', 'ls');
    expect(own).toMatchObject({ program: 'sudo', action: 'privilege', user: 'postgres' });
    expect(await inner('sudo', '-s', 'rm -rf /')).toEqual(['sudo<>', 'rm<sudo>']);
    expect(await inner('sudo')).toEqual(['sudo<>', 'sudo<>!']);
    expect(await inner('sudo', '--bogus', 'ls')).toEqual(['sudo<>!']);
  });

  it('timeout, nice, nohup, command, stdbuf, time, exec', async () => {
    expect(await inner('timeout', '-s', 'KILL', '-k', '5', '30s', 'rm', '-rf', 'x')).toEqual(['rm<timeout>']);
    expect(await inner('nice', '-n', '5', 'rm', 'x')).toEqual(['rm<nice>']);
    expect(await inner('nice', '-10', 'rm', 'x')).toEqual(['rm<nice>']);
    expect(await inner('nohup', 'rm', 'x')).toEqual(['rm<nohup>']);
    expect(await inner('command', '-p', 'rm', 'x')).toEqual(['rm<command>']);
    expect(await inner('command', '-v', 'rm')).toEqual(['command<>']);
    expect(await inner('stdbuf', '-oL', 'rm', 'x')).toEqual(['rm<stdbuf>']);
    expect(await inner('exec', 'rm', 'x')).toEqual(['rm<exec>']);
  });

  it('xargs marks the inner command as taking arguments from stdin', async () => {
    const facts = await argv('xargs', '-0', '-n', '1', '-P', '4', 'rm', '-rf');
    expect(facts[0]).toMatchObject({ program: 'rm', via: ['xargs'], dynamic_args: true });
    expect(await inner('xargs', '-I{}', 'kubectl', 'delete', 'ns', '{}')).toEqual(['kubectl<xargs>', 'kubectl<xargs>!']);
    expect(await inner('xargs', 'echo')).toEqual(['echo<xargs>']);
  });

  it('ssh analyzes the remote command as a shell line', async () => {
    expect(await inner('ssh', '-i', 'k.pem', '-p', '22', 'deploy@web1', 'rm', '-rf', '/srv && ls')).toEqual(['ssh<>', 'rm<ssh>', 'ls<ssh>']);
    expect(await inner('ssh', 'web1')).toEqual(['ssh<>', 'ssh<>!']);
    const [own] = await argv('ssh', 'deploy@web1', 'ls');
    expect(own).toMatchObject({ host: 'web1', action: 'exec' });
  });

  it('stops nesting at a depth limit, opaquely', async () => {
    const deep = Array.from({ length: 40 }, () => 'nohup');
    const facts = await argv(...deep, 'ls');
    expect(facts.some((f) => f.opaque)).toBe(true);
  });

  it('normalizes absolute paths and backslashes in program names', async () => {
    expect(await inner('/usr/bin/sudo', '/bin/rm', 'x')).toEqual(['sudo<>', 'rm<sudo>']);
    expect(await inner('\\rm', 'x')).toEqual(['rm<>']);
  });
});
