// SHA-256 of executables, cached by dev/inode/size/mtime/ctime so the allow path does not
// re-read a 100 MB binary on every run. ctime cannot be set back by `touch`, so a replaced or
// edited binary always misses the cache.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface CacheEntry {
  key: string;
  sha256: string;
}

export interface HashCache {
  file: string;
  entries: Record<string, CacheEntry>;
  dirty: boolean;
}

export function openHashCache(stateDir: string): HashCache {
  const file = join(stateDir, 'cache', 'exe-sha256.json');
  try {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CacheEntry>;
    return { file, entries: typeof entries === 'object' && entries !== null ? entries : {}, dirty: false };
  } catch {
    return { file, entries: {}, dirty: false };
  }
}

function statKey(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Hash a file by streaming it in chunks (never the whole binary in memory). */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The executable's hash, from the cache when its stat key is unchanged. */
export function executableHash(cache: HashCache, path: string): string {
  const key = statKey(path);
  const hit = cache.entries[path];
  if (hit && hit.key === key) return hit.sha256;
  const sha256 = sha256File(path);
  // Stat again: a file modified while being hashed must not be cached under the old key.
  if (statKey(path) === key) {
    cache.entries[path] = { key, sha256 };
    cache.dirty = true;
  }
  return sha256;
}

/** Persist the cache atomically; a failure only costs a re-hash next time. */
export function saveHashCache(cache: HashCache): void {
  if (!cache.dirty) return;
  try {
    mkdirSync(dirname(cache.file), { recursive: true });
    const tmp = `${cache.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(cache.entries));
    renameSync(tmp, cache.file);
    cache.dirty = false;
  } catch {
    // Cache is an optimization only.
  }
}
