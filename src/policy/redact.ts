// Redaction: secrets never reach the audit log, an error message or a reviewer's screen.
// Applied to everything shown or stored; the digest is computed over the raw values.

const MASK = '***';

/** Flags whose next argument is a secret when written as `--flag VALUE`. */
const SECRET_FLAG = /^--?[\w-]*(?:password|passwd|passphrase|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|auth)(?:[-_][\w-]*)?$/i;

const PATTERNS: Array<[RegExp, string]> = [
  // --password=..., --client-secret=..., --token:...
  [/(--?[\w-]*(?:password|passwd|passphrase|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)[\w-]*[=:])("[^"]*"|'[^']*'|\S+)/gi, `$1${MASK}`],
  // scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):[^\s@/'"]*@/gi, `$1:${MASK}@`],
  // conninfo: password=... (psql "host=x password=y")
  [/\b(password|passwd|pwd)(\s*=\s*)('[^']*'|"[^"]*"|[^\s'"]+)/gi, `$1$2${MASK}`],
  // SQL: CREATE/ALTER ROLE ... [ENCRYPTED] PASSWORD '...'
  [/\b(PASSWORD\s+)('(?:[^']|'')*'|\$\$[\s\S]*?\$\$)/gi, `$1'${MASK}'`],
  // Authorization headers.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  // SECRET-like environment assignments: AWS_SECRET_ACCESS_KEY=..., GITHUB_TOKEN=...
  [/\b([A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g, `$1=${MASK}`],
  // kubectl create secret --from-literal=KEY=VALUE: every literal may be a secret.
  [/(--from-literal=[^=\s]+=)("[^"]*"|'[^']*'|\S+)/g, `$1${MASK}`],
  // Well-known token formats: Vault, GitHub, GitLab, Slack, Google API keys, npm, sk- API keys.
  [/\b(?:hv[sbr]\.[A-Za-z0-9_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|sk-[A-Za-z0-9_-]{20,})/g, MASK],
  // JWTs and JWS (gate's own decision tokens among them).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // PEM private keys.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, MASK],
];

/** AWS secret access keys: 40 base64 characters, mixed case (a git sha is lower-case hex). */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** Redact secrets inside one string. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out.replace(AWS_SECRET_SHAPE, (m) => (/[A-Z]/.test(m) && /[a-z]/.test(m) && /[0-9/+]/.test(m) ? MASK : m));
}

/** Flags whose value is a secret only for some programs (`-p` is a port for psql and ssh). */
const PROGRAM_SECRET_FLAGS: Record<string, string[]> = {
  docker: ['-p'],
  podman: ['-p'],
  helm: ['-p'],
  gh: ['-b', '--body'],
};

/** Programs taking their password glued to -p: `mysql -phunter2`. */
const GLUED_P = new Set(['mysql', 'mysqldump', 'mysqladmin', 'mariadb', 'mariadb-dump']);

/**
 * Redact an argv (argv[0] is the program): values after secret flags, `user:password` after
 * -u/--user (curl and friends), program-specific password flags, and secrets inside any
 * argument.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const program = (argv[0] ?? '').slice((argv[0] ?? '').lastIndexOf('/') + 1);
  const extra = PROGRAM_SECRET_FLAGS[program] ?? [];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (i > 0 && GLUED_P.has(program) && /^-p.+/.test(arg)) {
      out.push(`-p${MASK}`);
      continue;
    }
    out.push(redactText(arg));
    if (i + 1 >= argv.length) continue;
    if ((SECRET_FLAG.test(arg) && !arg.includes('=')) || extra.includes(arg)) {
      out.push(MASK);
      i++;
    } else if ((arg === '-u' || arg === '--user' || arg === '--proxy-user') && argv[i + 1]!.includes(':')) {
      out.push(`${argv[i + 1]!.slice(0, argv[i + 1]!.indexOf(':'))}:${MASK}`);
      i++;
    }
  }
  return out;
}

/** Deep-redact a JSON-like value: strings through redactText, `args`/`argv` arrays through redactArgv. */
export function redactValue<T>(value: T): T {
  return redactAny(value, '') as T;
}

function redactAny(value: unknown, key: string, program = ''): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) {
    const strings = value.every((v) => typeof v === 'string');
    if (key === 'argv' && strings) return redactArgv(value as string[]);
    // A fact's args follow its program: redact them as that program's argv.
    if (key === 'args' && strings) return redactArgv([program, ...(value as string[])]).slice(1);
    return value.map((v) => redactAny(v, ''));
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const own = typeof record.program === 'string' ? record.program : '';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = redactAny(v, k, own);
    return out;
  }
  return value;
}
