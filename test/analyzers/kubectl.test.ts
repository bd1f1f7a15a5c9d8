import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/analyzers/types.js';
import { analyze, onlyFact, words } from './analyze-command.js';

const facts = (line: string, kubeContext?: string): Promise<Fact[]> =>
  analyze(['kubectl', ...words(line)], {}, kubeContext ? { kubeContext } : {});
const one = async (line: string, kubeContext?: string): Promise<Fact> => onlyFact(await facts(line, kubeContext));

describe('kubectl analyzer: secrets', () => {
  it('treats printing secret values as an export, listing them as a read', async () => {
    for (const line of ['get secret db -o yaml', 'get secrets -o json', 'get secret db -o=jsonpath={.data.pw}', 'get --raw /api/v1/namespaces/prod/secrets/db']) {
      expect(await one(line), line).toMatchObject({ action: 'export', secret: true });
    }
    for (const line of ['get secrets', 'get secrets -o name', 'get secret db -o wide', 'describe secret db']) {
      expect(await one(line), line).toMatchObject({ action: 'read', secret: true });
    }
  });
});

describe('kubectl analyzer: global options and verbs', () => {
  it('reads global options before and after the verb', async () => {
    for (const line of ['-n prod --context c1 get pods', 'get pods -n prod --context c1', 'get --namespace=prod pods --context=c1', '-nprod get pods --context c1']) {
      expect(await one(line)).toMatchObject({ program: 'kubectl', action: 'read', verb: 'get', resource: 'pod', namespace: 'prod', context: 'c1', uri: 'kube://c1/prod', target: 'prod' });
    }
  });

  it('uses the resolved current context, else "current", and the default namespace', async () => {
    expect(await one('get pods', 'kind-dev')).toMatchObject({ context: 'kind-dev', uri: 'kube://kind-dev/default' });
    expect(await one('get pods')).toMatchObject({ context: 'current', namespace: 'default' });
    expect(await one('--context prod get pods', 'kind-dev')).toMatchObject({ context: 'prod' });
  });

  it('skips values of global options that look like verbs', async () => {
    expect(await one('-n delete get pods')).toMatchObject({ verb: 'get', namespace: 'delete' });
    expect((await facts('--kubeconfig /tmp/k -v 6 --token abc --as admin delete pod x'))[0]).toMatchObject({ verb: 'delete', names: ['x'] });
  });

  it('makes unknown options (anywhere), unknown verbs and ambiguous options opaque', async () => {
    expect(await one('--frob delete ns prod')).toMatchObject({ opaque: true, action: 'exec' });
    expect(await one('krew install ctx')).toMatchObject({ opaque: true });
    expect(await one('get --frob pods')).toMatchObject({ opaque: true });
    expect(await one('get pods -Z')).toMatchObject({ opaque: true });
    // Even a trailing one that cannot move the positionals: its effect is unknown.
    expect(await one('get pods --frob=1')).toMatchObject({ opaque: true });
    expect(await one('get pods')).toMatchObject({ action: 'read', resource: 'pod' });
  });
});

describe('kubectl analyzer: resources', () => {
  it('normalizes kinds', async () => {
    const cases: Array<[string, string]> = [
      ['ns', 'namespace'], ['namespaces', 'namespace'], ['po', 'pod'], ['PODS', 'pod'], ['pvc', 'persistentvolumeclaim'],
      ['deploy', 'deployment'], ['deployments.apps', 'deployment'], ['deployments.v1.apps', 'deployment'], ['svc', 'service'],
      ['secrets', 'secret'], ['cm', 'configmap'], ['clusterrolebindings', 'clusterrolebinding'], ['no', 'node'],
      ['sts', 'statefulset'], ['ds', 'daemonset'], ['rs', 'replicaset'], ['crd', 'customresourcedefinition'],
      ['certificates.cert-manager.io', 'certificates.cert-manager.io'],
    ];
    for (const [spelling, kind] of cases) expect((await one(`get ${spelling}`)).resource, spelling).toBe(kind);
  });

  it('reads kind/name and comma lists, one fact per kind', async () => {
    const list = await facts('delete deploy/web svc/web deploy/api');
    expect(list.map((f) => [f.resource, f.names])).toEqual([['deployment', ['web', 'api']], ['service', ['web']]]);
    const multi = await facts('get pods,svc -n shop');
    expect(multi.map((f) => f.resource)).toEqual(['pod', 'service']);
  });

  it('gives each deleted namespace its own uri and target', async () => {
    const list = await facts('--context prod delete ns a b');
    expect(list).toEqual([
      expect.objectContaining({ action: 'delete', resource: 'namespace', names: ['a'], namespace: 'a', uri: 'kube://prod/a', target: 'a' }),
      expect.objectContaining({ names: ['b'], uri: 'kube://prod/b', target: 'b' }),
    ]);
  });

  it('places cluster-scoped resources at the context', async () => {
    const fact = await one('--context prod get nodes -n shop');
    expect(fact).toMatchObject({ resource: 'node', uri: 'kube://prod', target: 'prod' });
    expect(fact.namespace).toBeUndefined();
  });

  it('reads --all, --all-namespaces, --force, --grace-period, --cascade', async () => {
    expect(await one('delete pods --all -n prod')).toMatchObject({ all: true, uri: 'kube://current/prod' });
    expect(await one('delete pods -A -l app=x')).toMatchObject({ all: true, all_namespaces: true, namespace: '*', uri: 'kube://current/*', selector: 'app=x' });
    expect(await one('get pods -A')).toMatchObject({ all_namespaces: true });
    expect((await one('get pods -A')).all).toBeUndefined();
    expect(await one('delete pod x --force --grace-period=0 --cascade=orphan')).toMatchObject({ force: true, grace_period: 0, cascade: 'orphan' });
  });

  it('reads every dry-run spelling; none/false are not dry runs', async () => {
    for (const flag of ['--dry-run', '--dry-run=client', '--dry-run=server', '--dry-run=true']) expect((await one(`delete ns x ${flag}`)).dry_run, flag).toBe(true);
    for (const flag of ['--dry-run=none', '--dry-run=false', '']) expect((await one(`delete ns x ${flag}`)).dry_run, flag).toBeUndefined();
  });

  it('treats the words after `--` as resource arguments', async () => {
    expect(await one('delete -- ns prod')).toMatchObject({ resource: 'namespace', names: ['prod'] });
  });

  it('reads files, kustomize dirs and --raw paths', async () => {
    expect(await one('apply -f a.yaml -f - --prune -l app=x')).toMatchObject({ action: 'infra', files: ['a.yaml', '-'], from_stdin: true, prune: true });
    expect(await one('apply -k overlays/prod')).toMatchObject({ kustomize: true, files: ['overlays/prod'] });
    expect(await one('delete --raw /api/v1/namespaces/prod')).toMatchObject({ action: 'delete', resource: 'namespace', names: ['prod'], uri: 'kube://current/prod' });
    expect(await one('get --raw /api/v1/namespaces/shop/secrets/db')).toMatchObject({ resource: 'secret', secret: true, namespace: 'shop', names: ['db'] });
    expect(await one('get --raw /apis/apps/v1/deployments')).toMatchObject({ resource: 'deployment', all_namespaces: true });
    expect(await one('get --raw /healthz')).toMatchObject({ action: 'read', raw: '/healthz', uri: 'kube://current' });
    expect(await one('get --raw /api/v1/namespaces/shop/services/admin:80/proxy/reset')).toMatchObject({ action: 'exec', resource: 'service' });
  });
});

describe('kubectl analyzer: verbs', () => {
  it('classifies reads', async () => {
    for (const line of ['describe deploy web', 'logs -f web-1', 'top pods', 'version', 'api-resources', 'explain pods', 'config view', 'auth can-i get pods', 'diff -f x.yaml', 'rollout status deploy/web', 'wait --for=condition=Ready pod/x', 'events']) {
      expect((await one(line)).action, line).toBe('read');
    }
  });

  it('reads logs options without mistaking -f and -p for values', async () => {
    expect(await one('logs -f web-1 -p app')).toMatchObject({ resource: 'pod', names: ['web-1'], container: 'app' });
    expect(await one('logs deploy/web -c app')).toMatchObject({ resource: 'deployment', names: ['web'], container: 'app' });
  });

  it('marks secret reads', async () => {
    expect(await one('get secret db -o yaml')).toMatchObject({ action: 'export', secret: true });
    expect(await one('describe secrets')).toMatchObject({ secret: true });
    expect(await one('config view --raw')).toMatchObject({ action: 'read', secret: true });
    expect((await one('config view')).secret).toBeUndefined();
  });

  it('classifies changes, scale to zero and replace --force', async () => {
    for (const line of ['apply -f x.yaml', 'create deployment web --image=nginx', 'replace -f x.yaml', 'patch deploy web -p {}', 'edit svc web', 'set image deploy/web a=b', 'label pods x a=b', 'annotate pods x a=b', 'rollout restart deploy/web', 'drain node-1', 'cordon node-1', 'taint nodes n1 k=v:NoSchedule']) {
      expect((await one(line)).action, line).toBe('infra');
    }
    expect(await one('scale deploy/web --replicas=0')).toMatchObject({ verb: 'scale', replicas: 0, resource: 'deployment', names: ['web'] });
    expect(await one('scale --replicas 3 sts db')).toMatchObject({ replicas: 3, resource: 'statefulset' });
    expect(await one('replace --force -f pod.yaml')).toMatchObject({ force: true });
    expect(await one('label pods web-1 app=x tier-')).toMatchObject({ names: ['web-1'] });
    expect(await one('drain node-1 --ignore-daemonsets')).toMatchObject({ resource: 'node', names: ['node-1'], uri: 'kube://current' });
  });

  it('classifies RBAC grants as privilege with the role and subjects', async () => {
    expect(await one('create clusterrolebinding x --clusterrole=cluster-admin --user=alice --group=ops')).toMatchObject({
      action: 'privilege', resource: 'clusterrolebinding', names: ['x'], role: 'cluster-admin', subjects: ['user:alice', 'group:ops'], uri: 'kube://current',
    });
    expect(await one('create rolebinding y --role=edit --serviceaccount=shop:ci -n shop')).toMatchObject({ action: 'privilege', role: 'edit', subjects: ['serviceaccount:shop:ci'] });
    expect(await one('edit clusterrole view')).toMatchObject({ action: 'privilege' });
    expect(await one('set subject clusterrolebinding admins --user=bob')).toMatchObject({ action: 'privilege' });
    expect(await one('create token ci -n prod')).toMatchObject({ action: 'privilege', token: true, resource: 'serviceaccount', names: ['ci'] });
    expect(await one('certificate approve csr-1')).toMatchObject({ action: 'privilege', resource: 'certificatesigningrequest' });
    expect(await one('delete clusterrolebinding x')).toMatchObject({ action: 'delete' });
  });

  it('reads create generators with a type word', async () => {
    expect(await one('create secret generic db --from-literal=a=b')).toMatchObject({ resource: 'secret', secret_type: 'generic', names: ['db'] });
    expect(await one('create svc nodeport web --tcp=80:80')).toMatchObject({ resource: 'service', service_type: 'nodeport', names: ['web'] });
    expect(await one('create frob x')).toMatchObject({ opaque: true });
  });

  it('handles config subcommands', async () => {
    expect(await one('config use-context prod')).toMatchObject({ action: 'write', subcommand: 'use-context', names: ['prod'] });
    expect(await one('config get-contexts')).toMatchObject({ action: 'read' });
    expect(await one('config frob')).toMatchObject({ opaque: true });
  });
});

describe('kubectl analyzer: exec family', () => {
  it('analyzes the command after `--` inside the pod', async () => {
    const list = await facts('exec -it web-1 -c app -n prod -- rm -rf /data');
    expect(list[0]).toMatchObject({ action: 'exec', verb: 'exec', resource: 'pod', names: ['web-1'], container: 'app', interactive: true, command: ['rm', '-rf', '/data'], uri: 'kube://current/prod' });
    expect(list[1]).toMatchObject({ program: 'rm', via: ['kubectl-exec'] });
  });

  it('treats exec without a command as interactive', async () => {
    expect(await one('exec web-1')).toMatchObject({ action: 'exec', interactive: true });
  });

  it('accepts deploy/name targets and the deprecated form without `--`', async () => {
    const list = await facts('exec deploy/web ls /');
    expect(list[0]).toMatchObject({ resource: 'deployment', names: ['web'], command: ['ls', '/'] });
    expect(list[1]).toMatchObject({ program: 'ls' });
  });

  it('classifies cp by direction', async () => {
    expect(await one('cp prod/web-1:/var/log/a.log ./a.log')).toMatchObject({ action: 'export', names: ['web-1'], namespace: 'prod', path: '/var/log/a.log', local_path: './a.log' });
    expect(await one('cp ./fix.sh web-1:/tmp/fix.sh -c app')).toMatchObject({ action: 'exec', names: ['web-1'], container: 'app' });
    expect(await one('cp a b')).toMatchObject({ opaque: true });
  });

  it('classifies run, debug, attach, port-forward and proxy as exec', async () => {
    expect(await one('run tmp --image=busybox --rm -it -- sh')).toMatchObject({ action: 'exec', names: ['tmp'], image: 'busybox', command: ['sh'] });
    expect(await one('debug node/n1 -it --image=busybox')).toMatchObject({ action: 'exec', resource: 'node', image: 'busybox' });
    expect(await one('attach web-1 -i')).toMatchObject({ action: 'exec', interactive: true });
    expect(await one('port-forward svc/db 5432:5432')).toMatchObject({ action: 'exec', resource: 'service', ports: ['5432:5432'] });
    expect(await one('proxy --port=8001')).toMatchObject({ action: 'exec', uri: 'kube://current' });
  });

  it('makes kustomize plugin flags opaque and records impersonation and kubeconfig', async () => {
    expect(await one('kustomize overlays/prod --enable-alpha-plugins')).toMatchObject({ opaque: true });
    expect(await one('apply -k overlays/prod --enable-helm')).toMatchObject({ opaque: true });
    expect(await one('--as=system:admin get pods')).toMatchObject({ action: 'read', impersonate: 'system:admin' });
    // A kubeconfig of the caller's choosing can run an exec credential plugin: recorded, and opaque.
    const [read, opaque] = await facts('--kubeconfig /tmp/k get pods');
    expect(read).toMatchObject({ action: 'read', kubeconfig: '/tmp/k' });
    expect(opaque).toMatchObject({ opaque: true, opaque_reason: expect.stringContaining('--kubeconfig') });
  });

  it('makes diff opaque when an external diff program is configured', async () => {
    const [fact] = await analyze(['kubectl', 'diff', '-f', 'x.yaml'], { KUBECTL_EXTERNAL_DIFF: 'sh -c evil' });
    expect(fact).toMatchObject({ opaque: true });
  });
});
