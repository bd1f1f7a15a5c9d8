import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/analyzers/types.js';
import { analyze, onlyFact, words } from './analyze-command.js';

const one = async (line: string): Promise<Fact> => onlyFact(await analyze(words(line)));

describe('rm', () => {
  it('reads recursive and force in every spelling and order', async () => {
    for (const line of ['rm -rf x', 'rm -fr x', 'rm -r -f x', 'rm -R -f x', 'rm -Rf x', 'rm --recursive --force x', 'rm --rec --for x', 'rm x -rf', 'rm -vrf x', '/bin/rm -rf x', '\\rm -rf x']) {
      expect(await one(line), line).toMatchObject({ program: 'rm', action: 'delete', recursive: true, force: true, path: 'x', target: 'x' });
    }
  });

  it('stops reading options at `--`', async () => {
    const fact = await one('rm -- -rf');
    expect(fact).toMatchObject({ action: 'delete', path: '-rf' });
    expect(fact.recursive).toBeUndefined();
    expect(fact.force).toBeUndefined();
  });

  it('gives each path its own fact and flags the root', async () => {
    expect((await analyze(words('rm -r a b'))).map((f) => f.path)).toEqual(['a', 'b']);
    for (const path of ['/', '//', '/.', '/*']) expect((await one(`rm -rf ${path}`)).root, path).toBe(true);
    expect((await one('rm -rf /tmp')).root).toBeUndefined();
    expect(await one('rm -rf --no-preserve-root /')).toMatchObject({ no_preserve_root: true });
  });

  it('makes unknown options opaque and answers --help as a read', async () => {
    expect(await one('rm -Z x')).toMatchObject({ opaque: true });
    expect(await one('rm --help')).toMatchObject({ action: 'read' });
  });
});

describe('rmdir, shred, truncate', () => {
  it('classifies them', async () => {
    expect(await one('rmdir -p a/b')).toMatchObject({ program: 'rmdir', action: 'delete', parents: true, path: 'a/b' });
    expect(await one('shred -u -n 3 key.pem')).toMatchObject({ program: 'shred', action: 'delete', remove: true, path: 'key.pem' });
    expect(await one('truncate -s 0 app.log')).toMatchObject({ action: 'delete', size: '0' });
    expect(await one('truncate --size=0 app.log')).toMatchObject({ action: 'delete' });
    expect(await one('truncate -s 10M disk.img')).toMatchObject({ action: 'write', size: '10M' });
  });
});

describe('find', () => {
  it('reads -delete but not a -delete that is an argument', async () => {
    expect(await one('find . -name *.tmp -delete')).toMatchObject({ program: 'find', action: 'delete', delete: true, paths: ['.'] });
    expect(await one('find . -name -delete')).toMatchObject({ action: 'read' });
    expect(await one('find -L /a /b -type f')).toMatchObject({ action: 'read', paths: ['/a', '/b'] });
  });

  it('analyzes -exec commands with {} kept as an argument', async () => {
    const list = await analyze(['find', '.', '-type', 'f', '-exec', 'rm', '-f', '{}', ';', '-o', '-execdir', 'shred', '{}', '+']);
    expect(list[0]).toMatchObject({ program: 'find', action: 'read', exec: true });
    expect(list[1]).toMatchObject({ program: 'rm', force: true, path: '{}', via: ['find-exec'] });
    expect(list[2]).toMatchObject({ program: 'shred', via: ['find-exec'] });
  });

  it('reads file outputs and makes unterminated -exec and unknown primaries opaque', async () => {
    expect(await one('find . -fprint out.txt')).toMatchObject({ action: 'write', outputs: ['out.txt'] });
    expect(await one('find . -exec rm {}')).toMatchObject({ opaque: true });
    expect(await one('find . -frobnicate')).toMatchObject({ opaque: true });
  });
});

describe('dd and mkfs', () => {
  it('reads dd operands', async () => {
    expect(await one('dd if=/dev/zero of=/dev/sda bs=1M')).toMatchObject({ program: 'dd', action: 'write', input: '/dev/zero', output: '/dev/sda', device: true, target: '/dev/sda' });
    expect(await one('dd if=/dev/zero of=swap bs=1M count=10')).toMatchObject({ action: 'write', output: 'swap' });
    expect((await one('dd if=/dev/zero of=swap')).device).toBeUndefined();
    expect(await one('dd if=/dev/sda of=/dev/null')).toMatchObject({ action: 'read' });
    expect(await one('dd if=x frob=1')).toMatchObject({ opaque: true });
  });

  it('reads mkfs and mkfs.TYPE', async () => {
    expect(await one('mkfs.ext4 -L data /dev/sdb1')).toMatchObject({ program: 'mkfs.ext4', action: 'delete', fs_type: 'ext4', device: '/dev/sdb1', target: '/dev/sdb1' });
    expect(await one('/sbin/mkfs -t XFS /dev/sdc')).toMatchObject({ program: 'mkfs', fs_type: 'xfs', device: '/dev/sdc' });
  });
});

describe('chmod', () => {
  it('reads mode, recursion and what the mode grants', async () => {
    expect(await one('chmod -R 755 /srv')).toMatchObject({ program: 'chmod', action: 'write', mode: '755', recursive: true, path: '/srv' });
    expect(await one('chmod 755 --recursive /srv')).toMatchObject({ recursive: true });
    expect(await one('chmod -x run.sh')).toMatchObject({ mode: '-x', path: 'run.sh' });
    expect((await one('chmod -x run.sh')).recursive).toBeUndefined();
    expect(await one('chmod 4755 tool')).toMatchObject({ setuid: true });
    expect(await one('chmod g+s dir')).toMatchObject({ setuid: true });
    expect(await one('chmod 777 x')).toMatchObject({ world_writable: true });
    expect(await one('chmod a+w x')).toMatchObject({ world_writable: true });
    expect(await one('chmod u+x,o-w x')).not.toHaveProperty('world_writable');
    expect(await one('chmod --reference=a b')).toMatchObject({ reference: 'a', path: 'b', opaque: true });
    expect((await analyze(words('chmod 644 a b'))).map((f) => f.path)).toEqual(['a', 'b']);
  });

  it('reads octal modes with leading zeros', async () => {
    for (const mode of ['04755', '004755', '02755', '0004000']) expect(await one(`chmod ${mode} x`), mode).toMatchObject({ setuid: true });
    for (const mode of ['00777', '0002', '000666']) expect(await one(`chmod ${mode} x`), mode).toMatchObject({ world_writable: true });
    const plain = await one('chmod 00644 x');
    expect(plain.setuid).toBeUndefined();
    expect(plain.world_writable).toBeUndefined();
  });

  it('reads symbolic copies and octal digits in symbolic modes', async () => {
    for (const mode of ['o=u', 'o+u', 'a=u', 'go=u', 'u+x,o=g', '+0002', '=777']) expect(await one(`chmod ${mode} x`), mode).toMatchObject({ world_writable: true });
    for (const mode of ['+4755', '=2755', 'u+x,+4000']) expect(await one(`chmod ${mode} x`), mode).toMatchObject({ setuid: true });
    expect(await one('chmod -w,o=u x')).toMatchObject({ mode: '-w,o=u', world_writable: true });
    for (const mode of ['g=u', 'u=g', 'o-u', '+x', 'o-w']) expect((await one(`chmod ${mode} x`)).world_writable, mode).toBeUndefined();
  });

  it('makes a mode it cannot read, or one copied with --reference, opaque', async () => {
    for (const mode of ['99', '77777', 'u+s2', 'u+x,', 'u+4755', 'z+w']) expect(await one(`chmod ${mode} x`), mode).toMatchObject({ opaque: true });
    expect(await one('chmod --reference=/usr/bin/sudo x')).toMatchObject({ reference: '/usr/bin/sudo', path: 'x', opaque: true });
    expect(await one('chmod --reference /bin/su x')).toMatchObject({ opaque: true, opaque_reason: expect.stringContaining('--reference') });
  });
});
