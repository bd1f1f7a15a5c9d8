import { describe, expect, it } from 'vitest';
import { analyze, one } from './analyze-command.js';

describe('gcloud command path', () => {
  it('splits group path, verb and arguments; global flags anywhere', async () => {
    for (const command of [
      'gcloud compute instances delete web-1 --zone us-central1-a --project prod -q',
      'gcloud --project prod compute instances delete web-1 --zone=us-central1-a --quiet',
      'gcloud compute --project=prod -q instances delete --zone us-central1-a web-1',
    ]) {
      expect(await one(command), command).toMatchObject({
        program: 'gcloud', action: 'delete', group: 'compute instances', command: 'delete', project: 'prod', quiet: true,
        names: ['web-1'], target: 'web-1', zone: 'us-central1-a',
      });
    }
  });

  it('strips the release track', async () => {
    expect(await one('gcloud beta container clusters delete c1 --region us-east1')).toMatchObject({ track: 'beta', group: 'container clusters', command: 'delete', target: 'c1' });
  });

  it('reads project, account and configuration from the environment', async () => {
    const env = { CLOUDSDK_CORE_PROJECT: 'dev', CLOUDSDK_CORE_ACCOUNT: 'me@example.com', CLOUDSDK_ACTIVE_CONFIG_NAME: 'work', CLOUDSDK_CORE_DISABLE_PROMPTS: '1' };
    expect(await one('gcloud compute instances list', env)).toMatchObject({ project: 'dev', account: 'me@example.com', configuration: 'work', quiet: true });
    expect(await one('gcloud compute instances list --project prod', env)).toMatchObject({ project: 'prod' });
    expect(await one('gcloud compute instances list --impersonate-service-account sa@p.iam.gserviceaccount.com')).toMatchObject({ impersonate_service_account: 'sa@p.iam.gserviceaccount.com' });
  });

  it('reads: list, describe, get-iam-policy, config list, help', async () => {
    expect(await one('gcloud compute instances list --format json --filter name~web')).toMatchObject({ action: 'read', command: 'list' });
    expect(await one('gcloud projects describe acme-prod')).toMatchObject({ action: 'read', project: 'acme-prod' });
    expect(await one('gcloud projects get-iam-policy acme-prod')).toMatchObject({ action: 'read' });
    expect(await one('gcloud config list')).toMatchObject({ action: 'read', group: 'config', command: 'list' });
    expect(await one('gcloud config get-value project')).toMatchObject({ action: 'read' });
    expect(await one('gcloud run services list')).toMatchObject({ action: 'read', group: 'run services' });
    for (const command of ['gcloud', 'gcloud help compute', 'gcloud --version', 'gcloud projects delete p --help', 'gcloud projects delete p -h', 'gcloud topic filters']) {
      expect(await one(command), command).toMatchObject({ action: 'read', help: true });
    }
  });

  it('--version only short-circuits gcloud alone', async () => {
    expect(await one('gcloud projects delete acme --version')).toMatchObject({ action: 'delete', group: 'projects' });
  });

  it('deletes and critical deletes', async () => {
    expect(await one('gcloud sql databases delete orders --instance main')).toMatchObject({ action: 'delete', group: 'sql databases', target: 'orders', instance: 'main' });
    expect(await one('gcloud projects delete acme-prod')).toMatchObject({ action: 'delete', group: 'projects', project: 'acme-prod', target: 'acme-prod' });
    expect(await one('gcloud kms keys versions destroy 1 --key k --keyring r --location global')).toMatchObject({ action: 'delete' });
    expect(await one('gcloud kms keys versions disable 1 --key k --keyring r --location global')).toMatchObject({ action: 'delete' });
    expect(await one('gcloud services disable compute.googleapis.com')).toMatchObject({ action: 'write' });
  });

  it('access changes', async () => {
    expect(await one('gcloud projects add-iam-policy-binding acme --member=user:bob@example.com --role=roles/owner')).toMatchObject({
      action: 'privilege', member: 'user:bob@example.com', role: 'roles/owner', target: 'acme',
    });
    expect(await one('gcloud storage buckets add-iam-policy-binding gs://b --member allUsers --role roles/storage.objectViewer')).toMatchObject({ action: 'privilege', public: true, uri: 'gs://b' });
    expect(await one('gcloud iam service-accounts keys create key.json --iam-account sa@p.iam.gserviceaccount.com')).toMatchObject({ action: 'privilege' });
    expect(await one('gcloud projects set-iam-policy acme policy.json')).toMatchObject({ action: 'privilege' });
    expect(await one('gcloud sql users set-password root --instance main --password x')).toMatchObject({ action: 'privilege' });
  });

  it('secrets, exec, infra and exports', async () => {
    expect(await one('gcloud secrets versions access latest --secret db-pass')).toMatchObject({ action: 'read', secret: true, target: 'db-pass' });
    expect(await one('gcloud auth print-access-token')).toMatchObject({ action: 'read', secret: true });
    expect(await one('gcloud run deploy api --image gcr.io/p/api --allow-unauthenticated')).toMatchObject({ action: 'infra', public: true });
    expect(await one('gcloud sql export sql main gs://b/dump.sql --database orders')).toMatchObject({ action: 'export', format: 'sql', target: 'main', destination: 'gs://b/dump.sql' });
    expect(await one('gcloud compute ssh vm-1 --zone z')).toMatchObject({ action: 'exec', target: 'vm-1' });
    expect(await one('gcloud container clusters get-credentials c1')).toMatchObject({ action: 'write' });
  });

  it('analyzes a remote --command like ssh does', async () => {
    const facts = await analyze(['gcloud', 'compute', 'ssh', 'vm-1', '--command', 'rm -rf /data']);
    expect(facts[0]).toMatchObject({ program: 'gcloud', action: 'exec' });
    expect(facts.slice(1).some((f) => f.program === 'rm' && f.via?.includes('gcloud-ssh'))).toBe(true);
  });

  it('is opaque on what it cannot place', async () => {
    for (const command of ['gcloud frobnicate widgets', 'gcloud --bogus compute instances list', 'gcloud compute instances --zone z delete vm', 'gcloud --flags-file f.yaml compute instances delete vm', 'gcloud --project']) {
      expect(await one(command), command).toMatchObject({ opaque: true });
    }
  });
});

describe('gcloud storage', () => {
  it('download is an export, upload a write, rm a delete', async () => {
    expect(await one('gcloud storage cp gs://prod/customers.csv ./c.csv')).toMatchObject({ action: 'export', uri: 'gs://prod/customers.csv', target: 'prod', direction: 'download', group: 'storage', command: 'cp' });
    expect(await one('gcloud storage cp --content-type text/csv ./c.csv gs://prod/c.csv')).toMatchObject({ action: 'write', uri: 'gs://prod/c.csv', direction: 'upload' });
    const rm = await analyze('gcloud storage rm -r gs://prod/a gs://prod/b');
    expect(rm.map((f) => [f.action, f.uri, f.recursive])).toEqual([['delete', 'gs://prod/a', true], ['delete', 'gs://prod/b', true]]);
    expect(await one('gcloud storage ls gs://prod')).toMatchObject({ action: 'read', uri: 'gs://prod' });
    expect(await one('gcloud storage cat gs://prod/c.csv')).toMatchObject({ action: 'export' });
    expect(await one('gcloud storage buckets delete gs://prod')).toMatchObject({ action: 'delete', bucket_removal: true, target: 'prod' });
  });

  it('rsync with deletion and dry runs', async () => {
    const facts = await analyze('gcloud storage rsync ./site gs://web --recursive --delete-unmatched-destination-objects');
    expect(facts.map((f) => f.action)).toEqual(['write', 'delete']);
    expect(facts[1]).toMatchObject({ uri: 'gs://web', delete: true });
    expect((await analyze('gcloud storage rsync ./site gs://web --dry-run')).every((f) => f.dry_run === true)).toBe(true);
  });

  it('is opaque when paths come from stdin', async () => {
    expect(await one('gcloud storage rm -I')).toMatchObject({ opaque: true });
    expect(await one('gcloud storage rm ./local')).toMatchObject({ opaque: true });
  });
});

describe('gsutil', () => {
  it('top-level options, then the command', async () => {
    expect(await one('gsutil -m -u billing -o Boto:x=y ls gs://b')).toMatchObject({ program: 'gsutil', action: 'read', command: 'ls', billing_project: 'billing', uri: 'gs://b' });
    expect(await one('gsutil --bogus ls')).toMatchObject({ opaque: true });
  });

  it('transfers, deletes, bucket removal', async () => {
    expect(await one('gsutil cp gs://prod/c.csv -')).toMatchObject({ action: 'export', direction: 'download' });
    expect(await one('gsutil -m cp -r gs://prod/dir .')).toMatchObject({ action: 'export', recursive: true });
    expect(await one('gsutil cp -a public-read f gs://web/f')).toMatchObject({ action: 'write', public: true });
    expect(await one('gsutil rm -r gs://prod/dir')).toMatchObject({ action: 'delete', recursive: true, target: 'prod' });
    expect(await one('gsutil rb -f gs://prod')).toMatchObject({ action: 'delete', bucket_removal: true, force: true });
    const rsync = await analyze('gsutil rsync -d -r ./site gs://web');
    expect(rsync.map((f) => f.action)).toEqual(['write', 'delete']);
    expect((await analyze('gsutil rsync -n -d ./site gs://web')).every((f) => f.dry_run === true)).toBe(true);
  });

  it('access and configuration commands', async () => {
    expect(await one('gsutil iam ch allUsers:objectViewer gs://web')).toMatchObject({ action: 'privilege', public: true });
    expect(await one('gsutil acl get gs://web/o')).toMatchObject({ action: 'read' });
    expect(await one('gsutil hmac create sa@p.iam.gserviceaccount.com')).toMatchObject({ action: 'privilege' });
    expect(await one('gsutil versioning set on gs://web')).toMatchObject({ action: 'write' });
    expect(await one('gsutil versioning get gs://web')).toMatchObject({ action: 'read' });
    expect(await one('gsutil update get')).toMatchObject({ action: 'write' });
  });

  it('is opaque on options after arguments and stdin lists', async () => {
    expect(await one('gsutil rm gs://prod/o -r')).toMatchObject({ opaque: true });
    expect(await one('gsutil cp -I gs://prod/')).toMatchObject({ opaque: true });
    expect(await one('gsutil rm -x gs://prod/o')).toMatchObject({ opaque: true });
  });
});
