// `docker compose` (the v2 plugin): project options before the verb, then what the verb does.
// `down -v` and `rm -v` destroy volume data; `exec` runs its command in a service container.
import { compactFact } from '../fact-compact.js';
import { flag, flagOption, last, optionKey, OptionTable, parseArgs, valueOption } from '../options.js';
import type { Action, AnalyzeContext, Fact, FactValue } from '../types.js';

type Fields = Record<string, FactValue>;
export type ComposeResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

const GLOBAL = new OptionTable([
  ...['-f', '--file', '-p', '--project-name', '--project-directory', '--profile', '--env-file', '--ansi', '--progress', '--parallel']
    .map((name) => valueOption(name === '-f' ? 'file' : name === '-p' ? 'project_name' : optionKey(name.slice(2)), name)),
  flagOption('compatibility', '--compatibility'), flagOption('dry_run', '--dry-run'),
  flagOption('all_resources', '--all-resources'), flagOption('help', '-h', '--help'), flagOption('version', '-v', '--version'),
]);

const EXEC = new OptionTable([
  flagOption('detach', '-d', '--detach'), valueOption('env', '-e', '--env'),
  valueOption('index', '--index'), flagOption('no_tty', '-T', '--no-TTY', '--no-tty'),
  flagOption('privileged', '--privileged'), valueOption('user', '-u', '--user'),
  valueOption('workdir', '-w', '--workdir'), flagOption('dry_run', '--dry-run'),
]);

const REMOVE = new OptionTable([
  flagOption('volumes', '-v', '--volumes'), valueOption('rmi', '--rmi'),
  flagOption('remove_orphans', '--remove-orphans'), valueOption('timeout', '-t', '--timeout'),
  flagOption('force', '-f', '--force'), flagOption('stop', '-s', '--stop'), flagOption('dry_run', '--dry-run'),
]);

const READS = new Set(['ps', 'ls', 'logs', 'config', 'images', 'top', 'version', 'port', 'events', 'stats', 'convert']);
const EXEC_VERBS = new Set(['up', 'run', 'start', 'restart', 'attach', 'watch']);

export async function composeFacts(args: readonly string[], base: Fields, ctx: AnalyzeContext): Promise<ComposeResult> {
  const top = parseArgs(args, GLOBAL, { stopAtPositional: true });
  if (top.unknown.length > 0 || top.sawDoubleDash) return { ok: false, reason: `docker compose: unknown option ${top.unknown.join(' ')}` };
  const verb = args[top.rest];
  const fields: Fields = {
    ...base,
    command: verb === undefined ? 'compose' : `compose ${verb}`,
    object: 'compose',
    verb,
    project: last(top, 'project_name'),
    compose_files: top.values.get('file'),
    dry_run: flag(top, 'dry_run') || undefined,
  };
  if (verb === undefined || flag(top, 'help') || flag(top, 'version')) return { ok: true, facts: [compactFact({ ...fields, action: 'read', help: true })] };
  const rest = args.slice(top.rest + 1);
  if (verb === 'exec') {
    const parsed = parseArgs(rest, EXEC, { stopAtPositional: true });
    const service = rest[parsed.rest];
    const inner = rest.slice(parsed.rest + 1);
    if (parsed.unknown.length > 0 || service === undefined || inner.length === 0) {
      return { ok: false, reason: 'docker compose exec: cannot place the service and command' };
    }
    const execFields: Fields = { ...fields, service, target: service, privileged: flag(parsed, 'privileged') || undefined };
    const facts = [compactFact({ ...execFields, action: 'exec' })];
    if (flag(parsed, 'privileged')) facts.push(compactFact({ ...execFields, action: 'privilege' }));
    return { ok: true, facts: [...facts, ...(await ctx.analyze(inner, 'docker-exec'))] };
  }
  if (verb === 'down' || verb === 'rm') {
    const parsed = parseArgs(rest, REMOVE);
    if (parsed.unknown.length > 0) return { ok: false, reason: `docker compose ${verb}: unknown option ${parsed.unknown.join(' ')}` };
    const volumes = flag(parsed, 'volumes');
    return { ok: true, facts: [compactFact({
      ...fields,
      action: 'delete',
      volumes_removed: volumes || undefined,
      images_removed: last(parsed, 'rmi'),
      dry_run: fields.dry_run ?? (flag(parsed, 'dry_run') || undefined),
      target: last(top, 'project_name') ?? base.context ?? 'default',
    })] };
  }
  const action: Action = READS.has(verb) ? 'read' : EXEC_VERBS.has(verb) ? 'exec' : verb === 'push' ? 'export' : 'write';
  return { ok: true, facts: [compactFact({ ...fields, action })] };
}
