// What an AWS API operation does, from its service and name. Named exceptions first, then the
// naming convention (describe-/list-/get- read, delete-/terminate-/remove- delete); anything
// unrecognized is a write, which no allow rule matches.
import type { Action } from '../types.js';

export interface OperationClass {
  action: Action;
  /** The operation returns credentials, secret values or decrypted data. */
  secret?: boolean;
}

const op = (service: string, ...operations: string[]): string[] => operations.map((o) => `${service} ${o}`);

/** Reads that return secrets or credentials (tokens, keys, passwords, environment variables). */
const SECRET_READS = new Set([
  ...op('secretsmanager', 'get-secret-value', 'batch-get-secret-value'),
  ...op('sts', 'get-session-token', 'get-federation-token', 'assume-role', 'assume-role-with-saml', 'assume-role-with-web-identity', 'assume-root'),
  ...op('ecr', 'get-login-password', 'get-login', 'get-authorization-token'),
  ...op('ecr-public', 'get-login-password', 'get-authorization-token'),
  ...op('codeartifact', 'get-authorization-token'),
  ...op('eks', 'get-token'),
  ...op('rds', 'generate-db-auth-token'),
  ...op('dsql', 'generate-db-connect-auth-token', 'generate-db-connect-admin-auth-token'),
  ...op('redshift', 'get-cluster-credentials', 'get-cluster-credentials-with-iam'),
  ...op('redshift-serverless', 'get-credentials'),
  ...op('ec2', 'get-password-data'),
  ...op('sso', 'get-role-credentials'),
  ...op('sso-oidc', 'create-token', 'create-token-with-iam'),
  ...op('cognito-identity', 'get-credentials-for-identity', 'get-open-id-token', 'get-open-id-token-for-developer-identity'),
  ...op('cognito-idp', 'initiate-auth', 'admin-initiate-auth', 'respond-to-auth-challenge', 'admin-respond-to-auth-challenge',
    'get-tokens-from-refresh-token'),
  ...op('lightsail', 'get-instance-access-details', 'get-relational-database-master-user-password', 'download-default-key-pair'),
  ...op('kms', 'decrypt', 'generate-data-key', 'generate-data-key-pair'),
  ...op('acm', 'export-certificate'),
  ...op('configure', 'export-credentials'),
  ...op('connect', 'get-federation-token'),
  ...op('emr', 'get-cluster-session-credentials'),
  ...op('emr-containers', 'get-managed-endpoint-session-credentials'),
  ...op('gamelift', 'get-instance-access', 'get-compute-access'),
  ...op('datazone', 'get-environment-credentials'),
  ...op('appsync', 'list-api-keys'),
  ...op('ivs', 'get-stream-key', 'batch-get-stream-key'),
  // Connection passwords, and environment variables where deployments keep secrets.
  ...op('glue', 'get-connection', 'get-connections'),
  ...op('lambda', 'get-function', 'get-function-configuration'),
  ...op('ecs', 'describe-task-definition'),
  ...op('codebuild', 'batch-get-projects'),
  ...op('elasticbeanstalk', 'describe-configuration-settings'),
  ...op('amplify', 'get-app', 'list-apps', 'get-branch', 'list-branches'),
]);

/** SSM parameter reads: secret when decryption is requested (or may be, via --cli-input-*). */
export const SSM_PARAMETER_READS = new Set(op('ssm', 'get-parameter', 'get-parameters', 'get-parameters-by-path', 'get-parameter-history'));

/** Data copied out of a store (to a file, stdout or another account's bucket). */
const EXPORTS = new Set([
  ...op('s3api', 'get-object', 'get-object-torrent', 'select-object-content'),
  ...op('dynamodb', 'scan', 'query', 'batch-get-item', 'export-table-to-point-in-time'),
  ...op('ddb', 'select'),
  ...op('rds', 'start-export-task', 'download-db-log-file-portion'),
  ...op('logs', 'create-export-task'),
  ...op('ec2', 'create-instance-export-task'),
  ...op('glacier', 'get-job-output'),
]);

const DELETES = new Set([
  ...op('kms', 'schedule-key-deletion', 'disable-key'),
  ...op('sqs', 'purge-queue'),
  ...op('ec2', 'deregister-image'),
]);

/** Access-control changes outside IAM: resource policies, ACLs, grants, sharing. */
const PRIVILEGE = new Set([
  ...op('s3api', 'put-bucket-policy', 'delete-bucket-policy', 'put-bucket-acl', 'put-object-acl', 'put-public-access-block',
    'delete-public-access-block', 'put-bucket-ownership-controls'),
  ...op('s3control', 'put-public-access-block', 'delete-public-access-block', 'put-access-point-policy'),
  ...op('kms', 'create-grant', 'put-key-policy'),
  ...op('lambda', 'add-permission', 'remove-permission'),
  ...op('sqs', 'add-permission'),
  ...op('sns', 'add-permission'),
  ...op('ecr', 'set-repository-policy'),
  ...op('secretsmanager', 'put-resource-policy', 'delete-resource-policy'),
  ...op('ec2', 'modify-snapshot-attribute', 'modify-image-attribute'),
  ...op('ec2-instance-connect', 'send-ssh-public-key', 'send-serial-console-ssh-public-key'),
  ...op('rds', 'modify-db-snapshot-attribute', 'modify-db-cluster-snapshot-attribute'),
  ...op('organizations', 'attach-policy', 'detach-policy'),
  ...op('sso-admin', 'create-account-assignment', 'attach-managed-policy-to-permission-set', 'put-inline-policy-to-permission-set',
    'attach-customer-managed-policy-reference-to-permission-set'),
  ...op('ram', 'create-resource-share', 'associate-resource-share'),
]);

/** Running code somewhere: shells, remote commands, functions, tasks. */
const EXEC = new Set([
  ...op('ssm', 'send-command', 'start-session'),
  ...op('ecs', 'execute-command', 'run-task', 'start-task'),
  ...op('lambda', 'invoke', 'invoke-async'),
  ...op('emr', 'ssh', 'socks', 'add-steps'),
  ...op('ec2-instance-connect', 'ssh', 'open-tunnel'),
]);

const INFRA = new Set(op('cloudformation', 'deploy', 'create-stack', 'update-stack', 'execute-change-set', 'create-stack-set',
  'update-stack-set', 'create-stack-instances', 'update-stack-instances'));

/** Read-only operations that do not follow the describe/list/get convention. */
const OTHER_READS = new Set([
  ...op('logs', 'tail', 'filter-log-events', 'start-query'),
  ...op('cloudformation', 'validate-template', 'estimate-template-cost'),
  ...op('iam', 'simulate-principal-policy', 'simulate-custom-policy'),
  ...op('configure', 'list', 'list-profiles', 'get'),
  ...op('history', 'list', 'show'),
]);

const READ_PREFIXES = ['describe-', 'list-', 'get-', 'head-', 'lookup-', 'search-', 'batch-get-'];
const DELETE_PREFIXES = ['delete-', 'terminate-', 'remove-', 'purge-', 'batch-delete-'];

/** Classify `aws <service> <operation>`. */
export function classifyOperation(service: string, operation: string): OperationClass {
  const name = `${service} ${operation}`;
  if (SECRET_READS.has(name)) return { action: 'read', secret: true };
  if (EXPORTS.has(name)) return { action: 'export' };
  if (DELETES.has(name)) return { action: 'delete' };
  if (PRIVILEGE.has(name)) return { action: 'privilege' };
  if (EXEC.has(name)) return { action: 'exec' };
  if (INFRA.has(name)) return { action: 'infra' };
  if (OTHER_READS.has(name) || operation === 'wait') return { action: 'read' };
  const read = READ_PREFIXES.some((prefix) => operation.startsWith(prefix));
  // Every IAM change is an access change, deletions and detachments included.
  if (service === 'iam') return { action: read ? 'read' : 'privilege' };
  if (read) return { action: 'read' };
  if (DELETE_PREFIXES.some((prefix) => operation.startsWith(prefix))) return { action: 'delete' };
  return { action: 'write' };
}
