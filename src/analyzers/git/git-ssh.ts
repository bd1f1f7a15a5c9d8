// GIT_SSH_COMMAND and GIT_SSH: git runs them (the first through the shell) for every ssh
// remote. Plain ssh with options that only pick a key, a port, a user or host-key handling is
// what users normally set; ssh options that run a command (ProxyCommand, LocalCommand,
// KnownHostsCommand), load code (PKCS11Provider) or read another config (-F) are not plain.

/** Where a plain ssh lives; any other path may be a look-alike program. */
const SSH_PROGRAM = /^(?:ssh|\/usr\/bin\/ssh|\/bin\/ssh|\/usr\/local\/bin\/ssh|\/opt\/homebrew\/bin\/ssh)$/;

/** ssh flags without a value that change nothing but verbosity, address family or tty use. */
const PLAIN_FLAGS = /^-[46qvTCn]+$/;

/** ssh flags taking a value (key file, port, user) and the value's allowed characters. */
const VALUE_FLAGS = new Set(['-i', '-p', '-l']);

/** `-o Key=Value` options (lower case) that cannot run a program or load code. */
const PLAIN_OPTIONS = new Set([
  'identitiesonly', 'identityfile', 'stricthostkeychecking', 'userknownhostsfile', 'globalknownhostsfile', 'port', 'user',
  'connecttimeout', 'connectionattempts', 'batchmode', 'serveraliveinterval', 'serveralivecountmax', 'loglevel',
  'passwordauthentication', 'pubkeyauthentication', 'preferredauthentications', 'kbdinteractiveauthentication',
  'numberofpasswordprompts', 'checkhostip', 'hashknownhosts', 'updatehostkeys', 'verifyhostkeydns', 'compression',
  'tcpkeepalive', 'addressfamily', 'ipqos', 'hostkeyalgorithms', 'pubkeyacceptedkeytypes', 'pubkeyacceptedalgorithms',
  'certificatefile', 'requesttty', 'clearallforwardings', 'exitonforwardfailure',
]);

/** A word the shell leaves as it is (no quotes, expansions, globs, operators). */
const PLAIN_WORD = /^[\w.,=/@:~+%-]+$/;

/** Whether `-o` names an inert option: `Key=Value` or `Key` alone (its value next). */
function plainOption(setting: string): boolean {
  const key = setting.split('=')[0]!.toLowerCase();
  return PLAIN_OPTIONS.has(key);
}

/** Whether a GIT_SSH_COMMAND value runs plain ssh with inert options only. */
export function isPlainSshCommand(value: string): boolean {
  const words = value.trim().split(/\s+/);
  if (!words.every((word) => PLAIN_WORD.test(word))) return false;
  if (!SSH_PROGRAM.test(words[0] ?? '')) return false;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (PLAIN_FLAGS.test(word)) continue;
    if (VALUE_FLAGS.has(word)) {
      if (++i >= words.length) return false;
      continue;
    }
    if (VALUE_FLAGS.has(word.slice(0, 2))) continue;
    if (word === '-o') {
      // `-o Key Value` is not one word here: only `-o Key=Value` is accepted.
      if (++i >= words.length || !words[i]!.includes('=') || !plainOption(words[i]!)) return false;
      continue;
    }
    if (word.startsWith('-o') && word.includes('=') && plainOption(word.slice(2))) continue;
    return false;
  }
  return true;
}

/** GIT_SSH names a program run without a shell and without arguments of ours. */
export function isPlainSshProgram(value: string): boolean {
  return SSH_PROGRAM.test(value.trim());
}
