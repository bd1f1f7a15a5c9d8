// `gate login URL [--token T]`, `gate logout`, `gate whoami`.
import { Command } from 'commander';
import { login, logout, openSession } from '../app/login.js';
import { ConfigError, UsageError } from '../errors.js';
import { systemClock } from '../platform/clock.js';
import { err, out } from './output.js';

/** Read a token from stdin when piped (`... | gate login URL`). */
async function tokenFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError('give the token with --token TOKEN (or pipe it on stdin)', { hint: 'an admin creates it with `gate server user add NAME --role requester`' });
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

export function loginCommands(setExit: (code: number) => void): Command[] {
  const loginCmd = new Command('login')
    .description('log in to an approval server: pins its signing key and keeps your token in the keychain')
    .argument('<server-url>')
    .option('--token <token>', 'your bearer token (else read from stdin)')
    .option('--json', 'machine-readable output')
    .action(async (url: string, flags: { token?: string; json?: boolean }) => {
      const token = flags.token ?? (await tokenFromStdin());
      if (!token) throw new UsageError('the token is empty');
      const { settings, identity } = await login(process.env, url, token, { warn: err, now: systemClock.now() });
      if (flags.json) out(JSON.stringify({ server: settings.url, identity, kid: settings.kid }));
      else out(`logged in to ${settings.url} as ${identity.name} (${identity.role}${identity.groups.length ? `; groups ${identity.groups.join(', ')}` : ''}); server key ${settings.kid} pinned`);
      setExit(0);
    });

  const logoutCmd = new Command('logout').description('forget the server login and unpin its key').option('--json', 'machine-readable output').action(async (flags: { json?: boolean }) => {
    const server = await logout(process.env, { warn: err });
    if (flags.json) out(JSON.stringify({ logged_out: server ? server.url : null }));
    else out(server ? `logged out of ${server.url}` : 'not logged in');
    setExit(0);
  });

  const whoami = new Command('whoami')
    .description('who the approval server knows you as')
    .option('--json', 'machine-readable output')
    .action(async (flags: { json?: boolean }) => {
      const session = await openSession(process.env, undefined, { warn: err });
      if (!session) throw new ConfigError('not_logged_in', 'not logged in to an approval server', undefined, { hint: 'gate login URL --token TOKEN' });
      const me = await session.client.me();
      if (flags.json) out(JSON.stringify({ server: session.settings.url, ...me }));
      else out(`${me.name} (${me.role}${me.groups.length ? `; groups ${me.groups.join(', ')}` : ''}) at ${session.settings.url}`);
      setExit(0);
    });
  return [loginCmd, logoutCmd, whoami];
}
