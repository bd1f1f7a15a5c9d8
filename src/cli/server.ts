// `gate server [--host H] [--port P] [--db URL] [--config FILE]` and `gate server user
// add|list|remove`. The server modules load only here, lazily.
import { gatePaths } from '../platform/paths.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Role } from '../approval/api-types.js';
import { systemClock } from '../platform/clock.js';
import { err, out } from './output.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port)');
  return port;
}

interface ServeFlags {
  host?: string;
  port?: number;
  db?: string;
  config?: string;
  fileStore?: boolean;
}

/** Run the server until SIGTERM or SIGINT, then stop gracefully. */
async function serve(flags: ServeFlags): Promise<number> {
  const { bootServer } = await import('../server/boot.js');
  const { jsonLogger } = await import('../server/log.js');
  const log = jsonLogger((line) => process.stderr.write(line), systemClock);
  const running = await bootServer(
    { ...(flags.host !== undefined ? { host: flags.host } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}), ...(flags.db !== undefined ? { db: flags.db } : {}), ...(flags.config !== undefined ? { config: flags.config } : {}) },
    { env: process.env, clock: systemClock, log, fileKeyStore: flags.fileStore === true },
  );
  out(`gate server listening on ${running.url}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log('info', 'stopping', { signal });
  await running.close();
  log('info', 'stopped');
  return 0;
}

function storeFlags(command: Command): Command {
  return command.option('--db <url>', 'database: a path, sqlite:PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB (password in PGPASSWORD; default $GATE_HOME/server.db)').option('--config <file>', 'server config file (YAML)');
}

export function serverCommand(setExit: (code: number) => void): Command {
  const server = new Command('server')
    .description('run the central approval server (SQLite under GATE_HOME, or Postgres for several replicas)')
    .enablePositionalOptions()
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--port <port>', 'port (default 8787; 0 picks a free port and prints it)', parsePort)
    .option('--file-store', 'keep the server key in a 0600 file even when a keychain answers');
  storeFlags(server).action(async (flags: ServeFlags) => setExit(await serve(flags)));

  const user = server.command('user').description('identities: bearer tokens with a role and groups').enablePositionalOptions();
  const withStore = async <T>(flags: { db?: string; config?: string }, use: (store: import('../server/store/store.js').Store) => Promise<T>): Promise<T> => {
    const { openUserStore } = await import('../server/boot.js');
    const store = await openUserStore(flags, process.env, systemClock);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  };

  storeFlags(
    user
      .command('add')
      .description('add an identity and print its bearer token (shown once, stored hashed)')
      .argument('<name>', 'the identity (the actor name its gate uses)')
      .addOption(new Option('--role <role>', 'requester: asks; reviewer: decides; admin: decides and sees all').choices(['requester', 'reviewer', 'admin']).makeOptionMandatory())
      .option('--group <group>', 'an approver group (repeatable)', collect)
      .option('--email <address>', 'the email single sign-on (OIDC) reports for this person: signing in with it is signing in as NAME'),
  ).action(async (name: string, flags: { role: Role; group?: string[]; email?: string; db?: string; config?: string }) => {
    const { addIdentity } = await import('../server/users.js');
    const token = await withStore(flags, (store) => addIdentity(store, { name, role: flags.role, groups: flags.group ?? [], email: flags.email }, systemClock.now()));
    out(token);
    err(`gate: added ${flags.role} ${name}; the token above is shown only once`);
    setExit(0);
  });

  storeFlags(user.command('list').description('the identities, their roles and groups').option('--json', 'machine-readable output')).action(async (flags: { json?: boolean; db?: string; config?: string }) => {
    const { listIdentities } = await import('../server/users.js');
    const identities = await withStore(flags, listIdentities);
    if (flags.json) out(JSON.stringify(identities));
    else if (identities.length === 0) out('no identities: add one with `gate server user add NAME --role reviewer --group G`');
    else for (const i of identities) out(`${i.name.padEnd(24)} ${i.role.padEnd(9)} ${(i.groups.join(',') || '-').padEnd(24)} ${(i.email ?? '-').padEnd(32)} ${i.created_at}`);
    setExit(0);
  });

  storeFlags(user.command('remove').description('remove an identity: its token stops working at once').argument('<name>')).action(async (name: string, flags: { db?: string; config?: string }) => {
    const { removeIdentity } = await import('../server/users.js');
    await withStore(flags, (store) => removeIdentity(store, name));
    out(`removed ${name}`);
    setExit(0);
  });

  storeFlags(
    user
      .command('email')
      .description('set the email single sign-on and Slack (match_email) know this identity by')
      .argument('<name>', 'the identity')
      .argument('<address>', 'the address the provider reports, like dana@example.com'),
  ).action(async (name: string, address: string, flags: { db?: string; config?: string }) => {
    const { setIdentityEmail } = await import('../server/users.js');
    const email = await withStore(flags, (store) => setIdentityEmail(store, name, address));
    out(`${name}: email ${email}`);
    setExit(0);
  });

  storeFlags(user.command('sign-out').description("end every web session of an identity at once (a lost laptop, a copied cookie)").argument('<name>')).action(async (name: string, flags: { db?: string; config?: string }) => {
    const { signOutIdentity } = await import('../server/users.js');
    const ended = await withStore(flags, (store) => signOutIdentity(store, name));
    out(`ended ${ended} web session${ended === 1 ? '' : 's'} of ${name}`);
    setExit(0);
  });

  storeFlags(
    user
      .command('link')
      .description('link a Slack account to an identity: its clicks on Approve and Deny count as NAME')
      .argument('<name>', 'the identity')
      .requiredOption('--slack <user-id>', "the Slack member id (U...; in Slack: the person's profile, ⋮, Copy member ID)"),
  ).action(async (name: string, flags: { slack: string; db?: string; config?: string }) => {
    const { linkSlackUser } = await import('../server/channels/identity-links.js');
    await withStore(flags, (store) => linkSlackUser(store, name, flags.slack, systemClock.now()));
    out(`linked Slack user ${flags.slack} to ${name}`);
    setExit(0);
  });

  storeFlags(user.command('unlink').description('unlink a Slack account').requiredOption('--slack <user-id>', 'the Slack member id')).action(async (flags: { slack: string; db?: string; config?: string }) => {
    const { unlinkSlackUser } = await import('../server/channels/identity-links.js');
    await withStore(flags, (store) => unlinkSlackUser(store, flags.slack));
    out(`unlinked Slack user ${flags.slack}`);
    setExit(0);
  });

  storeFlags(user.command('links').description('the Slack accounts linked to identities').option('--json', 'machine-readable output')).action(async (flags: { json?: boolean; db?: string; config?: string }) => {
    const { listLinks } = await import('../server/channels/identity-links.js');
    const links = await withStore(flags, listLinks);
    if (flags.json) out(JSON.stringify(links));
    else if (links.length === 0) out('no links: add one with `gate server user link NAME --slack USER_ID`');
    else for (const l of links) out(`${l.identity.padEnd(24)} ${l.kind.padEnd(6)} ${l.value.padEnd(16)} ${l.created_at}`);
    setExit(0);
  });
  const key = server.command('key').description("the server's signing key, for replicas that must share one");
  key
    .command('generate')
    .description('write a new private Ed25519 key (JWK, mode 0600) for key_file: in the config of every replica')
    .argument('<file>', 'where to write it (refuses to replace a file)')
    .action(async (file: string) => {
      const { generateServerKeyFile } = await import('../server/server-key.js');
      const kid = await generateServerKeyFile(file);
      out(`wrote ${file} (kid ${kid}); set key_file: ${file} in each replica's config`);
      setExit(0);
    });

  key
    .command('export')
    .description("write this GATE_HOME's server key (private JWK, mode 0600) to a file, to share it with replicas")
    .argument('<file>', 'where to write it (refuses to replace a file)')
    .action(async (file: string) => {
      const { exportServerKeyFile } = await import('../server/server-key.js');
      const kid = await exportServerKeyFile({ paths: gatePaths(process.env), warn: err }, file);
      out(`wrote ${file} (kid ${kid}); set key_file: ${file} in each replica's config`);
      setExit(0);
    });

  const db = server.command('db').description('the server database');
  db.command('copy')
    .description('copy a SQLite server database into a new, empty Postgres database (to move to replicas)')
    .requiredOption('--from <path>', 'the SQLite file (stop the server first), e.g. $GATE_HOME/state/server.db')
    .requiredOption('--to <url>', 'postgres://USER@HOST:PORT/DB (give the password in PGPASSWORD)')
    .action(async (flags: { from: string; to: string }) => {
      const { copyDatabase } = await import('../server/boot.js');
      const counts = await copyDatabase(flags.from, flags.to, systemClock.now());
      out(`copied ${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ')}`);
      setExit(0);
    });
  return server;
}
