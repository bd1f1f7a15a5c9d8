// Long-poll: resolve with the request as soon as an event shows it decided (pushed by the bus,
// no polling), when it is due to expire, at the timeout, or when the server stops.
import type { Identity, RequestView } from '../approval/api-types.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from './event-bus.js';
import type { Lifetime } from './lifetime.js';
import type { RequestsService } from './requests-service.js';

export interface WaiterDeps {
  bus: EventBus;
  service: Pick<RequestsService, 'get'>;
  clock: Clock;
  lifetime: Lifetime;
}

/** The request once not pending, or as it stands after `timeoutMs`; null if the client left. */
export function awaitDecision(deps: WaiterDeps, caller: Identity, id: string, timeoutMs: number, signal: AbortSignal): Promise<RequestView | null> {
  return new Promise((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const cleanups: Array<() => void> = [];
    const finish = (view: RequestView | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      resolve(view);
    };
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      reject(error);
    };
    /** Re-read (which also expires a request that is due) and answer with what is there. */
    const answerNow = () => void deps.service.get(caller, id).then(finish, fail);

    // Subscribe before the first read so that no decision can slip in between.
    cleanups.push(deps.bus.subscribe(({ event }) => event.request.status !== 'pending' && finish(event.request), id));
    cleanups.push(deps.lifetime.onClose(answerNow));
    const onAbort = () => finish(null);
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));

    deps.service.get(caller, id).then((view) => {
      if (view.status !== 'pending' || timeoutMs <= 0) return finish(view);
      const untilExpiry = Date.parse(view.expires_at) - deps.clock.now().getTime();
      if (!done) timer = setTimeout(answerNow, Math.max(0, Math.min(timeoutMs, untilExpiry + 1)));
    }, fail);
  });
}
