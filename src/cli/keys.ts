// `gate keys init|list|export|trust|revoke`: this home's signing key and the trusted keys.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { listKeys, revokeKey, trustKey } from '../app/keys.js';
import { createKey, readKeyMeta, type KeyRole } from '../app/own-keys.js';
import { UsageError } from '../errors.js';
import { systemClock } from '../platform/clock.js';
import { resolveActor } from '../platform/identity.js';
import { gatePaths } from '../platform/paths.js';
import type { TrustKind } from '../token/trust.js';
import { err, out } from './output.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function keysCommand(setExit: (code: number) => void): Command {
  const keys = new Command('keys').description('your signing key, and the public keys you trust to approve');
  const paths = () => gatePaths(process.env);

  keys
    .command('init')
    .description('create your Ed25519 signing key (private half in the OS keychain, else a 0600 file)')
    .option('--name <name>', 'your reviewer identity (default: GATE_ACTOR or the OS user)')
    .option('--force', 'replace an existing key')
    .option('--file-store', 'keep the private key in a 0600 file even when a keychain answers')
    .option('--json', 'machine-readable output')
    .action(async (flags: { name?: string; force?: boolean; fileStore?: boolean; json?: boolean }) => {
      const meta = await createKey({ paths: paths(), forceFile: flags.fileStore === true, warn: err }, 'signing', flags.name ?? resolveActor(undefined, process.env), systemClock.now(), flags.force === true);
      if (flags.json) {
        out(JSON.stringify({ name: meta.name, kid: meta.kid, store: meta.store, public_jwk: meta.public_jwk }));
        setExit(0);
        return;
      }
      out(`created signing key "${meta.name}" (kid ${meta.kid}), private half in ${meta.store === 'keychain' ? 'the OS keychain' : 'a 0600 file'}`);
      out('share the public half with requesters: gate keys export > my-key.jwk');
      setExit(0);
    });

  keys
    .command('list')
    .description('your own keys and the trusted keys')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      const { own, trusted } = listKeys(paths());
      if (flags.json) out(JSON.stringify({ own, trusted }));
      else {
        for (const m of own) out(`own      ${m.role.padEnd(8)} ${m.name.padEnd(24)} ${m.kid}  (${m.store})`);
        for (const t of trusted) {
          const state = t.revoked ? `REVOKED ${t.revoked}` : t.expires ? `expires ${t.expires}` : '';
          out(`trusted  ${t.kind.padEnd(8)} ${t.name.padEnd(24)} ${t.kid}  groups ${t.groups.join(',')}  ${state}`);
        }
        if (own.length + trusted.length === 0) out('no keys: `gate keys init` creates yours; `gate keys trust FILE --name N --group G` trusts a reviewer');
      }
      setExit(0);
    });

  keys
    .command('export')
    .description('print your public key (JWK) for requesters to trust')
    .addOption(new Option('--role <role>', 'which key').choices(['signing', 'terminal']).default('signing'))
    .action((flags: { role: KeyRole }) => {
      const meta = readKeyMeta(paths(), flags.role);
      if (!meta) throw new UsageError(`there is no ${flags.role} key yet`, { hint: 'create it with `gate keys init`' });
      out(JSON.stringify(meta.public_jwk));
      setExit(0);
    });

  keys
    .command('trust')
    .description('trust a public key (JWK file, or - for stdin) to approve for groups')
    .argument('<file>', 'the JWK from `gate keys export`')
    .requiredOption('--name <name>', 'who the key belongs to')
    .option('--group <group>', 'an approver group it may approve for (repeatable; "*" for any)', collect)
    .option('--expires <when>', 'stop trusting it after a date (2027-01-31) or a duration (90d)')
    .addOption(new Option('--kind <kind>', 'reviewer: one person; server: an approval server attesting several').choices(['reviewer', 'server']).default('reviewer'))
    .option('--force', 'replace the key, groups or expiry of an entry with this name')
    .option('--json', 'machine-readable output')
    .action(async (file: string, flags: { name: string; group?: string[]; expires?: string; kind: TrustKind; force?: boolean; json?: boolean }) => {
      const text = readFileSync(file === '-' ? 0 : file, 'utf8');
      const entry = await trustKey(paths(), text, { name: flags.name, groups: flags.group ?? [], kind: flags.kind, ...(flags.expires ? { expires: flags.expires } : {}), force: flags.force === true }, systemClock.now());
      if (flags.json) out(JSON.stringify(entry));
      else out(`trusted "${entry.name}" (kid ${entry.kid}) for ${entry.groups.join(', ')}${entry.expires ? ` until ${entry.expires}` : ''}`);
      setExit(0);
    });

  keys
    .command('revoke')
    .description('stop trusting a key: its tokens are refused from now on')
    .argument('<name-or-kid>')
    .option('--json', 'machine-readable output')
    .action((nameOrKid: string, flags: { json?: boolean }) => {
      const entry = revokeKey(paths(), nameOrKid, systemClock.now());
      if (flags.json) out(JSON.stringify(entry));
      else out(`revoked "${entry.name}" (kid ${entry.kid})`);
      setExit(0);
    });
  return keys;
}
