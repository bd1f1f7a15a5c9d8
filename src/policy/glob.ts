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
  const re = picomatch.makeRe(shellClasses(pattern), { dot: true, bash: true, nonegate: true, noextglob: true });
  return (value) => re.test(value);
}

/**
 * A resource glob over URIs: `*` stays within one path segment, `**` spans segments, and a
 * trailing `/**` also matches the resource itself (`s3://b/**` covers the bucket `s3://b`).
 */
export function compileResourceGlob(pattern: string): StringTest {
  if (!isGlob(pattern)) return (value) => value === pattern;
  const source = shellClasses(pattern.endsWith('/**') ? `${pattern.slice(0, -3)}{,/**}` : pattern);
  const re = picomatch.makeRe(source, { dot: true, nonegate: true, noextglob: true });
  return (value) => re.test(value);
}

/** The shell's negated class `[!...]` in picomatch's spelling `[^...]`. */
function shellClasses(pattern: string): string {
  return pattern.replace(/(^|[^\\])\[!/g, '$1[^');
}

/** Throws when picomatch cannot compile the pattern; used by the loader to report it. */
export function checkGlob(pattern: string): void {
  picomatch.makeRe(pattern, { dot: true, nonegate: true, strictBrackets: true });
}
