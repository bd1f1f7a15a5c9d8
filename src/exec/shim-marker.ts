// What makes a file one of gate's shims: a fixed second line written by `gate shim install`.
// Resolution skips such files so gate never runs its own shim by PATH lookup (no recursion).
import { closeSync, openSync, readSync } from 'node:fs';

export const SHIM_MARKER = '# gate-shim v1';

/** The program a gate shim stands for, or null when `path` is not a gate shim. */
export function gateShimProgram(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.alloc(256);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const lines = buffer.subarray(0, length).toString('utf8').split('\n');
    if (lines[0] !== '#!/bin/sh' || !lines[1]?.startsWith(`${SHIM_MARKER} `)) return null;
    return lines[1].slice(SHIM_MARKER.length + 1).trim() || null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
