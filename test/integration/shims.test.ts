// Shims as a user meets them: real shim scripts on PATH, run by name as any script would,
// gating fixture programs and the real kubectl; no recursion however PATH lists the shim dir.
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_BIN, GATE, gate, makeHome, type GateHome } from './gate-process.js';

let home: GateHome;
let shims: string;
let env: Record<string, string>;

/** Run a program by name, resolved on PATH by execa like a shell would: the shim if first. */
async function run(program: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = await execa(program, args, { env: { ...env, ...extraEnv }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
  return { exitCode: result.exitCode, signal: result.signal, stdout: String(result.stdout), stderr: String(result.stderr) };
}

function auditRecords(): Array<Record<string, unknown>> {
  return readFileSync(join(home.dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

beforeAll(async () => {
  home = makeHome();
  shims = join(home.dir, 'shims');
  const install = await gate(['shim', 'install', '--json', 'fixture-argv', 'fixture-exit', 'fixture-signal', 'kubectl', 'gate-no-such-program'], home.env);
  expect(install.exitCode, install.stderr).toBe(0);
  // The shim dir first, again through a symlink, and once more: none of it may recurse.
  const link = join(home.dir, 'shims-link');
  symlinkSync(shims, link);
  env = { ...home.env, PATH: `${shims}:${link}:${shims}:${home.env.PATH}` };
}, 60_000);

afterAll(() => home?.cleanup());

describe('gate shim install', () => {
  it('writes POSIX sh shims that exec gate by absolute path', () => {
    const text = readFileSync(join(shims, 'kubectl'), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['#!/bin/sh', '# gate-shim v1 kubectl']);
    expect(text).toMatch(new RegExp(`^exec '${process.execPath}' '/[^']+/bin/gate\\.js' -- 'kubectl' "\\$@"$`, 'm'));
  });

  it('is idempotent and refuses to replace a file that is not a shim', async () => {
    const again = await gate(['shim', 'install', '--json', 'kubectl'], home.env);
    expect(JSON.parse(again.stdout).shims).toEqual([expect.objectContaining({ program: 'kubectl', status: 'unchanged' })]);
    const dir = join(home.dir, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const refused = await gate(['shim', 'install', '--dir', dir, 'kubectl'], home.env);
    expect(refused.exitCode).toBe(78);
    expect(refused.stderr).toContain('is not a gate shim');
    expect(readFileSync(join(dir, 'kubectl'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('defaults to the programs the review and deny rules name', async () => {
    const other = makeHome();
    try {
      const run = await gate(['shim', 'install', '--json'], other.env);
      const programs = JSON.parse(run.stdout).shims.map((s: { program: string }) => s.program);
      expect(programs).toEqual(expect.arrayContaining(['aws', 'kubectl', 'psql', 'terraform', 'fixture-review']));
      expect(programs).not.toContain('ls');
      expect(programs).not.toContain('shell-redirect');
    } finally {
      other.cleanup();
    }
  });
});

describe('a shim on PATH', () => {
  it('runs an allowed program with its argv exactly as given', async () => {
    const result = await run('fixture-argv', ['', 'two words', 'line1\nline2', "it's", '$HOME', '--', '-x']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe("[]\n[two words]\n[line1\nline2]\n[it's]\n[$HOME]\n[--]\n[-x]");
    const started = auditRecords().filter((r) => r.event === 'started').at(-1)!;
    expect(started.exe).toBe(join(FIXTURE_BIN, 'fixture-argv'));
  });

  it("keeps the program's exit code and signal", async () => {
    expect((await run('fixture-exit', [], { FIXTURE_EXIT: '7' })).exitCode).toBe(7);
    const killed = await run('fixture-signal', ['TERM']);
    expect(killed.exitCode === 143 || killed.signal === 'SIGTERM', JSON.stringify(killed)).toBe(true);
  });

  it('denies what the rules deny (77) and sends reviewed commands to review (75)', async () => {
    const denied = await run('fixture-exit', ['--forbidden']);
    expect(denied.exitCode).toBe(77);
    expect(denied.stderr).toContain('denied by rule fixtures.deny');
    const reviewed = await run('kubectl', ['delete', 'ns', 'x'], { GATE_REASON: 'cleanup' });
    expect(reviewed.exitCode, reviewed.stderr).toBe(75);
    expect(reviewed.stderr).toContain('kubectl.delete-namespace');
    const request = auditRecords().filter((r) => r.event === 'request').at(-1)!;
    expect(request).toMatchObject({ argv: ['kubectl', 'delete', 'ns', 'x'], reason: 'cleanup', exe: join(FIXTURE_BIN, 'kubectl') });
  });

  it('asks for a reason when a rule needs one and no GATE_REASON is set', async () => {
    const result = await run('kubectl', ['delete', 'ns', 'x']);
    expect(result.exitCode).toBe(64);
    expect(result.stderr).toContain('GATE_REASON');
  });

  it('says a program is not installed and exits 127', async () => {
    const result = await run('gate-no-such-program', ['x']);
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('gate-no-such-program: not installed: the only gate-no-such-program on PATH is the gate shim');
  });

  it('gates the real kubectl, which runs (and fails to connect) for a read', async () => {
    const kubectl = await execa('sh', ['-c', 'command -v kubectl'], { reject: false });
    if (kubectl.exitCode !== 0) throw new Error('this test needs kubectl installed');
    const kubeconfig = join(home.dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: dummy\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: dummy\n  context: {cluster: dummy, user: dummy}\ncurrent-context: dummy\nusers:\n- name: dummy\n  user: {token: dummy}\n');
    // Without the fixture bin: kubectl is the real one.
    const realEnv = { ...env, PATH: `${shims}:${process.env.PATH}`, KUBECONFIG: kubeconfig };
    const get = await execa('kubectl', ['get', 'pods', '--request-timeout=5s'], { env: realEnv, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    expect(get.exitCode).toBe(1);
    expect(String(get.stderr)).toMatch(/127\.0\.0\.1:1|connection refused|Unable to connect/i);
    const started = auditRecords().filter((r) => r.event === 'started').at(-1)!;
    expect(started.exe).toBe(realpathSync(String(kubectl.stdout).trim()));
    const del = await execa('kubectl', ['delete', 'ns', 'x'], { env: { ...realEnv, GATE_REASON: 'test' }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
    expect(del.exitCode).toBe(75);
  });

  it('never runs a hand-written wrapper in a recorded shim dir (it would recurse)', async () => {
    const dir = join(home.dir, 'custom-shims');
    expect((await gate(['shim', 'install', '--dir', dir, 'fixture-exit'], home.env)).exitCode).toBe(0);
    // A wrapper without the shim marker that calls gate by program name: if gate found the
    // wrapper again, it would loop forever; the recorded dir is skipped by realpath instead.
    writeFileSync(join(dir, 'fixture-argv'), `#!/bin/sh\nexec '${process.execPath}' '${GATE}' -- fixture-argv "$@"\n`);
    chmodSync(join(dir, 'fixture-argv'), 0o755);
    const result = await run('fixture-argv', ['a'], { PATH: `${dir}:${env.PATH}` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('[a]');
    expect((await gate(['shim', 'uninstall', '--dir', dir], home.env)).exitCode).toBe(0);
  });
});

describe('gate shim list, env, doctor, uninstall', () => {
  it('lists shims with the real program each one runs', async () => {
    const list = await gate(['shim', 'list', '--json'], env);
    const dir = JSON.parse(list.stdout).dirs.find((d: { dir: string }) => d.dir === shims);
    expect(dir.on_path).toBe(true);
    expect(dir.shims).toContainEqual({ program: 'fixture-argv', path: join(shims, 'fixture-argv'), real: join(FIXTURE_BIN, 'fixture-argv') });
    expect(dir.shims).toContainEqual(expect.objectContaining({ program: 'gate-no-such-program', real: null }));
  });

  it('prints a PATH line that bash and fish evaluate, once', async () => {
    const line = (await gate(['shim', 'env', '--shell', 'bash'], home.env)).stdout;
    const bash = await execa('bash', ['-c', `eval "$1"; eval "$1"; echo "$PATH"; command -v fixture-argv`, 'bash', line], { env: home.env, extendEnv: false });
    const [path, found] = String(bash.stdout).split('\n');
    expect(path!.split(':').filter((d) => d === shims)).toHaveLength(1);
    expect(path!.startsWith(`${shims}:`)).toBe(true);
    expect(found).toBe(join(shims, 'fixture-argv'));
    const hasFish = (await execa('sh', ['-c', 'command -v fish'], { reject: false })).exitCode === 0;
    if (hasFish) {
      const fishLine = (await gate(['shim', 'env', '--shell', 'fish'], home.env)).stdout;
      const fish = await execa('fish', ['-c', `${fishLine}; ${fishLine}; string join : $PATH`], { env: home.env, extendEnv: false });
      expect(String(fish.stdout).split(':').filter((d) => d === shims)).toHaveLength(1);
    }
  });

  it('doctor passes with the shim dir first, and fails when a real program comes before it', async () => {
    const good = await gate(['shim', 'doctor', '--json'], env);
    const report = JSON.parse(good.stdout);
    expect(good.exitCode, good.stdout).toBe(0);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'listed_twice' }));
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'program_missing', program: 'gate-no-such-program' }));
    const shadowed = await gate(['shim', 'doctor', '--json'], { ...env, PATH: `${FIXTURE_BIN}:${env.PATH}` });
    expect(shadowed.exitCode).toBe(1);
    expect(JSON.parse(shadowed.stdout).findings).toContainEqual(expect.objectContaining({ level: 'error', code: 'shadowed', program: 'fixture-argv' }));
    const offPath = await gate(['shim', 'doctor'], home.env);
    expect(offPath.exitCode).toBe(1);
    expect(offPath.stdout).toContain('is not on PATH');
  });

  it('uninstall removes only the named shims', async () => {
    const result = await gate(['shim', 'uninstall', '--json', 'gate-no-such-program', 'never-installed'], env);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ removed: [{ program: 'gate-no-such-program' }], not_found: ['never-installed'] });
    expect(existsSync(join(shims, 'gate-no-such-program'))).toBe(false);
    expect(existsSync(join(shims, 'kubectl'))).toBe(true);
  });
});
