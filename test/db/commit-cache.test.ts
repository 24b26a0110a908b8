/**
 * The commit cache (src/db/commit-cache.ts) serves balances and token checks
 * until something is committed. These tests write by every way the database
 * can be written (this connection, another connection of this process,
 * another process, inside a transaction that rolls back) and check that the
 * cached answer is always the one computed from the ledger at that moment.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { CommitCache, databaseVersion, FOREIGN_COMMIT_LAG_MS } from '../../src/db/commit-cache.js';
import * as schema from '../../src/db/schema.js';
import { computeBalance, getBalance } from '../../src/services/accounts.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import type { Ctx } from '../../src/services/context.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { addUser, authenticateToken } from '../../src/services/users.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const actor = cliActor('test');
const STATES = ['BEN', 'FRA', 'MEX'] as const;
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const OTHER_PROCESS = path.join(PROJECT_ROOT, 'test', 'db', 'fixtures', 'other-process.ts');

let env: TestEnv;
let key = 0;
/** Past FOREIGN_COMMIT_LAG_MS: another process's commit is seen by reads that start this long after it. */
const pastTheLag = () => new Promise((resolve) => setTimeout(resolve, FOREIGN_COMMIT_LAG_MS + 1));
const pay = (ctx: Ctx, iso3: string, amount: string, receivedOn = '2018-02-01') => recordPayment(ctx, actor, `cc-${++key}`, { iso3, amount, receivedOn });

function otherProcess(...args: string[]): void {
  const r = spawnSync(TSX, [OTHER_PROCESS, env.dbPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** A connection of the database file that this process's registry does not know: to SQLite, another process. */
function foreignCtx(): Ctx & { close(): void } {
  const sqlite = new Database(env.dbPath);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return { sqlite, db: drizzle(sqlite, { schema }), invoiceDir: env.ctx.invoiceDir, close: () => sqlite.close() };
}

beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, actor, [{ ...STATE_BEN, depositDate: '2010-01-10' }, STATE_FRA, STATE_MEX]);
    createScale(ctx, actor, SCALE_SMALL);
    createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());

const cents = (s: string) => BigInt(s.replace('.', ''));

describe('commit cache', () => {
  it('serves the same frozen answer until a write on the same connection, then the new one at once', () => {
    const before = getBalance(env.ctx, 'FRA');
    expect(getBalance(env.ctx, 'FRA')).toBe(before); // served from the cache: the very same object
    expect(Object.isFrozen(before) && Object.isFrozen(before.arrears)).toBe(true);
    pay(env.ctx, 'FRA', '100.00');
    const after = getBalance(env.ctx, 'FRA'); // same turn, no await
    expect(cents(before.outstanding) - cents(after.outstanding)).toBe(10000n);
    expect(after).toEqual(computeBalance(env.ctx, 'FRA', after.asOf));
  });

  it('sees a commit by another connection of this process at once', () => {
    const other = openDatabase(env.dbPath);
    try {
      const before = getBalance(env.ctx, 'MEX', '2018-12-31');
      pay({ ...other, invoiceDir: env.ctx.invoiceDir }, 'MEX', '250.00');
      const after = getBalance(env.ctx, 'MEX', '2018-12-31');
      expect(cents(before.outstanding) - cents(after.outstanding)).toBe(25000n);
    } finally {
      other.close();
    }
  });

  it('changes its version with every row written by any connection of this process, and has none while one is in a transaction', () => {
    const other = openDatabase(env.dbPath);
    try {
      other.sqlite.exec('CREATE TEMP TABLE scratch (x INTEGER)'); // a temporary table: invisible to data_version
      const v1 = databaseVersion(env.ctx.sqlite);
      other.sqlite.exec('INSERT INTO scratch VALUES (1)');
      const v2 = databaseVersion(env.ctx.sqlite);
      expect(v2).not.toBe(v1);
      expect(databaseVersion(env.ctx.sqlite)).toBe(v2);
      other.sqlite.exec('BEGIN');
      expect(databaseVersion(env.ctx.sqlite)).toBeNull();
      other.sqlite.exec('ROLLBACK');
      expect(databaseVersion(env.ctx.sqlite)).not.toBeNull();
    } finally {
      other.close();
    }
  });

  it('never gives an old version again when a connection closes (its rows no longer count)', () => {
    const rowsOfAPayment = () => {
      const count = env.ctx.sqlite.prepare('SELECT total_changes()').pluck();
      const before = count.get() as number;
      pay(env.ctx, 'FRA', '1.00');
      return (count.get() as number) - before;
    };
    const n = rowsOfAPayment();
    const other = openDatabase(env.dbPath);
    other.sqlite.exec('CREATE TEMP TABLE scratch (x INTEGER)');
    other.sqlite.prepare(`WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < ${n}) INSERT INTO scratch SELECT x FROM r`).run();
    const before = getBalance(env.ctx, 'FRA', '2018-12-31'); // cached with the other connection's n rows counted
    other.close(); // … which no longer count
    pay(env.ctx, 'FRA', '1.00'); // n rows of this connection, at once (data_version does not see them)
    expect(cents(before.outstanding) - cents(getBalance(env.ctx, 'FRA', '2018-12-31').outstanding)).toBe(100n);
  });

  it('sees a commit by another process on the next request', async () => {
    const url = '/api/v1/states/BEN/balance?asOf=2018-12-31';
    const before = (await env.app.inject({ url, headers: auth(env.tokens.finance) })).json();
    otherProcess('pay', 'BEN', '12.34', '2018-03-01', 'other-process-1');
    const after = (await env.app.inject({ url, headers: auth(env.tokens.finance) })).json();
    expect(cents(before.outstanding) - cents(after.outstanding)).toBe(1234n);
    expect(after).toEqual(computeBalance(env.ctx, 'BEN', '2018-12-31'));
  });

  it('refuses a token on the request after another process revoked it', async () => {
    const token = addUser(env.ctx, actor, { username: 'revoked-soon', role: 'presidency', state: null }).token;
    const url = '/api/v1/states/FRA/balance';
    expect((await env.app.inject({ url, headers: auth(token) })).statusCode).toBe(200);
    expect((await env.app.inject({ url, headers: auth(token) })).statusCode).toBe(200); // now cached
    otherProcess('revoke', token);
    expect((await env.app.inject({ url, headers: auth(token) })).statusCode).toBe(401);
    expect(authenticateToken(env.ctx, token)).toBeNull();
  });

  it('serves nothing from the cache inside a transaction, and keeps nothing of one that rolled back', () => {
    const before = getBalance(env.ctx, 'FRA', '2018-12-31');
    let inside: { outstanding: string } | undefined;
    expect(() =>
      env.ctx.sqlite.transaction(() => {
        pay(env.ctx, 'FRA', '1000.00');
        inside = getBalance(env.ctx, 'FRA', '2018-12-31');
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(cents(before.outstanding) - cents(inside!.outstanding)).toBe(100000n);
    expect(getBalance(env.ctx, 'FRA', '2018-12-31')).toEqual(before);
    expect(getBalance(env.ctx, 'FRA', '2018-12-31')).toEqual(computeBalance(env.ctx, 'FRA', '2018-12-31'));
  });

  it('starts again empty when full', () => {
    const cache = new CommitCache<number>(env.ctx.sqlite, 3);
    for (const k of ['a', 'b', 'c', 'a']) cache.get(k, () => 1);
    expect([cache.hits, cache.misses]).toEqual([1, 3]);
    cache.get('d', () => 1); // the fourth key: the cache starts again with d only
    cache.get('a', () => 1);
    expect([cache.hits, cache.misses]).toEqual([1, 5]);
  });

  it('always answers what the ledger says, whoever writes (property)', async () => {
    const second = openDatabase(env.dbPath);
    const secondCtx: Ctx = { ...second, invoiceDir: env.ctx.invoiceDir };
    const foreign = foreignCtx();
    const dates = ['2017-12-31', '2018-02-01', '2018-06-30', undefined] as const;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.record({ t: fc.constant('read' as const), state: fc.nat(2), date: fc.nat(3), via: fc.constantFrom('main' as const, 'second' as const) }),
              fc.record({ t: fc.constant('pay' as const), state: fc.nat(2), cents: fc.integer({ min: 1, max: 500_000 }), via: fc.constantFrom('main' as const, 'second' as const, 'foreign' as const) }),
            ),
            { minLength: 1, maxLength: 30 },
          ),
          async (ops) => {
            for (const op of ops) {
              const iso3 = STATES[op.state]!;
              if (op.t === 'pay') {
                const amount = `${Math.floor(op.cents / 100)}.${String(op.cents % 100).padStart(2, '0')}`;
                pay(op.via === 'main' ? env.ctx : op.via === 'second' ? secondCtx : foreign, iso3, amount, '2018-02-01');
                if (op.via === 'foreign') await pastTheLag();
              } else {
                const ctx = op.via === 'main' ? env.ctx : secondCtx;
                const asOf = dates[op.date];
                const got = getBalance(ctx, iso3, asOf);
                expect(got).toEqual(computeBalance(ctx, iso3, got.asOf));
              }
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      second.close();
      foreign.close();
    }
  });
});
