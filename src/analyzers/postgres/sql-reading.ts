// gate parses SQL as UTF-8 text with standard_conforming_strings on. A client encoding whose
// multibyte characters may end in a quote or backslash byte (GBK, BIG5, SJIS ...) or startup
// options that change how literals are read (-c standard_conforming_strings=off) make the
// server see other statements than gate does, so SQL sent that way cannot be judged.
import type { Env } from '../types.js';
import type { Connection } from './pg-connection.js';

/** Encoding names as Postgres compares them: lower case, letters and digits only. */
const clean = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Client encodings in which the server tokenizes the text exactly as gate does. */
const SAME_READING = new Set(['utf8', 'unicode', 'sqlascii']);

/** The locale psql takes its encoding from (LC_ALL, then LC_CTYPE, then LANG). */
function ctypeLocale(env: Env): string | undefined {
  for (const name of ['LC_ALL', 'LC_CTYPE', 'LANG']) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Whether the locale's codeset reads like UTF-8 (C and POSIX give SQL_ASCII; macOS sets LC_CTYPE=UTF-8). */
function localeReadsSame(locale: string | undefined): boolean {
  if (locale === undefined || locale === 'C' || locale === 'POSIX') return true;
  const name = locale.split('@')[0]!;
  const codeset = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  return clean(codeset) === 'utf8';
}

/** Why the server may read the SQL differently from gate; undefined when it reads it the same. */
export function sqlReadingRisk(connection: Connection, env: Env): string | undefined {
  if (connection.options !== undefined) {
    return 'server options (PGOPTIONS or options=) may change how the SQL is read (standard_conforming_strings, encoding)';
  }
  if (connection.service !== undefined) {
    return `service ${connection.service} may set client_encoding or options that change how the SQL is read`;
  }
  const encoding = connection.clientEncoding;
  if (encoding !== undefined && clean(encoding) !== 'auto') {
    return SAME_READING.has(clean(encoding)) ? undefined : `client encoding ${encoding}: gate reads the SQL as UTF-8`;
  }
  // Without an explicit encoding psql at a terminal asks for the locale's (client_encoding=auto).
  const locale = ctypeLocale(env);
  return localeReadsSame(locale) ? undefined : `locale ${locale ?? ''} may select a client encoding in which gate cannot read the SQL`;
}
