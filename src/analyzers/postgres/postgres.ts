// Analyzers for the Postgres client programs: psql (SQL classified statement by statement with
// libpg-query) and the database tools pg_dump, pg_dumpall, pg_restore, dropdb, createdb.
import type { Analyzer } from '../types.js';
import { analyzePgTools } from './pg-tools.js';
import { analyzePsql } from './psql.js';

export const analyzers: Record<string, Analyzer> = {
  psql: analyzePsql,
  ...analyzePgTools,
};
