// `npm run bench`: gate's own cost measured side by side with Node's floor in one run.
// Process timings are interleaved round-robin so machine noise hits every subject alike;
// medians and ratios are reported, absolute times only as context. Writes BENCH.md.
//
// Knobs (environment), so a run fits the time at hand (a full run takes ~10-15 minutes):
//   BENCH_QUICK=1            every count below at a fraction (a smoke run, ~3 minutes)
//   BENCH_ROUNDS             process rounds for the allow/explain/deny/pending table (30; quick 10)
//   BENCH_LATENCY_RUNS       approve-to-child-start samples, real gate processes (200; quick 30)
//   BENCH_WAITERS            concurrent waiter counts, comma separated (100,1000)
//   BENCH_CYCLE_SECONDS      seconds per cycles/s measurement (10; quick 3)
//   BENCH_PENDING            pending requests for the server memory figure (10000; quick 2000)
//   BENCH_RULE_ROUNDS        rule load/compile rounds (10; quick 3)
//   BENCH_EVAL_ITERATIONS    evaluate() calls timed at 10,000 rules (20000; quick 5000)
//   BENCH_APPENDS            single-process audit appends (200; quick 50)
//   BENCH_VERIFY_RECORDS     records in the generated log for verify (1000000; quick 100000)
//   BENCH_PARSER_ROUNDS      fresh processes per parser (7; quick 3)
//   BENCH_REVIEW_ROUNDS      `gate review` first-frame rounds (10; quick 3)
//   BENCH_REPLICAS=0         skip the Postgres replica figures (also skipped when no Postgres)
//   GATE_BENCH_POSTGRES_URL  use this Postgres (a superuser URL) instead of a throwaway cluster
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { GATE, median, ROOT } from './common.mjs';
import { benchAudit, benchParsers, benchRules, buildBenchLib } from './micro.mjs';
import { benchReview } from './review.mjs';
import { connectRetries } from './common.mjs';
import { benchServer } from './server.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const knob = (name, full, quick) => Number(process.env[name] ?? (QUICK ? quick : full));
const ROUNDS = knob('BENCH_ROUNDS', 30, 10);
const home = mkdtempSync(join(tmpdir(), 'gate-bench-'));
const env = { ...process.env, GATE_HOME: home, CI: 'true', PATH: `${join(ROOT, 'test', 'fixtures', 'bin')}:${process.env.PATH}` };
const fixtureRules = join(ROOT, 'test', 'fixtures', 'rules');
const log = (line) => process.stderr.write(`bench: ${line}\n`);

// --- whole processes, interleaved --------------------------------------------------------
const subjects = [
  { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'], expect: 0 },
  { name: 'bare `true`', cmd: 'true', args: [], expect: 0 },
  { name: 'gate -- true (allow path)', cmd: process.execPath, args: [GATE, '--', 'true'], expect: 0 },
  { name: 'gate -- kubectl get pods (allow path, kubectl analyzer)', cmd: process.execPath, args: [GATE, '--', 'kubectl', 'get', 'pods'], expect: 0 },
  { name: 'gate explain -- kubectl delete ns prod', cmd: process.execPath, args: [GATE, 'explain', '--', 'kubectl', 'delete', 'ns', 'prod'], expect: 0 },
  { name: 'gate -- fixture-exit --forbidden (deny)', cmd: process.execPath, args: [GATE, '--rules', fixtureRules, '--', 'fixture-exit', '--forbidden'], expect: 77 },
  { name: 'gate -- kubectl delete ns prod (review to pending)', cmd: process.execPath, args: [GATE, '--reason', 'bench', '--', 'kubectl', 'delete', 'ns', 'prod'], expect: 75 },
];
log(`processes: ${ROUNDS} rounds of ${subjects.length} subjects`);
const samples = new Map(subjects.map((s) => [s.name, []]));
for (const s of subjects) spawnSync(s.cmd, s.args, { env, stdio: 'ignore' }); // warm caches (compiled rules, exe hashes)
for (let round = 0; round < ROUNDS; round++) {
  for (const s of subjects) {
    const start = process.hrtime.bigint();
    const r = spawnSync(s.cmd, s.args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== s.expect) throw new Error(`${s.name}: exit ${r.status}, expected ${s.expect}: ${r.stderr}`);
    samples.get(s.name).push(ms);
  }
}
const floor = median(samples.get('node -e 0'));
const rows = subjects.map((s) => {
  const m = median(samples.get(s.name));
  return `| ${s.name} | ${(m / floor).toFixed(2)}x | ${m.toFixed(1)} ms |`;
});

// --- in-process and multi-process micro benchmarks ---------------------------------------
const lib = await buildBenchLib();
log('rules');
const rules = await benchRules(lib, { rounds: knob('BENCH_RULE_ROUNDS', 10, 3), evalIterations: knob('BENCH_EVAL_ITERATIONS', 20000, 5000) });
log('audit');
const audit = await benchAudit(lib, { appends: knob('BENCH_APPENDS', 200, 50), concurrent: 32, concurrentAppends: QUICK ? 5 : 20, verifyRecords: knob('BENCH_VERIFY_RECORDS', 1_000_000, 100_000) });
log('parsers');
const parsers = benchParsers(lib, { rounds: knob('BENCH_PARSER_ROUNDS', 7, 3) });

// --- servers -------------------------------------------------------------------------------
log('server');
const waiterCounts = (process.env.BENCH_WAITERS ?? '100,1000').split(',').map(Number);
const server = await benchServer({ latencyRuns: knob('BENCH_LATENCY_RUNS', 200, 30), waiterCounts, seconds: knob('BENCH_CYCLE_SECONDS', 10, 3), pendingCount: knob('BENCH_PENDING', 10000, 2000) });
let replicas = null;
let replicasSkipped = 'BENCH_REPLICAS=0';
if (process.env.BENCH_REPLICAS !== '0') {
  if (process.env.GATE_BENCH_POSTGRES_URL || existsSync('/usr/lib/postgresql') || spawnSync('pg_config', ['--bindir']).status === 0) {
    log('replicas');
    const { benchReplicas } = await import('./replicas.mjs');
    replicas = await benchReplicas({ latencyRuns: knob('BENCH_LATENCY_RUNS', 200, 30), waiters: 100, seconds: knob('BENCH_CYCLE_SECONDS', 10, 3) });
  } else replicasSkipped = 'no PostgreSQL found on this machine (set GATE_BENCH_POSTGRES_URL)';
}
log('review');
const review = await benchReview({ rounds: knob('BENCH_REVIEW_ROUNDS', 10, 3) });

// --- report --------------------------------------------------------------------------------
const ms = (x) => `${x.toFixed(1)} ms`;
const us = (x) => `${x.toFixed(1)} µs`;
const k = (x) => `${Math.round(x).toLocaleString('en-US')}`;
const target = (ok) => (ok ? 'met' : '**not met**');
const allow = median(samples.get('gate -- true (allow path)'));
const waiterRow = (w) => server.delivery.find((d) => d.waiters === w);
const d1000 = waiterRow(1000);
const report = `# BENCH

Measured by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores
(${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${QUICK ? ', **BENCH_QUICK=1** (reduced counts)' : ''}.
The machine is shared and noisy: compare ratios and medians, not absolute times. Knobs to
shorten a run (BENCH_QUICK=1, BENCH_ROUNDS, ...) are listed at the top of bench/run.mjs.

## Targets

| target | result | |
|---|---|---|
| allow path median within 1.3x of \`node -e 0\` (same run) | ${(allow / floor).toFixed(2)}x | ${target(allow / floor <= 1.3)} |
| rule evaluation at ${k(rules.totalRules)} rules, p50 ≤ 50 µs | ${us(rules.evalP50us)} | ${target(rules.evalP50us <= 50)} |
| audit verify ≥ 300,000 records/s | ${k(audit.verifyInProcessPerSecond)} /s (chain check), ${k(audit.verifyCliPerSecond)} /s (\`gate audit verify\` process) | ${target(audit.verifyInProcessPerSecond >= 300_000)} |
| approve-to-delivery p99 < 50 ms at 1,000 concurrent waiters | ${d1000 ? ms(d1000.p99) : 'not measured'} | ${d1000 ? target(d1000.p99 < 50) : ''} |

## Whole processes (gate's own cost)

| subject | vs node -e 0 | median |
|---|---|---|
${rows.join('\n')}

${ROUNDS} rounds, subjects interleaved round-robin after one warm-up run each; each figure is
the median wall time of a whole process (spawn to exit) as a ratio to \`node -e 0\` in the same
run. The allow path includes loading the shipped rule packs (compiled-rules cache hit),
analyzing, hashing the executable (cache hit), two fsynced audit appends under the lock
(request+decision+started, then finished), and spawning and waiting for the child.

## Rules

| measure | median |
|---|---|
| load + compile the shipped packs (${rules.shippedRules} rules), YAML parse | ${ms(rules.shippedFresh)} |
| load + compile the shipped packs, compiled-rules cache hit | ${ms(rules.shippedCached)} |
| load + compile ${k(rules.generatedRules)} generated rules (20 files), YAML parse | ${ms(rules.genFresh)} |
| load + compile shipped + ${k(rules.generatedRules)} generated, compiled-rules cache hit | ${ms(rules.genCached)} |
| evaluation per request at ${k(rules.totalRules)} rules, p50 | ${us(rules.evalP50us)} |
| evaluation per request at ${k(rules.totalRules)} rules, p99 | ${us(rules.evalP99us)} |

In-process through the real API (\`loadRuleSources\`, \`classifyFacts\` + \`evaluate\`), bundled
from src/ by esbuild like the CLI; ${rules.rounds} rounds each, median. Generated rules spread
over 2,000 programs (about 5 each) with \`args\` patterns, action and resource globs, plus 250
on kubectl facts and 100 with a program glob (checked for every command). Evaluation:
${k(rules.evalIterations)} timed calls round-robin over ${rules.requests} analyzed commands (kubectl, aws s3, git,
terraform, rm, generated programs, \`true\`), after a JIT warm-up; analysis is not included.

## Audit log

| measure | result |
|---|---|
| append, 1 process, p50 (${audit.appends} appends of 3 records) | ${ms(audit.singleP50)} |
| append, 1 process, p99 | ${ms(audit.singleP99)} |
| append, ${audit.concurrent} concurrent processes, p50 (${audit.concurrentAppends} appends each) | ${ms(audit.manyP50)} |
| append, ${audit.concurrent} concurrent processes, p99 | ${ms(audit.manyP99)} |
| verify, chain check in process (${k(audit.verifyRecords)} records, ${(audit.verifyBytes / 2 ** 20).toFixed(0)} MiB) | ${k(audit.verifyInProcessPerSecond)} records/s |
| verify, \`gate audit verify --file\` process (read + check) | ${k(audit.verifyCliPerSecond)} records/s (${(audit.verifyCliMs / 1000).toFixed(1)} s) |

An append is what an allowed command does before it runs: take the lock (proper-lockfile),
read the chain head, one O_APPEND write, fsync, release. Each sample is one \`append\` call
timed in the appending process; the concurrent processes start together and the resulting
log is verified (${k(audit.concurrent * audit.concurrentAppends * 3)} records, chain intact). Verify runs on a generated
valid chain of allow-path runs (request, decision, started, finished records).

## Parsers (first use in a fresh process)

| parser | first analysis | next analysis |
|---|---|---|
| libpg-query (\`psql -c 'DELETE ...'\`) | ${ms(parsers.sql.first)} | ${ms(parsers.sql.next)} |
| tree-sitter-bash (\`bash -c '... \\| ...'\`) | ${ms(parsers.bash.first)} | ${ms(parsers.bash.next)} |

Median of ${parsers.rounds} fresh processes each: the first analysis that needs the parser (import, WASM
init, grammar load) and the one after it. Only commands that need a parser pay this.

## Approval server (decisions are pushed, not polled)

| measure | result |
|---|---|
| approve-to-child-start, real \`gate --wait\` processes, p50 (${server.latency.runs} requests) | ${ms(server.latency.p50)} |
| approve-to-child-start, p99 | ${ms(server.latency.p99)} |
${server.delivery.map((d) => `| approve-to-delivery, ${k(d.waiters)} concurrent waiters, p50 | ${ms(d.p50)} |\n| approve-to-delivery, ${k(d.waiters)} concurrent waiters, p99 | ${ms(d.p99)} |`).join('\n')}
${server.cycles.map((c) => `| create-wait-approve-redeem cycles/s, ${k(c.waiters)} concurrent waiters | ${c.perSecond.toFixed(0)} /s${c.failed ? ` (${c.failed} cycles failed on a reset connection)` : ""} |`).join("\n")}
| server RSS, idle after the runs above | ${server.memory.rssBeforeMiB.toFixed(0)} MiB |
| server RSS with ${k(server.memory.pending)} more pending requests | ${server.memory.rssAfterMiB.toFixed(0)} MiB |

One \`gate server\` (SQLite, loopback). Approve-to-child-start: a real \`gate --wait 60s -- <command>\`
waits; the clock starts when the reviewer's approve call is sent and stops when the approved
command writes its start time (long-poll answer, redeem, token verification with the binary
re-hashed, replay-ledger fsync, audit records, spawn). Approve-to-delivery: N requests are
created and N long-polls held open at once; the requests are then approved one after another,
each sample from sending the approval to its waiter's answer while the others keep waiting.
Cycles: N concurrent API clients each create, long-poll, approve and redeem, for
${server.cycles[0]?.seconds.toFixed(1) ?? '?'} s per figure (the clients run in the bench process, on the same 2 cores as
the server; ${connectRetries.count} connections were retried after the server took over 10 s to accept them).
Memory: /proc VmRSS of the server process.

## Replicas (PostgreSQL)

${replicas ? `| measure | result |
|---|---|
| cross-replica delivery (wait on A, approve on B), p50 (${replicas.latency.runs} requests) | ${ms(replicas.latency.p50)} |
| cross-replica delivery, p99 | ${ms(replicas.latency.p99)} |
| cycles/s, one replica, ${replicas.cycles.waiters} concurrent waiters | ${replicas.cycles.one.toFixed(0)} /s |
| cycles/s, two replicas (create+wait on A, approve+redeem on B) | ${replicas.cycles.two.toFixed(0)} /s |

Two \`gate server\` processes on one throwaway PostgreSQL cluster (fsync on) started by the
bench; delivery crosses LISTEN/NOTIFY.` : `Skipped: ${replicasSkipped}.`}

## Reviewing in a terminal

| measure | vs node -e 0 | median |
|---|---|---|
| \`node -e 0\` in a pty | 1.00x | ${ms(review.floor)} |
| \`gate review\` start to the first frame with data | ${(review.review / review.floor).toFixed(2)}x | ${ms(review.review)} |

${review.rounds} rounds, interleaved. \`gate review\` runs in a pseudo-terminal (util-linux
\`script\`) against a real \`gate server\` on loopback holding one pending request; the clock
stops when that request's command is on the screen. It includes loading ink and react (only
this command loads them), reading the login, connecting the event stream, reading the pending
list and drawing it.
`;
// Profile evidence and what is left (written by hand, kept across runs).
const notesFile = join(ROOT, 'bench', 'NOTES.md');
const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '';
writeFileSync(join(ROOT, 'BENCH.md'), report + (notes ? `\n${notes}` : ''));
process.stdout.write(report);
rmSync(home, { recursive: true, force: true });
