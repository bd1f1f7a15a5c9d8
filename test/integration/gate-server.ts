// Starts a real `gate server` process for integration tests and waits for its "listening" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GATE, type GateHome } from './gate-process.js';

export interface ServerProcess {
  url: string;
  process: ChildProcess;
}

/** `gate server --port PORT` with the home's server.yaml when it has one. */
export function startServer(home: GateHome, port = 0): Promise<ServerProcess> {
  const config = join(home.dir, 'server.yaml');
  return new Promise((resolve, reject) => {
    const args = [GATE, 'server', '--port', String(port), ...(existsSync(config) ? ['--config', config] : [])];
    const child = spawn(process.execPath, args, { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${errors}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, process: child });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}${errors}`)));
  });
}

/** Stop it with SIGTERM and wait for the exit. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGTERM');
  await exited;
}
