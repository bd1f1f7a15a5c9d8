// Cloud Storage URLs as gsutil and `gcloud storage` read them, and the facts of a transfer
// between cloud and local paths.
import type { Action, Fact, FactValue } from '../types.js';

type Fields = Record<string, FactValue>;

/** gs://, s3:// and other provider URLs are cloud objects; file:// and bare paths are local. */
export function isCloudUrl(path: string): boolean {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(path);
  return match !== null && match[1]!.toLowerCase() !== 'file';
}

/** uri (scheme lower-cased) and target (the bucket) of a cloud URL; `path` for a local one. */
export function locationFields(path: string): Fields {
  if (!isCloudUrl(path)) return { path };
  const sep = path.indexOf('://');
  const scheme = path.slice(0, sep).toLowerCase();
  const rest = path.slice(sep + 3);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  return { uri: `${scheme}://${rest}`, target: bucket === '' ? undefined : bucket, bucket: bucket === '' ? undefined : bucket };
}

export type MakeFact = (action: Action, path: string | undefined, extra?: Fields) => Fact;

/**
 * cp/mv/rsync: an export of every cloud source, a write of the destination, a delete of each
 * cloud source for mv and of the destination for rsync with deletion.
 */
export function transferFacts(kind: 'cp' | 'mv' | 'rsync', sources: string[], destination: string, deletes: boolean, fact: MakeFact): Fact[] {
  const cloudSources = sources.filter(isCloudUrl);
  const toCloud = isCloudUrl(destination);
  const fromCloud = cloudSources.length > 0;
  const direction = fromCloud ? (toCloud ? 'copy' : 'download') : toCloud ? 'upload' : 'local';
  const extra: Fields = { source: sources.join(' '), destination, direction };
  const facts: Fact[] = cloudSources.map((source) => fact('export', source, extra));
  // A local destination only receives data when some source is local too (mixed sources).
  if (toCloud || cloudSources.length < sources.length) facts.push(fact('write', destination, extra));
  if (kind === 'mv') facts.push(...cloudSources.map((source) => fact('delete', source, extra)));
  if (kind === 'rsync' && deletes) facts.push(fact('delete', destination, { ...extra, delete: true }));
  return facts;
}
