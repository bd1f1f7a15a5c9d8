// The approval server's client: typed calls to /v1, errors mapped to gate's exit codes
// (unreachable 69, auth 78, forbidden or conflicting 77, bad input 64).
import { DeniedError, EXIT, GateError, UsageError } from '../errors.js';
import type { CreateRequestBody, DecisionBody, Identity, RedeemResponse, RequestStatus, RequestView } from './api-types.js';
import { readSse, type SseEvent } from './sse.js';

export interface ApprovalClient {
  readonly url: string;
  me(): Promise<Identity>;
  createRequest(body: CreateRequestBody): Promise<RequestView>;
  getRequest(id: string): Promise<RequestView>;
  /** Long-poll: the request as soon as it is decided, or as it is after `timeoutS`. */
  waitRequest(id: string, timeoutS: number, signal?: AbortSignal): Promise<RequestView>;
  listRequests(status: RequestStatus | 'all'): Promise<RequestView[]>;
  approve(id: string, body: DecisionBody): Promise<RequestView>;
  deny(id: string, body: DecisionBody): Promise<RequestView>;
  cancel(id: string): Promise<RequestView>;
  redeem(id: string, digest: string): Promise<RedeemResponse>;
  /** The server's clock minus this machine's, in ms, from the last answer's Date header (null: unknown). */
  serverClockOffsetMs?(): number | null;
  /** Server-Sent Events for one request (or all), from after `lastEventId`; `onOpen` runs once the stream is accepted. */
  events(requestId: string | undefined, lastEventId: string | undefined, signal: AbortSignal, onOpen?: () => void): AsyncGenerator<SseEvent>;
}

export function unreachable(url: string, cause: unknown): GateError {
  const reason = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
  return new GateError('server_unreachable', EXIT.unavailable, `cannot reach the approval server ${url}: ${reason}`, {
    hint: 'check that the server is running and the URL (`gate whoami`, GATE_SERVER); the command was not run',
    cause,
  });
}

/** Turn an error response into the matching GateError. */
async function responseError(url: string, response: Response): Promise<GateError> {
  let code = `http_${response.status}`;
  let message = response.statusText;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status text
  }
  const text = `${message} (${url}, HTTP ${response.status})`;
  // The server's own code stays in the details (a usage error's code is "usage").
  const details = { server_code: code, http_status: response.status };
  if (response.status === 401) return new GateError(code, EXIT.config, text, { hint: 'log in again: gate login URL --token TOKEN', details });
  if (response.status === 403 || response.status === 409) return new DeniedError(code, text, { hint: 'see the message; `gate requests --status all` shows where each request stands', details });
  if (response.status === 404 || response.status === 400 || response.status === 413) return new UsageError(text, { hint: 'check the request id and arguments', details });
  return new GateError(code, EXIT.unavailable, text, { hint: 'the approval server is not answering normally; try again later', details });
}

export function httpApprovalClient(url: string, token: string, fetcher: typeof fetch = fetch): ApprovalClient {
  const base = url.replace(/\/+$/, '');
  let offsetMs: number | null = null;
  /** Compare the answer's Date (whole seconds) with the middle of the round trip. */
  const noteClock = (response: Response, sentAt: number) => {
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(date)) offsetMs = date + 500 - (sentAt + Date.now()) / 2;
  };
  const call = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    let response: Response;
    const sentAt = Date.now();
    try {
      response = await fetcher(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw unreachable(base, error);
    }
    noteClock(response, sentAt);
    if (!response.ok) throw await responseError(base, response);
    return (await response.json()) as T;
  };
  const id = (value: string) => encodeURIComponent(value);
  return {
    url: base,
    serverClockOffsetMs: () => offsetMs,
    me: () => call('GET', '/v1/me'),
    createRequest: (body) => call('POST', '/v1/requests', body),
    getRequest: (rid) => call('GET', `/v1/requests/${id(rid)}`),
    waitRequest: (rid, timeoutS, signal) => call('GET', `/v1/requests/${id(rid)}/wait?timeout=${Math.max(1, Math.floor(timeoutS))}`, undefined, signal),
    listRequests: (status) => call('GET', `/v1/requests?status=${status}`),
    approve: (rid, body) => call('POST', `/v1/requests/${id(rid)}/approve`, body),
    deny: (rid, body) => call('POST', `/v1/requests/${id(rid)}/deny`, body),
    cancel: (rid) => call('POST', `/v1/requests/${id(rid)}/cancel`, {}),
    async redeem(rid, digest) {
      const answer = await call<Partial<RedeemResponse>>('POST', `/v1/requests/${id(rid)}/redeem`, { digest });
      if (typeof answer.token !== 'string') throw new GateError('bad_response', EXIT.unavailable, `the server's redeem answer has no token (${base})`, { hint: 'check the server version' });
      // A server from before reviewer tokens sends none.
      const reviewerTokens = Array.isArray(answer.reviewer_tokens) ? answer.reviewer_tokens.filter((t): t is string => typeof t === 'string') : [];
      return { token: answer.token, reviewer_tokens: reviewerTokens };
    },
    async *events(requestId, lastEventId, signal, onOpen) {
      let response: Response;
      try {
        response = await fetcher(`${base}/v1/events${requestId ? `?request=${id(requestId)}` : ''}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal,
        });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        throw unreachable(base, error);
      }
      if (!response.ok || !response.body) throw await responseError(base, response);
      onOpen?.();
      try {
        yield* readSse(response.body);
      } catch (error) {
        // Aborting is how a reader stops listening: the stream ends, it is not an error.
        if (signal.aborted) return;
        throw unreachable(base, error);
      }
    },
  };
}
