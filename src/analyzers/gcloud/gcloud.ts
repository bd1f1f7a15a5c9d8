// Analyzer for gcloud (and gsutil, see gcloud-gsutil.ts): global flags anywhere, the command
// group path and verb, and what the verb does to which resource.
//
// Fields: group ("compute instances"), command (the verb: delete, describe, list ...), track
// (alpha|beta|preview), project, account, configuration, impersonate_service_account, quiet,
// names (positional arguments), target, uri (gs://...), bucket, secret, help, public
// (allUsers bindings, --allow-unauthenticated), member, role, instance, database, zone, region, format
// (sql export/import), destination, dry_run; storage transfers add source, destination,
// direction, recursive, delete, all_versions, bucket_removal.
import { compactFact } from '../fact-compact.js';
import { opaqueFact } from '../opaque.js';
import { flag, flagOption, last, optionKey, OptionTable, parseArgs, valueOption, type ParsedArgs } from '../options.js';
import type { AnalyzeContext, Analyzer, FactValue } from '../types.js';
import { splitGcloudCommandLine, type GcloudCommandLine } from './gcloud-command-line.js';
import { analyzers as gsutil } from './gcloud-gsutil.js';
import { analyzeGcloudStorage } from './gcloud-storage.js';
import { isCloudUrl, locationFields } from './gcloud-storage-urls.js';

type Fields = Record<string, FactValue>;

/** Common flags of gcloud commands that take a value, so their values are not read as names. */
const VALUE_FLAGS = [
  '--zone', '--region', '--location', '--instance', '--database', '--cluster', '--secret', '--keyring', '--key', '--member', '--role',
  '--condition', '--command', '--iam-account', '--filter', '--limit', '--sort-by', '--page-size', '--uri', '--bucket', '--topic',
  '--subscription', '--service', '--image', '--image-project', '--machine-type', '--network', '--subnet', '--source', '--labels',
  '--update-labels', '--description', '--display-name', '--ssh-flag', '--ssh-key-file', '--worker', '--port', '--user', '--password',
  '--keep-disks', '--delete-disks', '--data-file', '--runtime', '--entry-point', '--memory', '--timeout', '--platform',
  '--set-env-vars', '--env-vars-file', '--collection-ids', '--destination-uri', '--version', '--tag', '--config',
];

const COMMAND_FLAGS = new OptionTable([
  ...VALUE_FLAGS.map((name) => valueOption(optionKey(name.slice(2)), name)),
  flagOption('allow_unauthenticated', '--allow-unauthenticated'),
  flagOption('dry_run', '--dry-run'),
]);

const analyzeGcloud: Analyzer = async (argv, ctx) => {
  const args = argv.slice(1);
  const split = splitGcloudCommandLine(args);
  if (!split.ok) return [opaqueFact('gcloud', args, ctx.via, split.reason)];
  const { line } = split;
  if (line.globals.has('flags_file')) return [opaqueFact('gcloud', args, ctx.via, 'gcloud --flags-file reads flags from a file')];
  const base = baseFields(line, ctx);
  // Help facts name no group or command, so rules about the command do not fire on its manual page.
  if (isHelp(line)) return [compactFact({ program: 'gcloud', ...base, group: undefined, command: undefined, action: 'read', help: true })];
  if (line.verb === undefined || line.verbClass === undefined) {
    return [opaqueFact('gcloud', args, ctx.via, `gcloud: unrecognized command ${line.groups.join(' ')}`)];
  }
  if (line.groups.join(' ') === 'storage') {
    const storage = analyzeGcloudStorage(line.verb, line.rest, base);
    if (storage) return storage.ok ? storage.facts : [opaqueFact('gcloud', args, ctx.via, storage.reason)];
  }
  const parsed = parseArgs(line.rest, COMMAND_FLAGS);
  const fact = compactFact({ program: 'gcloud', ...base, ...commandFields(line, parsed) });
  const inner = line.verb === 'ssh' ? last(parsed, 'command') : undefined;
  // A remote command is analyzed like `ssh host CMD`: its facts say what it does on the VM.
  return inner === undefined ? [fact] : [fact, ...(await ctx.analyzeScript(inner, 'gcloud-ssh'))];
};

/** `gcloud [--version]`, `gcloud help ...`, `gcloud topic ...`, `--help`/`-h` anywhere: documentation only. */
function isHelp(line: GcloudCommandLine): boolean {
  if (line.globals.has('help')) return true;
  if (line.verb === undefined && line.groups.length === 0) return true;
  return line.groups[0] === 'topic' || (line.verb === 'help' && line.groups.length === 0);
}

function baseFields(line: GcloudCommandLine, ctx: AnalyzeContext): Fields {
  const env = ctx.env;
  const quietEnv = env.CLOUDSDK_CORE_DISABLE_PROMPTS;
  return {
    group: line.groups.join(' ') || undefined,
    command: line.verb,
    track: line.track,
    project: line.globals.get('project') ?? env.CLOUDSDK_CORE_PROJECT,
    account: line.globals.get('account') ?? env.CLOUDSDK_CORE_ACCOUNT,
    configuration: line.globals.get('configuration') ?? env.CLOUDSDK_ACTIVE_CONFIG_NAME,
    impersonate_service_account: line.globals.get('impersonate_service_account') ?? env.CLOUDSDK_AUTH_IMPERSONATE_SERVICE_ACCOUNT,
    quiet: line.globals.has('quiet') || (quietEnv !== undefined && quietEnv !== '' && quietEnv !== '0' && quietEnv.toLowerCase() !== 'false') || undefined,
  };
}

/** What the verb does and to what: action, names, target, uri and the flags reviewers need. */
function commandFields(line: GcloudCommandLine, parsed: ParsedArgs): Fields {
  const group = line.groups.join(' ');
  const verbClass = line.verbClass!;
  let action = verbClass.action;
  // Any change under `gcloud iam` is an access change; disabling a KMS key version destroys access to data.
  if (line.groups[0] === 'iam' && action !== 'read') action = 'privilege';
  if (group === 'sql users' && (line.verb === 'create' || line.verb === 'set-password')) action = 'privilege';
  if (group.startsWith('kms') && line.verb === 'disable') action = 'delete';
  if (['deployment-manager', 'infra-manager', 'deploy'].includes(line.groups[0] ?? '') && ['create', 'update', 'apply'].includes(line.verb!)) action = 'infra';

  const positionals = [...parsed.positionals];
  const format = line.groups[0] === 'sql' && (line.verb === 'export' || line.verb === 'import') ? positionals.shift() : undefined;
  const names = positionals.filter((p) => !isCloudUrl(p));
  const urls = positionals.filter(isCloudUrl);
  const member = last(parsed, 'member');
  const fields: Fields = {
    action,
    secret: verbClass.secret,
    names: names.length > 0 ? names : undefined,
    format,
    instance: last(parsed, 'instance'),
    database: last(parsed, 'database'),
    zone: last(parsed, 'zone'),
    region: last(parsed, 'region'),
    member,
    role: last(parsed, 'role'),
    dry_run: flag(parsed, 'dry_run') || undefined,
    public: (member !== undefined && /^all(authenticated)?users$/i.test(member)) || flag(parsed, 'allow_unauthenticated') || undefined,
  };
  if (urls.length > 0) {
    // An export's URL is where the data goes; for everything else it is the resource acted on.
    if (action === 'export') fields.destination = urls.join(' ');
    else Object.assign(fields, locationFields(urls[0]!));
  }
  if (group === 'storage buckets' && line.verb === 'delete') fields.bucket_removal = true;
  if (group === 'projects' && names[0] !== undefined) fields.project = names[0];
  fields.target ??= last(parsed, 'secret') ?? names[0];
  return fields;
}

export const analyzers: Record<string, Analyzer> = { gcloud: analyzeGcloud, ...gsutil };
