// Values the browser keeps but cannot alter: base64url(JSON) + "." + HMAC-SHA256 over it.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A purpose-bound key: one secret, separate keys for sessions, sign-in flows and CSRF. */
export function deriveKey(secret: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`gate-web:${purpose}`).digest();
}

function mac(key: Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Equal-length, constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signValue(key: Uint8Array, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The value, or null when the signature does not verify or the payload is not JSON. */
export function verifyValue(key: Uint8Array, signed: string | undefined): unknown {
  if (!signed) return null;
  const dot = signed.indexOf('.');
  if (dot <= 0) return null;
  const payload = signed.slice(0, dot);
  if (!safeEqual(signed.slice(dot + 1), mac(key, payload).toString('base64url'))) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** A MAC of `data` as base64url (CSRF tokens). */
export function macText(key: Uint8Array, data: string): string {
  return mac(key, data).toString('base64url');
}
