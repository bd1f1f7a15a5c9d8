import { describe, expect, it } from 'vitest';
import type { Env, Fact } from '../../src/analyzers/types.js';
import { analyze, onlyFact, words } from './analyze-command.js';

const one = async (line: string, env: Env = {}): Promise<Fact> => onlyFact(await analyze(['terraform', ...words(line)], env));

describe('terraform analyzer', () => {
  it('classifies read-only subcommands', async () => {
    for (const sub of ['plan', 'validate', 'fmt -check', 'show', 'output', 'version', 'providers', 'graph', 'console', 'state list', 'state show x', 'workspace list', 'workspace show']) {
      expect((await one(sub)).action, sub).toBe('read');
    }
    expect(await one('init')).toMatchObject({ action: 'write', subcommand: 'init' });
  });

  it('reads -chdir and TF_WORKSPACE into dir, workspace and target', async () => {
    expect(await one('-chdir=envs/prod apply')).toMatchObject({ action: 'infra', dir: 'envs/prod', target: 'envs/prod' });
    expect(await one('-chdir envs/prod plan')).toMatchObject({ dir: 'envs/prod' });
    expect(await one('apply', { TF_WORKSPACE: 'prod' })).toMatchObject({ workspace: 'prod', target: 'prod', dir: '.' });
  });

  it('reads single- and double-dash flags, and the plan file', async () => {
    expect(await one('apply -auto-approve')).toMatchObject({ auto_approve: true });
    expect(await one('apply --auto-approve tfplan')).toMatchObject({ auto_approve: true, plan_file: 'tfplan' });
    expect(await one('apply -auto-approve=false')).not.toHaveProperty('auto_approve');
    expect(await one('apply -var foo=bar -var-file prod.tfvars -target=a.b -target a.c')).toMatchObject({ addresses: ['a.b', 'a.c'] });
    expect(await one('apply -var foo=bar')).not.toHaveProperty('plan_file');
  });

  it('classifies destruction', async () => {
    expect(await one('destroy -auto-approve')).toMatchObject({ action: 'delete', destroy: true, auto_approve: true });
    expect(await one('apply -destroy')).toMatchObject({ action: 'delete', destroy: true });
    expect(await one('plan -destroy')).toMatchObject({ action: 'read', destroy: true });
  });

  it('classifies state and workspace operations', async () => {
    expect(await one('state rm aws_instance.x')).toMatchObject({ action: 'write', state_op: 'rm', addresses: ['aws_instance.x'] });
    expect(await one('state rm -dry-run aws_instance.x')).toMatchObject({ dry_run: true });
    expect(await one('state mv a b')).toMatchObject({ state_op: 'mv' });
    expect(await one('state push -force x.tfstate')).toMatchObject({ state_op: 'push', force: true });
    expect(await one('state replace-provider a b')).toMatchObject({ state_op: 'replace-provider' });
    expect(await one('state pull')).toMatchObject({ action: 'read', secret: true });
    expect(await one('workspace delete prod')).toMatchObject({ action: 'delete', operation: 'delete', target: 'prod' });
    expect(await one('workspace select prod')).toMatchObject({ action: 'write', operation: 'select' });
    expect(await one('force-unlock abc')).toMatchObject({ action: 'write', state_op: 'force-unlock', lock_id: 'abc' });
    expect(await one('refresh')).toMatchObject({ action: 'write', state_op: 'refresh' });
    expect(await one('apply -refresh-only')).toMatchObject({ action: 'write', state_op: 'refresh' });
    expect(await one('taint aws_instance.x')).toMatchObject({ action: 'write', address: 'aws_instance.x' });
    expect(await one('import aws_instance.x i-1')).toMatchObject({ action: 'infra', address: 'aws_instance.x' });
  });

  it('marks commands that print sensitive values secret', async () => {
    for (const line of ['output', 'output -json', 'output -raw db_password', 'output db_password', 'show -json', 'show -json tfplan', 'console',
      'plan -show-sensitive', 'state pull', '-chdir=prod output -state=x.tfstate']) {
      expect(await one(line), line).toMatchObject({ action: 'read', secret: true });
    }
    expect(await one('output -raw db_password')).toMatchObject({ name: 'db_password' });
    for (const line of ['show', 'show tfplan', 'plan', 'state list', 'state show aws_instance.x', 'show -json=false']) {
      expect((await one(line)).secret, line).toBeUndefined();
    }
  });

  it('marks init that moves or redirects state', async () => {
    expect(await one('init -backend-config=prod.hcl -backend-config key=x')).toMatchObject({ action: 'write', state_op: 'backend' });
    expect(await one('init -migrate-state')).toMatchObject({ state_op: 'backend' });
    expect(await one('init', { TF_CLI_ARGS_init: '-force-copy' })).toMatchObject({ state_op: 'backend' });
    for (const line of ['init', 'init -upgrade', 'init -reconfigure', 'init -force-copy=false']) expect((await one(line)).state_op, line).toBeUndefined();
  });

  it('applies TF_CLI_ARGS and TF_CLI_ARGS_<subcommand>', async () => {
    expect(await one('apply', { TF_CLI_ARGS: '-destroy' })).toMatchObject({ action: 'delete' });
    expect(await one('apply', { TF_CLI_ARGS_apply: '-auto-approve' })).toMatchObject({ auto_approve: true });
    expect(await one('plan', { TF_CLI_ARGS_apply: '-destroy' })).not.toHaveProperty('destroy');
    expect(await one('apply', { TF_CLI_ARGS: '-var="a b"' })).toMatchObject({ opaque: true });
  });

  it('makes unknown subcommands, operations and ambiguous options opaque', async () => {
    expect(await one('frob')).toMatchObject({ opaque: true });
    expect(await one('state frob')).toMatchObject({ opaque: true });
    expect(await one('-bogus plan')).toMatchObject({ opaque: true });
    expect(await one('apply -bogus value')).toMatchObject({ opaque: true });
  });

  it('treats a bare terraform as help', async () => {
    expect(await one('')).toMatchObject({ action: 'read', subcommand: 'help' });
    expect(await one('-version')).toMatchObject({ action: 'read' });
  });
});
