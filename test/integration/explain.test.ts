// `gate explain --json`: the contract object and the decisions the issue names.
import { afterAll, describe, expect, it } from 'vitest';
import { gate, makeHome } from './gate-process.js';

const home = makeHome();
afterAll(() => home.cleanup());

async function explain(...command: string[]) {
  const run = await gate(['explain', '--json', '--', ...command], home.env);
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as {
    decision: string;
    rules: Array<{ id: string; effect: string }>;
    facts: { items: Array<Record<string, unknown>>; labels: string[] };
    request: { program: string; argv: string[]; exe: string | null; cwd: string; actor: string; digest: string };
    reasons: string[];
  };
}

describe('gate explain --json', () => {
  it('gives the contract shape', async () => {
    const view = await explain('kubectl', 'get', 'pods', '-n', 'prod');
    expect(Object.keys(view)).toEqual(expect.arrayContaining(['decision', 'rules', 'facts', 'request', 'reasons']));
    expect(Object.keys(view.request)).toEqual(expect.arrayContaining(['program', 'argv', 'exe', 'cwd', 'actor', 'digest']));
    expect(view.request.actor).toBe('tester');
    expect(view.request.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reviews a namespace deletion with the rule id', async () => {
    const view = await explain('kubectl', 'delete', 'namespace', 'prod');
    expect(view.decision).toBe('review');
    expect(view.rules.map((r) => r.id)).toContain('kubectl.delete-namespace');
  });

  it('allows kubectl get pods', async () => {
    expect((await explain('kubectl', 'get', 'pods', '-n', 'prod')).decision).toBe('allow');
  });

  it('reviews a bash -c script when any inner command needs review', async () => {
    const view = await explain('bash', '-c', 'kubectl get pods && kubectl delete ns prod');
    expect(view.decision).toBe('review');
    expect(view.rules.map((r) => r.id)).toContain('kubectl.delete-namespace');
  });

  it('allows SELECT 1 and reviews DELETE without WHERE, not calling a WHERE delete a delete-all', async () => {
    expect((await explain('psql', '-c', 'SELECT 1')).decision).toBe('allow');
    const all = await explain('psql', '-c', 'DELETE FROM users');
    expect(all.decision).toBe('review');
    const allIds = all.rules.map((r) => r.id);
    const one = await explain('psql', '-c', 'DELETE FROM users WHERE id = 1');
    const oneIds = one.rules.map((r) => r.id);
    const deleteAll = allIds.filter((id) => !oneIds.includes(id));
    expect(deleteAll.length).toBeGreaterThan(0);
    expect(one.facts.items.some((f) => f.delete_all === true)).toBe(false);
  });

  it('works when the program is not installed (exe null)', async () => {
    const view = await explain('definitely-not-installed-tool', '--flag');
    expect(view.request.exe).toBeNull();
    expect(view.decision).toBe('review');
  });

  it('passes everything after the first -- untouched, including another --', async () => {
    const view = await explain('fixture-exit', '--', '--json', '-x');
    expect(view.request.argv).toEqual(['fixture-exit', '--', '--json', '-x']);
  });
});

describe('data classification', () => {
  const rules = makeHome();
  afterAll(() => rules.cleanup());

  it('reviews an export of confidential data by one user rule, and only that', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${rules.dir}/rules`, { recursive: true });
    writeFileSync(
      `${rules.dir}/rules/data.yaml`,
      `classify:
  - resource: "s3://prod-exports/**"
    labels: [confidential, pii]
rules:
  - id: data.export-confidential
    description: Exporting confidential data needs a data owner
    match: { action: export, classification: confidential }
    effect: review
    approvers: { groups: [data-owners], min: 1 }
`,
    );
    const download = await gate(['explain', '--json', '--', 'aws', 's3', 'cp', 's3://prod-exports/x.csv', '.'], rules.env);
    const view = JSON.parse(download.stdout);
    expect(view.decision).toBe('review');
    expect(view.rules.map((r: { id: string }) => r.id)).toContain('data.export-confidential');
    expect(view.facts.labels).toEqual(expect.arrayContaining(['confidential', 'pii']));

    const upload = JSON.parse((await gate(['explain', '--json', '--', 'aws', 's3', 'cp', './x.csv', 's3://scratch/x.csv'], rules.env)).stdout);
    expect(upload.rules.map((r: { id: string }) => r.id)).not.toContain('data.export-confidential');
  });

  it('lets one rule gate every export of confidential data across tools', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      `${rules.dir}/rules/more.yaml`,
      `classify:
  - { resource: "gs://prod-exports/**", labels: [confidential] }
  - { resource: "postgres://db.prod/**", labels: [confidential] }
  - { resource: "kube://prod/**", labels: [confidential] }
`,
    );
    const exports = [
      ['aws', 's3', 'sync', 's3://prod-exports/daily/', './out'],
      ['gsutil', 'cp', 'gs://prod-exports/x.csv', '.'],
      ['gcloud', 'storage', 'cp', 'gs://prod-exports/x.csv', '.'],
      ['psql', '-h', 'db.prod', '-d', 'app', '-c', 'COPY users TO STDOUT'],
      ['pg_dump', '-h', 'db.prod', 'app'],
      ['kubectl', '--context', 'prod', 'get', 'secret', 'db', '-n', 'app', '-o', 'yaml'],
      ['kubectl', '--context', 'prod', 'cp', 'app/web-1:/data/dump.sql', './dump.sql'],
    ];
    for (const command of exports) {
      const view = JSON.parse((await gate(['explain', '--json', '--', ...command], rules.env)).stdout);
      expect(view.rules.map((r: { id: string }) => r.id), command.join(' ')).toContain('data.export-confidential');
    }
    const notExports = [
      ['psql', '-h', 'db.prod', '-d', 'app', '-c', 'SELECT 1'],
      ['psql', '-h', 'db.dev', '-d', 'app', '-c', 'COPY users TO STDOUT'],
      ['kubectl', '--context', 'prod', 'get', 'pods', '-n', 'app'],
      ['kubectl', '--context', 'dev', 'get', 'secret', 'db', '-o', 'yaml'],
    ];
    for (const command of notExports) {
      const view = JSON.parse((await gate(['explain', '--json', '--', ...command], rules.env)).stdout);
      expect(view.rules.map((r: { id: string }) => r.id), command.join(' ')).not.toContain('data.export-confidential');
    }
  });
});
