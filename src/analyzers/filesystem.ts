// Analyzer for filesystem (in progress).
import type { Analyzer } from './types.js';

export const analyzers: Record<string, Analyzer> = {};
