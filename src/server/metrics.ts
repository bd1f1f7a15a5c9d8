// Prometheus metrics in the text exposition format, kept by hand (a few counters, two gauges
// and one histogram do not need a client library).
import type { RequestStatus } from '../approval/api-types.js';

/** Decision latency buckets, in seconds (a review takes seconds to hours). */
const LATENCY_BUCKETS = [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 14400];

export interface Metrics {
  httpRequest(route: string, status: number): void;
  decision(latencySeconds: number): void;
  waiters(delta: 1 | -1): void;
  sseClients(delta: 1 | -1): void;
  /** The exposition text; request counts by status are read from the store at scrape time. */
  render(requestsByStatus: Record<RequestStatus, number>): string;
}

const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function createMetrics(): Metrics {
  const http = new Map<string, number>();
  const buckets = LATENCY_BUCKETS.map(() => 0);
  let latencySum = 0;
  let latencyCount = 0;
  let waiters = 0;
  let sse = 0;
  return {
    httpRequest(route, status) {
      const key = `route="${label(route)}",status="${status}"`;
      http.set(key, (http.get(key) ?? 0) + 1);
    },
    decision(seconds) {
      LATENCY_BUCKETS.forEach((le, i) => {
        if (seconds <= le) buckets[i]! += 1;
      });
      latencySum += seconds;
      latencyCount += 1;
    },
    waiters(delta) {
      waiters += delta;
    },
    sseClients(delta) {
      sse += delta;
    },
    render(byStatus) {
      const lines = [
        '# HELP gate_requests Approval requests by status.',
        '# TYPE gate_requests gauge',
        ...Object.entries(byStatus).map(([status, n]) => `gate_requests{status="${status}"} ${n}`),
        '# HELP gate_http_requests_total HTTP requests by route and status.',
        '# TYPE gate_http_requests_total counter',
        ...[...http].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `gate_http_requests_total{${key}} ${n}`),
        '# HELP gate_waiters Long-poll waiters connected.',
        '# TYPE gate_waiters gauge',
        `gate_waiters ${waiters}`,
        '# HELP gate_sse_clients Event stream clients connected.',
        '# TYPE gate_sse_clients gauge',
        `gate_sse_clients ${sse}`,
        '# HELP gate_decision_latency_seconds Time from request to approval or denial.',
        '# TYPE gate_decision_latency_seconds histogram',
        ...LATENCY_BUCKETS.map((le, i) => `gate_decision_latency_seconds_bucket{le="${le}"} ${buckets[i]}`),
        `gate_decision_latency_seconds_bucket{le="+Inf"} ${latencyCount}`,
        `gate_decision_latency_seconds_sum ${latencySum}`,
        `gate_decision_latency_seconds_count ${latencyCount}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
