// Analyzer for the AWS CLI: global options anywhere, service and operation, S3 transfers,
// and the operations that export data, read secrets, change access or destroy resources.
//
// Fields: service, operation, profile, region, endpoint_url, target, uri (s3://bucket/key),
// bucket, key, secret, dry_run, help; s3 commands add source, destination, direction
// (download|upload|copy|local), recursive, delete (sync --delete), bucket_removal, force, public,
// acl, path (local side); ec2 security-group ingress adds open_to_world; rds deletes add
// skip_final_snapshot.
import { compactFact } from '../fact-compact.js';
import { opaqueFact } from '../opaque.js';
import type { AnalyzeContext, Analyzer, Env, Fact, FactValue } from '../types.js';
import { splitAwsCommandLine, type AwsCommandLine } from './aws-command-line.js';
import { classifyOperation, SSM_PARAMETER_READS } from './aws-operations.js';
import { ec2DryRun, mentionsParam, mentionsWorldCidr, paramValue, targetOf } from './aws-parameters.js';
import { analyzeS3Command } from './aws-s3.js';
import { s3Uri } from './aws-s3-uri.js';

type Fields = Record<string, FactValue>;

const analyzeAws: Analyzer = (argv, ctx) => {
  const args = argv.slice(1);
  const split = splitAwsCommandLine(args);
  if (!split.ok) return [opaqueFact('aws', args, ctx.via, split.reason)];
  const { line } = split;
  const prompt = autoPrompt(line, ctx.env);
  if (prompt) return [opaqueFact('aws', args, ctx.via, prompt)];
  const base = baseFields(line, ctx);
  const fact = (fields: Fields): Fact => compactFact({ program: 'aws', ...base, ...fields });

  const { service, operation } = line;
  // Help facts name no operation, so rules about the operation do not fire on its manual page.
  const help = fact({ action: 'read', help: true, operation: undefined });
  if (isHelp(line) || service === undefined) return [help];
  if (service === 'configure') return [fact(configureFields(line))];
  // A service without an operation only prints usage.
  if (operation === undefined) return [help];
  if (service === 's3') {
    const result = analyzeS3Command(operation, line.rest, base);
    return result.ok ? result.facts : [opaqueFact('aws', args, ctx.via, result.reason)];
  }
  return [fact(operationFields(service, operation, line.rest))];
};

/** `aws`, `aws --version`, `aws help`, `aws s3 help`, `aws ec2 describe-instances help`: usage only. */
function isHelp(line: AwsCommandLine): boolean {
  // argparse's version action prints and exits as soon as it is parsed.
  if (line.service === undefined || line.globals.has('version')) return true;
  if (line.service === 'help' || line.operation === 'help') return true;
  return line.rest.length === 1 && line.rest[0] === 'help';
}

/** The interactive prompt lets the user edit the command before it runs: nothing here is final. */
function autoPrompt(line: AwsCommandLine, env: Env): string | undefined {
  if (line.globals.has('cli_auto_prompt')) return 'aws --cli-auto-prompt builds the command interactively';
  if (line.globals.has('no_cli_auto_prompt')) return undefined;
  const mode = env.AWS_CLI_AUTO_PROMPT?.toLowerCase();
  if (mode === 'on') return 'AWS_CLI_AUTO_PROMPT=on builds the command interactively';
  if (mode === 'on-partial' && line.operation === undefined && line.service !== undefined) {
    return 'AWS_CLI_AUTO_PROMPT=on-partial prompts for an incomplete command';
  }
  return undefined;
}

/** Fields every aws fact carries; flags win over the environment. */
function baseFields(line: AwsCommandLine, ctx: AnalyzeContext): Fields {
  const env = ctx.env;
  const serviceEnv = line.service ? env[`AWS_ENDPOINT_URL_${line.service.toUpperCase().replace(/-/g, '_')}`] : undefined;
  return {
    service: line.service,
    operation: line.operation,
    profile: line.globals.get('profile') ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE,
    region: (line.globals.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION)?.toLowerCase(),
    endpoint_url: line.globals.get('endpoint_url') ?? serviceEnv ?? env.AWS_ENDPOINT_URL,
  };
}

/** A generic API operation: the classification plus the parameters that sharpen it. */
function operationFields(service: string, operation: string, rest: string[]): Fields {
  const classified = classifyOperation(service, operation);
  const fields: Fields = { action: classified.action, secret: classified.secret, target: targetOf(rest) };
  // Decryption requested, or possibly requested inside --cli-input-json/yaml, which gate cannot see.
  const decrypts = mentionsParam(rest, '--with-decryption') || mentionsParam(rest, '--cli-input-json', 7) || mentionsParam(rest, '--cli-input-yaml', 7);
  if (SSM_PARAMETER_READS.has(`${service} ${operation}`) && decrypts) fields.secret = true;
  if (service === 'apigateway' && (mentionsParam(rest, '--include-value', 11) || mentionsParam(rest, '--include-values', 11))) fields.secret = true;
  if (service === 'ec2' && ec2DryRun(rest)) fields.dry_run = true;
  if (service === 'ec2' && operation === 'authorize-security-group-ingress' && mentionsWorldCidr(rest)) fields.open_to_world = true;
  if (service === 'rds' && operation.startsWith('delete-') && rest.includes('--skip-final-snapshot')) fields.skip_final_snapshot = true;
  if (service === 's3api') Object.assign(fields, s3apiFields(operation, rest));
  if (operation === 'wait' && rest[0] !== undefined && !rest[0].startsWith('-')) fields.waiter = rest[0];
  return fields;
}

function s3apiFields(operation: string, rest: string[]): Fields {
  const bucket = paramValue(rest, '--bucket');
  if (bucket === undefined) return {};
  const key = paramValue(rest, '--key');
  return { uri: s3Uri(bucket, key), target: bucket, bucket, key, bucket_removal: operation === 'delete-bucket' ? true : undefined };
}

/** `aws configure [list|get|set|...]`: bare `configure` prompts for and stores credentials. */
function configureFields(line: AwsCommandLine): Fields {
  const sub = line.operation;
  if (sub === undefined) return { action: 'write' };
  const classified = classifyOperation('configure', sub);
  if (sub !== 'get') return { action: classified.action, secret: classified.secret };
  const name = line.rest.find((token) => !token.startsWith('-')) ?? '';
  return { action: 'read', setting: name, secret: /secret|token|password|credential/i.test(name) ? true : undefined };
}

export const analyzers: Record<string, Analyzer> = { aws: analyzeAws };
