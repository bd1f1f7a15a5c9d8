// Reading what a client sent: the JSON body against a schema, path ids and query values, each
// refused with a 400 that names the field and what is wrong with it.
import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from './http-error.js';
import { ID_PATTERN } from './schemas.js';

/** "rules[0].min" for a zod issue path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out || '(body)';
}

/** One line per problem: `field: message`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, 5).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const at = issue.path.length ? `${fieldPath(issue.path)}: ` : '';
      return `${at}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    return `${fieldPath(issue.path)}: ${issue.message}`;
  });
  if (issues.length > 5) lines.push(`and ${issues.length - 5} more`);
  return lines.join('; ');
}

/** Parse the body as JSON and validate it; an empty body counts as `{}` when `emptyOk`. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, emptyOk = false): Promise<z.infer<S>> {
  const raw = await c.req.text();
  let value: unknown;
  if (raw.trim() === '') {
    if (!emptyOk) throw badRequest('a JSON body is required');
    value = {};
  } else {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw badRequest(`malformed JSON: ${(error as Error).message}`);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest(`invalid body: ${describeIssues(result.error.issues)}`, result.error.issues.map((i) => ({ path: fieldPath(i.path), code: i.code, message: i.message })));
  }
  return result.data;
}

/** The `:id` path parameter, checked against the id pattern. */
export function requestId(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!ID_PATTERN.test(id)) throw badRequest(`invalid request id ${JSON.stringify(id.slice(0, 80))}: expected 1-64 letters, digits or dashes`);
  return id;
}

/** A whole or fractional number of seconds within [0, max]; larger values are clamped. */
export function secondsParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`${name}: expected a number of seconds, got ${JSON.stringify(value.slice(0, 40))}`);
  return Math.min(n, max);
}
