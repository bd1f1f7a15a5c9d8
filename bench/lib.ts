// The real modules the in-process benchmarks drive (bundled by bench/micro.mjs with esbuild,
// exactly as scripts/build.mjs bundles the CLI): no copies, no mocks.
export { loadRuleSources } from '../src/app/load-policy.js';
export { parseRuleFile } from '../src/policy/load-rules.js';
export { buildRuleSet } from '../src/policy/rule-set.js';
export { evaluate } from '../src/policy/evaluate.js';
export { classifyFacts } from '../src/policy/classify.js';
export { analyzeArgv } from '../src/analyzers/analyze.js';
export { lazyParsers } from '../src/analyzers/parsers.js';
export { openAuditLog } from '../src/audit/log-file.js';
export { sealRecord } from '../src/audit/record.js';
export { verifyChain } from '../src/audit/verify.js';
