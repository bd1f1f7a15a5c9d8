// Analyzer for terraform: -chdir, the subcommand (and state/workspace/providers operations),
// -auto-approve, -destroy, plan files, resource addresses; TF_CLI_ARGS* from the environment.
//
// Fields: subcommand, operation (state/workspace/providers/metadata), state_op, dir, workspace
// (TF_WORKSPACE), target (deleted workspace, else -chdir dir, else TF_WORKSPACE, else "."),
// auto_approve, destroy, refresh_only, plan_file, addresses (-target), replace, dry_run, force,
// secret (state pull, output, show -json, console and -show-sensitive print sensitive values),
// name (output NAME), state_op `backend` (init -backend-config / -migrate-state / -force-copy).
import { flag, last, parseArgs } from '../options.js';
import { opaqueFact } from '../opaque.js';
import { scanArgs, type ScannedArgs } from '../scan-args.js';
import type { Action, AnalyzeContext, Analyzer, Env, Fact } from '../types.js';
import { GLOBAL_TABLE, SUBCOMMAND_TABLE } from './terraform-flags.js';

const SIMPLE: Record<string, Action> = {
  plan: 'read', validate: 'read', fmt: 'read', show: 'read', output: 'read', version: 'read', graph: 'read',
  console: 'read', modules: 'read', query: 'read', help: 'read',
  init: 'write', get: 'write', login: 'write', logout: 'write', taint: 'write', untaint: 'write',
  // `terraform test` applies real infrastructure for its runs.
  test: 'infra', import: 'infra',
};

/** Nested operations: which only look, which write, which delete. */
const NESTED: Record<string, Record<string, Action>> = {
  state: { list: 'read', show: 'read', identities: 'read', pull: 'read', rm: 'write', mv: 'write', push: 'write', 'replace-provider': 'write' },
  workspace: { list: 'read', show: 'read', select: 'write', new: 'write', delete: 'delete' },
  providers: { schema: 'read', lock: 'write', mirror: 'write' },
  metadata: { functions: 'read' },
};

/**
 * Whether the command prints sensitive values in clear: the whole state (state pull), outputs
 * (`-json`, `-raw` and a named output show sensitive ones; the rest may be secrets never marked
 * sensitive), JSON renderings of state or plans, any expression (console), -show-sensitive.
 */
function printsSecrets(subcommand: string, operation: unknown, scan: ScannedArgs): boolean {
  if (flag(scan.parsed, 'show_sensitive')) return true;
  if (subcommand === 'state') return operation === 'pull';
  if (subcommand === 'show') return flag(scan.parsed, 'json');
  return subcommand === 'output' || subcommand === 'console';
}

/** init that copies state to another backend or points at one named on the command line. */
function initFields(scan: ScannedArgs): Partial<Fact> {
  const p = scan.parsed;
  return p.values.has('backend_config') || flag(p, 'migrate_state') || flag(p, 'force_copy') ? { state_op: 'backend' } : {};
}

/** `TF_CLI_ARGS` and `TF_CLI_ARGS_<subcommand>` insert arguments after the subcommand. */
function injectedArgs(env: Env, names: string[]): string[] | undefined {
  const words: string[] = [];
  for (const name of ['TF_CLI_ARGS', ...names.map((n) => `TF_CLI_ARGS_${n.replace(/-/g, '_')}`)]) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    // Terraform splits these like a shell; quoted values are beyond a plain split.
    if (/["'\\$`]/.test(value)) return undefined;
    words.push(...value.trim().split(/\s+/));
  }
  return words;
}

function subcommandFields(subcommand: string, scan: ScannedArgs): { action?: Action; fields: Partial<Fact> } {
  const p = scan.parsed;
  const fields: Partial<Fact> = {};
  if (flag(p, 'auto_approve')) fields.auto_approve = true;
  const addresses = p.values.get('target');
  if (addresses) fields.addresses = addresses;
  const replace = p.values.get('replace');
  if (replace) fields.replace = replace;
  if (subcommand === 'apply' || subcommand === 'plan') {
    if (flag(p, 'destroy')) fields.destroy = true;
    if (flag(p, 'refresh_only')) fields.refresh_only = true;
    // apply -refresh-only only rewrites state, like the old `terraform refresh`.
    if (subcommand === 'apply' && fields.refresh_only && !fields.destroy) fields.state_op = 'refresh';
  }
  if (subcommand === 'apply') {
    if (scan.positionals[0] !== undefined) fields.plan_file = scan.positionals[0];
    return { action: fields.destroy ? 'delete' : fields.refresh_only ? 'write' : 'infra', fields };
  }
  if (subcommand === 'destroy') return { action: 'delete', fields: { ...fields, destroy: true } };
  if (subcommand === 'refresh') return { action: 'write', fields: { ...fields, state_op: 'refresh' } };
  if (subcommand === 'force-unlock') {
    return { action: 'write', fields: { ...fields, state_op: 'force-unlock', ...(scan.positionals[0] ? { lock_id: scan.positionals[0] } : {}) } };
  }
  if (subcommand === 'import' || subcommand === 'taint' || subcommand === 'untaint') {
    if (scan.positionals[0] !== undefined) fields.address = scan.positionals[0];
  }
  if (subcommand === 'plan' && last(p, 'out') !== undefined) fields.out = last(p, 'out');
  if (subcommand === 'init') Object.assign(fields, initFields(scan));
  if (subcommand === 'output' && scan.positionals[0] !== undefined) fields.name = scan.positionals[0];
  return { fields };
}

/** Analyze `terraform [-chdir=DIR] SUBCOMMAND [args]`. */
function analyzeTerraform(argv: string[], ctx: AnalyzeContext): Fact[] {
  const args = argv.slice(1);
  const opaque = (reason: string): Fact[] => [opaqueFact('terraform', args, ctx.via, reason)];
  const globals = parseArgs(args, GLOBAL_TABLE, { stopAtPositional: true, singleDashLong: true });
  if (globals.unknown.length > 0) return opaque(`unknown terraform option ${globals.unknown[0]} before the subcommand`);
  const chdir = last(globals, 'chdir');
  const workspace = ctx.env.TF_WORKSPACE || undefined;
  const base: Fact = { program: 'terraform', action: 'read', dir: chdir ?? '.', target: chdir ?? workspace ?? '.' };
  if (workspace !== undefined) base.workspace = workspace;
  const subcommand = args[globals.rest];
  if (subcommand === undefined) return [{ ...base, subcommand: 'help' }];
  base.subcommand = subcommand;
  let rest = args.slice(globals.rest + 1);
  let envName = subcommand;
  let nestedAction: Action | undefined;
  if (Object.hasOwn(NESTED, subcommand)) {
    // `terraform state rm ...`: the operation is the word right after the subcommand.
    const operation = rest[0];
    if (operation === undefined || operation.startsWith('-')) {
      if (subcommand !== 'providers') return opaque(`terraform ${subcommand} without an operation`);
      nestedAction = 'read';
    } else {
      nestedAction = Object.hasOwn(NESTED[subcommand]!, operation) ? NESTED[subcommand]![operation] : undefined;
      if (nestedAction === undefined) return opaque(`unknown terraform ${subcommand} operation ${operation}`);
      base.operation = operation;
      if (subcommand === 'state') base.state_op = operation;
      rest = rest.slice(1);
      envName = `${subcommand}_${operation}`;
    }
  } else if (!Object.hasOwn(SIMPLE, subcommand) && !['apply', 'destroy', 'refresh', 'force-unlock'].includes(subcommand)) {
    return opaque(`unknown terraform subcommand ${subcommand}`);
  }
  const injected = injectedArgs(ctx.env, envName === subcommand ? [subcommand] : [subcommand, envName]);
  if (injected === undefined) return opaque('TF_CLI_ARGS with quoting');
  rest = [...injected, ...rest];

  const scan = scanArgs(rest, SUBCOMMAND_TABLE, { singleDashLong: true, stopAtPositional: true });
  if (scan.ambiguous) return opaque(`unknown terraform option ${scan.parsed.unknown[0] ?? ''}`.trim());
  const { action, fields } = subcommandFields(subcommand, scan);
  const fact: Fact = { ...base, ...fields, action: action ?? nestedAction ?? SIMPLE[subcommand] ?? 'read' };
  if (flag(scan.parsed, 'dry_run')) fact.dry_run = true;
  if (flag(scan.parsed, 'force')) fact.force = true;
  if (printsSecrets(subcommand, base.operation, scan)) fact.secret = true;
  if (subcommand === 'state' && scan.positionals.length > 0 && base.operation !== 'list') fact.addresses = scan.positionals;
  if (subcommand === 'workspace' && scan.positionals[0] !== undefined) {
    fact.names = [scan.positionals[0]];
    if (base.operation === 'delete') fact.target = scan.positionals[0];
  }
  return [fact];
}

export const analyzers: Record<string, Analyzer> = { terraform: analyzeTerraform };
