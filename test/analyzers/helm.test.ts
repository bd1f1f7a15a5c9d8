import { describe, expect, it } from 'vitest';
import type { Env, Fact } from '../../src/analyzers/types.js';
import { analyze, onlyFact, words } from './analyze-command.js';

const facts = (line: string, env: Env = {}): Promise<Fact[]> => analyze(['helm', ...words(line)], env);
const one = async (line: string, env: Env = {}): Promise<Fact> => onlyFact(await facts(line, env));

describe('helm analyzer', () => {
  it('reads global options before and after the verb', async () => {
    for (const line of ['--kube-context prod -n web list', 'list --kube-context=prod --namespace web', 'ls -nweb --kube-context prod']) {
      expect(await one(line)).toMatchObject({ program: 'helm', action: 'read', verb: 'list', context: 'prod', namespace: 'web', uri: 'kube://prod/web' });
    }
  });

  it('falls back to HELM_KUBECONTEXT / HELM_NAMESPACE, then the defaults', async () => {
    expect(await one('list', { HELM_KUBECONTEXT: 'stage', HELM_NAMESPACE: 'apps' })).toMatchObject({ context: 'stage', namespace: 'apps' });
    expect(await one('list')).toMatchObject({ context: 'current', namespace: 'default' });
    expect(await one('list -A')).toMatchObject({ all_namespaces: true, namespace: '*' });
  });

  it('normalizes verb aliases', async () => {
    for (const alias of ['uninstall', 'delete', 'del', 'un']) expect(await one(`${alias} web`), alias).toMatchObject({ verb: 'uninstall', action: 'delete', release: 'web', target: 'web' });
    expect(await one('ls')).toMatchObject({ verb: 'list' });
    expect(await one('hist web')).toMatchObject({ verb: 'history', release: 'web' });
    expect(await one('inspect values ./chart')).toMatchObject({ verb: 'show', action: 'read' });
  });

  it('gives each uninstalled release its own fact', async () => {
    const list = await facts('uninstall web api -n prod');
    expect(list.map((f) => [f.release, f.target, f.uri])).toEqual([['web', 'web', 'kube://current/prod'], ['api', 'api', 'kube://current/prod']]);
  });

  it('reads release and chart for install, upgrade and rollback', async () => {
    expect(await one('install web ./chart -f values.yaml --set a=b')).toMatchObject({ action: 'infra', release: 'web', chart: './chart' });
    expect(await one('install --generate-name bitnami/nginx')).toMatchObject({ action: 'infra', chart: 'bitnami/nginx' });
    expect(await one('upgrade -i web ./chart --wait')).toMatchObject({ action: 'infra', release: 'web', chart: './chart', install: true });
    expect(await one('rollback web 3')).toMatchObject({ action: 'infra', release: 'web', revision: '3' });
  });

  it('reads --dry-run in every spelling; none is not a dry run', async () => {
    for (const flag of ['--dry-run', '--dry-run=client', '--dry-run=server']) expect((await one(`install web ./c ${flag}`)).dry_run, flag).toBe(true);
    expect((await one('install web ./c --dry-run=none')).dry_run).toBeUndefined();
  });

  it('classifies nested subcommands and marks outputs that can hold secrets', async () => {
    expect(await one('get values web')).toMatchObject({ action: 'read', subcommand: 'values', release: 'web', secret: true });
    expect((await one('get notes web')).secret).toBeUndefined();
    expect(await one('repo add x https://x')).toMatchObject({ action: 'write', subcommand: 'add' });
    expect((await one('repo add x https://x')).uri).toBeUndefined();
    expect(await one('repo list')).toMatchObject({ action: 'read' });
    expect(await one('plugin install https://x')).toMatchObject({ action: 'exec' });
    expect(await one('repo frob')).toMatchObject({ opaque: true });
  });

  it('makes plugins, unknown options and post-renderers opaque', async () => {
    expect(await one('diff upgrade web ./chart')).toMatchObject({ opaque: true });
    expect(await one('--frob list')).toMatchObject({ opaque: true });
    expect(await one('install --frob web ./chart')).toMatchObject({ opaque: true });
    expect(await one('template web ./chart --post-renderer ./x.sh')).toMatchObject({ opaque: true });
  });

  it('keeps verb-specific short letters apart', async () => {
    expect(await one('template web ./chart -a v1 -s templates/x.yaml')).toMatchObject({ action: 'read', verb: 'template' });
    expect(await one('list -a -d')).toMatchObject({ action: 'read', verb: 'list' });
    expect(await one('pull bitnami/nginx -d /tmp --untar')).toMatchObject({ action: 'write', verb: 'pull' });
  });
});
