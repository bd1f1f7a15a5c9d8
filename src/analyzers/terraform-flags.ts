// terraform's options, Go flag style: `-name`, `-name=value`, `-name value`, and the same
// with two dashes. Knowing which take a value is what finds the plan-file argument.
import { OptionTable, type OptionSpec } from './options.js';

const v = (name: string): OptionSpec => ({ key: name.replace(/-/g, '_'), names: [`-${name}`], value: true });
const b = (name: string): OptionSpec => ({ key: name.replace(/-/g, '_'), names: [`-${name}`] });

/** Options before the subcommand. */
export const GLOBAL_TABLE = new OptionTable([v('chdir'), b('help'), b('h'), b('version'), b('v')]);

export const SUBCOMMAND_TABLE = new OptionTable([
  ...[
    'var', 'var-file', 'target', 'replace', 'out', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism',
    'backend-config', 'plugin-dir', 'from-module', 'lockfile', 'config', 'provider', 'type', 'plan', 'module-depth',
    'generate-config-out', 'test-directory', 'filter', 'platform', 'fs-mirror', 'net-mirror', 'id', 'cloud-run',
    'run-parallelism', 'junit-xml', 'query',
  ].map(v),
  ...[
    'auto-approve', 'destroy', 'refresh-only', 'detailed-exitcode', 'upgrade', 'reconfigure', 'migrate-state',
    'force-copy', 'backend', 'get', 'check', 'diff', 'write', 'list', 'recursive', 'raw', 'draw-cycles',
    'allow-missing', 'force', 'dry-run', 'json', 'no-color', 'compact-warnings', 'input', 'lock', 'refresh',
    'ignore-remote-version', 'enable-plugin-cache', 'light', 'verbose', 'no-tests', 'update', 'help', 'h',
    'generate-config', 'deep', 'state-only', 'show-sensitive', 'no-validate',
  ].map(b),
]);
