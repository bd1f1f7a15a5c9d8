// Analyzers for the filesystem tools that destroy or expose data: rm, rmdir, shred, truncate,
// find (-delete, -exec), dd, mkfs/mkfs.*, chmod. Read-only utilities (ls, cat, ...) are not
// here: they get the generic fact and the shell pack allows them.
//
// Fields: path (one fact per path), target, recursive, force, no_preserve_root, root (the
// path is / or /*), interactive, parents, remove, size (truncate), paths/delete/exec/outputs
// (find), input/output/device (dd), device/fs_type (mkfs), mode/setuid/world_writable/
// reference (chmod).
import type { Analyzer } from '../types.js';
import { chmodFacts } from './fs-chmod.js';
import { ddFacts, mkfsFacts } from './fs-devices.js';
import { findFacts } from './fs-find.js';
import { removeFacts } from './fs-remove.js';

export const analyzers: Record<string, Analyzer> = {
  rm: (argv, ctx) => removeFacts('rm', argv, ctx),
  rmdir: (argv, ctx) => removeFacts('rmdir', argv, ctx),
  shred: (argv, ctx) => removeFacts('shred', argv, ctx),
  truncate: (argv, ctx) => removeFacts('truncate', argv, ctx),
  find: findFacts,
  dd: ddFacts,
  mkfs: (argv) => mkfsFacts(argv),
  'mkfs.*': (argv) => mkfsFacts(argv),
  chmod: chmodFacts,
};
