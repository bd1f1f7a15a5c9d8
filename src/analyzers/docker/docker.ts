// Analyzer for docker: global options, both command spellings (`docker rm` = `docker container
// rm`), containers started with host privileges, volume data removal, and `docker exec`, whose
// inner command is analyzed too.
//
// Fields: command ("container rm", "image ls", "volume prune", "inspect" ...), object, verb,
// context, host, names, target, image, name, container, user, force, all, filter,
// volumes_removed, help; run/create add privileged, host_pid, host_network, host_ipc, host_uts,
// host_userns, host_cgroupns, host_mounts, host_root_mount, docker_socket, sensitive_mount,
// cap_add, dangerous_caps, unconfined, devices; cp adds path, source, destination, direction;
// compose adds project, compose_files, service, images_removed, dry_run.
import { compactFact } from '../fact-compact.js';
import { opaqueFact } from '../opaque.js';
import { flagOption, last, OptionTable, parseArgs, valueOption } from '../options.js';
import type { AnalyzeContext, Analyzer, Fact, FactValue } from '../types.js';
import { composeFacts } from './docker-compose.js';
import { commandAction, resolveCommand } from './docker-commands.js';
import { cpFacts, execFacts, runFacts } from './docker-container.js';
import { removeFacts } from './docker-remove.js';
import { volumeCreateFacts } from './docker-volume-create.js';

type Fields = Record<string, FactValue>;

const GLOBAL = new OptionTable([
  valueOption('config', '--config'), valueOption('context', '-c', '--context'),
  valueOption('host', '-H', '--host'), valueOption('log_level', '-l', '--log-level'),
  valueOption('tlscacert', '--tlscacert'), valueOption('tlscert', '--tlscert'),
  valueOption('tlskey', '--tlskey'), flagOption('debug', '-D', '--debug'), flagOption('tls', '--tls'),
  flagOption('tlsverify', '--tlsverify'), flagOption('version', '-v', '--version'), flagOption('help', '-h', '--help'),
]);

const analyzeDocker: Analyzer = async (argv, ctx) => {
  const args = argv.slice(1);
  const top = parseArgs(args, GLOBAL, { stopAtPositional: true });
  if (top.unknown.length > 0 || top.sawDoubleDash) return [opaqueFact('docker', args, ctx.via, `docker: unknown option ${top.unknown.join(' ') || '--'}`)];
  const base: Fields = {
    program: 'docker',
    context: last(top, 'context') ?? ctx.env.DOCKER_CONTEXT,
    host: last(top, 'host') ?? ctx.env.DOCKER_HOST,
  };
  const words = args.slice(top.rest);
  // Root --help/--version only short-circuit when no command follows (cobra runs the command).
  if (words.length === 0) return [compactFact({ ...base, action: 'read', help: true })];
  const command = resolveCommand(words);
  if (!command) return [opaqueFact('docker', args, ctx.via, `docker: unknown command ${words[0]}`)];
  const rest = words.slice(command.words);
  const fields: Fields = {
    ...base,
    command: command.object ? `${command.object} ${command.verb}`.trim() : command.verb,
    object: command.object || undefined,
    verb: command.verb || undefined,
  };
  const result = await commandFacts(command.object, command.verb, rest, fields, ctx);
  const facts = result.ok ? result.facts.map(withoutCommandIfHelp) : [opaqueFact('docker', args, ctx.via, result.reason)];
  // A config directory of the caller's choosing names credential helpers and CLI plugin hooks
  // (programs docker runs), just like DOCKER_CONFIG set by the command (launch-guards.ts).
  if (last(top, 'config') !== undefined) facts.push(opaqueFact('docker', args, ctx.via, '--config names a docker config directory of the caller\'s choosing, whose credential helpers and plugin hooks run programs'));
  return facts;
};

/** Help facts name no command, so rules about the command do not fire on its manual page. */
function withoutCommandIfHelp(fact: Fact): Fact {
  if (fact.program !== 'docker' || fact.help !== true) return fact;
  const { command: _command, object: _object, verb: _verb, ...rest } = fact;
  return rest as Fact;
}

type Result = { ok: true; facts: Fact[] } | { ok: false; reason: string };

async function commandFacts(object: string, verb: string, rest: string[], fields: Fields, ctx: AnalyzeContext): Promise<Result> {
  if (object === 'compose') return composeFacts(rest, fields, ctx);
  if (verb === '') {
    // `docker volume` prints usage; a flag before the verb is something we cannot place.
    const only = rest[0];
    if (only === undefined || only === '--help' || only === '-h') return { ok: true, facts: [compactFact({ ...fields, action: 'read', help: true })] };
    return { ok: false, reason: `docker ${object}: option ${only} before the command` };
  }
  if (object === 'container' && (verb === 'run' || verb === 'create')) return runFacts(verb, rest, fields);
  if (object === 'container' && verb === 'exec') return execFacts(rest, fields, ctx);
  if (object === 'container' && verb === 'cp') return cpFacts(rest, fields);
  if (verb === 'rm' || verb === 'prune') return removeFacts(object, verb, rest, fields);
  if (object === 'volume' && verb === 'create') return { ok: true, facts: volumeCreateFacts(rest, fields) };
  const action = commandAction({ object, verb, words: 0 });
  const names = rest.filter((arg) => !arg.startsWith('-'));
  const image = (object === 'image' && ['push', 'pull', 'save', 'tag'].includes(verb)) ? names[0] : undefined;
  return { ok: true, facts: [compactFact({ ...fields, action, image, target: action === 'read' ? undefined : names[0] })] };
}

export const analyzers: Record<string, Analyzer> = { docker: analyzeDocker };
