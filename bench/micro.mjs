// In-process and multi-process benchmarks for `npm run bench`, through gate's real modules
// (bench/lib.ts, bundled here with esbuild the way scripts/build.mjs bundles the CLI):
// - rules: load and compile the shipped packs and 10,000 generated rules, fresh parse and
//   compiled-rules cache hit; evaluation per request at 10,000 rules (analyzed once, then
//   classify + evaluate timed per call);
// - audit: append latency (lock, one O_APPEND write, fsync) from one process and from 32 at
//   once; verify throughput on a generated 1,000,000-record chain;
// - parsers: first-use cost of libpg-query and tree-sitter-bash in a fresh process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { GATE, median, quantile, ROOT } from './common.mjs';


const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Bundle bench/lib.ts (gate's real modules); returns the module's path. */
export async function buildBenchLib() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  // Beside dist/ so the shipped rules/ and node_modules resolve as they do for the CLI.
  const outdir = join(ROOT, 'node_modules', '.cache', 'gate-bench');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { lib: join(ROOT, 'bench', 'lib.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    external: ['libpg-query', 'web-tree-sitter', 'tree-sitter-bash', 'keytar', 'ink', 'react', 'react/jsx-runtime'],
    define: { __GATE_VERSION__: JSON.stringify(pkg.version) },
    banner: { js: "import { createRequire as __gateCreateRequire } from 'node:module'; const require = __gateCreateRequire(import.meta.url);" },
  });
  return join(outdir, 'lib.js');
}

/**
 * 10,000 rules in 20 files: over 2,000 programs (about 5 each), 250 more on kubectl facts
 * (verb glob, namespace), 100 with a program glob (checked for every command).
 */
function generateRules(dir, count) {
  mkdirSync(dir, { recursive: true });
  const perFile = 500;
  for (let f = 0; f * perFile < count; f++) {
    const lines = ['rules:'];
    for (let i = f * perFile; i < Math.min(count, (f + 1) * perFile); i++) {
      const effect = ['allow', 'review', 'deny'][i % 3];
      lines.push(`  - id: gen.r${i}`, `    description: generated rule ${i}`);
      if (i % 100 === 99) lines.push(`    match: { program: "tool-${i % 7}*", args: ["--flag-${i}", "**"] }`);
      else if (i % 4 === 0) lines.push(`    match: { program: prog-${i % 2000}, args: ["--danger-${i}", "**"] }`);
      else if (i % 40 === 1) lines.push(`    match: { program: kubectl, verb: "del*", namespace: "ns-${i}" }`);
      else if (i % 4 === 1) lines.push(`    match: { program: prog-${i % 2000}, action: exec, args: ["--mode=${i % 11}", "**"] }`);
      else if (i % 4 === 2) lines.push(`    match: { program: prog-${i % 2000}, action: [write, delete], uri: "s3://bucket-${i}/**" }`);
      else lines.push(`    match: { program: [prog-${i % 2000}, other-${i % 500}], args: ["sub-${i % 13}", "*-${i % 17}", "**"] }`);
      lines.push(`    effect: ${effect}`, `    risk: ${['low', 'medium', 'high'][i % 3]}`);
    }
    writeFileSync(join(dir, `gen-${String(f).padStart(2, '0')}.yaml`), `${lines.join('\n')}\n`);
  }
}

const REQUESTS = [
  ['kubectl', 'get', 'pods', '-n', 'prod'],
  ['kubectl', 'delete', 'ns', 'ns-101'],
  ['aws', 's3', 'cp', 's3://prod-exports/customers.csv', './out.csv'],
  ['git', 'push', '--force', 'origin', 'main'],
  ['prog-17', '--danger-17', 'x'],
  ['prog-1234', 'sub-3', 'a-5', 'b'],
  ['other-42', 'list'],
  ['tool-3x', '--flag-399'],
  ['terraform', 'apply', '-auto-approve'],
  ['rm', '-rf', '/tmp/x'],
  ['ls', '-la'],
  ['true'],
];

/** Rules: load+compile (fresh and cached) and evaluation per request. */
export async function benchRules(lib, { rounds = 10, evalIterations = 20000, ruleCount = 10000 } = {}) {
  const g = await import(lib);
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-rules-'));
  try {
    const shipped = [{ dir: join(ROOT, 'rules'), optional: false, canAllow: true }];
    const genDir = join(dir, 'generated');
    generateRules(genDir, ruleCount);
    const generated = [{ dir: genDir, optional: false, canAllow: true }];
    const both = [...shipped, ...generated];
    const cacheDir = join(dir, 'cache');
    await g.loadRuleSources(both, cacheDir); // loads the YAML parser once; fills the cache
    const time = async (sources, cache) => {
      const t = nowMs();
      const { ruleSet, diagnostics } = await g.loadRuleSources(sources, cache);
      const ms = nowMs() - t;
      const errors = diagnostics.filter((d) => d.severity !== 'warning');
      if (errors.length > 0) throw new Error(`generated rules do not load: ${errors[0].code} ${errors[0].message}`);
      return { ms, ruleSet };
    };
    const samples = { shippedFresh: [], shippedCached: [], genFresh: [], genCached: [] };
    let shippedCount = 0;
    let ruleSet;
    for (let r = 0; r < rounds; r++) {
      const a = await time(shipped);
      shippedCount = a.ruleSet.rules.length;
      samples.shippedFresh.push(a.ms);
      samples.shippedCached.push((await time(shipped, cacheDir)).ms);
      samples.genFresh.push((await time(generated)).ms);
      const c = await time(both, cacheDir);
      samples.genCached.push(c.ms);
      ruleSet = c.ruleSet;
    }
    // Evaluation: facts analyzed once per command (analysis is not evaluation), then
    // classify + evaluate timed per call, round-robin over the commands.
    const env = { PATH: process.env.PATH ?? '' };
    const factsOf = [];
    for (const argv of REQUESTS) factsOf.push(await g.analyzeArgv(argv, { env, parsers: g.lazyParsers }));
    const evalSamples = [];
    for (let i = 0; i < 2000; i++) g.evaluate(ruleSet, factsOf[i % factsOf.length].map((f) => ({ ...f }))); // warm the JIT
    for (let i = 0; i < evalIterations; i++) {
      const facts = factsOf[i % factsOf.length].map((f) => ({ ...f }));
      const t = process.hrtime.bigint();
      g.classifyFacts(facts, ruleSet.classify);
      g.evaluate(ruleSet, facts);
      evalSamples.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
    return {
      rounds,
      shippedRules: shippedCount,
      totalRules: ruleSet.rules.length,
      generatedRules: ruleCount,
      shippedFresh: median(samples.shippedFresh),
      shippedCached: median(samples.shippedCached),
      genFresh: median(samples.genFresh),
      genCached: median(samples.genCached),
      evalIterations,
      requests: REQUESTS.length,
      evalP50us: quantile(evalSamples, 0.5),
      evalP99us: quantile(evalSamples, 0.99),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The entry an allowed command appends (request, decision, started), as run-guarded builds it. */
const ENTRY = (i) => [
  { ts: new Date().toISOString(), event: 'request', request_id: `bench-${i}`, actor: 'bench', host: 'bench', program: 'kubectl', argv: ['kubectl', 'get', 'pods', '-n', 'prod'], cwd: '/srv/app', env: { KUBECONFIG: '/home/bench/.kube/config' }, exe: '/usr/local/bin/kubectl', exe_sha256: 'a'.repeat(64), digest: 'b'.repeat(64), reason: null, facts: [{ program: 'kubectl', action: 'read', verb: 'get', resource: 'pods', namespace: 'prod', via: [] }] },
  { ts: new Date().toISOString(), event: 'decision', request_id: `bench-${i}`, actor: 'bench', host: 'bench', decision: 'allow', rules: ['kubectl.read'], risk: 'low', classification: ['unclassified'], policy: [] },
  { ts: new Date().toISOString(), event: 'started', request_id: `bench-${i}`, actor: 'bench', host: 'bench', exe: '/usr/local/bin/kubectl' },
];

/** Child process body: append `n` times to `file`, print per-append latencies (ms) as JSON. */
const APPENDER = `
const [lib, file, n, start] = process.argv.slice(1);
const g = await import(lib);
const log = g.openAuditLog(file);
const entry = ${ENTRY.toString()};
while (Date.now() < Number(start)) await new Promise((r) => setTimeout(r, 1));
const out = [];
for (let i = 0; i < Number(n); i++) {
  const t = process.hrtime.bigint();
  await log.append(entry(process.pid + '-' + i));
  out.push(Number(process.hrtime.bigint() - t) / 1e6);
}
process.stdout.write(JSON.stringify(out));
`;

function runAppenders(lib, file, processes, n) {
  const start = Date.now() + 1500; // every process loaded and waiting before the first append
  return Promise.all(
    Array.from({ length: processes }, () => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', APPENDER, lib, file, String(n), String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`appender exited ${code}: ${err}`))));
    })),
  ).then((all) => all.flat());
}

/** Audit: append latency single and concurrent; verify throughput on a large chain. */
export async function benchAudit(lib, { appends = 200, concurrent = 32, concurrentAppends = 20, verifyRecords = 1_000_000 } = {}) {
  const g = await import(lib);
  const dir = mkdtempSync(join(tmpdir(), 'gate-bench-audit-'));
  try {
    const single = await runAppenders(lib, join(dir, 'single.jsonl'), 1, appends);
    const many = await runAppenders(lib, join(dir, 'many.jsonl'), concurrent, concurrentAppends);
    const manyCheck = g.verifyChain(readFileSync(join(dir, 'many.jsonl'), 'utf8'));
    if (!manyCheck.ok || manyCheck.records !== concurrent * concurrentAppends * 3) throw new Error(`concurrent appends broke the chain: ${JSON.stringify(manyCheck)}`);

    // A valid chain of allow-path runs (request, decision, started, finished per run).
    const big = join(dir, 'big.jsonl');
    const stream = createWriteStream(big);
    let head = null;
    let chunk = [];
    for (let i = 0; i < verifyRecords; ) {
      const entries = [...ENTRY(i), { ts: new Date().toISOString(), event: 'finished', request_id: `bench-${i}`, actor: 'bench', host: 'bench', exit: 0, signal: null, duration_ms: 12 }];
      for (const entry of entries) {
        if (i >= verifyRecords) break;
        const record = g.sealRecord(entry, head);
        head = { seq: record.seq, hash: record.hash };
        chunk.push(JSON.stringify(record));
        i++;
      }
      if (chunk.length >= 10000) {
        if (!stream.write(`${chunk.join('\n')}\n`)) await new Promise((r) => stream.once('drain', r));
        chunk = [];
      }
    }
    if (chunk.length > 0) stream.write(`${chunk.join('\n')}\n`);
    await new Promise((r) => stream.end(r));
    const bytes = readFileSync(big).length;
    // In-process (the pure chain check), then the command users run (read + check + print).
    const t0 = nowMs();
    const inProcess = g.verifyChain(readFileSync(big, 'utf8'));
    const inProcessMs = nowMs() - t0;
    if (!inProcess.ok || inProcess.records !== verifyRecords) throw new Error(`verify failed on the generated chain: ${JSON.stringify(inProcess.broken)}`);
    const t1 = nowMs();
    const cli = spawnSync(process.execPath, [GATE, 'audit', 'verify', '--file', big], { encoding: 'utf8', env: { ...process.env, GATE_HOME: dir } });
    const cliMs = nowMs() - t1;
    if (cli.status !== 0) throw new Error(`gate audit verify exited ${cli.status}: ${cli.stderr}`);
    return {
      appends,
      singleP50: quantile(single, 0.5),
      singleP99: quantile(single, 0.99),
      concurrent,
      concurrentAppends,
      manyP50: quantile(many, 0.5),
      manyP99: quantile(many, 0.99),
      manyPerSecond: null,
      verifyRecords,
      verifyBytes: bytes,
      verifyInProcessPerSecond: verifyRecords / (inProcessMs / 1000),
      verifyCliPerSecond: verifyRecords / (cliMs / 1000),
      verifyCliMs: cliMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child process body: time the first and a second use of one parser. */
const PARSER_USE = `
const [lib, which] = process.argv.slice(1);
const t0 = process.hrtime.bigint();
const g = await import(lib);
const ctx = { env: { PATH: process.env.PATH }, parsers: g.lazyParsers };
const argv = which === 'sql' ? ['psql', '-c', 'DELETE FROM users WHERE id = 1'] : ['bash', '-c', 'echo hi && kubectl get pods | grep web'];
const t1 = process.hrtime.bigint();
const first = await g.analyzeArgv(argv, ctx);
const t2 = process.hrtime.bigint();
await g.analyzeArgv(argv, ctx);
const t3 = process.hrtime.bigint();
if (first.some((f) => f.opaque)) throw new Error('parser gave an opaque fact: ' + JSON.stringify(first));
process.stdout.write(JSON.stringify({ first: Number(t2 - t1) / 1e6, second: Number(t3 - t2) / 1e6 }));
`;

/** Parsers: the first analysis that needs one (load + init) vs the next, in fresh processes. */
export function benchParsers(lib, { rounds = 7 } = {}) {
  const samples = { sql: [], bash: [] };
  for (let r = 0; r < rounds; r++) {
    for (const which of ['sql', 'bash']) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', PARSER_USE, lib, which], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`parser bench (${which}) exited ${run.status}: ${run.stderr}`);
      samples[which].push(JSON.parse(run.stdout));
    }
  }
  const summary = (xs) => ({ first: median(xs.map((x) => x.first)), next: median(xs.map((x) => x.second)) });
  return { rounds, sql: summary(samples.sql), bash: summary(samples.bash) };
}
