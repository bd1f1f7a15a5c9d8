// Faults with real processes and real files (issue 10): a full disk, a read-only audit log, a
// short write, a lock holder and gate itself killed with -9, an approval server killed with -9
// mid-wait, and 5 minutes of clock skew between server and client. In every case the command
// runs only audited and approved, and nothing already in the audit log is lost.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATE, ROOT, gate, makeHome, startGate, type GateHome } from './gate-process.js';
import { startServer, stopServer, type ServerProcess } from './gate-server.js';

const FAULTS = join(ROOT, 'test', 'fixtures', 'faults');

/** Whether this machine lets the tests mount a tmpfs (root, or CAP_SYS_ADMIN): CI containers often do not. */
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'gate-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const hasCommand = (name: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const MOUNT = canMount();
const PRLIMIT = hasCommand('prlimit');
const ROOT_USER = process.getuid?.() === 0;

const auditOf = (home: GateHome) => join(home.dir, 'audit.jsonl');
const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function verify(home: GateHome): Promise<{ ok: boolean; records: number; repaired: number[]; broken?: { line: number; reason: string } }> {
  const run = await gate(['audit', 'verify', '--json'], home.env);
  expect([0, 1], run.stderr).toContain(run.exitCode);
  return JSON.parse(run.stdout);
}

/** A run gate must refuse because the audit log cannot take its records: 78, the command never started. */
async function expectRefusedUnaudited(env: Record<string, string>, command = ['fixture-exit', 'should-not-run']): Promise<void> {
  const run = await gate(['--json', '--', ...command], env);
  expect(run.exitCode, run.stderr).toBe(78);
  expect(run.stdout).not.toContain('args:should-not-run');
  expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'error', exit: 78, code: 'audit_unwritable' });
}

describe('audit log faults', () => {
  it.skipIf(!MOUNT)('refuses the command on a full disk (a real 64 KiB tmpfs), loses nothing, and runs once space is freed', async () => {
    const home = makeHome();
    const disk = join(home.dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]);
    try {
      symlinkSync(join(disk, 'audit.jsonl'), auditOf(home));
      // tmpfs hands out whole pages: seed until the log's last page has less room than the
      // opening records of a run (about 1.3 KB), so that it cannot hide the full disk.
      let seeded = 0;
      do {
        expect((await gate(['--', 'fixture-exit', `seed-${seeded++}`], home.env)).exitCode).toBe(0);
      } while ((4096 - (statSync(auditOf(home)).size % 4096)) % 4096 >= 600 && seeded < 12);
      // Fill the disk to the last byte: whole pages first, then the partial ones.
      const filler = openSync(join(disk, 'filler'), 'w');
      for (const chunk of [Buffer.alloc(4096), Buffer.alloc(1)]) {
        try {
          for (;;) writeSync(filler, chunk);
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
      }
      closeSync(filler);
      const before = read(auditOf(home));
      await expectRefusedUnaudited(home.env);
      // A short write into the last page's slack was taken back: the log is byte for byte the same.
      expect(read(auditOf(home))).toBe(before);
      expect(await verify(home)).toMatchObject({ ok: true, records: 4 * seeded });
      rmSync(join(disk, 'filler'));
      const run = await gate(['--', 'fixture-exit', 'now-it-runs'], home.env);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toBe('args:now-it-runs\n');
      expect(read(auditOf(home)).startsWith(before)).toBe(true);
      expect(await verify(home)).toMatchObject({ ok: true, records: 4 * seeded + 4 });
    } finally {
      execFileSync('umount', [disk]);
      home.cleanup();
    }
  });

  it.skipIf(!PRLIMIT)('takes back a short write (RLIMIT_FSIZE: the file may not grow) and refuses, leaving no torn line', async () => {
    const home = makeHome();
    try {
      for (let i = 0; i < 3; i++) expect((await gate(['--', 'fixture-exit', `seed-${i}`], home.env)).exitCode).toBe(0);
      const before = read(auditOf(home));
      // Room for part of one record only: the kernel writes what fits and refuses the rest.
      const limit = statSync(auditOf(home)).size + 64;
      const run = await execa('prlimit', [`--fsize=${limit}`, process.execPath, GATE, '--', 'fixture-exit', 'should-not-run'], { env: home.env, extendEnv: false, reject: false, cwd: ROOT, stdin: 'ignore' });
      // The kernel writes what fits; libuv's retry of the rest raises SIGXFSZ, which ends gate
      // (153 = 128 + SIGXFSZ) before or after it took the partial record back and refused with
      // 78. Either way the command never starts and the log is as it was (SECURITY.md).
      const code = run.exitCode ?? (run.signal === 'SIGXFSZ' ? 153 : -1);
      expect([78, 153], String(run.stderr)).toContain(code);
      expect(String(run.stdout)).not.toContain('args:should-not-run');
      if (code === 78) expect(String(run.stderr)).toMatch(/gate: audit_unwritable: .*only 64 of \d+ bytes could be written/);
      expect(read(auditOf(home))).toBe(before);
      expect(await verify(home)).toMatchObject({ ok: true, records: 12 });
    } finally {
      home.cleanup();
    }
  });

  it('refuses the command when the audit file is read-only (immutable for root), and the log is untouched', async () => {
    const home = makeHome();
    const log = auditOf(home);
    let immutable = false;
    try {
      expect((await gate(['--', 'fixture-exit', 'seed'], home.env)).exitCode).toBe(0);
      const before = read(log);
      // Root ignores permission bits; the immutable attribute binds root too.
      if (ROOT_USER) {
        execFileSync('chattr', ['+i', log]);
        immutable = true;
      } else {
        execFileSync('chmod', ['0444', log]);
      }
      await expectRefusedUnaudited(home.env);
      expect(read(log)).toBe(before);
    } finally {
      if (immutable) execFileSync('chattr', ['-i', log]);
      home.cleanup();
    }
  });

  it.skipIf(!MOUNT)('refuses the command when the file system holding the log is read-only', async () => {
    const home = makeHome();
    const disk = join(home.dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
    try {
      symlinkSync(join(disk, 'audit.jsonl'), auditOf(home));
      expect((await gate(['--', 'fixture-exit', 'seed'], home.env)).exitCode).toBe(0);
      const before = read(auditOf(home));
      execFileSync('mount', ['-o', 'remount,ro', disk]);
      await expectRefusedUnaudited(home.env);
      expect(read(auditOf(home))).toBe(before);
    } finally {
      execFileSync('umount', [disk]);
      home.cleanup();
    }
  });

  it('takes over the lock of a holder killed with -9 once it is stale, then appends and verifies', async () => {
    const home = makeHome();
    const log = auditOf(home);
    try {
      expect((await gate(['--', 'fixture-exit', 'seed'], home.env)).exitCode).toBe(0);
      const holder = spawn(process.execPath, [join(FAULTS, 'hold-audit-lock.mjs'), log], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
      });
      const exited = new Promise((r) => holder.once('exit', r));
      holder.kill('SIGKILL');
      await exited;
      expect(existsSync(`${log}.lock`)).toBe(true); // nobody released it
      const run = await gate(['--', 'fixture-exit', 'after-the-holder-died'], home.env);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toBe('args:after-the-holder-died\n');
      expect(await verify(home)).toMatchObject({ ok: true, records: 8 });
      expect(existsSync(`${log}.lock`)).toBe(false);
    } finally {
      home.cleanup();
    }
  });

  it('gate killed with -9 at any point of its appends loses nothing earlier; a torn tail is reported and repaired', { timeout: 120_000 }, async () => {
    const home = makeHome();
    const log = auditOf(home);
    try {
      expect((await gate(['--', 'fixture-exit', 'seed'], home.env)).exitCode).toBe(0);
      let previous = read(log);
      for (let i = 0; i < 12; i++) {
        const run = startGate(['--', 'fixture-exit', `kill-${i}`], home.env);
        await new Promise((r) => setTimeout(r, (i * 37) % 300)); // spread over load, append, spawn and finish
        run.kill('SIGKILL');
        await run;
        const now = read(log);
        expect(now.startsWith(previous), `run ${i} changed what was already logged`).toBe(true);
        previous = now;
      }
      const afterKills = await verify(home);
      // An append is one write(2): a kill lands before or after it, so the chain is whole.
      expect(afterKills.ok).toBe(true);
      // A writer killed inside its write leaves a partial line: do exactly that in a real process.
      const record = previous.trimEnd().split('\n').at(-1)!;
      await execa(process.execPath, ['-e', `const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(log)}, 'a'); fs.writeSync(fd, ${JSON.stringify(record.slice(0, 40))}); process.kill(process.pid, 'SIGKILL');`], { reject: false });
      const torn = await verify(home);
      expect(torn).toMatchObject({ ok: false, records: afterKills.records, broken: { line: afterKills.records + 1, reason: 'torn' } });
      const run = await gate(['--', 'fixture-exit', 'after-torn'], home.env);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(read(log).startsWith(previous)).toBe(true);
      expect(await verify(home)).toMatchObject({ ok: true, repaired: [afterKills.records + 1], records: afterKills.records + 1 + 4 });
    } finally {
      home.cleanup();
    }
  });
});

describe('approval server faults', () => {
  interface Site {
    home: GateHome;
    server: ServerProcess;
    requester: GateHome;
    reviewer: GateHome;
    cleanup(): Promise<void>;
  }
  const sites: Site[] = [];

  /** A server (its clock skewed by `skewMs`) with a requester and an ops reviewer logged in. */
  async function site(name: string, skewMs = 0): Promise<Site> {
    const home = makeHome(skewMs === 0 ? {} : { NODE_OPTIONS: `--import=${pathToFileURL(join(FAULTS, 'skew-clock.mjs')).href}`, FIXTURE_CLOCK_SKEW_MS: String(skewMs) });
    writeFileSync(join(home.dir, 'server.yaml'), 'request_ttl: 1h\n');
    const server = await startServer(home);
    const login = async (user: string, role: string, groups: string[]): Promise<GateHome> => {
      const add = await gate(['server', 'user', 'add', user, '--role', role, ...groups.flatMap((g) => ['--group', g])], home.env);
      expect(add.exitCode, add.stderr).toBe(0);
      const client = makeHome();
      delete client.env.GATE_ACTOR;
      const run = await gate(['login', server.url, '--token', add.stdout.trim()], client.env);
      expect(run.exitCode, run.stderr).toBe(0);
      return client;
    };
    const s: Site = {
      home,
      server,
      requester: await login(`${name}-requester`, 'requester', []),
      reviewer: await login(`${name}-reviewer`, 'reviewer', ['ops']),
      async cleanup() {
        const { exitCode, signalCode } = s.server.process;
        if (exitCode === null && signalCode === null) await stopServer(s.server);
        for (const h of [s.home, s.requester, s.reviewer]) h.cleanup();
      },
    };
    sites.push(s);
    return s;
  }

  async function pendingId(s: Site, arg: string): Promise<string> {
    for (let i = 0; i < 150; i++) {
      const list = await gate(['requests', '--json'], s.reviewer.env);
      if (list.exitCode === 0) {
        const found = (JSON.parse(list.stdout) as Array<{ id: string; argv: string[] }>).find((r) => r.argv.includes(arg));
        if (found) return found.id;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no pending request for ${arg}`);
  }

  async function killHard(s: Site): Promise<void> {
    const exited = new Promise((r) => s.server.process.once('exit', r));
    s.server.process.kill('SIGKILL');
    await exited;
  }

  let plain: Site;
  beforeAll(async () => {
    plain = await site('plain');
  }, 60_000);
  afterAll(async () => {
    for (const s of sites) await s.cleanup();
  });

  it('server killed with -9 mid-wait and never back: the waiting gate ends with 69 and runs nothing', { timeout: 60_000 }, async () => {
    const s = await site('gone');
    const waiting = startGate(['--json', '--wait', '8s', '--', 'fixture-review', 'server-gone'], s.requester.env);
    await pendingId(s, 'server-gone');
    await killHard(s);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(69);
    expect(String(result.stdout)).not.toContain('reviewed:');
    expect(JSON.parse(String(result.stdout))).toMatchObject({ outcome: 'error', exit: 69, code: 'server_unreachable' });
  });

  it('server killed with -9 mid-wait and restarted: the waiting gate reconnects and runs only after the approval', { timeout: 60_000 }, async () => {
    const log = join(plain.requester.dir, 'ran.txt');
    const waiting = startGate(['--wait', '50s', '--', 'fixture-review', 'crash-restart'], { ...plain.requester.env, FIXTURE_LOG: log });
    const id = await pendingId(plain, 'crash-restart');
    const port = Number(new URL(plain.server.url).port);
    await killHard(plain);
    await new Promise((r) => setTimeout(r, 1500)); // the waiting gate retries against a dead port
    plain.server = await startServer(plain.home, port);
    expect(existsSync(log)).toBe(false); // nothing ran while the server was down
    const approved = await gate(['approve', id], plain.reviewer.env);
    expect(approved.exitCode, approved.stderr).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toBe('reviewed:crash-restart\n');
    expect(readFileSync(log, 'utf8')).toBe('crash-restart\n');
  });

  it("a server clock 5 minutes ahead: refused before redeeming (78, clock skew), so the approval is kept for --request", { timeout: 60_000 }, async () => {
    const s = await site('ahead', 5 * 60_000);
    const waiting = startGate(['--json', '--wait', '50s', '--', 'fixture-review', 'server-ahead'], s.requester.env);
    const id = await pendingId(s, 'server-ahead');
    expect((await gate(['approve', id], s.reviewer.env)).exitCode).toBe(0);
    const result = await waiting;
    expect(result.exitCode, String(result.stderr)).toBe(78);
    expect(String(result.stdout)).not.toContain('reviewed:');
    expect(JSON.parse(String(result.stdout))).toMatchObject({ code: 'clock_skew', request_id: id });
    expect(String(result.stderr)).toMatch(/clock skew: this machine's clock is about (29\d|30\d) s behind the approval server's/);
    expect(String(result.stderr)).toContain(`--request ${id}`);
    // Not spent: the approval is still there to redeem once the clocks agree.
    const listed = JSON.parse((await gate(['requests', '--status', 'all', '--json'], s.reviewer.env)).stdout) as Array<{ id: string; status: string }>;
    expect(listed.find((r) => r.id === id)?.status).toBe('approved');
  });

  it('a server clock 5 minutes behind: a token outliving the skew still runs; one that does not is refused before redeeming (78) naming the clocks', { timeout: 90_000 }, async () => {
    const s = await site('behind', -5 * 60_000);
    const waiting = startGate(['--wait', '50s', '--', 'fixture-review', 'server-behind'], s.requester.env);
    expect((await gate(['approve', await pendingId(s, 'server-behind')], s.reviewer.env)).exitCode).toBe(0);
    const ran = await waiting;
    expect(ran.exitCode, String(ran.stderr)).toBe(0); // the fixture rule's ttl is 10m: 5m of it remain here
    expect(String(ran.stdout)).toBe('reviewed:server-behind\n');
    // A rule with a 2-minute ttl: the token the server issues is already expired by this clock.
    writeFileSync(join(s.requester.dir, 'rules', 'short.yaml'), 'rules:\n  - { id: faults.short-ttl, match: { program: fixture-review, args: [short-ttl] }, effect: review, approvers: { groups: [ops], min: 1 }, ttl: 2m, tests: { match: ["fixture-review short-ttl"], not_match: ["fixture-review other"] } }\n');
    const short = startGate(['--json', '--wait', '50s', '--', 'fixture-review', 'short-ttl'], s.requester.env);
    expect((await gate(['approve', await pendingId(s, 'short-ttl')], s.reviewer.env)).exitCode).toBe(0);
    const refused = await short;
    expect(refused.exitCode, String(refused.stderr)).toBe(78);
    expect(String(refused.stdout)).not.toContain('reviewed:');
    expect(JSON.parse(String(refused.stdout))).toMatchObject({ code: 'clock_skew' });
    expect(String(refused.stderr)).toMatch(/clock is about (29\d|30\d) s ahead of the approval server's, more than the 120 s the approval's token lives/);
  });
});
