// `kubectl get|create|replace|delete --raw PATH`: the API path names the resource, so a raw
// DELETE of /api/v1/namespaces/prod is still a namespace deletion.
import { normalizeKind } from './kube-kinds.js';

export interface RawTarget {
  resource: string;
  namespace?: string;
  name?: string;
}

/** The resource an API path addresses, or undefined for non-resource paths (/healthz, /metrics). */
export function parseRawPath(path: string): RawTarget | undefined {
  // The API server percent-decodes the path: `%73ecrets` is `secrets`. A path that does not
  // decode cannot be judged, and neither can one with `.` or `..` segments.
  let segments: string[];
  try {
    segments = path.split('?')[0]!.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return { resource: 'unknown' };
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/'))) return { resource: 'unknown' };
  let rest: string[];
  if (segments[0] === 'api') rest = segments.slice(2);
  else if (segments[0] === 'apis') rest = segments.slice(3);
  else return undefined;
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return withName({ resource: normalizeKind(rest[2]!), namespace: rest[1]! }, rest[3]);
  }
  return withName({ resource: normalizeKind(rest[0]!) }, rest[1]);
}

function withName(target: RawTarget, name: string | undefined): RawTarget {
  return name === undefined ? target : { ...target, name };
}
