// Server benchmarks for `npm run bench`: decisions are pushed, not polled.
// - approve-to-child-start: a requester's `gate --wait` is waiting; a reviewer approves over the
//   API; the time until the approved command starts (it stamps the clock), over N requests.
// - cycles per second: create, wait (long-poll), approve and redeem, with C concurrent waiters.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, connectRetries, gateSync, GATE, quantile, ROOT, startGateServer } from './common.mjs';

const FIXTURES = join(ROOT, 'test', 'fixtures');

function home(extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-server-'));
  mkdirSync(join(dir, 'rules'));
  copyFileSync(join(FIXTURES, 'rules', 'fixtures.yaml'), join(dir, 'rules', 'fixtures.yaml'));
  return { dir, env: { ...process.env, GATE_HOME: dir, HOME: dir, CI: 'true', PATH: `${join(FIXTURES, 'bin')}:${process.env.PATH}`, ...extra } };
}

const DIGEST = 'a'.repeat(64);
function requestBody(id) {
  return {
    id, digest: DIGEST, actor: 'alice', host: 'bench', cwd: '/', program: 'fixture-review', argv: ['fixture-review'], reason: null, risk: 'low',
    rules: [{ id: 'fixtures.review', description: null, policy: null, risk: 'low', groups: ['ops'], min: 1, ttl_ms: null, pending_ms: null }],
    facts: [], labels: [], confirm: null,
  };
}

/** Run `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Resident memory of a process (Linux /proc), in MiB. */
function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Approve-to-delivery with `waiters` long-polls open at once: every request is created and
 * waited on, then approved one after another; each sample is the time from sending the approval
 * to its waiter's answer, while the remaining waiters keep waiting.
 */
async function deliveryUnderLoad(url, requesterToken, reviewerToken, waiters, tag) {
  const ids = Array.from({ length: waiters }, (_, i) => `bench-${tag}-${process.pid}-${i}`);
  await pool(ids, 50, (id) => api(url, requesterToken, 'POST', '/v1/requests', requestBody(id)));
  const answered = new Map();
  const waits = ids.map((id) => api(url, requesterToken, 'GET', `/v1/requests/${id}/wait?timeout=120`).then(() => answered.set(id, performance.now())));
  await new Promise((r) => setTimeout(r, Math.max(500, waiters))); // every long-poll reaches the server
  const sent = new Map();
  for (const id of ids) {
    sent.set(id, performance.now());
    await api(url, reviewerToken, 'POST', `/v1/requests/${id}/approve`, {});
  }
  await Promise.all(waits);
  await pool(ids, 50, (id) => api(url, requesterToken, 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST }));
  const samples = ids.map((id) => answered.get(id) - sent.get(id));
  return { waiters, p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

async function cyclesPerSecond(url, requesterToken, reviewerToken, waiters, seconds, tag) {
  let cycles = 0;
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  let failed = 0;
  const loop = async () => {
    while (Date.now() < deadline) {
      const id = `bench-${tag}-${process.pid}-${n++}`;
      try {
        await api(url, requesterToken, 'POST', '/v1/requests', requestBody(id));
        const waiting = api(url, requesterToken, 'GET', `/v1/requests/${id}/wait?timeout=30`);
        await api(url, reviewerToken, 'POST', `/v1/requests/${id}/approve`, {});
        await waiting;
        await api(url, requesterToken, 'POST', `/v1/requests/${id}/redeem`, { digest: DIGEST });
        cycles++;
      } catch (error) {
        // A connection reset under load fails that cycle, not the run: counted and reported.
        if (!String(error?.cause?.code ?? '').startsWith('E') && !String(error?.cause?.code ?? '').startsWith('UND_')) throw error;
        failed++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: waiters }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  return { waiters, seconds: elapsedS, perSecond: cycles / elapsedS, failed };
}

export async function benchServer({ latencyRuns = 200, waiterCounts = [100, 1000], seconds = 10, pendingCount = 10000 } = {}) {
  const server = home();
  // The bench is one identity doing thousands of calls a minute: lift the per-identity limit.
  writeFileSync(join(server.dir, 'server.yaml'), 'rate_limit: 100000000\n');
  const { url, child } = await startGateServer(server.env);
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
      const gate = spawn(process.execPath, [GATE, '--wait', '60s', '--', 'fixture-stamp', String(i)], { env: { ...requester.env, FIXTURE_STAMP: stamp }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      gate.stderr.on('data', (c) => (stderr += c));
      let exitCode;
      const exited = new Promise((r) => gate.on('exit', (code) => r((exitCode = code))));
      let id;
      while (!id) {
        // A requester that ends before its request shows up would otherwise be polled for forever.
        if (exitCode !== undefined) throw new Error(`the requesting gate exited ${exitCode} before its request was pending: ${stderr.trim()}`);
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

    // Delivery and cycles with many concurrent waiters, over the API.
    const delivery = [];
    const cycles = [];
    for (const w of waiterCounts) {
      delivery.push(await deliveryUnderLoad(url, requesterToken, reviewerToken, w, `d${w}`));
      cycles.push(await cyclesPerSecond(url, requesterToken, reviewerToken, w, seconds, `c${w}`));
    }

    // Memory: the server's resident set before and after `pendingCount` requests are pending.
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = rssMiB(child.pid);
    const pendingIds = Array.from({ length: pendingCount }, (_, i) => `bench-p-${process.pid}-${i}`);
    await pool(pendingIds, 50, (id) => api(url, requesterToken, 'POST', '/v1/requests', requestBody(id)));
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = rssMiB(child.pid);
    const listed = await api(url, reviewerToken, 'GET', '/v1/requests?status=pending');
    rmSync(requester.dir, { recursive: true, force: true });
    return {
      latency: { runs: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) },
      delivery,
      cycles,
      memory: { pending: pendingCount, listed: listed.length, rssBeforeMiB: rssBefore, rssAfterMiB: rssAfter },
    };
  } finally {
    child.kill('SIGTERM');
    rmSync(server.dir, { recursive: true, force: true });
  }
}
