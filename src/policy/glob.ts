// Glob patterns for rule values, `match.args` elements and `classify` resources.
import picomatch from 'picomatch';

export type StringTest = (value: string) => boolean;

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether a pattern contains glob syntax at all (plain strings compare exactly, faster). */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * A value glob: `*` matches any run of characters (`/` included), as for argv elements and
 * fact values like operation names.
 */
export function compileValueGlob(pattern: string): StringTest {
  if (!isGlob(pattern)) return (value) => value === pattern;
  return lazyTest(() => picomatch.makeRe(shellClasses(pattern), { dot: true, bash: true, nonegate: true, noextglob: true }));
}

/**
 * A resource glob over URIs: `*` stays within one path segment, `**` spans segments, and a
 * trailing `/**` also matches the resource itself (`s3://b/**` covers the bucket `s3://b`).
 */
export function compileResourceGlob(pattern: string): StringTest {
  if (!isGlob(pattern)) return (value) => value === pattern;
  const source = shellClasses(pattern.endsWith('/**') ? `${pattern.slice(0, -3)}{,/**}` : pattern);
  return lazyTest(() => picomatch.makeRe(source, { dot: true, nonegate: true, noextglob: true }));
}

/**
 * A regular expression built on first use: a run evaluates the rules of one program, so the
 * thousands of other patterns in the loaded packs are never compiled. (The loader has already
 * checked every pattern with checkGlob.)
 */
function lazyTest(build: () => RegExp): StringTest {
  let re: RegExp | undefined;
  return (value) => (re ??= build()).test(value);
}

/** The shell's negated class `[!...]` in picomatch's spelling `[^...]`. */
function shellClasses(pattern: string): string {
  return pattern.replace(/(^|[^\\])\[!/g, '$1[^');
}

/** Throws when picomatch cannot compile the pattern; used by the loader to report it. */
export function checkGlob(pattern: string): void {
  picomatch.makeRe(pattern, { dot: true, nonegate: true, strictBrackets: true });
}
