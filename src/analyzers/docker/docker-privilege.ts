// Container settings that hand the container the host: privileged mode, host namespaces,
// host filesystem and docker socket mounts, dangerous capabilities, disabled confinement.
import { posix } from 'node:path';
import { flag, type ParsedArgs } from '../options.js';
import type { FactValue } from '../types.js';

type Fields = Record<string, FactValue>;

/** Capabilities that amount to root on the host (or close to it). */
const DANGEROUS_CAPS = new Set(['all', 'sys_admin', 'sys_ptrace', 'sys_module', 'sys_rawio', 'dac_read_search', 'dac_override',
  'net_admin', 'sys_boot', 'bpf', 'perfmon', 'mknod', 'setfcap', 'sys_chroot']);

/** Host paths whose mount exposes the host: its root, system directories, the docker socket. */
const SENSITIVE_ROOTS = ['/etc', '/root', '/proc', '/sys', '/dev', '/boot', '/var/run', '/run', '/var/lib/docker', '/usr', '/bin',
  '/sbin', '/lib', '/lib64', '/var/lib/kubelet'];

/** Directories holding credentials, wherever they are (a project directory under /home is fine). */
const CREDENTIAL_DIRS = ['.ssh', '.aws', '.kube', '.docker', '.gnupg', '.azure', 'gcloud'];

/** The privilege fields of run/create options; empty when the container is confined. */
export function privilegeFields(parsed: ParsedArgs): Fields {
  const values = (key: string): string[] => parsed.values.get(key) ?? [];
  const isHost = (key: string): boolean => values(key).some((v) => v.toLowerCase() === 'host');
  const hostMounts = [...values('volume').map(volumeSource), ...values('mount').map(mountSource)]
    .filter((p): p is string => p !== undefined)
    .map((p) => posix.normalize(p).replace(/(.)\/+$/, '$1'));
  const caps = values('cap_add').flatMap((v) => v.split(',')).map((c) => c.trim().toLowerCase().replace(/^cap_/, '')).filter(Boolean);
  const unconfined = values('security_opt').some((opt) => /^(seccomp|apparmor|systempaths)[=:]unconfined$|^label[=:]disable$|^no-new-privileges[=:]false$/i.test(opt));
  const fields: Fields = {
    privileged: flag(parsed, 'privileged') || undefined,
    host_pid: isHost('pid') || undefined,
    host_network: isHost('network') || undefined,
    host_ipc: isHost('ipc') || undefined,
    host_uts: isHost('uts') || undefined,
    host_userns: isHost('userns') || undefined,
    host_cgroupns: isHost('cgroupns') || undefined,
    host_mounts: hostMounts.length > 0 ? hostMounts : undefined,
    host_root_mount: hostMounts.includes('/') || undefined,
    docker_socket: hostMounts.some((p) => p.endsWith('/docker.sock')) || flag(parsed, 'use_api_socket') || undefined,
    sensitive_mount: hostMounts.some(isSensitive) || undefined,
    cap_add: caps.length > 0 ? caps : undefined,
    dangerous_caps: caps.some((c) => DANGEROUS_CAPS.has(c)) || undefined,
    unconfined: unconfined || undefined,
    devices: values('device').length > 0 ? values('device') : undefined,
    device_cgroup_rules: values('device_cgroup_rule').length > 0 ? values('device_cgroup_rule') : undefined,
  };
  return fields;
}

/** Whether any field says the container escapes its confinement. */
export function isEscalated(fields: Fields): boolean {
  return ['privileged', 'host_pid', 'host_network', 'host_ipc', 'host_uts', 'host_userns', 'host_cgroupns', 'sensitive_mount',
    'docker_socket', 'dangerous_caps', 'unconfined'].some((key) => fields[key] === true) ||
    fields.devices !== undefined || fields.device_cgroup_rules !== undefined;
}

export function isSensitive(path: string): boolean {
  // A relative path that climbs out of the working directory may reach anything (cwd is unknown here).
  if (path === '..' || path.startsWith('../')) return true;
  if (path === '/' || path === '/home' || path === '/Users' || path.endsWith('/docker.sock')) return true;
  if (SENSITIVE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) return true;
  // A whole home directory (/home/me, /Users/me, ~) holds every credential of its user.
  if (/^(\/home|\/Users)\/[^/]+$/.test(path) || path === '~') return true;
  return path.split('/').some((segment) => CREDENTIAL_DIRS.includes(segment));
}

/** Host side of `-v SRC:DST[:opts]` when SRC is a path (not a named volume). */
function volumeSource(spec: string): string | undefined {
  const colon = spec.indexOf(':');
  if (colon <= 0) return undefined;
  const source = spec.slice(0, colon);
  return source.startsWith('/') || source.startsWith('.') || source.startsWith('~') ? source : undefined;
}

/**
 * Host side of `--mount type=bind,source=/x,target=/y`, or of a local-driver volume that binds
 * a host directory (`volume-opt=device=/x`). Docker reads the spec as CSV: quotes are dropped.
 */
function mountSource(spec: string): string | undefined {
  const fields = new Map<string, string>();
  let device: string | undefined;
  for (const raw of spec.split(',')) {
    const part = raw.replace(/"/g, '').trim();
    const eq = part.indexOf('=');
    const key = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? 'true' : part.slice(eq + 1).trim();
    if (key === 'volume-opt' && value.toLowerCase().startsWith('device=')) device = value.slice('device='.length);
    else fields.set(key, value);
  }
  if (device !== undefined) return device;
  if ((fields.get('type') ?? 'volume').toLowerCase() !== 'bind') return undefined;
  return fields.get('source') ?? fields.get('src');
}

/** Host directory a `docker volume create --opt device=/x` volume would bind. */
export function volumeDeviceSource(options: readonly string[]): string | undefined {
  const device = options.map((o) => o.replace(/"/g, '')).find((o) => o.toLowerCase().startsWith('device='));
  return device === undefined ? undefined : posix.normalize(device.slice('device='.length));
}
