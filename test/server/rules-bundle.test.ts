// The signed rules bundle: verifiable with the JWKS key, ETag/304, and never a broken bundle.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server-fixture.js';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'rules', 'fixtures.yaml'), 'utf8');
let dir: string;
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gate-rules-'));
  writeFileSync(join(dir, 'fixtures.yaml'), FIXTURE);
  writeFileSync(join(dir, 'README.md'), 'not a rules file');
  server = await startTestServer({ rulesDir: dir });
  bare = await startTestServer();
  for (const s of [server, bare]) await s.addUser('rita', 'requester');
});
afterAll(async () => {
  await server.close();
  await bare.close();
  rmSync(dir, { recursive: true, force: true });
});

async function verifyBundle(jws: string): Promise<{ header: Record<string, unknown>; payload: { files: Array<{ name: string; content: string }>; etag: string; issued_at: string } }> {
  const jwk = ((await server.call(null, 'GET', '/.well-known/jwks.json')).body as { keys: JWK[] }).keys[0]!;
  const { payload, protectedHeader } = await compactVerify(jws, await importJWK(jwk, 'EdDSA'));
  return { header: protectedHeader as Record<string, unknown>, payload: JSON.parse(new TextDecoder().decode(payload)) };
}

describe('rules bundle', () => {
  it('serves the rules files as a JWS signed by the server key', async () => {
    const res = await server.call('rita', 'GET', '/v1/rules/bundle');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jose');
    const { header, payload } = await verifyBundle(res.text);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'gate-rules+jwt' });
    expect(payload.files).toEqual([{ name: 'fixtures.yaml', content: FIXTURE }]);
    expect(res.headers.get('etag')).toBe(`"${payload.etag}"`);
    expect(payload.issued_at).toBe(server.clock.now().toISOString());
  });

  it('answers 304 to If-None-Match with the current ETag, and a new bundle when files change', async () => {
    const first = await server.call('rita', 'GET', '/v1/rules/bundle');
    const etag = first.headers.get('etag')!;
    const again = await server.call('rita', 'GET', '/v1/rules/bundle', undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    // The payload's etag as is (unquoted), as `gate rules pull` keeps it, matches too.
    expect((await server.call('rita', 'GET', '/v1/rules/bundle', undefined, { 'if-none-match': etag.slice(1, -1) })).status).toBe(304);
    expect((await server.call('rita', 'GET', '/v1/rules/bundle', undefined, { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);
    writeFileSync(join(dir, 'more.yml'), 'rules: []\n');
    const changed = await server.call('rita', 'GET', '/v1/rules/bundle', undefined, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await verifyBundle(changed.text)).payload.files.map((f) => f.name)).toEqual(['fixtures.yaml', 'more.yml']);
  });

  it('keeps serving the last good bundle when a file breaks, and logs it', async () => {
    const good = await server.call('rita', 'GET', '/v1/rules/bundle');
    writeFileSync(join(dir, 'broken.yaml'), 'rules:\n  - id: Bad Id\n    effect: maybe\n');
    const res = await server.call('rita', 'GET', '/v1/rules/bundle');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(good.headers.get('etag'));
    expect(server.logs.some((l) => l.level === 'warn' && /broken\.yaml/.test(l.msg))).toBe(true);
    rmSync(join(dir, 'broken.yaml'));
  });

  it('answers 503 when the rules are broken and nothing good was served yet', async () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'gate-rules-'));
    writeFileSync(join(brokenDir, 'broken.yaml'), 'rules: [[[');
    const s = await startTestServer({ rulesDir: brokenDir });
    try {
      await s.addUser('rita', 'requester');
      const res = await s.call('rita', 'GET', '/v1/rules/bundle');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('rules_invalid');
      expect(res.body.error.message).toMatch(/broken\.yaml:\d+:\d+/);
    } finally {
      await s.close();
      rmSync(brokenDir, { recursive: true, force: true });
    }
  });

  it('answers 404 when the server has no rules_dir', async () => {
    const res = await bare.call('rita', 'GET', '/v1/rules/bundle');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('no_rules');
  });
});
