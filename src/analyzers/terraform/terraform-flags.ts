// terraform's options, Go flag style: `-name`, `-name=value`, `-name value`, and the same
// with two dashes. Knowing which take a value is what finds the plan-file argument.
import { flagOption, OptionTable, optionKey, valueOption, type OptionSpec } from '../options.js';

/** `-name value`, keyed by the name. */
const singleDashValue = (name: string): OptionSpec => valueOption(optionKey(name), `-${name}`);
/** `-name`, keyed by the name. */
const singleDashFlag = (name: string): OptionSpec => flagOption(optionKey(name), `-${name}`);

/** Options before the subcommand. */
export const GLOBAL_TABLE = new OptionTable([singleDashValue('chdir'), ...['help', 'h', 'version', 'v'].map(singleDashFlag)]);

export const SUBCOMMAND_TABLE = new OptionTable([
  ...[
    'var', 'var-file', 'target', 'replace', 'out', 'state', 'state-out', 'backup', 'lock-timeout', 'parallelism',
    'backend-config', 'plugin-dir', 'from-module', 'lockfile', 'config', 'provider', 'type', 'plan', 'module-depth',
    'generate-config-out', 'test-directory', 'filter', 'platform', 'fs-mirror', 'net-mirror', 'id', 'cloud-run',
    'run-parallelism', 'junit-xml', 'query',
  ].map(singleDashValue),
  ...[
    'auto-approve', 'destroy', 'refresh-only', 'detailed-exitcode', 'upgrade', 'reconfigure', 'migrate-state',
    'force-copy', 'backend', 'get', 'check', 'diff', 'write', 'list', 'recursive', 'raw', 'draw-cycles',
    'allow-missing', 'force', 'dry-run', 'json', 'no-color', 'compact-warnings', 'input', 'lock', 'refresh',
    'ignore-remote-version', 'enable-plugin-cache', 'light', 'verbose', 'no-tests', 'update', 'help', 'h',
    'generate-config', 'deep', 'state-only', 'show-sensitive', 'no-validate',
  ].map(singleDashFlag),
]);
