// `docker volume create`: a local-driver volume with `--opt device=/path` binds a host directory,
// so a later `docker run -v thatvolume:/x` mounts the host without naming it.
import { compactFact } from '../fact-compact.js';
import { flag, flagOption, OptionTable, parseArgs, valueOption } from '../options.js';
import type { Fact, FactValue } from '../types.js';
import { isSensitive, volumeDeviceSource } from './docker-privilege.js';

type Fields = Record<string, FactValue>;

const OPTIONS = new OptionTable([
  valueOption('driver', '-d', '--driver'), valueOption('opt', '-o', '--opt'),
  valueOption('label', '--label'), valueOption('name', '--name'), flagOption('help', '--help'),
]);

/** A write fact for the volume, plus a privilege fact when it binds a sensitive host path. */
export function volumeCreateFacts(args: readonly string[], fields: Fields): Fact[] {
  const parsed = parseArgs(args, OPTIONS, { unknownTakesValue: true });
  if (flag(parsed, 'help')) return [compactFact({ ...fields, action: 'read', help: true })];
  const name = parsed.values.get('name')?.at(-1) ?? parsed.positionals[0];
  const device = volumeDeviceSource(parsed.values.get('opt') ?? []);
  const base: Fields = { ...fields, names: name === undefined ? undefined : [name], target: name, host_mounts: device === undefined ? undefined : [device] };
  const facts = [compactFact({ ...base, action: 'write' })];
  if (device !== undefined && isSensitive(device)) {
    facts.push(compactFact({ ...base, action: 'privilege', sensitive_mount: true, host_root_mount: device === '/' || undefined }));
  }
  return facts;
}
