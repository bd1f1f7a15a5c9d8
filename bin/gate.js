#!/usr/bin/env node
import('../dist/cli.js').then((cli) => cli.main(process.argv.slice(2)), (error) => { process.stderr.write(`gate: internal_error: cannot load gate (${error?.message ?? error}); run npm install (it builds dist/), or report this\n`); process.exit(70); });
