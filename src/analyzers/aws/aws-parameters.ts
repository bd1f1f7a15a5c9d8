// Reading the few API parameters that change what a generic `aws <service> <operation>` means.
// Operation parameters are not modelled one by one, so each reader errs on the strict side.
import { last, OptionTable, parseArgs, valueOption } from '../options.js';
import { spellsOption } from './aws-abbrev.js';

/** The value of `--name value` / `--name=value` (exact spelling), last one wins. */
export function paramValue(rest: readonly string[], name: string): string | undefined {
  const parsed = parseArgs(rest, new OptionTable([valueOption('v', name)]));
  return last(parsed, 'v');
}

/** All values after `--name` up to the next option (list parameters: `--instance-ids a b`). */
export function paramList(rest: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token.startsWith(`${name}=`)) values.push(token.slice(name.length + 1));
    if (token !== name) continue;
    while (i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) values.push(rest[++i]!);
  }
  return values;
}

/** Whether any token spells `--name` (prefixes aws would accept count: strict for flags that tighten). */
export function mentionsParam(rest: readonly string[], name: string, minLength = 3): boolean {
  return rest.some((token) => spellsOption(token, name, minLength));
}

/** ec2 `--dry-run`: exact spelling only, and any possible `--no-dry-run` cancels it. */
export function ec2DryRun(rest: readonly string[]): boolean {
  if (!rest.includes('--dry-run')) return false;
  return !rest.some((token) => token.startsWith('--no') && spellsOption(token, '--no-dry-run', 4));
}

/** A CIDR with prefix length 0 (0.0.0.0/0, ::/0, or any address /0) anywhere in the arguments, shorthand or JSON. */
export function mentionsWorldCidr(rest: readonly string[]): boolean {
  return rest.some((token) => /(?:^|[^0-9a-f:.])[0-9a-f:.]*[0-9a-f:]\/0+(?![0-9])/i.test(token));
}

/** Parameters that name the resource an operation acts on, most specific first. */
const TARGET_PARAMS = [
  '--bucket', '--table-name', '--stack-name', '--db-instance-identifier', '--db-cluster-identifier', '--key-id',
  '--secret-id', '--function-name', '--repository-name', '--user-name', '--role-name', '--policy-arn', '--queue-url',
  '--topic-arn', '--log-group-name', '--cluster-name', '--cluster', '--instance-ids', '--instance-id', '--volume-id',
  '--snapshot-id', '--group-id', '--group-name', '--name', '--names', '--global-table-name', '--file-system-id',
];

/** The short name of the resource, for reviewers to confirm. */
export function targetOf(rest: readonly string[]): string | undefined {
  for (const name of TARGET_PARAMS) {
    const values = paramList(rest, name);
    if (values.length > 0) return values.join(' ');
  }
  return undefined;
}
