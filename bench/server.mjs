// Server benchmarks for `npm run bench`: decisions are pushed, not polled.
// - approve-to-child-start: a requester's `gate --wait` is waiting; a reviewer approves over the
//   API; the time until the approved command starts (it stamps the clock), over N requests.
// - cycles per second: create, wait (long-poll), approve and redeem, with C concurrent waiters.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const GATE = join(ROOT, 'bin', 'gate.js');
const FIXTURES = join(ROOT, 'test', 'fixtures');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

function home(extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-server-'));
  mkdirSync(join(dir, 'rules'));
  copyFileSync(join(FIXTURES, 'rules', 'fixtures.yaml'), join(dir, 'rules', 'fixtures.yaml'));
  return { dir, env: { ...process.env, GATE_HOME: dir, HOME: dir, CI: 'true', PATH: `${join(FIXTURES, 'bin')}:${process.env.PATH}`, ...extra } };
}

function gateSync(args, env) {
  const r = spawnSync(process.execPath, [GATE, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gate ${args.join(' ')}: ${r.status} ${r.stderr}`);
  return r.stdout.trim();
}

function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GATE, 'server', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function api(url, token, method, path, body) {
  const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function benchServer({ latencyRuns = 200, waiters = 100, seconds = 10 } = {}) {
  const server = home();
  // The bench is one identity doing thousands of calls a minute: lift the per-identity limit.
  writeFileSync(join(server.dir, 'server.yaml'), 'rate_limit: 100000000\n');
  const { url, child } = await startServer(server.env);
  try {
    const requesterToken = gateSync(['server', 'user', 'add', 'alice', '--role', 'requester'], server.env);
    const reviewerToken = gateSync(['server', 'user', 'add', 'bob', '--role', 'reviewer', '--group', 'ops'], server.env);
    const requester = home();
    delete requester.env.GATE_ACTOR;
    gateSync(['login', url, '--token', requesterToken], requester.env);

    // Approve-to-child-start, through real gate processes.
    const latencies = [];
    for (let i = 0; i < latencyRuns; i++) {
      const stamp = join(requester.dir, `stamp-${i}`);
      const gate = spawn(process.execPath, [GATE, '--wait', '60s', '--', 'fixture-stamp', String(i)], { env: { ...requester.env, FIXTURE_STAMP: stamp }, stdio: 'ignore' });
      const exited = new Promise((r) => gate.on('exit', r));
      let id;
      while (!id) {
        const pending = await api(url, reviewerToken, 'GET', '/v1/requests?status=pending');
        id = pending.find((r) => r.argv[1] === String(i))?.id;
        if (!id) await new Promise((r) => setTimeout(r, 5));
      }
      const t0 = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      await api(url, reviewerToken, 'POST', `/v1/requests/${id}/approve`, {});
      await exited;
      if (!existsSync(stamp)) throw new Error('the approved command did not run');
      latencies.push(Number(BigInt(readFileSync(stamp, 'utf8').trim()) - t0) / 1e6);
    }

    // Cycles per second with concurrent waiters, over the API.
    let cycles = 0;
    const deadline = Date.now() + seconds * 1000;
    let n = 0;
    const loop = async () => {
      while (Date.now() < deadline) {
        const id = `bench-${process.pid}-${n++}`;
        const digest = 'a'.repeat(64);
        await api(url, requesterToken, 'POST', '/v1/requests', {
          id, digest, actor: 'alice', host: 'bench', cwd: '/', program: 'fixture-review', argv: ['fixture-review'], reason: null, risk: 'low',
          rules: [{ id: 'fixtures.review', description: null, policy: null, risk: 'low', groups: ['ops'], min: 1, ttl_ms: null, pending_ms: null }],
          facts: [], labels: [], confirm: null,
        });
        const waiting = api(url, requesterToken, 'GET', `/v1/requests/${id}/wait?timeout=30`);
        await api(url, reviewerToken, 'POST', `/v1/requests/${id}/approve`, {});
        await waiting;
        await api(url, requesterToken, 'POST', `/v1/requests/${id}/redeem`, { digest });
        cycles++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: waiters }, loop));
    const elapsedS = (performance.now() - started) / 1000;
    rmSync(requester.dir, { recursive: true, force: true });
    return {
      latency: { runs: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) },
      cycles: { waiters, seconds: elapsedS, perSecond: cycles / elapsedS },
    };
  } finally {
    child.kill('SIGTERM');
    rmSync(server.dir, { recursive: true, force: true });
  }
}
