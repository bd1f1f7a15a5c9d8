import { describe, expect, it } from 'vitest';
import { analyze, one } from './analyze-command.js';

describe('aws global options', () => {
  it('accepts global options before, between and after service and operation', async () => {
    for (const command of [
      'aws --profile prod --region EU-WEST-1 ec2 describe-instances',
      'aws ec2 --profile prod describe-instances --region eu-west-1',
      'aws ec2 describe-instances --profile=prod --region=eu-west-1 --output json',
      'aws --debug --no-verify-ssl ec2 describe-instances --profile prod --region eu-west-1 --no-paginate',
    ]) {
      expect(await one(command)).toMatchObject({ program: 'aws', action: 'read', service: 'ec2', operation: 'describe-instances', profile: 'prod', region: 'eu-west-1' });
    }
  });

  it('resolves unambiguous prefixes the way argparse does', async () => {
    expect(await one('aws --prof prod --reg us-east-1 s3 ls')).toMatchObject({ profile: 'prod', region: 'us-east-1', operation: 'ls' });
  });

  it('takes profile, region and endpoint from the environment when no flag is given', async () => {
    const fact = await one('aws sts get-caller-identity', { AWS_PROFILE: 'dev', AWS_DEFAULT_REGION: 'us-west-2', AWS_ENDPOINT_URL: 'http://localhost:4566' });
    expect(fact).toMatchObject({ profile: 'dev', region: 'us-west-2', endpoint_url: 'http://localhost:4566', action: 'read' });
    expect(await one('aws --profile prod sts get-caller-identity', { AWS_PROFILE: 'dev' })).toMatchObject({ profile: 'prod' });
    expect(await one('aws --endpoint-url http://x:9000 s3 ls')).toMatchObject({ endpoint_url: 'http://x:9000' });
  });

  it('is opaque on an unknown option before the command is known', async () => {
    expect(await one('aws --bogus x s3 rm s3://b/k')).toMatchObject({ opaque: true });
    expect(await one('aws s3 --recursive rm s3://b/k')).toMatchObject({ opaque: true });
    expect(await one('aws --no s3 ls')).toMatchObject({ opaque: true });
    expect(await one('aws --profile')).toMatchObject({ opaque: true });
  });

  it('is opaque when the command is built interactively', async () => {
    expect(await one('aws s3 ls --cli-auto-prompt')).toMatchObject({ opaque: true });
    expect(await one('aws s3 ls', { AWS_CLI_AUTO_PROMPT: 'on' })).toMatchObject({ opaque: true });
    const explicit = await one('aws s3 ls --no-cli-auto-prompt', { AWS_CLI_AUTO_PROMPT: 'on' });
    expect(explicit.opaque).toBeUndefined();
    expect(explicit.action).toBe('read');
  });

  it('treats help, usage and --version as reads', async () => {
    for (const command of ['aws', 'aws help', 'aws --version', 'aws s3', 'aws s3 help', 'aws ec2 terminate-instances help', 'aws --version s3 rb s3://x']) {
      expect(await one(command)).toMatchObject({ action: 'read', help: true });
    }
  });
});

describe('aws s3 high-level commands', () => {
  it('download is an export of the source', async () => {
    const fact = await one('aws s3 cp s3://prod-exports/customers.csv ./out.csv');
    expect(fact).toMatchObject({
      action: 'export', service: 's3', operation: 'cp', uri: 's3://prod-exports/customers.csv', target: 'prod-exports',
      bucket: 'prod-exports', key: 'customers.csv', direction: 'download', source: 's3://prod-exports/customers.csv', destination: './out.csv',
    });
    expect(await one('aws s3 cp s3://b/k -')).toMatchObject({ action: 'export', direction: 'download' });
  });

  it('upload is a write of the destination', async () => {
    expect(await one('aws s3 cp ./a.txt s3://b/dir/ --acl public-read')).toMatchObject({ action: 'write', uri: 's3://b/dir/', direction: 'upload', public: true, acl: 'public-read' });
    expect(await one('aws s3 cp - s3://b/k')).toMatchObject({ action: 'write', direction: 'upload' });
  });

  it('s3 to s3 copy is an export of the source and a write of the destination', async () => {
    const facts = await analyze('aws s3 cp s3://a/x s3://b/y --recursive');
    expect(facts.map((f) => [f.action, f.uri, f.direction, f.recursive])).toEqual([
      ['export', 's3://a/x', 'copy', true],
      ['write', 's3://b/y', 'copy', true],
    ]);
  });

  it('mv from s3 also deletes the source', async () => {
    const facts = await analyze('aws s3 mv s3://a/x ./x');
    expect(facts.map((f) => [f.action, f.uri])).toEqual([['export', 's3://a/x'], ['delete', 's3://a/x']]);
  });

  it('sync --delete deletes at the destination, in any spelling', async () => {
    for (const command of ['aws s3 sync ./site s3://web --delete', 'aws s3 sync --delete ./site s3://web', 'aws s3 sync ./site s3://web --del']) {
      const facts = await analyze(command);
      expect(facts.map((f) => f.action)).toEqual(['write', 'delete']);
      expect(facts[1]).toMatchObject({ uri: 's3://web', operation: 'sync', delete: true });
    }
    const local = await analyze('aws s3 sync s3://web ./site --delete');
    expect(local.map((f) => [f.action, f.uri ?? f.path])).toEqual([['export', 's3://web'], ['delete', './site']]);
  });

  it('rm is a delete, rb a bucket removal', async () => {
    expect(await one('aws s3 rm s3://b/logs/ --recursive')).toMatchObject({ action: 'delete', uri: 's3://b/logs/', target: 'b', recursive: true });
    expect(await one('aws s3 rm -r s3://b/logs/')).toMatchObject({ recursive: true });
    expect(await one('aws s3 rb s3://b --force')).toMatchObject({ action: 'delete', bucket_removal: true, force: true, target: 'b' });
  });

  it('--dryrun marks every fact, also abbreviated', async () => {
    for (const command of ['aws s3 rm s3://b/k --dryrun', 'aws s3 rm --dry s3://b/k']) {
      expect(await one(command)).toMatchObject({ action: 'delete', dry_run: true });
    }
    const facts = await analyze('aws s3 sync s3://a ./a --delete --dryrun');
    expect(facts.every((f) => f.dry_run === true)).toBe(true);
    expect((await one('aws s3 rb s3://b --dryrun')).dry_run).toBeUndefined();
  });

  it('ls, mb, presign and website', async () => {
    expect(await one('aws s3 ls')).toMatchObject({ action: 'read', operation: 'ls' });
    expect(await one('aws s3 ls s3://b/p/ --recursive --human-readable --summarize')).toMatchObject({ action: 'read', uri: 's3://b/p/', target: 'b' });
    expect(await one('aws s3 mb s3://new')).toMatchObject({ action: 'write', uri: 's3://new' });
    expect(await one('aws s3 presign s3://b/k --expires-in 60')).toMatchObject({ action: 'export', expires_in: '60' });
    expect(await one('aws s3 website s3://b --index-document index.html')).toMatchObject({ action: 'write' });
  });

  it('keeps option values out of the paths', async () => {
    const fact = await one('aws s3 cp --sse --storage-class STANDARD_IA --exclude *.tmp ./f s3://b/k --grants read=uri=http://acs.amazonaws.com/groups/global/AllUsers full=id=abc');
    expect(fact).toMatchObject({ action: 'write', uri: 's3://b/k', public: true, exclude: ['*.tmp'] });
    expect(await one('aws s3 cp s3://b/k ./k --sse aws:kms --sse-kms-key-id key-1 --request-payer')).toMatchObject({ action: 'export' });
  });

  it('handles access point ARNs', async () => {
    expect(await one('aws s3 cp s3://arn:aws:s3:us-west-2:123456789012:accesspoint/ap/data.csv .')).toMatchObject({
      action: 'export', target: 'arn:aws:s3:us-west-2:123456789012:accesspoint/ap', key: 'data.csv',
    });
  });

  it('is opaque on anything it cannot place', async () => {
    for (const command of [
      'aws s3 cp s3://b/k',
      'aws s3 cp a b c',
      'aws s3 rm s3://b/k --frobnicate',
      'aws s3 rm s3://b/k -x',
      'aws s3 rm ./local',
      'aws s3 frob s3://b',
      'aws s3 cp --ex x s3://b/k .',
      'aws s3 rm -- s3://b/k',
      'aws s3 cp --grants read=id=x ./f s3://b/k',
    ]) {
      expect(await one(command), command).toMatchObject({ opaque: true });
    }
  });
});

describe('aws api operations', () => {
  it('classifies by naming convention', async () => {
    expect(await one('aws ec2 describe-instances')).toMatchObject({ action: 'read' });
    expect(await one('aws iam list-users')).toMatchObject({ action: 'read' });
    expect(await one('aws sts get-caller-identity')).toMatchObject({ action: 'read', service: 'sts', operation: 'get-caller-identity' });
    expect(await one('aws ec2 terminate-instances --instance-ids i-1 i-2')).toMatchObject({ action: 'delete', target: 'i-1 i-2' });
    expect(await one('aws lambda delete-function --function-name f')).toMatchObject({ action: 'delete', target: 'f' });
    expect(await one('aws ec2 stop-instances --instance-ids i-1')).toMatchObject({ action: 'write' });
    expect(await one('aws ec2 wait instance-running --instance-ids i-1')).toMatchObject({ action: 'read', waiter: 'instance-running' });
  });

  it('s3api objects and buckets', async () => {
    expect(await one('aws s3api get-object --bucket b --key k/x.csv out.csv')).toMatchObject({ action: 'export', uri: 's3://b/k/x.csv', target: 'b' });
    expect(await one('aws s3api put-object --bucket=b --key=k --body f')).toMatchObject({ action: 'write', uri: 's3://b/k' });
    expect(await one('aws s3api delete-object --bucket b --key k')).toMatchObject({ action: 'delete', uri: 's3://b/k' });
    expect(await one('aws s3api delete-objects --bucket b --delete Objects=[{Key=k}]')).toMatchObject({ action: 'delete', uri: 's3://b' });
    expect(await one('aws s3api delete-bucket --bucket b')).toMatchObject({ action: 'delete', bucket_removal: true });
    expect(await one('aws s3api list-objects-v2 --bucket b')).toMatchObject({ action: 'read', uri: 's3://b' });
    expect(await one('aws s3api put-bucket-policy --bucket b --policy file://p.json')).toMatchObject({ action: 'privilege' });
  });

  it('IAM changes are privilege', async () => {
    for (const command of [
      'aws iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
      'aws iam attach-user-policy --user-name u --policy-arn p',
      'aws iam put-user-policy --user-name u --policy-name p --policy-document file://p.json',
      'aws iam create-access-key --user-name u',
      'aws iam create-login-profile --user-name u --password x',
      'aws iam update-assume-role-policy --role-name r --policy-document file://t.json',
      'aws iam detach-role-policy --role-name r --policy-arn p',
    ]) {
      expect(await one(command), command).toMatchObject({ action: 'privilege', service: 'iam' });
    }
    expect(await one('aws iam get-role --role-name r')).toMatchObject({ action: 'read' });
  });

  it('secret reads', async () => {
    expect(await one('aws secretsmanager get-secret-value --secret-id prod/db')).toMatchObject({ action: 'read', secret: true, target: 'prod/db' });
    expect(await one('aws ssm get-parameter --name /db/pw --with-decryption')).toMatchObject({ action: 'read', secret: true });
    expect(await one('aws ssm get-parameters-by-path --path / --with-dec')).toMatchObject({ secret: true });
    expect(await one(['aws', 'ssm', 'get-parameter', '--cli-input-json', '{"Name":"x","WithDecryption":true}'])).toMatchObject({ secret: true });
    expect((await one('aws ssm get-parameter --name /db/host')).secret).toBeUndefined();
    expect(await one('aws ecr get-login-password')).toMatchObject({ secret: true });
    expect(await one('aws apigateway get-api-keys --include-values')).toMatchObject({ action: 'read', secret: true });
    expect((await one('aws apigateway get-api-keys')).secret).toBeUndefined();
    expect(await one('aws configure get aws_secret_access_key')).toMatchObject({ action: 'read', secret: true });
    expect(await one('aws configure export-credentials --profile p')).toMatchObject({ secret: true });
  });

  it('operations returning credentials, tokens, passwords or environment variables are secret reads', async () => {
    for (const command of [
      'aws lambda get-function-configuration --function-name f',
      'aws lambda get-function --function-name f',
      'aws glue get-connection --name c',
      'aws glue get-connections',
      'aws rds generate-db-auth-token --hostname h --port 5432 --username u',
      'aws sts get-session-token',
      'aws sts assume-role --role-arn arn:aws:iam::1:role/x --role-session-name s',
      'aws sts assume-role-with-web-identity --role-arn x --role-session-name s --web-identity-token t',
      'aws secretsmanager batch-get-secret-value --secret-id-list a b',
      'aws kms decrypt --ciphertext-blob fileb://x',
      'aws cognito-idp admin-initiate-auth --user-pool-id p --client-id c --auth-flow ADMIN_USER_PASSWORD_AUTH',
      'aws cognito-idp initiate-auth --client-id c --auth-flow USER_PASSWORD_AUTH',
      'aws codeartifact get-authorization-token --domain d',
      'aws eks get-token --cluster-name c',
      'aws sso get-role-credentials --role-name r --account-id 1 --access-token t',
      'aws ecr get-authorization-token',
      'aws ecs describe-task-definition --task-definition web',
    ]) {
      expect(await one(command), command).toMatchObject({ action: 'read', secret: true });
    }
    for (const command of ['aws lambda list-functions', 'aws iam list-access-keys', 'aws glue get-tables --database-name d', 'aws sts get-caller-identity']) {
      expect((await one(command)).secret, command).toBeUndefined();
    }
  });

  it('configure', async () => {
    expect(await one('aws configure list')).toMatchObject({ action: 'read', service: 'configure', operation: 'list' });
    expect(await one('aws configure get region')).toMatchObject({ action: 'read' });
    expect((await one('aws configure get region')).secret).toBeUndefined();
    expect(await one('aws configure set region us-east-1')).toMatchObject({ action: 'write' });
    expect(await one('aws configure')).toMatchObject({ action: 'write', service: 'configure' });
  });

  it('destructive service operations', async () => {
    expect(await one('aws kms schedule-key-deletion --key-id k --pending-window-in-days 7')).toMatchObject({ action: 'delete', target: 'k' });
    expect(await one('aws kms disable-key --key-id k')).toMatchObject({ action: 'delete' });
    expect(await one('aws rds delete-db-instance --db-instance-identifier db1 --skip-final-snapshot')).toMatchObject({ action: 'delete', target: 'db1', skip_final_snapshot: true });
    expect(await one('aws rds delete-db-cluster --db-cluster-identifier c1')).toMatchObject({ action: 'delete', target: 'c1' });
    expect(await one('aws dynamodb delete-table --table-name users')).toMatchObject({ action: 'delete', target: 'users' });
    expect(await one('aws cloudformation delete-stack --stack-name app')).toMatchObject({ action: 'delete', target: 'app' });
    expect(await one('aws cloudformation deploy --stack-name app --template-file t.yaml')).toMatchObject({ action: 'infra' });
    expect(await one('aws dynamodb scan --table-name users')).toMatchObject({ action: 'export' });
    expect(await one('aws ssm start-session --target i-1')).toMatchObject({ action: 'exec' });
  });

  it('ec2 --dry-run, exact spelling and not negated', async () => {
    expect(await one('aws ec2 terminate-instances --instance-ids i-1 --dry-run')).toMatchObject({ action: 'delete', dry_run: true });
    expect((await one('aws ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry-run')).dry_run).toBeUndefined();
    expect((await one('aws ec2 terminate-instances --instance-ids i-1 --dry-run --no-dry')).dry_run).toBeUndefined();
    expect((await one('aws ec2 terminate-instances --instance-ids i-1 --dry')).dry_run).toBeUndefined();
  });

  it('security group ingress from anywhere', async () => {
    for (const args of [
      ['--group-id', 'sg-1', '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0'],
      ['--group-id', 'sg-1', '--ip-permissions', 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'],
      ['--group-id', 'sg-1', '--ip-permissions', '[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]'],
      ['--group-id', 'sg-1', '--cidr=10.1.2.3/0', '--protocol', 'all'],
    ]) {
      expect(await one(['aws', 'ec2', 'authorize-security-group-ingress', ...args])).toMatchObject({ action: 'write', open_to_world: true });
    }
    const internal = await one('aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 10.0.0.0/16');
    expect(internal.open_to_world).toBeUndefined();
  });
});
