import { describe, expect, it } from 'vitest';
import type { Env, Fact } from '../../src/analyzers/types.js';
import { analyze, onlyFact, words } from './analyze-command.js';

const facts = (argv: string[], env: Env = {}): Promise<Fact[]> => analyze(['git', ...argv], env);
const one = async (line: string, env: Env = {}): Promise<Fact> => onlyFact(await facts(words(line), env));

describe('git analyzer: global options', () => {
  it('skips global options before the subcommand', async () => {
    expect(await one('-C repo --no-pager -P --git-dir=.git --work-tree . log')).toMatchObject({ program: 'git', action: 'read', subcommand: 'log', dir: 'repo' });
    expect(await one('-c color.ui=always -c user.name=x status')).toMatchObject({ action: 'read', subcommand: 'status' });
  });

  it('adds an opaque fact for -c settings and environment that run programs', async () => {
    const list = await facts(['-c', 'core.pager=rm -rf ~', 'log']);
    expect(list[0]).toMatchObject({ opaque: true, opaque_reason: expect.stringContaining('core.pager') });
    expect(list[1]).toMatchObject({ subcommand: 'log' });
    for (const key of ['alias.x=!sh', 'core.sshCommand=x', 'diff.external=x', 'core.fsmonitor=x', 'include.path=/tmp/x', 'credential.helper=!x']) {
      expect((await facts(['-c', key, 'status']))[0], key).toMatchObject({ opaque: true });
    }
    expect((await facts(['--config-env', 'core.pager=EVIL', 'log']))[0]).toMatchObject({ opaque: true });
    expect((await facts(['--exec-path=/tmp', 'status']))[0]).toMatchObject({ opaque: true });
    expect((await facts(['log'], { GIT_PAGER: 'sh -c evil' }))[0]).toMatchObject({ opaque: true });
    expect((await facts(['fetch'], { GIT_SSH_COMMAND: 'sh -c evil' }))[0]).toMatchObject({ opaque: true });
    expect((await facts(['status'], { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.pager', GIT_CONFIG_VALUE_0: 'x' }))[0]).toMatchObject({ opaque: true });
  });

  it('accepts ordinary pager and ssh settings', async () => {
    expect(await one('log', { PAGER: 'less -R', GIT_PAGER: 'cat' })).toMatchObject({ action: 'read' });
    expect(await one('fetch', { GIT_SSH_COMMAND: 'ssh -i ~/.ssh/key -o IdentitiesOnly=yes' })).toMatchObject({ action: 'read' });
  });

  it('accepts only plain ssh commands: no ProxyCommand, LocalCommand, -F or look-alike programs', async () => {
    for (const command of ['ssh -oProxyCommand=id', 'ssh -o ProxyCommand=id', 'ssh -o proxycommand=id', 'ssh -oLocalCommand=id -oPermitLocalCommand=yes',
      'ssh -o KnownHostsCommand=id', 'ssh -F /tmp/cfg', 'ssh -J jump', 'ssh -I /tmp/lib.so', 'ssh -o PKCS11Provider=/tmp/x.so', '/tmp/x/ssh',
      'ssh -i key; id', 'ssh $(id)', 'ssh evil.example', 'ssh -o', 'ssh -i']) {
      expect((await facts(['fetch'], { GIT_SSH_COMMAND: command }))[0], command).toMatchObject({ opaque: true });
    }
    for (const command of ['ssh', '/usr/bin/ssh -p 2222 -i ~/.ssh/deploy_key', 'ssh -4 -q -oStrictHostKeyChecking=accept-new -o UserKnownHostsFile=/dev/null']) {
      expect(await one('fetch', { GIT_SSH_COMMAND: command }), command).toMatchObject({ action: 'read' });
    }
    expect((await facts(['fetch'], { GIT_SSH: '/tmp/evil' }))[0]).toMatchObject({ opaque: true });
    expect(await one('fetch', { GIT_SSH: '/usr/bin/ssh' })).toMatchObject({ action: 'read' });
  });

  it('makes GIT_ALLOW_PROTOCOL opaque when it enables a remote helper', async () => {
    expect((await facts(['fetch'], { GIT_ALLOW_PROTOCOL: 'https:ext' }))[0]).toMatchObject({ opaque: true, opaque_reason: expect.stringContaining('GIT_ALLOW_PROTOCOL') });
    expect(await one('fetch', { GIT_ALLOW_PROTOCOL: 'https:ssh' })).toMatchObject({ action: 'read' });
  });

  it('makes ext:: and unknown remote helper URLs opaque wherever a URL goes', async () => {
    for (const argv of [['fetch', 'ext::sh -c id'], ['clone', 'ext::sh -c id', 'dir'], ['ls-remote', 'EXT::x'], ['pull', 'ext::x'], ['push', 'ext::x', 'main'],
      ['submodule', 'add', 'ext::x', 'sub'], ['remote', 'add', 'evil', 'ext::x'], ['archive', '--remote=ext::x', 'HEAD'], ['fetch', '--repo=ext::x'], ['clone', 'fd::3', 'x']]) {
      expect((await facts(argv))[0], argv.join(' ')).toMatchObject({ opaque: true });
    }
    expect(await one('clone https::example.com/x')).toMatchObject({ action: 'write' });
    expect(await one('log --grep=Foo::Bar')).toMatchObject({ action: 'read' });
  });

  it('makes writes in another repository opaque, not its local reads', async () => {
    expect((await facts(words('--git-dir=/tmp/evil/.git commit -m x')))[0]).toMatchObject({ opaque: true, opaque_reason: expect.stringContaining('--git-dir') });
    expect((await facts(words('--work-tree=/tmp/x checkout main')))[0]).toMatchObject({ opaque: true });
    for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_CONFIG']) {
      expect((await facts(words('commit -m x'), { [name]: '/tmp/x' }))[0], name).toMatchObject({ opaque: true });
    }
    expect((await facts(['fetch'], { GIT_DIR: '/tmp/evil/.git' }))[0]).toMatchObject({ opaque: true });
    expect(await one('--git-dir=/tmp/other/.git log')).toMatchObject({ action: 'read' });
    expect(await one('status', { GIT_DIR: '/tmp/other/.git' })).toMatchObject({ action: 'read' });
  });

  it('does not count safe.directory as inert', async () => {
    expect((await one('config --global safe.directory *')).config_safe).toBeUndefined();
    expect((await facts(['-c', 'safe.directory=*', 'status']))[0]).toMatchObject({ opaque: true });
  });

  it('makes unknown options, aliases and external subcommands opaque', async () => {
    expect(await one('--frob status')).toMatchObject({ opaque: true });
    expect(await one('co main')).toMatchObject({ opaque: true });
    expect(await one('lfs pull')).toMatchObject({ opaque: true });
  });
});

describe('git analyzer: push', () => {
  it('reads remote, branch and refspec', async () => {
    expect(await one('push origin main')).toMatchObject({ action: 'write', subcommand: 'push', remote: 'origin', branch: 'main', refspec: 'main', target: 'main' });
    expect(await one('push origin HEAD:refs/heads/release/1')).toMatchObject({ branch: 'release/1' });
    expect(await one('push origin tag v1.0')).toMatchObject({ tag: 'v1.0' });
    expect(await one('push')).toMatchObject({ action: 'write', target: 'upstream' });
  });

  it('reads every force spelling', async () => {
    for (const line of ['push -f origin x', 'push --force origin x', 'push origin +x', 'push --force-with-lease origin x', 'push --force-with-lease=x:abc origin x', 'push -uf origin x', 'push origin x --force', 'push --force-w origin x']) {
      expect((await one(line)).force, line).toBe(true);
    }
    expect(await one('push --force-with-lease origin x')).toMatchObject({ force_with_lease: true });
    expect((await one('push --force-if-includes origin x')).force).toBeUndefined();
    expect(await one('push --mirror backup')).toMatchObject({ force: true, delete: true, mirror: true, action: 'delete' });
  });

  it('reads remote branch deletion', async () => {
    for (const line of ['push origin :old', 'push origin --delete old', 'push -d origin old', 'push origin :refs/heads/old']) {
      expect(await one(line), line).toMatchObject({ action: 'delete', delete: true, branch: 'old', target: 'old' });
    }
    expect(await one('push --prune origin refs/heads/*:refs/heads/*')).toMatchObject({ action: 'delete', delete: true });
  });

  it('gives each refspec its own fact', async () => {
    const list = await facts(words('push origin main +dev :old'));
    expect(list.map((f) => [f.branch, f.action, f.force ?? false])).toEqual([['main', 'write', false], ['dev', 'write', true], ['old', 'delete', false]]);
  });

  it('reads dry runs and makes --receive-pack and ambiguous prefixes opaque', async () => {
    expect(await one('push -n -f origin x')).toMatchObject({ dry_run: true, force: true });
    expect(await one('push --dry-run --no-dry-run -f origin x')).not.toHaveProperty('dry_run');
    expect(await one('push --receive-pack=evil origin x')).toMatchObject({ opaque: true });
    expect(await one('push --forc origin x')).toMatchObject({ opaque: true });
  });
});

describe('git analyzer: local data loss', () => {
  it('reads reset modes', async () => {
    expect(await one('reset --hard HEAD~1')).toMatchObject({ action: 'delete', mode: 'hard', commit: 'HEAD~1' });
    expect(await one('reset --ha')).toMatchObject({ mode: 'hard' });
    expect(await one('reset --soft HEAD~1')).toMatchObject({ action: 'write', mode: 'soft' });
    expect(await one('reset')).toMatchObject({ action: 'write', mode: 'mixed' });
  });

  it('reads clean -f against -n', async () => {
    expect(await one('clean -fdx')).toMatchObject({ action: 'delete', force: true, directories: true, ignored: true });
    expect(await one('clean -n -f')).toMatchObject({ action: 'read', dry_run: true });
    expect(await one('clean -nf')).toMatchObject({ action: 'read', dry_run: true });
    expect(await one('clean -i')).toMatchObject({ action: 'delete', interactive: true });
  });

  it('reads branch deletion and listing', async () => {
    expect(await one('branch -D x')).toMatchObject({ action: 'delete', force: true, names: ['x'] });
    expect(await one('branch --delete --force x')).toMatchObject({ action: 'delete', force: true });
    expect(await one('branch -d x')).toMatchObject({ action: 'delete', delete: true });
    expect((await one('branch -d x')).force).toBeUndefined();
    expect(await one('branch -a')).toMatchObject({ action: 'read' });
    expect(await one('branch --merged main')).toMatchObject({ action: 'read' });
    expect(await one('branch new')).toMatchObject({ action: 'write', create: true });
  });

  it('tells branch checkouts from path checkouts', async () => {
    expect(await one('checkout main')).toMatchObject({ action: 'write', ref: 'main' });
    expect((await one('checkout main')).discard).toBeUndefined();
    expect(await one('checkout -b feature')).toMatchObject({ ref: 'feature', create: true });
    expect(await one('checkout -- .')).toMatchObject({ discard: true, paths: ['.'] });
    expect(await one('checkout HEAD -- a.ts')).toMatchObject({ discard: true, ref: 'HEAD', paths: ['a.ts'] });
    expect(await one('checkout .')).toMatchObject({ discard: true });
    expect(await one('checkout -f main')).toMatchObject({ discard: true, force: true });
    expect(await one('restore a.ts')).toMatchObject({ discard: true });
    expect((await one('restore --staged a.ts')).discard).toBeUndefined();
    expect(await one('switch --discard-changes main')).toMatchObject({ discard: true });
  });

  it('treats a checkout word that may name a file as discarding', async () => {
    for (const line of ['checkout src/app.ts', 'checkout src', 'checkout README.md', 'checkout feature/x', 'checkout v1.2.3', 'checkout Makefile']) {
      expect(await one(line), line).toMatchObject({ discard: true, paths: [line.split(' ')[1]] });
    }
    for (const line of ['checkout main', 'checkout feature-x', 'checkout -', 'checkout HEAD~2', 'checkout @{-1}', 'checkout 3f2a9c1',
      'checkout feature/x --', 'checkout --detach origin/main', 'checkout -t origin/feature/x', 'checkout -b feature/x origin/feature/x']) {
      expect((await one(line)).discard, line).toBeUndefined();
    }
  });

  it('classifies git apply and git am', async () => {
    expect(await one('apply fix.patch')).toMatchObject({ action: 'write', paths: ['fix.patch'] });
    expect((await one('apply fix.patch')).input).toBeUndefined();
    expect(await one('apply')).toMatchObject({ action: 'write', input: 'stdin' });
    expect(await one('apply -p1 -')).toMatchObject({ action: 'write', input: 'stdin' });
    expect(await one('apply -p 1')).toMatchObject({ input: 'stdin' });
    expect(await one('apply --unsafe-paths fix.patch')).toMatchObject({ action: 'write', force: true });
    expect(await one('apply --build-fake-ancestor=/tmp/i fix.patch')).toMatchObject({ action: 'write', output: '/tmp/i' });
    expect(await one('apply --stat fix.patch')).toMatchObject({ action: 'read' });
    expect(await one('apply --check --apply fix.patch')).toMatchObject({ action: 'write' });
    expect(await one('apply --frob fix.patch')).toMatchObject({ opaque: true });
    expect(await one('am 0001.patch')).toMatchObject({ action: 'write', subcommand: 'am' });
  });

  it('classifies stash, tag, rm and nested subcommands', async () => {
    expect(await one('stash')).toMatchObject({ action: 'write', operation: 'push' });
    expect(await one('stash -u')).toMatchObject({ action: 'write', operation: 'push' });
    expect(await one('stash drop')).toMatchObject({ action: 'delete' });
    expect(await one('stash list')).toMatchObject({ action: 'read' });
    expect(await one('tag -d v1')).toMatchObject({ action: 'delete' });
    expect(await one('tag -n5')).toMatchObject({ action: 'read' });
    expect(await one('tag v1')).toMatchObject({ action: 'write' });
    expect(await one('rm -rf src')).toMatchObject({ action: 'write', force: true, recursive: true });
    expect(await one('remote add up https://x')).toMatchObject({ action: 'write', operation: 'add' });
    expect(await one('remote -v')).toMatchObject({ action: 'read' });
    expect(await one('worktree remove ../wt')).toMatchObject({ action: 'delete' });
    expect(await one('reflog')).toMatchObject({ action: 'read' });
    expect(await one('reflog expire --expire=now --all')).toMatchObject({ action: 'delete' });
    expect(await one('credential fill')).toMatchObject({ action: 'read', secret: true });
  });

  it('classifies config reads and writes', async () => {
    expect(await one('config user.email a@b')).toMatchObject({ action: 'write', config_key: 'user.email', config_safe: true });
    expect(await one('config --global core.sshCommand x')).toMatchObject({ action: 'write', config_key: 'core.sshcommand', scope: 'global' });
    expect((await one('config alias.x !sh')).config_safe).toBeUndefined();
    expect(await one('config --get core.pager')).toMatchObject({ action: 'read' });
    expect(await one('config core.pager')).toMatchObject({ action: 'read' });
    expect(await one('config get user.name')).toMatchObject({ action: 'read' });
    expect(await one('config set user.name x')).toMatchObject({ action: 'write', config_safe: true });
    expect(await one('config --file ~/.bashrc user.name x')).toMatchObject({ action: 'write', scope: 'file' });
    expect((await one('config --file ~/.bashrc user.name x')).config_safe).toBeUndefined();
  });
});

describe('git analyzer: programs git runs', () => {
  it('analyzes rebase --exec, submodule foreach and bisect run commands', async () => {
    const rebase = await facts(['rebase', '-x', 'rm -rf build', 'main']);
    expect(rebase[0]).toMatchObject({ subcommand: 'rebase', action: 'write' });
    expect(rebase.slice(1)).toContainEqual(expect.objectContaining({ program: 'rm', via: ['git-rebase-exec'] }));
    const foreach = await facts(['submodule', 'foreach', '--recursive', 'git reset --hard']);
    expect(foreach[0]).toMatchObject({ action: 'exec', operation: 'foreach' });
    expect(foreach.slice(1)).toContainEqual(expect.objectContaining({ program: 'git', mode: 'hard' }));
    const bisect = await facts(words('bisect run make test'));
    expect(bisect[1]).toMatchObject({ program: 'make', via: ['git-bisect-run'] });
  });

  it('makes options that run programs opaque', async () => {
    for (const line of ['fetch --upload-pack=x origin', 'pull --upload-pack x', 'ls-remote --upload-pack=x origin', 'grep -O foo', 'grep --open-files-in-pager=x foo', 'difftool -x x', 'clone -u x https://x', 'clone --template=/tmp/t https://x', 'clone -c core.hooksPath=/tmp https://x']) {
      expect(await one(line), line).toMatchObject({ opaque: true });
    }
    expect(await one('clone -c user.name=x https://x d')).toMatchObject({ action: 'write', remote: 'https://x' });
  });

  it('marks --output on diff and log as a write', async () => {
    expect(await one('diff --output=/tmp/x')).toMatchObject({ action: 'write', output: '/tmp/x' });
    expect(await one('log --output-indicator-new=+')).toMatchObject({ action: 'read' });
  });

  it('marks archive -o / --output as a write of that file', async () => {
    expect(await one('archive -o /tmp/x.tar HEAD')).toMatchObject({ action: 'write', output: '/tmp/x.tar' });
    expect(await one('archive -o/tmp/x.tar HEAD')).toMatchObject({ action: 'write', output: '/tmp/x.tar' });
    expect(await one('archive --output /tmp/x.zip HEAD')).toMatchObject({ action: 'write', output: '/tmp/x.zip' });
    expect(await one('archive --format=tar HEAD')).toMatchObject({ action: 'read' });
    expect(await one('log --output-indicator-new=+ --output=/tmp/x')).toMatchObject({ action: 'write', output: '/tmp/x' });
  });
});
