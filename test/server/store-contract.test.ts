// One store suite, two backends: the embedded SQLite store and the Postgres store (a real
// PostgreSQL server, see test/support/postgres-setup.ts) must behave the same for everything
// the server relies on, concurrency included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { copySqliteToPostgres } from '../../src/server/store/copy-store.js';
import { openSqliteDatabase } from '../../src/server/store/sqlite-driver.js';
import type { RequestEvent, RequestView } from '../../src/approval/api-types.js';
import { openPostgresStore } from '../../src/server/store/postgres-store.js';
import { openSqliteStore } from '../../src/server/store/sqlite-store.js';
import type { EventFor, IdentityRecord, RequestChange, Store, StoredRequest } from '../../src/server/store/store.js';
import { createDatabase } from '../support/pg-cluster.js';
import { T0 } from './server-fixture.js';

const backends: Array<[string, () => Promise<Store>]> = [
  ['sqlite', async () => openSqliteStore(':memory:', T0)],
  ['postgres', async () => openPostgresStore(await createDatabase(inject('postgresUrl')), T0)],
];

const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();
const body = (id: string, actor = 'rita') => ({ id, digest: `d-${id}`, actor, host: 'h', cwd: '/', program: 'p', argv: ['p', "it's"], reason: null, risk: 'low' as const, rules: [], facts: [], labels: [], confirm: null });
const stored = (id: string, over: Partial<StoredRequest> = {}): StoredRequest => ({ body: body(id), requester: 'rita', status: 'pending', required: { groups: ['ops'], min: 2 }, created_at: T0.toISOString(), expires_at: iso(60_000), decided_at: null, redeemed_at: null, token_jti: null, votes: [], ...over });
const event = (type: RequestEvent['type'], request: StoredRequest): RequestEvent => ({ type, request: { id: request.body.id, status: request.status, votes: request.votes } as unknown as RequestView });
const announce: EventFor = (before, after) => (before?.status === after.status && before.votes.length === after.votes.length ? null : event(after.status === 'pending' ? 'request.voted' : `request.${after.status}` as RequestEvent['type'], after));
const person = (name: string, over: Partial<IdentityRecord> = {}): IdentityRecord => ({ name, role: 'reviewer', groups: ['ops'], token_hash: name.padEnd(64, '0'), created_at: T0.toISOString(), ...over });

/** The lifecycle's quorum rule in miniature: approve with a vote; approved at two. */
const vote = (reviewer: string, at: string) => (current: StoredRequest): RequestChange => {
  if (current.status !== 'pending') throw new Error(`not pending: ${current.status}`);
  if (current.votes.some((v) => v.reviewer === reviewer)) throw new Error('already voted');
  const approvals = current.votes.length + 1;
  return { at, status: approvals >= current.required.min ? 'approved' : 'pending', ...(approvals >= current.required.min ? { decided_at: at } : {}), vote: { reviewer, decision: 'approve', comment: null, via: 'api', at } };
};

describe.each(backends)('%s store', (_name, open) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  it('keeps identities: unique names, tokens and emails; OIDC refresh never takes over a CLI identity', async () => {
    store = await open();
    expect(await store.addIdentity(person('alice', { email: 'alice@example.com' }))).toBe(true);
    expect(await store.addIdentity(person('alice'))).toBe(false);
    await expect(store.addIdentity(person('eve', { email: 'alice@example.com' }))).rejects.toThrow();
    expect(await store.addIdentity(person('bob', { role: 'requester', groups: [] }))).toBe(true);
    expect((await store.listIdentities()).map((i) => i.name)).toEqual(['alice', 'bob']);
    expect(await store.findIdentityByTokenHash('alice'.padEnd(64, '0'))).toMatchObject({ name: 'alice', groups: ['ops'], origin: 'cli', email: 'alice@example.com' });
    expect(await store.findIdentityByEmail('alice@example.com')).toMatchObject({ name: 'alice' });
    expect(await store.findIdentityByName('nobody')).toBeNull();
    expect(await store.saveOidcIdentity(person('alice', { groups: ['root'], origin: 'oidc' }))).toBeNull();
    expect((await store.findIdentityByName('alice'))!.groups).toEqual(['ops']);
    expect(await store.saveOidcIdentity(person('dana@example.com', { email: 'dana@example.com', origin: 'oidc' }))).toMatchObject({ origin: 'oidc', groups: ['ops'] });
    expect(await store.saveOidcIdentity(person('dana@example.com', { email: 'dana@example.com', groups: ['dba'], token_hash: 'x'.repeat(64), origin: 'oidc' }))).toMatchObject({ groups: ['dba'] });
    expect(await store.setIdentityEmail('bob', 'bob@example.com')).toBe(true);
    expect(await store.setIdentityEmail('nobody', 'x@example.com')).toBe(false);
    expect(await store.findIdentityByEmail('bob@example.com')).toMatchObject({ name: 'bob' });
    expect(await store.removeIdentity('bob')).toBe(true);
    expect(await store.removeIdentity('bob')).toBe(false);
  });

  it('inserts a request once with its event, lists newest first with votes, filters by status and requester', async () => {
    store = await open();
    const first = await store.insertRequest(stored('r1'), event('request.created', stored('r1')));
    expect(first).toEqual({ id: expect.any(Number), event: event('request.created', stored('r1')) });
    expect(await store.insertRequest(stored('r1'), event('request.created', stored('r1')))).toBeNull();
    await store.insertRequest(stored('r2', { created_at: iso(1000), requester: 'sam', body: body('r2', 'sam') }), event('request.created', stored('r2')));
    await store.updateRequest('r1', vote('alice', iso(2000)), announce);
    const [newest, older] = await store.listRequests({ status: 'all', limit: 10 });
    expect([newest!.body.id, older!.body.id]).toEqual(['r2', 'r1']);
    expect(older).toMatchObject({ body: body('r1'), required: { groups: ['ops'], min: 2 }, votes: [{ reviewer: 'alice', decision: 'approve', comment: null, via: 'api', at: iso(2000) }] });
    expect(older!.votes[0]).not.toHaveProperty('token');
    expect((await store.listRequests({ status: 'pending', requester: 'sam', limit: 10 })).map((r) => r.body.id)).toEqual(['r2']);
    expect(await store.listRequests({ status: 'approved', limit: 10 })).toEqual([]);
    expect(await store.listRequests({ status: 'all', limit: 1 })).toHaveLength(1);
    expect(await store.countByStatus()).toEqual({ pending: 2, approved: 0, denied: 0, expired: 0, cancelled: 0, redeemed: 0 });
    expect(await store.getRequest('r1')).toMatchObject({ status: 'pending', votes: [{ reviewer: 'alice' }] });
    expect(await store.getRequest('missing')).toBeNull();
  });

  it('applies an update with its event atomically; a throwing change writes nothing; null changes nothing', async () => {
    store = await open();
    const created = await store.insertRequest(stored('r1'), event('request.created', stored('r1')));
    await expect(store.updateRequest('r1', () => { throw new Error('refused'); }, announce)).rejects.toThrow('refused');
    expect(await store.updateRequest('r1', () => null, announce)).toMatchObject({ logged: null, after: { status: 'pending' } });
    expect(await store.eventsAfter(created!.id, 10)).toEqual([]);
    const voted = await store.updateRequest('r1', vote('alice', iso(1)), announce);
    expect(voted).toMatchObject({ before: { votes: [] }, after: { status: 'pending', votes: [{ reviewer: 'alice' }] }, logged: { id: expect.any(Number), event: { type: 'request.voted' } } });
    const approved = await store.updateRequest('r1', vote('carol', iso(2)), announce);
    expect(approved!.after).toMatchObject({ status: 'approved', decided_at: iso(2) });
    expect(approved!.logged!.id).toBeGreaterThan(voted!.logged!.id);
    const redeemed = await store.updateRequest('r1', () => ({ at: iso(3), status: 'redeemed', redeemed_at: iso(3), token_jti: 'j1' }), announce);
    expect(redeemed!.after).toMatchObject({ status: 'redeemed', redeemed_at: iso(3), token_jti: 'j1', decided_at: iso(2) });
    expect((await store.eventsAfter(0, 10)).map((e) => e.event.type)).toEqual(['request.created', 'request.voted', 'request.approved', 'request.redeemed']);
    expect(await store.updateRequest('missing', vote('alice', iso(4)), announce)).toBeNull();
  });

  it('keeps a vote\'s reviewer token, and finds what is due to expire', async () => {
    store = await open();
    await store.insertRequest(stored('r1', { required: { groups: [], min: 1 } }), event('request.created', stored('r1')));
    await store.insertRequest(stored('r2', { expires_at: iso(-1) }), event('request.created', stored('r2')));
    await store.updateRequest('r1', () => ({ at: iso(1), status: 'approved', decided_at: iso(1), vote: { reviewer: 'alice', decision: 'approve', comment: 'ok', via: 'review', at: iso(1), token: 'eyJ.reviewer.token' } }), announce);
    expect((await store.getRequest('r1'))!.votes).toEqual([{ reviewer: 'alice', decision: 'approve', comment: 'ok', via: 'review', at: iso(1), token: 'eyJ.reviewer.token' }]);
    expect(await store.dueForExpiry(iso(0), ['pending'])).toEqual(['r2']);
    expect(await store.dueForExpiry(iso(120_000), ['pending', 'approved'])).toEqual(['r2', 'r1']);
    expect(await store.dueForExpiry(iso(0), [])).toEqual([]);
  });

  it('counts a quorum once under racing votes: exactly one update approves', async () => {
    store = await open();
    await store.insertRequest(stored('race'), event('request.created', stored('race')));
    const reviewers = Array.from({ length: 8 }, (_, i) => `rev${i}`);
    const results = await Promise.allSettled(reviewers.map((r, i) => store.updateRequest('race', vote(r, iso(i + 1)), announce)));
    const approvedBy = results.filter((r) => r.status === 'fulfilled' && r.value?.after.status === 'approved' && r.value.before.status === 'pending');
    expect(approvedBy).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const final = await store.getRequest('race');
    expect(final).toMatchObject({ status: 'approved' });
    expect(final!.votes).toHaveLength(2);
    expect((await store.eventsAfter(0, 100)).filter((e) => e.event.type === 'request.approved')).toHaveLength(1);
  });

  it('hands out event ids in commit order, prunes the oldest, never reuses an id', async () => {
    store = await open();
    const ids: number[] = [];
    // Concurrent inserts: whatever order they commit in, the log reads back in id order with no holes.
    const logged = await Promise.all(Array.from({ length: 12 }, (_, i) => store.insertRequest(stored(`e${i}`), event('request.created', stored(`e${i}`)))));
    for (const l of logged) ids.push(l!.id);
    const read = (await store.eventsAfter(0, 100)).map((e) => e.id);
    expect(read).toEqual([...ids].sort((a, b) => a - b));
    expect(read.at(-1)! - read[0]!).toBe(11);
    expect(await store.lastEventId()).toBe(read.at(-1));
    await store.pruneEvents(3);
    expect((await store.eventsAfter(0, 100)).map((e) => e.id)).toEqual(read.slice(-3));
    expect((await store.insertRequest(stored('next'), event('request.created', stored('next'))))!.id).toBe(read.at(-1)! + 1);
    expect(await store.eventsAfter(read.at(-1)! + 1, 10)).toEqual([]);
  });

  it('keeps audit heads per host and actor, with a change function', async () => {
    store = await open();
    const head = { host: 'h', actor: 'rita', seq: 3, hash: 'a'.repeat(64), at: iso(1), received_at: iso(2), received_by: 'rita' };
    expect(await store.getAuditHead('h', 'rita')).toBeNull();
    expect(await store.updateAuditHead('h', 'rita', (current) => (current ? null : head))).toEqual(head);
    expect(await store.updateAuditHead('h', 'rita', () => null)).toEqual(head);
    expect(await store.updateAuditHead('h', 'rita', (current) => ({ ...current!, seq: 9, hash: 'b'.repeat(64) }))).toMatchObject({ seq: 9 });
    expect(await store.getAuditHead('h', 'rita')).toEqual({ ...head, seq: 9, hash: 'b'.repeat(64) });
  });

  it('keeps the channels\' records: links, messages, a webhook queue unique per target and event, cursors that only move forward', async () => {
    store = await open();
    await store.addIdentity(person('alice'));
    expect(await store.addIdentityLink({ kind: 'slack', value: 'UALICE', identity: 'alice', created_at: iso(0) })).toBe(true);
    expect(await store.addIdentityLink({ kind: 'slack', value: 'UALICE', identity: 'alice', created_at: iso(0) })).toBe(false);
    expect(await store.findIdentityByLink('slack', 'UALICE')).toMatchObject({ name: 'alice', groups: ['ops'] });
    expect(await store.listIdentityLinks()).toEqual([{ kind: 'slack', value: 'UALICE', identity: 'alice', created_at: iso(0) }]);
    await store.putChannelMessage('slack', 'r1', { channel: 'C1', ts: '1.0' }, iso(1));
    await store.putChannelMessage('slack', 'r1', { channel: 'C1', ts: '2.0' }, iso(2));
    expect(await store.getChannelMessage('slack', 'r1')).toEqual({ channel: 'C1', ts: '2.0' });
    expect(await store.getChannelMessage('teams', 'r1')).toBeNull();
    const delivery = { target: 'https://hook', seq: 7, event_id: 'ev', type: 'request.created', body: '{}', next_attempt_at: iso(5), created_at: iso(0) };
    const [queued] = await store.enqueueDeliveries([delivery]);
    expect(queued).toMatchObject({ id: expect.any(Number), seq: 7, status: 'pending', attempts: 0, last_error: null });
    expect(await store.enqueueDeliveries([delivery])).toEqual([]);
    expect(await store.pendingDeliveries(10)).toEqual([queued]);
    await store.updateDelivery(queued!.id, { status: 'failed', attempts: 3, next_attempt_at: iso(9), last_error: 'HTTP 500' });
    expect(await store.pendingDeliveries(10)).toEqual([]);
    expect(await store.pruneFailedDeliveries(iso(1))).toBe(1);
    expect(await store.getChannelCursor('webhook')).toBeNull();
    await store.setChannelCursor('webhook', 5);
    await store.setChannelCursor('webhook', 3);
    expect(await store.getChannelCursor('webhook')).toBe(5);
    // Removing an identity removes its links.
    await store.removeIdentity('alice');
    expect(await store.listIdentityLinks()).toEqual([]);
  });

  it('keeps web sessions by hash: found until removed, all of one identity at once, gone with the identity', async () => {
    store = await open();
    await store.addIdentity(person('alice'));
    await store.addIdentity(person('bob'));
    const session = (sid: string, identity: string, expires: number) => ({ sid_hash: sid.padEnd(64, 'f'), identity, method: 'token' as const, created_at: iso(0), expires_at: iso(expires) });
    await store.addWebSession(session('a1', 'alice', 10_000), iso(0));
    await store.addWebSession(session('a2', 'alice', 10_000), iso(0));
    await store.addWebSession(session('b1', 'bob', 10_000), iso(0));
    await store.addWebSession(session('old', 'bob', 5), iso(0));
    expect(await store.countWebSessions(iso(100))).toEqual({ alice: 2, bob: 1 });
    // A sign-in forgets sessions that have expired by then.
    await store.addWebSession(session('b2', 'bob', 10_000), iso(100));
    expect(await store.findWebSession('old'.padEnd(64, 'f'))).toBeNull();
    expect(await store.findWebSession('a1'.padEnd(64, 'f'))).toEqual(session('a1', 'alice', 10_000));
    expect(await store.removeWebSession('a1'.padEnd(64, 'f'))).toBe(true);
    expect(await store.removeWebSession('a1'.padEnd(64, 'f'))).toBe(false);
    expect(await store.removeWebSessions('bob')).toBe(2);
    await store.removeIdentity('alice');
    expect(await store.countWebSessions(iso(100))).toEqual({});
  });

  it('says where it is without a password', async () => {
    store = await open();
    expect(store.location).not.toMatch(/:[^/@:]+@/);
  });
});

describe('copying a SQLite store into Postgres', () => {
  it('carries every record over, ids included, and new events continue after the last one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-copy-'));
    try {
      const file = join(dir, 'server.db');
      const source = openSqliteStore(file, T0);
      await source.addIdentity(person('alice', { email: 'alice@example.com' }));
      await source.addIdentityLink({ kind: 'slack', value: 'UALICE', identity: 'alice', created_at: iso(0) });
      for (const id of ['c1', 'c2', 'c3']) await source.insertRequest(stored(id), event('request.created', stored(id)));
      await source.updateRequest('c2', vote('alice', iso(1)), announce);
      await source.pruneEvents(3);
      await source.enqueueDeliveries([{ target: 'https://hook', seq: 4, event_id: 'e4', type: 'request.voted', body: '{}', next_attempt_at: iso(1), created_at: iso(1) }]);
      await source.updateAuditHead('h', 'rita', () => ({ host: 'h', actor: 'rita', seq: 1, hash: 'a'.repeat(64), at: iso(1), received_at: iso(1), received_by: 'rita' }));
      const before = { requests: await source.listRequests({ status: 'all', limit: 10 }), events: await source.eventsAfter(0, 10), deliveries: await source.pendingDeliveries(10) };
      await source.close();

      const url = await createDatabase(inject('postgresUrl'));
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const db = openSqliteDatabase(file);
      const counts = await copySqliteToPostgres(db, sql, iso(2));
      db.close();
      await sql.end();
      expect(counts).toMatchObject({ identities: 1, requests: 3, votes: 1, events: 3, identity_links: 1, webhook_deliveries: 1, audit_heads: 1 });

      const target = await openPostgresStore(url, T0);
      try {
        expect(await target.listRequests({ status: 'all', limit: 10 })).toEqual(before.requests);
        expect(await target.eventsAfter(0, 10)).toEqual(before.events);
        expect(await target.pendingDeliveries(10)).toEqual(before.deliveries);
        expect(await target.findIdentityByLink('slack', 'UALICE')).toMatchObject({ name: 'alice' });
        const next = await target.insertRequest(stored('c4'), event('request.created', stored('c4')));
        expect(next!.id).toBe(before.events.at(-1)!.id + 1);
      } finally {
        await target.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
