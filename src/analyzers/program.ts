// Program-name normalization: `/usr/bin/kubectl`, `\rm` and `"rm"` all name the same program.

/** The normalized program name of argv[0]: basename, leading backslashes removed. */
export function programName(argv0: string): string {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base.replace(/\\/g, '');
}
