// What the bench scripts share: statistics, running gate, starting a `gate server`, and
// calling its API.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const GATE = join(ROOT, 'bin', 'gate.js');

export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Run gate to completion; its stdout, trimmed (throws on a non-zero exit). */
export function gateSync(args, env) {
  const r = spawnSync(process.execPath, [GATE, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gate ${args.join(' ')}: ${r.status} ${r.stderr}`);
  return r.stdout.trim();
}

/** `gate server --port 0 [args]`; resolves with its URL once listening. A server that dies says why. */
export function startGateServer(env, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GATE, 'server', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (c) => {
      errors = (errors + c).slice(-4000);
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`bench: a gate server exited (${code ?? signal}): ${errors}\n`);
      reject(new Error(`server exited ${code ?? signal}`));
    });
  });
}

/** Connections that had to be retried because the server did not accept them in 10 s. */
export const connectRetries = { count: 0 };

/** Call the API; JSON answer, or throws on an error status. */
export async function api(url, token, method, path, body) {
  let r;
  for (let attempt = 0; ; attempt++) {
    try {
      r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      break;
    } catch (error) {
      // With a thousand clients on two cores the accept queue can lag: a connection never
      // made sent nothing, so it is safe to try again (and counted in the report).
      if (error?.cause?.code !== 'UND_ERR_CONNECT_TIMEOUT' || attempt >= 5) throw error;
      connectRetries.count++;
    }
  }
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
