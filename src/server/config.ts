// The server's settings: defaults, then the YAML config file (--config, else
// $GATE_HOME/server.yaml when present), then command-line flags.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { GatePaths } from '../platform/paths.js';
import { parseDuration } from '../policy/duration.js';
import { describeIssues } from './body.js';
import { oidcFileSchema, WEB_DEFAULTS, webConfigFrom, webFileSchema, type WebConfig } from './web/web-config.js';
import { channelsSchema, NO_CHANNELS, toChannelsConfig, type ChannelsConfig } from './channels/channels-config.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** A path, sqlite:PATH, sqlite::memory: or postgres://...; undefined: $GATE_HOME/server.db. */
  db: string | undefined;
  /** Base URL clients and reviewers reach the server at; default http://HOST:PORT. */
  publicUrl: string | undefined;
  requestTtlMs: number;
  rulesDir: string | undefined;
  /** A private Ed25519 JWK shared by replicas; undefined: the key under GATE_HOME. */
  keyFile: string | undefined;
  /** Requests per minute per identity. */
  rateLimit: number;
  bodyLimit: number;
  sweepIntervalMs: number;
  eventLogSize: number;
  heartbeatMs: number;
  /** The web approval pages: sessions and single sign-on (see docs/web-and-sso.md). */
  web: WebConfig;
  /** Slack, Teams and webhooks (see docs/channels.md). */
  channels: ChannelsConfig;
}

export const DEFAULTS: ServerConfig = {
  host: '127.0.0.1',
  port: 8787,
  db: undefined,
  publicUrl: undefined,
  requestTtlMs: 60 * 60_000,
  rulesDir: undefined,
  keyFile: undefined,
  rateLimit: 600,
  bodyLimit: 256 * 1024,
  sweepIntervalMs: 1000,
  eventLogSize: 10_000,
  heartbeatMs: 15_000,
  web: WEB_DEFAULTS,
  channels: NO_CHANNELS,
};

export interface ServerFlags {
  host?: string;
  port?: number;
  db?: string;
  config?: string;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };

/** Bytes for 262144, "256KiB", "1MiB", "500kb". */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined && Number(m[1]) > 0 ? Number(m[1]) * unit : undefined;
}

/** Milliseconds for "1h", "90m" or a number of seconds. */
function parseTtl(value: string | number): number | undefined {
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

const fileSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  db: z.string().min(1).optional(),
  public_url: z.url({ protocol: /^https?$/ }).optional(),
  request_ttl: z.union([z.string(), z.number()]).refine((v) => parseTtl(v) !== undefined, 'expected a duration like 1h or 30m, or seconds').optional(),
  rules_dir: z.string().min(1).optional(),
  key_file: z.string().min(1).optional(),
  rate_limit: z.number().int().positive().optional(),
  body_limit: z.union([z.string(), z.number()]).refine((v) => parseSize(v) !== undefined, 'expected bytes, or a size like 256KiB or 1MiB').optional(),
  sweep_interval: z.union([z.string(), z.number()]).refine((v) => parseTtl(v) !== undefined, 'expected a duration like 1s').optional(),
  event_log_size: z.number().int().positive().optional(),
  web: webFileSchema.optional(),
  oidc: oidcFileSchema.optional(),
  channels: channelsSchema.optional(),
});

function readFile(file: string): z.infer<typeof fileSchema> {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError('server_config_unreadable', `cannot read the server config: ${(error as Error).message}`, file, { cause: error });
  }
  const result = fileSchema.safeParse(value);
  if (!result.success) throw new ConfigError('server_config_invalid', describeIssues(result.error.issues), file, { hint: 'see docs/api.md (configuration), docs/web-and-sso.md and docs/channels.md for the keys and their formats' });
  return result.data;
}

/** A plain path in the config file is relative to the file; URLs stay as they are. */
const relativeTo = (dir: string, value: string) => (isAbsolute(value) || /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : resolve(dir, value));

/** The effective configuration for these flags. */
export function loadServerConfig(flags: ServerFlags, paths: GatePaths): ServerConfig {
  const defaultFile = join(paths.config, 'server.yaml');
  const file = flags.config ?? (existsSync(defaultFile) ? defaultFile : undefined);
  const config: ServerConfig = { ...DEFAULTS };
  const values: z.infer<typeof fileSchema> = file !== undefined ? readFile(file) : {};
  if (file !== undefined) {
    const dir = dirname(resolve(file));
    if (values.host !== undefined) config.host = values.host;
    if (values.port !== undefined) config.port = values.port;
    if (values.db !== undefined) config.db = relativeTo(dir, values.db);
    if (values.public_url !== undefined) config.publicUrl = values.public_url.replace(/\/+$/, '');
    if (values.request_ttl !== undefined) config.requestTtlMs = parseTtl(values.request_ttl)!;
    if (values.rules_dir !== undefined) config.rulesDir = relativeTo(dir, values.rules_dir);
    if (values.key_file !== undefined) config.keyFile = relativeTo(dir, values.key_file);
    if (values.rate_limit !== undefined) config.rateLimit = values.rate_limit;
    if (values.body_limit !== undefined) config.bodyLimit = parseSize(values.body_limit)!;
    if (values.sweep_interval !== undefined) config.sweepIntervalMs = parseTtl(values.sweep_interval)!;
    if (values.event_log_size !== undefined) config.eventLogSize = values.event_log_size;
    config.channels = toChannelsConfig(values.channels, dir);
  }
  config.web = webConfigFrom(values, file, paths);
  if (flags.host !== undefined) config.host = flags.host;
  if (flags.port !== undefined) config.port = flags.port;
  if (flags.db !== undefined) config.db = flags.db;
  return config;
}

/** http://HOST:PORT, with IPv6 hosts in brackets. */
export function listenUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
