// Audit records read for evidence (pure): filtered by time and joined per request, so every
// record can be shown with the command it belongs to.
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../policy/duration.js';

export type AuditRow = Record<string, unknown> & { seq?: number; ts?: string; event?: string; request_id?: string | null; actor?: string };

/** Every parseable record, in file order (verify reports damaged lines; evidence skips them). */
export function parseRecords(content: string): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const line of content.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) rows.push(value as AuditRow);
    } catch {
      // torn or edited line: `gate audit verify` names it
    }
  }
  return rows;
}

export interface TimeRange {
  since: Date | null;
  until: Date | null;
}

/** `--since`/`--until`: an ISO date or time (2026-01-31, 2026-01-31T12:00Z) or a duration ago (7d, 12h). */
export function parseWhen(text: string | undefined, now: Date, flag: string): Date | null {
  if (text === undefined) return null;
  const ms = /^\d+(ms|s|m|h|d|w)$/.test(text) ? parseDuration(text) : undefined;
  if (ms !== undefined) return new Date(now.getTime() - ms);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(`${flag} ${JSON.stringify(text)} is not a date or a duration`, { hint: `use an ISO date or time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (7d, 12h)` });
}

export function inRange(row: AuditRow, range: TimeRange): boolean {
  if (range.since === null && range.until === null) return true;
  const ts = typeof row.ts === 'string' ? Date.parse(row.ts) : Number.NaN;
  if (Number.isNaN(ts)) return false;
  if (range.since !== null && ts < range.since.getTime()) return false;
  if (range.until !== null && ts >= range.until.getTime()) return false;
  return true;
}

/** The `request` record of each request id: the command, facts and where it ran. */
export function requestIndex(rows: readonly AuditRow[]): Map<string, AuditRow> {
  const index = new Map<string, AuditRow>();
  for (const row of rows) if (row.event === 'request' && typeof row.request_id === 'string') index.set(row.request_id, row);
  return index;
}

/** All records of each request id, in order. */
export function groupByRequest(rows: readonly AuditRow[]): Map<string, AuditRow[]> {
  const groups = new Map<string, AuditRow[]>();
  for (const row of rows) {
    if (typeof row.request_id !== 'string') continue;
    const list = groups.get(row.request_id);
    if (list) list.push(row);
    else groups.set(row.request_id, [row]);
  }
  return groups;
}

export const str = (value: unknown): string => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : value === undefined || value === null ? [] : [str(value)]);

export interface Approver {
  id: string;
  via: string;
  at: string;
}

export function approversOf(row: AuditRow): Approver[] {
  if (!Array.isArray(row.approvers)) return [];
  return row.approvers.flatMap((a) => (typeof a === 'object' && a !== null ? [{ id: str((a as Record<string, unknown>).id), via: str((a as Record<string, unknown>).via), at: str((a as Record<string, unknown>).at) }] : []));
}
