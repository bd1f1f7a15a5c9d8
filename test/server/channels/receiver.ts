// A loopback HTTP server standing in for Slack's Web API, incoming webhooks, response_urls,
// a Teams webhook and a webhook consumer: it records every request and answers as told.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Wall-clock ms when it arrived. */
  at: number;
  json<T = any>(): T;
}

export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Responder = (request: Received, nth: number) => Answer | undefined;

export interface Receiver {
  url: string;
  requests: Received[];
  /** Answer requests to `path` with `responder` (nth counts that path's requests from 0). */
  on(path: string, responder: Responder): void;
  /** Requests to `path`, in arrival order. */
  to(path: string): Received[];
  /** Resolves with the first request to `path` matching `match`, waiting up to `timeoutMs`. */
  waitFor(path: string, match?: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Slack's Web API as far as gate uses it. */
const slackApi: Record<string, Responder> = {
  '/api/chat.postMessage': (r, n) => ({ body: { ok: true, channel: r.json().channel, ts: `1700000000.${String(n + 1).padStart(6, '0')}` } }),
  '/api/chat.update': () => ({ body: { ok: true } }),
  '/api/views.open': () => ({ body: { ok: true } }),
  '/api/users.info': () => ({ body: { ok: true, user: { profile: {} } } }),
};

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const responders = new Map<string, Responder>(Object.entries(slackApi));
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const received: Received = {
      method: req.method ?? '',
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body,
      at: Date.now(),
      json: () => JSON.parse(body),
    };
    const nth = requests.filter((r) => r.path === path).length;
    requests.push(received);
    const answer = responders.get(path)?.(received, nth) ?? {};
    const text = answer.body === undefined ? 'ok' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status ?? 200, { 'content-type': typeof answer.body === 'object' ? 'application/json' : 'text/plain', ...answer.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const to = (path: string) => requests.filter((r) => r.path === path);
  return {
    url,
    requests,
    on: (path, responder) => void responders.set(path, responder),
    to,
    async waitFor(path, match = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = to(path).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`nothing matching arrived at ${path} within ${timeoutMs} ms (got ${to(path).length} requests there)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
