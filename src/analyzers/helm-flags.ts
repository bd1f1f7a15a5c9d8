// helm's options: global ones (allowed before the verb) and the verbs', with the few short
// letters whose meaning depends on the verb (`list -a` is --all, `template -a` takes a value).
import { OptionTable, type OptionSpec } from './options.js';

const v = (key: string, ...names: string[]): OptionSpec => ({ key, names, value: true });
const b = (key: string, ...names: string[]): OptionSpec => ({ key, names });
const opt = (key: string, ...names: string[]): OptionSpec => ({ key, names, optionalValue: true });

const GLOBAL_OPTIONS: OptionSpec[] = [
  v('kube_context', '--kube-context'),
  v('namespace', '-n', '--namespace'),
  v('kubeconfig', '--kubeconfig'),
  v('kube_apiserver', '--kube-apiserver'),
  v('kube_as_user', '--kube-as-user'),
  v('kube_as_group', '--kube-as-group'),
  v('kube_ca_file', '--kube-ca-file'),
  v('kube_token', '--kube-token'),
  v('kube_tls_server_name', '--kube-tls-server-name'),
  b('kube_insecure_skip_tls_verify', '--kube-insecure-skip-tls-verify'),
  v('burst_limit', '--burst-limit'),
  v('qps', '--qps'),
  b('debug', '--debug'),
  v('registry_config', '--registry-config'),
  v('repository_cache', '--repository-cache'),
  v('repository_config', '--repository-config'),
  v('content_cache', '--content-cache'),
  v('color', '--color', '--colour'),
  b('help', '-h', '--help'),
];

const VERB_OPTIONS: OptionSpec[] = [
  v('values', '-f', '--values'),
  v('set', '--set'),
  v('set_string', '--set-string'),
  v('set_file', '--set-file'),
  v('set_json', '--set-json'),
  v('set_literal', '--set-literal'),
  v('version', '--version'),
  v('repo', '--repo'),
  v('username', '--username'),
  v('password', '--password'),
  v('ca_file', '--ca-file'),
  v('cert_file', '--cert-file'),
  v('key_file', '--key-file'),
  v('timeout', '--timeout'),
  v('description', '--description'),
  v('post_renderer', '--post-renderer'),
  v('post_renderer_args', '--post-renderer-args'),
  v('name_template', '--name-template'),
  v('labels', '--labels'),
  v('output', '-o', '--output'),
  v('revision', '--revision'),
  v('max', '-m', '--max'),
  v('history_max', '--history-max'),
  v('cascade', '--cascade'),
  v('keyring', '--keyring'),
  v('time_format', '--time-format'),
  v('offset', '--offset'),
  v('filter', '--filter'),
  v('selector', '-l', '--selector'),
  v('api_versions', '--api-versions'),
  v('kube_version', '--kube-version'),
  v('output_dir', '--output-dir'),
  v('show_only', '--show-only'),
  v('untardir', '--untardir'),
  v('destination', '--destination'),
  v('app_version', '--app-version'),
  v('key', '--key'),
  v('passphrase_file', '--passphrase-file'),
  v('max_col_width', '--max-col-width'),
  v('template', '--template'),
  opt('wait', '--wait'),
  opt('dry_run', '--dry-run'),
  b('all', '-a', '--all'),
  b('all_namespaces', '-A', '--all-namespaces'),
  b('date', '-d', '--date'),
  b('short', '-q', '--short'),
  b('reverse', '-r', '--reverse'),
  b('install', '-i', '--install'),
  b('generate_name', '-g', '--generate-name'),
  b('dependency_update', '-u', '--dependency-update'),
  ...[
    'deployed', 'failed', 'pending', 'superseded', 'uninstalled', 'uninstalling', 'no-headers', 'atomic',
    'create-namespace', 'force', 'reuse-values', 'reset-values', 'reset-then-reuse-values', 'cleanup-on-fail',
    'skip-crds', 'no-hooks', 'disable-openapi-validation', 'render-subchart-notes', 'keep-history',
    'wait-for-jobs', 'replace', 'recreate-pods', 'skip-schema-validation', 'take-ownership', 'show-resources',
    'ignore-not-found', 'plain-http', 'insecure-skip-tls-verify', 'pass-credentials', 'devel', 'verify', 'untar',
    'prov', 'sign', 'regexp', 'list-repo-url', 'fail-on-no-result', 'force-update', 'no-update', 'password-stdin',
    'strict', 'with-subcharts', 'quiet', 'skip-refresh', 'include-crds', 'is-upgrade', 'validate', 'skip-tests',
    'enable-dns', 'hide-notes', 'hide-secret', 'logs', 'release-name', 'rollback-on-failure', 'server-side',
    'force-conflicts', 'force-replace',
  ].map((name) => b(name.replace(/-/g, '_'), `--${name}`)),
];

/** Verbs where a short letter means something else than in `helm list`. */
const OVERRIDES: Record<string, OptionSpec[]> = {
  template: [v('api_versions', '-a', '--api-versions'), v('show_only', '-s', '--show-only')],
  pull: [v('destination', '-d', '--destination')],
  fetch: [v('destination', '-d', '--destination')],
  package: [v('destination', '-d', '--destination')],
};

export const GLOBAL_TABLE = new OptionTable(GLOBAL_OPTIONS);

const TABLES = new Map<string, OptionTable>();

/** The option table for a helm verb. */
export function helmTableFor(verb: string): OptionTable {
  const key = Object.hasOwn(OVERRIDES, verb) ? verb : '';
  let table = TABLES.get(key);
  if (!table) {
    table = new OptionTable([...GLOBAL_OPTIONS, ...VERB_OPTIONS, ...(OVERRIDES[key] ?? [])]);
    TABLES.set(key, table);
  }
  return table;
}
