// The key store: a real Secret Service (gnome-keyring inside dbus-run-session) through keytar,
// and the 0600 file fallback when no keychain answers. Both paths run the real CLI.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../src/platform/secret-store.js';
import { GATE, makeHome } from '../integration/gate-process.js';

const homes: Array<ReturnType<typeof makeHome>> = [];
afterAll(() => homes.forEach((h) => h.cleanup()));

/** Run a shell script inside a private D-Bus session with an unlocked gnome-keyring. */
function inKeyringSession(script: string, env: Record<string, string>) {
  const unlock = 'echo -n gate-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null';
  return execa('dbus-run-session', ['--', 'sh', '-c', `${unlock}; ${script}`], { env: { ...env, PATH: process.env.PATH ?? '' }, extendEnv: false, reject: false });
}

describe('keychain through keytar and a real Secret Service', () => {
  it('keeps the private key in the keychain, not on disk, and signs verifiable tokens with it', async () => {
    const requester = makeHome({ GATE_ACTOR: 'alice' });
    const home = makeHome({ GATE_ACTOR: 'bob' });
    homes.push(requester, home);
    const pending = await execa(process.execPath, [GATE, '--wait', '0', '--json', '--', 'fixture-review', 'kc'], { env: requester.env, extendEnv: false, reject: false });
    expect(pending.exitCode, pending.stderr).toBe(75);
    const requestFile = JSON.parse(pending.stdout).request_file as string;
    const node = process.execPath;
    const result = await inKeyringSession(
      [
        `${node} ${GATE} keys init`,
        `${node} ${GATE} keys list --json > ${home.dir}/keys.json`,
        `${node} ${GATE} keys export > ${home.dir}/bob.jwk`,
        `${node} ${GATE} approve --offline --request ${requestFile} > ${home.dir}/token`,
      ].join(' && '),
      home.env,
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('private half in the OS keychain');
    expect(result.stderr).not.toContain('warning');
    const { readFileSync } = await import('node:fs');
    const listed = JSON.parse(readFileSync(join(home.dir, 'keys.json'), 'utf8'));
    expect(listed.own[0]).toMatchObject({ role: 'signing', name: 'bob', store: 'keychain' });
    expect(existsSync(join(home.dir, 'keys', 'private'))).toBe(false);

    const trust = await execa(process.execPath, [GATE, 'keys', 'trust', join(home.dir, 'bob.jwk'), '--name', 'bob', '--group', 'ops'], { env: requester.env, extendEnv: false, reject: false });
    expect(trust.exitCode, trust.stderr).toBe(0);
    const token = readFileSync(join(home.dir, 'token'), 'utf8').trim();
    const run = await execa(process.execPath, [GATE, '--token', token, '--', 'fixture-review', 'kc'], { env: requester.env, extendEnv: false, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('reviewed:kc');
  });

  it('says so clearly when the key is in a keychain that is not available now', async () => {
    const home = makeHome({ GATE_ACTOR: 'erin' });
    homes.push(home);
    const made = await inKeyringSession(`${process.execPath} ${GATE} keys init`, home.env);
    expect(made.exitCode, made.stderr).toBe(0);
    const outside = await execa(process.execPath, [GATE, 'approve', '--offline', '--request', '/nonexistent.json'], { env: { ...home.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, extendEnv: false, reject: false });
    expect(outside.exitCode).toBe(64);
    const request = join(home.dir, 'r.json');
    (await import('node:fs')).writeFileSync(request, JSON.stringify({ version: 1, request: { id: 'r', digest: 'a'.repeat(64), actor: 'alice' }, rules: [], binding: { argv: null } }));
    const noKeychain = await execa(process.execPath, [GATE, 'approve', '--offline', '--request', request], { env: { ...home.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, extendEnv: false, reject: false });
    expect(noKeychain.exitCode).toBe(78);
    expect(noKeychain.stderr).toMatch(/^gate: keychain_unavailable: /m);
  });
});

describe('file fallback', () => {
  it('warns in one line and keeps the key in a 0600 file when no keychain answers', async () => {
    const home = makeHome({ GATE_ACTOR: 'carol', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
    homes.push(home);
    const run = await execa(process.execPath, [GATE, 'keys', 'init'], { env: home.env, extendEnv: false, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const warnings = run.stderr.trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^gate: warning: .*keeping the private key in .*\(mode 0600\)$/);
    const dir = join(home.dir, 'keys', 'private');
    const files = readdirSync(dir);
    expect(files).toEqual(['signing-key.secret']);
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('stores, reads and deletes secrets', async () => {
    const home = makeHome();
    homes.push(home);
    const store = fileSecretStore(join(home.dir, 'secrets'));
    expect(await store.get('x')).toBeNull();
    await store.set('x', 'value');
    expect(await store.get('x')).toBe('value');
    expect(await store.delete('x')).toBe(true);
    expect(await store.get('x')).toBeNull();
  });
});
