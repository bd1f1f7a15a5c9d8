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

/** Redact an argv: values after secret flags, and secrets inside each argument. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    out.push(redactText(arg));
    if (SECRET_FLAG.test(arg) && !arg.includes('=') && i + 1 < argv.length) {
      out.push(MASK);
      i++;
    }
  }
  return out;
}

/** Deep-redact a JSON-like value: strings through redactText, `args`/`argv` arrays through redactArgv. */
export function redactValue<T>(value: T): T {
  return redactAny(value, '') as T;
}

function redactAny(value: unknown, key: string): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) {
    if ((key === 'args' || key === 'argv') && value.every((v) => typeof v === 'string')) return redactArgv(value as string[]);
    return value.map((v) => redactAny(v, ''));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactAny(v, k);
    return out;
  }
  return value;
}
