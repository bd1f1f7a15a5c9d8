// The request digest: sha256 over RFC 8785 canonical JSON of exactly the binding fields.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashRecord } from '../../src/audit/record.js';
import { boundEnv, KUBE_CONTEXT_ENTRY, requestDigest, type BindingFields } from '../../src/policy/request.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const fields: BindingFields = {
  argv: ['kubectl', 'delete', 'ns', 'prod'],
  exe: '/usr/bin/kubectl',
  exe_sha256: 'ab',
  cwd: '/srv',
  env: { AWS_PROFILE: 'prod' },
  actor: 'alice',
  host: 'box',
};

describe('requestDigest', () => {
  it('matches a known answer: keys sorted, no whitespace (RFC 8785)', () => {
    const jcs = '{"actor":"alice","argv":["kubectl","delete","ns","prod"],"cwd":"/srv","env":{"AWS_PROFILE":"prod"},"exe":"/usr/bin/kubectl","exe_sha256":"ab","host":"box"}';
    expect(requestDigest(fields)).toBe(sha256(jcs));
  });

  it('changes with every bound field', () => {
    const base = requestDigest(fields);
    const variants: Array<Partial<BindingFields>> = [
      { argv: ['kubectl', 'delete', 'ns', 'prod2'] },
      { exe: '/tmp/kubectl' },
      { exe_sha256: 'cd' },
      { cwd: '/' },
      { env: { AWS_PROFILE: 'dev' } },
      { env: {} },
      { actor: 'bob' },
      { host: 'other' },
      { exe: null, exe_sha256: null },
    ];
    const digests = variants.map((v) => requestDigest({ ...fields, ...v }));
    for (const d of digests) expect(d).not.toBe(base);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it('ignores fields outside the binding', () => {
    expect(requestDigest({ ...fields, reason: 'x', facts: [] } as BindingFields)).toBe(requestDigest(fields));
  });
});

describe('boundEnv', () => {
  it('keeps variables that change the target, secrets only as present, and the kube context', () => {
    const env = boundEnv({ AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cr3t', PGPASSWORD: 'pw', HOME: '/home/a', TERM: 'xterm', PATH: '/bin' }, 'prod-eu');
    expect(env).toEqual({ AWS_PROFILE: 'prod', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'present', PGPASSWORD: 'present', HOME: '/home/a', [KUBE_CONTEXT_ENTRY]: 'prod-eu' });
  });
});

describe('audit record hash', () => {
  it('matches a known answer: sha256 of the canonical record without `hash`', () => {
    const record = { v: 1, seq: 1, ts: '2026-01-01T00:00:00.000Z', event: 'request', request_id: 'r', actor: 'a', host: 'h', prev: '0'.repeat(64), hash: 'ignored' };
    const jcs = `{"actor":"a","event":"request","host":"h","prev":"${'0'.repeat(64)}","request_id":"r","seq":1,"ts":"2026-01-01T00:00:00.000Z","v":1}`;
    expect(hashRecord(record)).toBe(sha256(jcs));
  });
});
