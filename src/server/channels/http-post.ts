// One outgoing POST for a channel: a time limit, no redirects (a signed body or a token goes
// only where it was configured to), and a DeliveryError that says whether trying again may help.

export type Fetch = typeof fetch;

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/** Why a delivery failed; `retryable` for network errors, 408, 425, 429 and 5xx. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** What the receiver asked for with Retry-After, in ms. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

const TIMEOUT_MS = 10_000;

/** Seconds or an HTTP date in Retry-After, as ms from `now`. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Where a URL points, for logs: origin and path, never the query (it may carry a token). */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.length > 1 ? '/…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
};

export interface PostOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: Fetch;
  /** The clock's now (ms) for Retry-After dates. */
  now?: number;
}

/** POST and read the answer; a non-2xx status or a network failure throws a DeliveryError. */
export async function post(url: string, body: string, options: PostOptions = {}): Promise<HttpResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { method: 'POST', body, headers: options.headers ?? {}, redirect: 'manual', signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DeliveryError(`cannot reach ${redactUrl(url)}: ${(error as Error).message}`, true, undefined, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { status: response.status, headers: response.headers, text };
  const retryable = response.status === 408 || response.status === 425 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(`${redactUrl(url)} answered ${response.status}`, retryable, retryAfterMs(response.headers.get('retry-after'), options.now ?? 0));
}
