// Redaction of secrets in argv and text.
import { describe, expect, it } from 'vitest';
import { redactArgv, redactText } from '../../src/policy/redact.js';

describe('redaction', () => {
  it('masks values of secret flags in both spellings', () => {
    expect(redactArgv(['tool', '--password=hunter2', '--token', 'abc', '--client-secret', 'x', '--api-key=k'])).toEqual(['tool', '--password=***', '--token', '***', '--client-secret', '***', '--api-key=***']);
  });
  it('masks credentials in URLs and conninfo strings', () => {
    expect(redactText('postgres://app:pw@db/app')).toBe('postgres://app:***@db/app');
    expect(redactText('https://user:tok@github.com/x.git')).toBe('https://user:***@github.com/x.git');
    expect(redactText('host=db password=secret dbname=app')).toBe('host=db password=*** dbname=app');
  });
  it('masks AWS secret keys, bearer tokens, JWTs and secret env assignments', () => {
    expect(redactText('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('***');
    expect(redactText('Authorization: Bearer abcdef123456')).toBe('Authorization: Bearer ***');
    expect(redactText('eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe('***');
    expect(redactText('GITHUB_TOKEN=ghp_123 AWS_SECRET_ACCESS_KEY=abc ls')).toBe('GITHUB_TOKEN=*** AWS_SECRET_ACCESS_KEY=*** ls');
  });
  it('masks passwords in SQL role statements', () => {
    expect(redactText("ALTER USER app WITH ENCRYPTED PASSWORD 'it''s-secret'")).toBe("ALTER USER app WITH ENCRYPTED PASSWORD '***'");
    expect(redactText('create role x password $$p$$')).toBe("create role x password '***'");
  });
  it('masks program-specific password flags and user:password pairs', () => {
    expect(redactArgv(['curl', '-u', 'admin:hunter2', 'https://x'])).toEqual(['curl', '-u', 'admin:***', 'https://x']);
    expect(redactArgv(['docker', 'login', '-u', 'me', '-p', 'hunter2'])).toEqual(['docker', 'login', '-u', 'me', '-p', '***']);
    expect(redactArgv(['mysql', '-phunter2', '-h', 'db'])).toEqual(['mysql', '-p***', '-h', 'db']);
    expect(redactArgv(['gh', 'secret', 'set', 'X', '--body', 'hunter2'])).toEqual(['gh', 'secret', 'set', 'X', '--body', '***']);
    expect(redactArgv(['kubectl', 'create', 'secret', 'generic', 's', '--from-literal=token=hunter2'])).toEqual(['kubectl', 'create', 'secret', 'generic', 's', '--from-literal=token=***']);
    expect(redactArgv(['psql', '-p', '5432'])).toEqual(['psql', '-p', '5432']);
  });
  it('masks well-known token formats', () => {
    for (const token of ['hvs.CAESIJabcdefghijklmnopqrstu', 'ghp_abcdefghijklmnopqrstuvwxyz0123', 'xoxb-1234567890-abcdefghij', 'glpat-abcdefghijklmnopqrst']) {
      expect(redactText(`vault login ${token}`)).toBe('vault login ***');
    }
  });
  it('leaves ordinary arguments alone, git shas included', () => {
    const argv = ['git', 'reset', '--hard', '3f786850e387550fdab836ed7e6dc881de23001b', '-n', 'prod', '--port=5432'];
    expect(redactArgv(argv)).toEqual(argv);
  });
});
