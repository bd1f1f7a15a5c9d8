// GET /v1/events: Server-Sent Events of every request the caller may see (or one, with
// ?request=ID). `Last-Event-ID` replays what was missed from the event log; a comment line
// every heartbeat keeps proxies from closing the stream.
import type { Hono } from 'hono';
import type { Identity } from '../../approval/api-types.js';
import type { AppDeps, AppEnv } from '../app-env.js';
import type { PublishedEvent } from '../event-bus.js';
import { badRequest } from '../http-error.js';
import { mayView } from '../lifecycle.js';
import { ID_PATTERN } from '../schemas.js';

/** Replay page size. */
const REPLAY_PAGE = 500;
/** A client this many chunks behind is too slow: its stream is closed (it can resume). */
const MAX_QUEUED = 10_000;

const frame = (p: PublishedEvent) => `event: ${p.event.type}\nid: ${p.id}\ndata: ${JSON.stringify(p.event)}\n\n`;

function lastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) throw badRequest(`Last-Event-ID: expected an event id (a non-negative integer), got ${JSON.stringify(value.slice(0, 40))}`);
  return Number(value.trim());
}

export function eventRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/v1/events', (c) => {
    const caller = c.get('identity');
    const only = c.req.query('request');
    if (only !== undefined && !ID_PATTERN.test(only)) throw badRequest('request: expected a request id (1-64 letters, digits or dashes)');
    const after = lastEventId(c.req.header('last-event-id') ?? c.req.query('last_event_id'));
    const stream = eventStream(deps, caller, only, after, c.req.raw.signal);
    return c.body(stream, 200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  });
}

function eventStream(deps: AppDeps, caller: Identity, only: string | undefined, after: number | undefined, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let lastSent = after ?? 0;
      /** Live events that arrive while the log is being replayed. */
      let held: PublishedEvent[] | null = after === undefined ? null : [];
      const send = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED) stop();
      };
      const deliver = (p: PublishedEvent) => {
        if (p.id <= lastSent || (only !== undefined && p.event.request.id !== only) || !mayView(caller, p.event.request)) return;
        lastSent = p.id;
        send(frame(p));
      };
      const unsubscribe = deps.bus.subscribe((p) => (held ? held.push(p) : deliver(p)), only);
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), deps.config.heartbeatMs);
      const unregister = deps.lifetime.onClose(() => stop());
      const onAbort = () => stop();
      signal.addEventListener('abort', onAbort, { once: true });
      deps.metrics.sseClients(1);
      stop = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        unregister();
        signal.removeEventListener('abort', onAbort);
        deps.metrics.sseClients(-1);
        try {
          controller.close();
        } catch {
          // already closed or cancelled by the reader
        }
      };
      // The first bytes go out at once: the client knows it is subscribed.
      send(': connected\n\n');
      if (after !== undefined) void replay(after);

      async function replay(from: number): Promise<void> {
        try {
          for (let cursor = from; ; ) {
            const page = await deps.bus.replay(cursor, REPLAY_PAGE);
            page.forEach(deliver);
            if (page.length < REPLAY_PAGE) break;
            cursor = page.at(-1)!.id;
          }
        } catch (error) {
          deps.log('error', 'event replay failed', { error: (error as Error).message });
          stop();
        }
        const live = held ?? [];
        held = null;
        live.forEach(deliver);
      }
    },
    cancel() {
      stop();
    },
  });
}
