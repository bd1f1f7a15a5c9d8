import { describe, expect, it } from 'vitest';
import { analyze, one } from './analyze-command.js';

describe('docker command spellings', () => {
  it('resolves shortcuts and management commands to one canonical command', async () => {
    const pairs: Array<[string, string]> = [
      ['docker ps -a', 'container ls'], ['docker container ls', 'container ls'], ['docker container list', 'container ls'],
      ['docker container ps', 'container ls'], ['docker images', 'image ls'], ['docker image ls', 'image ls'],
      ['docker image list', 'image ls'], ['docker rm web', 'container rm'], ['docker container remove web', 'container rm'],
      ['docker rmi img', 'image rm'], ['docker image remove img', 'image rm'], ['docker info', 'system info'],
      ['docker logs -f web', 'container logs'], ['docker inspect web', 'inspect'], ['docker version', 'version'],
    ];
    for (const [command, canonical] of pairs) expect((await one(command)).command, command).toBe(canonical);
  });

  it('reads', async () => {
    for (const command of ['docker ps', 'docker images', 'docker volume ls', 'docker inspect web', 'docker logs --tail 10 web', 'docker version', 'docker info', 'docker image ls', 'docker container ls', 'docker network ls', 'docker system df']) {
      expect(await one(command), command).toMatchObject({ program: 'docker', action: 'read' });
    }
  });

  it('global options before the command; context and host from flags or env', async () => {
    expect(await one('docker -H ssh://prod --context prod-ctx --log-level debug -D ps')).toMatchObject({ host: 'ssh://prod', context: 'prod-ctx', command: 'container ls' });
    expect(await one('docker ps', { DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'tcp://h:2376' })).toMatchObject({ context: 'remote', host: 'tcp://h:2376' });
    expect(await one('docker --context=x --tlsverify --tlscacert ca.pem ps')).toMatchObject({ context: 'x' });
  });

  it('help and usage are reads', async () => {
    for (const command of ['docker', 'docker --help', 'docker -v', 'docker volume', 'docker container rm --help', 'docker run --help']) {
      expect(await one(command), command).toMatchObject({ action: 'read' });
    }
  });

  it('root --help/--version do not stop a command that follows', async () => {
    expect(await one('docker -v rm -f web')).toMatchObject({ action: 'delete', command: 'container rm' });
    expect((await one('docker --help volume rm pgdata')).help).toBeUndefined();
  });

  it('is opaque on what it cannot place', async () => {
    for (const command of ['docker --bogus ps', 'docker frobnicate', 'docker run --bogus x img', 'docker volume -x rm v', 'docker volume rm --bogus v', 'docker exec web', 'docker cp a b']) {
      expect(await one(command), command).toMatchObject({ opaque: true });
    }
  });
});

describe('docker removals', () => {
  it('volume data removal', async () => {
    expect(await one('docker volume rm pgdata')).toMatchObject({ action: 'delete', command: 'volume rm', volumes_removed: true, target: 'pgdata' });
    expect(await one('docker volume prune -af')).toMatchObject({ action: 'delete', volumes_removed: true, all: true, force: true });
    expect(await one('docker system prune -a --volumes -f')).toMatchObject({ action: 'delete', command: 'system prune', volumes_removed: true });
    expect(await one('docker rm -fv web')).toMatchObject({ action: 'delete', volumes_removed: true, force: true });
    expect((await one('docker system prune -af')).volumes_removed).toBeUndefined();
    expect((await one('docker rm -f web')).volumes_removed).toBeUndefined();
  });

  it('a value-taking option cannot swallow --help', async () => {
    expect(await one('docker volume prune --filter --help -f')).toMatchObject({ action: 'delete', volumes_removed: true });
  });

  it('other removals', async () => {
    expect(await one('docker image prune -a')).toMatchObject({ action: 'delete', all: true });
    expect(await one('docker network rm n1 n2')).toMatchObject({ action: 'delete', names: ['n1', 'n2'] });
  });
});

describe('docker run and exec', () => {
  it('a plain run is exec of the image; options stop at the image', async () => {
    const fact = await one('docker run --rm -it -e A=1 -v data:/data -p 8080:80 --name web nginx:1.27 nginx -g daemon');
    expect(fact).toMatchObject({ action: 'exec', command: 'container run', image: 'nginx:1.27', name: 'web' });
    expect(fact.privileged).toBeUndefined();
    expect((await one('docker run alpine --privileged')).privileged).toBeUndefined();
    expect(await one('docker create --name x alpine')).toMatchObject({ action: 'write', image: 'alpine' });
  });

  it('host privileges add a privilege fact', async () => {
    const cases: Array<[string[], Record<string, unknown>]> = [
      [['--privileged'], { privileged: true }],
      [['--privileged=true'], { privileged: true }],
      [['--pid=host'], { host_pid: true }],
      [['--pid', 'host'], { host_pid: true }],
      [['--net=host'], { host_network: true }],
      [['--network', 'host'], { host_network: true }],
      [['-v', '/:/host'], { host_root_mount: true, sensitive_mount: true }],
      [['-v/:/host:ro'], { host_root_mount: true }],
      [['--volume=//:/host'], { host_root_mount: true }],
      [['-v', '/etc/../:/host'], { host_root_mount: true }],
      [['-v', '/var/run/docker.sock:/var/run/docker.sock'], { docker_socket: true }],
      [['--mount', 'type=bind,src=/,dst=/host'], { host_root_mount: true }],
      [['-v', '/home/me/.ssh:/root/.ssh'], { sensitive_mount: true }],
      [['--cap-add=ALL'], { dangerous_caps: true, cap_add: ['all'] }],
      [['--cap-add', 'CAP_SYS_ADMIN'], { dangerous_caps: true, cap_add: ['sys_admin'] }],
      [['--security-opt', 'seccomp=unconfined'], { unconfined: true }],
      [['--device', '/dev/sda'], { devices: ['/dev/sda'] }],
      [['--userns=host'], { host_userns: true }],
      [['-itv', '/:/h'], { host_root_mount: true }],
      [['--mount', '"type=bind","source=/",target=/h'], { host_root_mount: true }],
      [['--mount', 'type=volume,dst=/h,volume-driver=local,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/'], { host_root_mount: true }],
      [['-v', '../../..:/h'], { sensitive_mount: true }],
      [['--device-cgroup-rule', 'a *:* rwm'], { device_cgroup_rules: ['a *:* rwm'] }],
      [['--use-api-socket'], { docker_socket: true }],
    ];
    for (const [options, expected] of cases) {
      const facts = await analyze(['docker', 'run', ...options, 'alpine', 'sh']);
      expect(facts.map((f) => f.action), options.join(' ')).toEqual(['exec', 'privilege']);
      expect(facts[1], options.join(' ')).toMatchObject({ image: 'alpine', ...expected });
    }
  });

  it('confined runs and project mounts stay exec only', async () => {
    for (const options of [['--privileged=false'], ['-v', '/home/me/project:/app'], ['-v', './src:/src'], ['--cap-add', 'NET_BIND_SERVICE'], ['--net', 'bridge'], ['--mount', 'type=volume,src=data,dst=/data']]) {
      const facts = await analyze(['docker', 'run', ...options, 'alpine']);
      expect(facts.map((f) => f.action), options.join(' ')).toEqual(['exec']);
    }
  });

  it('exec yields the exec fact and the inner command facts', async () => {
    const facts = await analyze(['docker', 'exec', '-it', '-u', 'root', 'web', 'rm', '-rf', '/data']);
    expect(facts[0]).toMatchObject({ program: 'docker', action: 'exec', command: 'container exec', container: 'web', target: 'web', user: 'root' });
    expect(facts.slice(1).some((f) => f.program === 'rm' && f.via?.includes('docker-exec'))).toBe(true);
    const privileged = await analyze('docker exec --privileged web ls');
    expect(privileged.map((f) => f.action).slice(0, 2)).toEqual(['exec', 'privilege']);
  });

  it('a volume binding a host directory is a privilege', async () => {
    const facts = await analyze('docker volume create --driver local --opt type=none --opt o=bind --opt device=/ hostroot');
    expect(facts.map((f) => f.action)).toEqual(['write', 'privilege']);
    expect(facts[1]).toMatchObject({ host_root_mount: true, target: 'hostroot' });
    expect((await analyze('docker volume create pgdata')).map((f) => f.action)).toEqual(['write']);
  });

  it('cp direction', async () => {
    expect(await one('docker cp web:/etc/passwd .')).toMatchObject({ action: 'export', container: 'web', path: '/etc/passwd', direction: 'download' });
    expect(await one('docker cp ./conf web:/etc/app')).toMatchObject({ action: 'write', container: 'web', direction: 'upload' });
    expect(await one('docker cp /abs:x web:/y')).toMatchObject({ action: 'write' });
  });

  it('exports and pushes', async () => {
    expect(await one('docker image push repo/app:1')).toMatchObject({ action: 'export', image: 'repo/app:1' });
    expect(await one('docker save -o app.tar repo/app:1')).toMatchObject({ action: 'export' });
    expect(await one('docker export web')).toMatchObject({ action: 'export' });
  });
});

describe('docker compose', () => {
  it('down -v removes volumes; exec analyzes the inner command', async () => {
    expect(await one('docker compose -p shop -f prod.yml down -v --remove-orphans')).toMatchObject({ action: 'delete', command: 'compose down', project: 'shop', volumes_removed: true, target: 'shop' });
    expect((await one('docker compose down')).volumes_removed).toBeUndefined();
    const facts = await analyze(['docker', 'compose', 'exec', '-T', 'db', 'rm', '-rf', '/var/lib/postgresql']);
    expect(facts[0]).toMatchObject({ action: 'exec', service: 'db' });
    expect(facts.slice(1).some((f) => f.via?.includes('docker-exec'))).toBe(true);
    expect(await one('docker compose ps')).toMatchObject({ action: 'read' });
    expect(await one('docker compose up -d')).toMatchObject({ action: 'exec' });
  });
});
