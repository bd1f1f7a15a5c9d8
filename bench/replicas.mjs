// Replica benchmarks for `npm run bench`: `gate server` processes on one PostgreSQL database
// (a throwaway cluster started here, or GATE_BENCH_POSTGRES_URL, a superuser URL).
// - cross-replica delivery: a requester long-polls on replica A, a reviewer approves on B; the
//   time from sending the approval to A answering the waiter (LISTEN/NOTIFY in between).
// - cycles per second, with one replica and with two (create and wait on A, approve and redeem
//   on B), C concurrent waiters.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { api, gateSync, quantile, startGateServer } from './common.mjs';


async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** A throwaway PostgreSQL cluster (as the postgres user when run as root). */
async function startCluster() {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(base, v, 'bin', 'initdb'))) : undefined;
  const bin = version ? join(base, version, 'bin') : execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  const root = process.getuid?.() === 0;
  const run = (cmd, args) => execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-pg-'));
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  run(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // Durable settings (fsync on), as a real deployment runs.
  run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300`, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      run(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const create = (url, token, id) =>
  api(url, token, 'POST', '/v1/requests', {
    id, digest: 'a'.repeat(64), actor: 'alice', host: 'bench', cwd: '/', program: 'fixture-review', argv: ['fixture-review'], reason: null, risk: 'low',
    rules: [{ id: 'fixtures.review', description: null, policy: null, risk: 'low', groups: ['ops'], min: 1, ttl_ms: null, pending_ms: null }],
    facts: [], labels: [], confirm: null,
  });

async function cycles(requestTo, approveTo, tokens, waiters, seconds, tag) {
  let done = 0;
  let n = 0;
  const deadline = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < deadline) {
      const id = `${tag}-${process.pid}-${n++}`;
      await create(requestTo, tokens.requester, id);
      const waiting = api(requestTo, tokens.requester, 'GET', `/v1/requests/${id}/wait?timeout=30`);
      await api(approveTo, tokens.reviewer, 'POST', `/v1/requests/${id}/approve`, {});
      const answered = await waiting;
      if (answered.status !== 'approved') throw new Error(`waiter got ${answered.status}`);
      await api(approveTo, tokens.requester, 'POST', `/v1/requests/${id}/redeem`, { digest: 'a'.repeat(64) });
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: waiters }, loop));
  return done / ((performance.now() - started) / 1000);
}

export async function benchReplicas({ latencyRuns = 200, waiters = 100, seconds = 10 } = {}) {
  const cluster = process.env.GATE_BENCH_POSTGRES_URL ? null : await startCluster();
  const adminUrl = process.env.GATE_BENCH_POSTGRES_URL ?? cluster.url;
  const dbName = `gate_bench_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-replicas-'));
  const env = { ...process.env, GATE_HOME: dir, HOME: dir, CI: 'true' };
  const servers = [];
  try {
    gateSync(['server', 'key', 'generate', join(dir, 'key.jwk')], env);
    const config = join(dir, 'server.yaml');
    writeFileSync(config, `db: ${url.href}\nkey_file: ${join(dir, 'key.jwk')}\nrate_limit: 100000000\n`);
    const tokens = {
      requester: gateSync(['server', 'user', 'add', 'alice', '--role', 'requester', '--db', url.href], env),
      reviewer: gateSync(['server', 'user', 'add', 'bob', '--role', 'reviewer', '--group', 'ops', '--db', url.href], env),
    };
    servers.push(await startGateServer(env, ['--config', config]), await startGateServer(env, ['--config', config]));
    const [a, b] = servers.map((s) => s.url);

    // Cross-replica delivery: approve on B, the waiter on A answered.
    const latencies = [];
    for (let i = 0; i < latencyRuns; i++) {
      const id = `lat-${process.pid}-${i}`;
      await create(a, tokens.requester, id);
      let answeredAt = 0;
      const waiting = api(a, tokens.requester, 'GET', `/v1/requests/${id}/wait?timeout=30`).then((r) => {
        answeredAt = performance.now();
        return r;
      });
      await new Promise((r) => setTimeout(r, 5));
      const sent = performance.now();
      await api(b, tokens.reviewer, 'POST', `/v1/requests/${id}/approve`, {});
      const view = await waiting;
      if (view.status !== 'approved') throw new Error(`waiter got ${view.status}`);
      latencies.push(answeredAt - sent);
    }

    const one = await cycles(a, a, tokens, waiters, seconds, 'one');
    const two = await cycles(a, b, tokens, waiters, seconds, 'two');
    return { latency: { runs: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) }, cycles: { waiters, seconds, one, two } };
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchReplicas({ latencyRuns: Number(process.env.BENCH_LATENCY_RUNS ?? 200), waiters: Number(process.env.BENCH_WAITERS ?? 100), seconds: Number(process.env.BENCH_CYCLE_SECONDS ?? 10) });
  console.log(JSON.stringify(result, null, 2));
}
