// Bundles the CLI with esbuild into dist/ (run on `npm install` through `prepare`).
// Heavy or native dependencies stay external and load lazily, only on the paths that use them.
//
// The new build is written beside dist/ and moved in file by file, entry point last, so a
// gate process started meanwhile (tests run while someone rebuilds) never finds dist/ empty,
// and one already running still finds the chunks it loads lazily: files the new build does
// not have are removed only once they are an hour old.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const staging = join(root, `.dist-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

try {
  await build({
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    external: ['libpg-query', 'web-tree-sitter', 'tree-sitter-bash', 'keytar', 'ink', 'react', 'react/jsx-runtime'],
    define: { __GATE_VERSION__: JSON.stringify(pkg.version) },
    // CommonJS dependencies bundled into ESM still call require() for node builtins.
    banner: { js: "import { createRequire as __gateCreateRequire } from 'node:module'; const require = __gateCreateRequire(import.meta.url);" },
  });
  mkdirSync(dist, { recursive: true });
  const built = readdirSync(staging);
  const entries = new Set(['cli.js', 'cli.js.map']);
  for (const name of [...built.filter((n) => !entries.has(n)), ...built.filter((n) => entries.has(n))]) renameSync(join(staging, name), join(dist, name));
  const keep = new Set(built);
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(dist)) {
    if (!keep.has(name) && statSync(join(dist, name)).mtimeMs < hourAgo) rmSync(join(dist, name), { recursive: true, force: true });
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
}
