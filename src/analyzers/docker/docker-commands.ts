// Docker's two spellings of each command (`docker rm` / `docker container rm`, `docker images` /
// `docker image ls`) resolved to one canonical object + verb, with what each does.
import type { Action } from '../types.js';

export interface DockerCommand {
  /** container, image, volume, network, system, ... or '' for top-level-only commands. */
  object: string;
  verb: string;
  /** Number of argv words the command name used (1 for `rm`, 2 for `container rm`). */
  words: number;
}

/** Legacy top-level commands and their management-command form. */
const SHORTCUTS: Record<string, [string, string]> = {
  attach: ['container', 'attach'], commit: ['container', 'commit'], cp: ['container', 'cp'], create: ['container', 'create'],
  diff: ['container', 'diff'], exec: ['container', 'exec'], export: ['container', 'export'], kill: ['container', 'kill'],
  logs: ['container', 'logs'], pause: ['container', 'pause'], port: ['container', 'port'], ps: ['container', 'ls'],
  rename: ['container', 'rename'], restart: ['container', 'restart'], rm: ['container', 'rm'], run: ['container', 'run'],
  start: ['container', 'start'], stats: ['container', 'stats'], stop: ['container', 'stop'], top: ['container', 'top'],
  unpause: ['container', 'unpause'], update: ['container', 'update'], wait: ['container', 'wait'],
  build: ['image', 'build'], history: ['image', 'history'], images: ['image', 'ls'], import: ['image', 'import'],
  load: ['image', 'load'], pull: ['image', 'pull'], push: ['image', 'push'], rmi: ['image', 'rm'], save: ['image', 'save'],
  tag: ['image', 'tag'], events: ['system', 'events'], info: ['system', 'info'],
  inspect: ['', 'inspect'], login: ['', 'login'], logout: ['', 'logout'], search: ['', 'search'], version: ['', 'version'],
  help: ['', 'help'],
};

const OBJECTS = new Set(['container', 'image', 'volume', 'network', 'system', 'builder', 'buildx', 'context', 'plugin', 'secret',
  'config', 'service', 'stack', 'swarm', 'node', 'trust', 'manifest', 'compose']);

/** Verb spellings per object (`list` and `ps` are `ls`, `remove` is `rm`). */
function canonicalVerb(object: string, verb: string): string {
  if (verb === 'list' || (verb === 'ps' && object === 'container')) return 'ls';
  if (verb === 'remove') return 'rm';
  return verb;
}

/** Resolve the command at the start of `words` (after global options). */
export function resolveCommand(words: readonly string[]): DockerCommand | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const shortcut = SHORTCUTS[first];
  if (shortcut) return { object: shortcut[0], verb: shortcut[1], words: 1 };
  if (!OBJECTS.has(first)) return undefined;
  // compose has its own options before its verb: docker-compose.ts reads them.
  if (first === 'compose') return { object: first, verb: '', words: 1 };
  const verb = words[1];
  if (verb === undefined || verb.startsWith('-')) return { object: first, verb: '', words: 1 };
  return { object: first, verb: canonicalVerb(first, verb), words: 2 };
}

const READS = new Set(['ls', 'inspect', 'logs', 'history', 'port', 'top', 'stats', 'diff', 'events', 'df', 'info', 'version', 'search',
  'show', 'wait', 'help', 'du']);
const DELETES = new Set(['rm', 'prune']);
const EXPORTS = new Set(['export', 'save', 'push']);
const EXEC = new Set(['run', 'exec', 'start', 'attach']);

/** The action of a resolved command; plugins, swarm services and stacks get their own treatment. */
export function commandAction(command: DockerCommand): Action {
  const { object, verb } = command;
  if (verb === '') return 'read';
  if (object === 'plugin' && (verb === 'install' || verb === 'enable' || verb === 'upgrade')) return 'privilege';
  if (object === 'context' && verb === 'export') return 'export';
  if (object === 'stack' && verb === 'deploy') return 'infra';
  if (object === 'service' && (verb === 'create' || verb === 'update')) return 'exec';
  if (READS.has(verb)) return 'read';
  if (DELETES.has(verb)) return 'delete';
  if (EXPORTS.has(verb)) return 'export';
  if (EXEC.has(verb)) return 'exec';
  return 'write';
}
