// Shell scripts through tree-sitter-bash: every command found, expansions in command position
// opaque, quoting and escapes resolved the way the shell would.
import { describe, expect, it } from 'vitest';
import { analyzeScript } from '../../src/analyzers/analyze.js';
import { lazyParsers } from '../../src/analyzers/parsers.js';
import { analyze } from './analyze-command.js';

const script = (text: string) => analyzeScript(text, { env: {}, parsers: lazyParsers });
const argv = (...a: string[]) => analyze(a);
const programs = async (text: string) => (await script(text)).map((f) => (f.opaque ? `opaque:${f.program}` : f.program));

describe('shell scripts', () => {
  it('finds every command in pipelines, lists, subshells, substitutions and bodies', async () => {
    expect(await programs('a | b && c; (d) || { e; }')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await programs('echo "$(id)" `whoami` <(ls)')).toEqual(['id', 'whoami', 'ls', 'echo']);
    expect(await programs('for i in 1 2; do rm "$i"; done; f() { shred x; }; while true; do sleep 1; done')).toEqual(['opaque:rm', 'rm', 'shred', 'true', 'sleep']);
    expect(await programs('X=$(cat secret) ; export Y=$(date)')).toEqual(['cat', 'date']);
  });

  it('resolves quotes and escapes in words', async () => {
    const [fact] = await script(`\\rm -rf "a b" 'c d' e\\ f $'\\x67'`);
    expect(fact!.program).toBe('rm');
    expect(fact!.args).toEqual(['-rf', 'a b', 'c d', 'e f', 'g']);
  });

  it('makes expansions in command position opaque', async () => {
    for (const text of ['$CMD arg', '${X:-rm} -rf /', '$(echo rm) -rf /', '`echo rm` x', '"$X" y', 'r"$X"m -rf /']) {
      const facts = await script(text);
      expect(facts.some((f) => f.opaque), text).toBe(true);
    }
  });

  it('keeps literal quoted command names static', async () => {
    expect(await programs(`"kubectl" get pods`)).toEqual(['kubectl']);
    expect(await programs(`'ls'`)).toEqual(['ls']);
  });

  it('marks arguments that expand at run time, and makes them opaque unless no argument can hurt', async () => {
    const facts = await script('rm "$DIR"');
    expect(facts.find((f) => f.program === 'rm' && !f.opaque)!.dynamic_args).toBe(true);
    expect(facts.some((f) => f.opaque)).toBe(true);
    for (const text of ['git push {-f,origin} main', 'git reset --{soft,hard}', 'chmod {-R,777} /', 'x=--force; git push origin main $x', 'git add *', 'sort $OPTS f']) {
      expect((await script(text)).some((f) => f.opaque), text).toBe(true);
    }
    for (const text of ['echo "$HOME"', 'ls *.txt', 'cat "$F" | grep x', 'echo {a,b}']) {
      expect((await script(text)).some((f) => f.opaque), text).toBe(false);
    }
  });

  it('makes bash constructs that evaluate data as code opaque', async () => {
    for (const text of [
      "cat <<EOF\n$(rm -rf ~)\nEOF",
      "printf -v 'a[$(rm -rf ~)]' x",
      "read 'a[$(rm -rf ~)]' <<< x",
      "test -v 'a[$(rm -rf ~)]'",
      "a='x[$(id)]'; [[ $a -eq 0 ]]",
      'echo $(( x + 1 ))',
      '(( a ))',
      'declare -i b=$x',
      'echo ${!x}',
      'echo ${x@P}',
      'echo ${a[$i]}',
      "PS4='$(id)' bash -xc true",
    ]) {
      expect((await script(text)).some((f) => f.opaque || f.program === 'rm'), text).toBe(true);
    }
  });

  it('sees writes and network connections through every redirection spelling', async () => {
    const facts = await script('echo x >& /etc/cron.d/x; echo y > 1; cat f >& /dev/tcp/h/443; ls 2>&1 >&2');
    expect(facts.filter((f) => f.program === 'shell-redirect' && !f.opaque).map((f) => f.path)).toEqual(['/etc/cron.d/x', '1']);
    expect(facts.some((f) => f.opaque && String(f.opaque_reason).includes('/dev/tcp'))).toBe(true);
  });

  it('treats syntax errors as opaque, alongside what it could read', async () => {
    const facts = await script('ls && (');
    expect(facts.some((f) => f.opaque && f.opaque_reason === 'shell syntax error')).toBe(true);
  });

  it('records writes through redirections, not harmless ones', async () => {
    const facts = await script('ls > out.txt 2>&1; ls 2>/dev/null; ls >> log');
    expect(facts.filter((f) => f.program === 'shell-redirect').map((f) => f.path)).toEqual(['out.txt', 'log']);
  });

  it('applies environment prefixes to the command', async () => {
    const facts = await script('PGHOST=db.prod PGDATABASE=app psql -c "SELECT 1"');
    expect(facts[0]!.uri).toBe('postgres://db.prod/app');
  });

  it('ignores comments and handles newlines', async () => {
    expect(await programs('# rm -rf /\nls\n\n  pwd # trailing')).toEqual(['ls', 'pwd']);
  });
});

describe('shells as programs', () => {
  it('analyzes -c scripts with bundled options', async () => {
    for (const args of [['-c'], ['-lc'], ['-ec'], ['-o', 'pipefail', '-c'], ['-eo', 'pipefail', '-c'], ['--norc', '-c']]) {
      const facts = await argv('bash', ...args, 'kubectl delete ns prod');
      expect(facts.map((f) => f.program), args.join(' ')).toEqual(['kubectl']);
      expect(facts[0]!.via).toEqual(['bash']);
    }
  });

  it('is opaque for script files and stdin', async () => {
    expect((await argv('sh', 'deploy.sh'))[0]!.opaque).toBe(true);
    expect((await argv('bash'))[0]!.opaque).toBe(true);
    expect((await argv('zsh', '-s'))[0]!.opaque).toBe(true);
  });

  it('nests shells', async () => {
    const facts = await argv('sh', '-c', `bash -c "zsh -c 'rm -rf /'"`);
    expect(facts[0]).toMatchObject({ program: 'rm', via: ['sh', 'bash', 'zsh'] });
  });

  it('makes eval opaque and still reads its words', async () => {
    const facts = await argv('eval', 'kubectl delete ns prod');
    expect(facts.map((f) => f.program)).toEqual(['eval', 'kubectl']);
    expect(facts[0]!.opaque).toBe(true);
  });
});
