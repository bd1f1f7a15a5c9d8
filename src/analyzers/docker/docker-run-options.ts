// Options of `docker run` / `docker create` (and `docker exec`). Every value-taking option must
// be known: options end at the image name, and everything after it is the container's command.
import { flagOption, OptionTable, valueOption } from '../options.js';

const VALUED: Array<[string[], string]> = [
  [['--add-host'], 'add_host'], [['--annotation'], 'annotation'], [['-a', '--attach'], 'attach'], [['--blkio-weight'], 'blkio_weight'],
  [['--blkio-weight-device'], 'blkio_weight_device'], [['--cap-add'], 'cap_add'], [['--cap-drop'], 'cap_drop'],
  [['--cgroup-parent'], 'cgroup_parent'], [['--cgroupns'], 'cgroupns'], [['--cidfile'], 'cidfile'], [['--cpu-count'], 'cpu_count'],
  [['--cpu-percent'], 'cpu_percent'], [['--cpu-period'], 'cpu_period'], [['--cpu-quota'], 'cpu_quota'],
  [['--cpu-rt-period'], 'cpu_rt_period'], [['--cpu-rt-runtime'], 'cpu_rt_runtime'], [['-c', '--cpu-shares'], 'cpu_shares'],
  [['--cpus'], 'cpus'], [['--cpuset-cpus'], 'cpuset_cpus'], [['--cpuset-mems'], 'cpuset_mems'], [['--detach-keys'], 'detach_keys'],
  [['--device'], 'device'], [['--device-cgroup-rule'], 'device_cgroup_rule'], [['--device-read-bps'], 'device_read_bps'],
  [['--device-read-iops'], 'device_read_iops'], [['--device-write-bps'], 'device_write_bps'],
  [['--device-write-iops'], 'device_write_iops'], [['--dns'], 'dns'], [['--dns-option', '--dns-opt'], 'dns_option'],
  [['--dns-search'], 'dns_search'], [['--domainname'], 'domainname'], [['--entrypoint'], 'entrypoint'], [['-e', '--env'], 'env'],
  [['--env-file'], 'env_file'], [['--expose'], 'expose'], [['--gpus'], 'gpus'], [['--group-add'], 'group_add'],
  [['--health-cmd'], 'health_cmd'], [['--health-interval'], 'health_interval'], [['--health-retries'], 'health_retries'],
  [['--health-start-interval'], 'health_start_interval'], [['--health-start-period'], 'health_start_period'],
  [['--health-timeout'], 'health_timeout'], [['-h', '--hostname'], 'hostname'], [['--io-maxbandwidth'], 'io_maxbandwidth'],
  [['--io-maxiops'], 'io_maxiops'], [['--ip'], 'ip'], [['--ip6'], 'ip6'], [['--ipc'], 'ipc'], [['--isolation'], 'isolation'],
  [['--kernel-memory'], 'kernel_memory'], [['-l', '--label'], 'label'], [['--label-file'], 'label_file'], [['--link'], 'link'],
  [['--link-local-ip'], 'link_local_ip'], [['--log-driver'], 'log_driver'], [['--log-opt'], 'log_opt'],
  [['--mac-address'], 'mac_address'], [['-m', '--memory'], 'memory'], [['--memory-reservation'], 'memory_reservation'],
  [['--memory-swap'], 'memory_swap'], [['--memory-swappiness'], 'memory_swappiness'], [['--mount'], 'mount'], [['--name'], 'name'],
  [['--network', '--net'], 'network'], [['--network-alias', '--net-alias'], 'network_alias'], [['--oom-score-adj'], 'oom_score_adj'],
  [['--pid'], 'pid'], [['--pids-limit'], 'pids_limit'], [['--platform'], 'platform'], [['-p', '--publish'], 'publish'],
  [['--pull'], 'pull'], [['--restart'], 'restart'], [['--runtime'], 'runtime'], [['--security-opt'], 'security_opt'],
  [['--shm-size'], 'shm_size'], [['--stop-signal'], 'stop_signal'], [['--stop-timeout'], 'stop_timeout'],
  [['--storage-opt'], 'storage_opt'], [['--sysctl'], 'sysctl'], [['--tmpfs'], 'tmpfs'], [['--ulimit'], 'ulimit'],
  [['-u', '--user'], 'user'], [['--userns'], 'userns'], [['--uts'], 'uts'], [['-v', '--volume'], 'volume'],
  [['--volume-driver'], 'volume_driver'], [['--volumes-from'], 'volumes_from'], [['-w', '--workdir'], 'workdir'],
];

const FLAGS: Array<[string[], string]> = [
  [['-d', '--detach'], 'detach'], [['--disable-content-trust'], 'disable_content_trust'], [['--help'], 'help'], [['--init'], 'init'],
  [['-i', '--interactive'], 'interactive'], [['--no-healthcheck'], 'no_healthcheck'], [['--oom-kill-disable'], 'oom_kill_disable'],
  [['--privileged'], 'privileged'], [['-P', '--publish-all'], 'publish_all'], [['-q', '--quiet'], 'quiet'], [['--read-only'], 'read_only'],
  [['--rm'], 'rm'], [['--sig-proxy'], 'sig_proxy'], [['-t', '--tty'], 'tty'], [['--use-api-socket'], 'use_api_socket'],
];

export const RUN_OPTIONS = new OptionTable([
  ...VALUED.map(([names, key]) => valueOption(key, ...names)),
  ...FLAGS.map(([names, key]) => flagOption(key, ...names)),
]);

export const EXEC_OPTIONS = new OptionTable([
  flagOption('detach', '-d', '--detach'), valueOption('detach_keys', '--detach-keys'),
  valueOption('env', '-e', '--env'), valueOption('env_file', '--env-file'),
  flagOption('interactive', '-i', '--interactive'), flagOption('privileged', '--privileged'),
  flagOption('tty', '-t', '--tty'), valueOption('user', '-u', '--user'),
  valueOption('workdir', '-w', '--workdir'), flagOption('help', '--help'),
]);
