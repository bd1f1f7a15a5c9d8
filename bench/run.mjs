// `npm run bench`: gate's own cost measured side by side with Node's floor in one run.
// Runs are interleaved round-robin so machine noise hits every subject alike; medians and
// ratios are reported, absolute times only as context. Writes BENCH.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchReview } from './review.mjs';
import { benchServer } from './server.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const GATE = join(ROOT, 'bin', 'gate.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const home = mkdtempSync(join(tmpdir(), 'gate-bench-'));
const env = { ...process.env, GATE_HOME: home, CI: 'true', PATH: `${join(ROOT, 'test', 'fixtures', 'bin')}:${process.env.PATH}` };
const fixtureRules = join(ROOT, 'test', 'fixtures', 'rules');

const subjects = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], expect: 0 },
  { name: 'bare `true`', cmd: 'true', args: [], expect: 0 },
  { name: 'gate -- true (allow path)', cmd: process.execPath, args: [GATE, '--', 'true'], expect: 0 },
  { name: 'gate explain -- kubectl delete ns prod', cmd: process.execPath, args: [GATE, 'explain', '--', 'kubectl', 'delete', 'ns', 'prod'], expect: 0 },
  { name: 'gate -- fixture-exit --forbidden (deny)', cmd: process.execPath, args: [GATE, '--rules', fixtureRules, '--', 'fixture-exit', '--forbidden'], expect: 77 },
  { name: 'gate -- kubectl delete ns prod (review to pending)', cmd: process.execPath, args: [GATE, '--reason', 'bench', '--', 'kubectl', 'delete', 'ns', 'prod'], expect: 75 },
];

const samples = new Map(subjects.map((s) => [s.name, []]));
for (const s of subjects) spawnSync(s.cmd, s.args, { env, stdio: 'ignore' }); // warm caches
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) {
    const start = process.hrtime.bigint();
    const r = spawnSync(s.cmd, s.args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== s.expect) throw new Error(`${s.name}: exit ${r.status}, expected ${s.expect}`);
    samples.get(s.name).push(ms);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const floor = median(samples.get('node -e 0'));
const rows = subjects.map((s) => {
  const m = median(samples.get(s.name));
  return `| ${s.name} | ${(m / floor).toFixed(2)}x | ${m.toFixed(1)} ms |`;
});
const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 200);
const WAITERS = Number(process.env.BENCH_WAITERS ?? 100);
const server = await benchServer({ latencyRuns: LATENCY_RUNS, waiters: WAITERS, seconds: Number(process.env.BENCH_CYCLE_SECONDS ?? 10) });
const review = await benchReview({ rounds: Number(process.env.BENCH_REVIEW_ROUNDS ?? 10) });

const report = `# BENCH

Measured by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores
(${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
${ROUNDS} rounds, subjects interleaved round-robin; each figure is the median wall time of a
whole process, as a ratio to \`node -e 0\` measured in the same run. The machine is shared and
noisy: compare ratios, not absolute times.

| subject | vs node -e 0 | median |
|---|---|---|
${rows.join('\n')}

The allow path includes loading the shipped rule packs, analyzing, hashing the executable
(cached), two fsynced audit appends under the lock, and spawning the child.

## Approval server (decisions are pushed, not polled)

| measure | result |
|---|---|
| approve-to-child-start, p50 (${server.latency.runs} requests) | ${server.latency.p50.toFixed(1)} ms |
| approve-to-child-start, p99 | ${server.latency.p99.toFixed(1)} ms |
| create-wait-approve-redeem cycles per second, ${server.cycles.waiters} concurrent waiters | ${server.cycles.perSecond.toFixed(0)} /s |

Approve-to-child-start: a real \`gate --wait 60s -- <command>\` waits on a real \`gate server\`
(SQLite, loopback); the clock starts when the reviewer's approve call is sent and stops when
the approved command writes its start time. It includes the long-poll answer, redeeming the
approval for a token, verifying it (EdDSA, trust, digest with the binary re-hashed, replay
ledger fsync), the audit records and spawning the child. Cycles: ${server.cycles.waiters}
concurrent API clients each create a request, long-poll for it, have it approved and redeem it,
for ${server.cycles.seconds.toFixed(1)} s, against the same server process.

## Reviewing in a terminal

| measure | vs node -e 0 | median |
|---|---|---|
| \`node -e 0\` in a pty | 1.00x | ${review.floor.toFixed(1)} ms |
| \`gate review\` start to the first frame with data | ${(review.review / review.floor).toFixed(2)}x | ${review.review.toFixed(1)} ms |

${review.rounds} rounds, interleaved. \`gate review\` runs in a pseudo-terminal (util-linux
\`script\`) against a real \`gate server\` on loopback holding one pending request; the clock
stops when that request's command is on the screen. It includes loading ink and react (only
this command loads them), reading the login, connecting the event stream, reading the pending
list and drawing it.
`;
writeFileSync(join(ROOT, 'BENCH.md'), report);
process.stdout.write(report);
rmSync(home, { recursive: true, force: true });
