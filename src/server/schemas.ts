// zod schemas for the /v1 bodies: exactly the shapes of approval/api-types.ts, unknown fields
// rejected. The `satisfies` checks keep them in step with the wire types.
import { z } from 'zod';
import type { AuditHeadBody, CreateRequestBody, DecisionBody, RedeemBody, RuleRequirementWire } from '../approval/api-types.js';

/** Request ids: uuid-ish, safe in a URL path and a log line. */
export const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

// No NUL: no command line, name or comment has one, and Postgres text cannot hold it (the two
// stores must accept the same input).
const text = (max: number) => z.string().max(max).refine((v) => !v.includes('\u0000'), 'must not contain NUL characters');
const risk = z.enum(['low', 'medium', 'high', 'critical']);
const positiveMs = z.number().int().positive().nullable();

export const ruleRequirementSchema = z.strictObject({
  id: text(200).min(1),
  description: text(2000).nullable(),
  policy: text(2000).nullable(),
  risk,
  groups: z.array(text(200).min(1)).max(100),
  min: z.number().int().min(1).max(100),
  ttl_ms: positiveMs,
  pending_ms: positiveMs,
}) satisfies z.ZodType<RuleRequirementWire>;

export const createRequestSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, 'must be 1-64 letters, digits or dashes'),
  digest: text(200).min(1),
  actor: text(200).min(1),
  host: text(500),
  cwd: text(4096),
  program: text(4096).min(1),
  argv: z.array(text(65536)).max(10_000),
  reason: text(4000).nullable(),
  risk,
  rules: z.array(ruleRequirementSchema).max(200),
  facts: z.array(z.record(z.string(), z.unknown())).max(1000),
  labels: z.array(text(200)).max(1000),
  confirm: text(1000).nullable(),
}) satisfies z.ZodType<CreateRequestBody>;

export const decisionSchema = z.strictObject({
  comment: text(4000).optional(),
  confirm: text(1000).optional(),
  token: text(16_000).min(1).optional(),
}) satisfies z.ZodType<DecisionBody>;

export const redeemSchema = z.strictObject({
  digest: text(200).min(1),
}) satisfies z.ZodType<RedeemBody>;

export const cancelSchema = z.strictObject({});

export const auditHeadSchema = z.strictObject({
  host: text(500).min(1),
  actor: text(200).min(1),
  seq: z.number().int().min(0),
  hash: text(200).min(1),
  at: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<AuditHeadBody>;
