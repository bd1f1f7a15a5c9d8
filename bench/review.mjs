// `gate review` start to first frame with data, for `npm run bench`: a real `gate review` in a
// pseudo-terminal (util-linux `script`) against a real `gate server` holding one pending
// request; the clock runs from spawning it to the moment that request's command is on the
// screen. `node -e 0` under the same pty wrapper is measured in the same rounds, for context.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATE, gateSync, median, ROOT, startGateServer } from './common.mjs';

const FIXTURES = join(ROOT, 'test', 'fixtures');

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-review-'));
  mkdirSync(join(dir, 'rules'));
  copyFileSync(join(FIXTURES, 'rules', 'fixtures.yaml'), join(dir, 'rules', 'fixtures.yaml'));
  const { CI: _ci, ...env } = process.env;
  return { dir, env: { ...env, GATE_HOME: dir, HOME: dir, PATH: `${join(FIXTURES, 'bin')}:${process.env.PATH}`, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' } };
}

/** Run `command` in a pty; resolve with ms until `marker` is printed (then send q), or until exit. */
function timeInPty(command, env, marker) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let seen = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no frame with data within 60 s: ${out.slice(-500)}`));
    }, 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      if (marker && seen === null && out.includes(marker)) {
        seen = performance.now() - start;
        child.stdin.write('q');
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(marker ? seen : performance.now() - start);
    });
  });
}

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function benchReview({ rounds = 10 } = {}) {
  const server = home();
  const { url, child } = await startGateServer(server.env);
  const homes = [server];
  try {
    const requesterToken = gateSync(['server', 'user', 'add', 'alice', '--role', 'requester'], server.env);
    const reviewerToken = gateSync(['server', 'user', 'add', 'bob', '--role', 'reviewer', '--group', 'ops'], server.env);
    const requester = home();
    const reviewer = home();
    homes.push(requester, reviewer);
    gateSync(['login', url, '--token', requesterToken], requester.env);
    gateSync(['login', url, '--token', reviewerToken], reviewer.env);
    // One pending request for the screen to show (the requester does not wait for it).
    spawnSync(process.execPath, [GATE, '--wait', '0', '--', 'fixture-review', 'bench-first-frame'], { env: { ...requester.env, CI: 'true' } });
    const review = `${q(process.execPath)} ${q(GATE)} review`;
    const floor = `${q(process.execPath)} -e 0`;
    await timeInPty(review, reviewer.env, 'bench-first-frame'); // warm caches
    const samples = { review: [], floor: [] };
    for (let i = 0; i < rounds; i++) {
      samples.floor.push(await timeInPty(floor, reviewer.env, null));
      samples.review.push(await timeInPty(review, reviewer.env, 'bench-first-frame'));
    }
    return { rounds, review: median(samples.review), floor: median(samples.floor) };
  } finally {
    child.kill('SIGTERM');
    for (const h of homes) rmSync(h.dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchReview({ rounds: Number(process.env.BENCH_REVIEW_ROUNDS ?? 10) });
  process.stdout.write(`gate review to first frame with data: ${r.review.toFixed(1)} ms (${(r.review / r.floor).toFixed(2)}x node -e 0 at ${r.floor.toFixed(1)} ms, median of ${r.rounds})\n`);
}
