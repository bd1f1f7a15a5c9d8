// `docker run|create|exec|cp`: what runs where, with which host privileges, and which files move.
import { compactFact } from '../fact-compact.js';
import { flag, last, parseArgs } from '../options.js';
import type { AnalyzeContext, Fact, FactValue } from '../types.js';
import { isEscalated, privilegeFields } from './docker-privilege.js';
import { EXEC_OPTIONS, RUN_OPTIONS } from './docker-run-options.js';

type Fields = Record<string, FactValue>;
export type ContainerResult = { ok: true; facts: Fact[] } | { ok: false; reason: string };

/**
 * run/create: one fact for starting the image (exec for run, write for create) and, when the
 * container gets host privileges, a privilege fact as well so rules on either action apply.
 */
export function runFacts(verb: 'run' | 'create', args: readonly string[], base: Fields): ContainerResult {
  const parsed = parseArgs(args, RUN_OPTIONS, { stopAtPositional: true });
  if (parsed.unknown.length > 0) return { ok: false, reason: `docker ${verb}: unknown option ${parsed.unknown.join(' ')}` };
  if (flag(parsed, 'help')) return { ok: true, facts: [compactFact({ ...base, action: 'read', help: true })] };
  const image = args[parsed.rest];
  if (image === undefined) return { ok: false, reason: `docker ${verb}: no image` };
  const privileges = privilegeFields(parsed);
  const fields: Fields = { ...base, image, target: image, name: last(parsed, 'name'), ...privileges };
  const facts = [compactFact({ ...fields, action: verb === 'run' ? 'exec' : 'write' })];
  if (isEscalated(privileges)) facts.push(compactFact({ ...fields, action: 'privilege' }));
  return { ok: true, facts };
}

/** exec: the exec fact, a privilege fact for --privileged, and the facts of the inner command. */
export async function execFacts(args: readonly string[], base: Fields, ctx: AnalyzeContext): Promise<ContainerResult> {
  const parsed = parseArgs(args, EXEC_OPTIONS, { stopAtPositional: true });
  if (parsed.unknown.length > 0) return { ok: false, reason: `docker exec: unknown option ${parsed.unknown.join(' ')}` };
  if (flag(parsed, 'help')) return { ok: true, facts: [compactFact({ ...base, action: 'read', help: true })] };
  const container = args[parsed.rest];
  const inner = args.slice(parsed.rest + 1);
  if (container === undefined || inner.length === 0) return { ok: false, reason: 'docker exec: needs a container and a command' };
  const privileged = flag(parsed, 'privileged') || undefined;
  const fields: Fields = { ...base, container, target: container, user: last(parsed, 'user'), privileged };
  const facts = [compactFact({ ...fields, action: 'exec' })];
  if (privileged) facts.push(compactFact({ ...fields, action: 'privilege' }));
  facts.push(...(await ctx.analyze(inner, 'docker-exec')));
  return { ok: true, facts };
}

/** cp: `CONTAINER:PATH local` exports out of the container; `local CONTAINER:PATH` writes into it. */
export function cpFacts(args: readonly string[], base: Fields): ContainerResult {
  const paths = args.filter((a) => a === '-' || !a.startsWith('-'));
  if (paths.length !== 2) return { ok: false, reason: 'docker cp: expected a source and a destination' };
  const [source, destination] = [splitCpArg(paths[0]!), splitCpArg(paths[1]!)];
  if ((source.container === undefined) === (destination.container === undefined)) {
    return { ok: false, reason: 'docker cp: exactly one side must be a container path' };
  }
  const fromContainer = source.container !== undefined;
  const inside = fromContainer ? source : destination;
  return {
    ok: true,
    facts: [compactFact({
      ...base,
      action: fromContainer ? 'export' : 'write',
      container: inside.container,
      target: inside.container,
      path: inside.path,
      source: paths[0],
      destination: paths[1],
      direction: fromContainer ? 'download' : 'upload',
    })],
  };
}

/** As docker's splitCpArg: absolute or `.`-prefixed paths and paths without `:` are local. */
function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon === -1 || arg.startsWith('.')) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}
