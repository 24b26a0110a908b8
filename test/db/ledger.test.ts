import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, UnbalancedEntryError, reversalOf } from '../../src/domain/ledger.js';
import { postEntry } from '../../src/db/repositories/ledger.js';
import { cliActor } from '../../src/services/actor.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { makeEnv, rowCounts, STATE_FRA, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv((ctx) => importStates(ctx, cliActor('test'), [STATE_FRA]), { users: false });
});
afterAll(() => env.close());

const actor = cliActor('test');
const invoiceLike = {
  entryDate: '2017-09-15',
  kind: 'test.invoice',
  description: 'test',
  postings: [
    { account: ACCOUNTS.receivable, amountCentimes: 123_45n, stateIso3: 'FRA', budgetYear: 2018, category: '7(a)' },
    { account: ACCOUNTS.assessedIncome, amountCentimes: -123_45n, budgetYear: 2018, category: '7(a)' },
  ],
};

describe('the ledger', () => {
  it('writes balanced entries with bigint centimes and verify stays green', () => {
    const id = env.ctx.db.transaction((tx) => postEntry(tx, actor, invoiceLike));
    const rows = env.ctx.sqlite.prepare('SELECT amount_centimes FROM postings WHERE entry_id = ?').safeIntegers(true).all(id) as { amount_centimes: bigint }[];
    expect(rows.map((r) => r.amount_centimes)).toEqual([12345n, -12345n]);
    const rev = env.ctx.db.transaction((tx) => postEntry(tx, actor, reversalOf({ ...invoiceLike, id }, '2017-10-01', 'reversal')));
    expect(rev).toBeGreaterThan(id);
    expect(verifyLedger(env.ctx).ok).toBe(true);
  });

  it('refuses an unbalanced or one-sided entry and rolls the whole transaction back', () => {
    const before = rowCounts(env.ctx);
    expect(() =>
      env.ctx.db.transaction((tx) =>
        postEntry(tx, actor, { ...invoiceLike, postings: [invoiceLike.postings[0]!, { ...invoiceLike.postings[1]!, amountCentimes: -12344n }] }),
      ),
    ).toThrow(UnbalancedEntryError);
    expect(() => env.ctx.db.transaction((tx) => postEntry(tx, actor, { ...invoiceLike, postings: [invoiceLike.postings[0]!] }))).toThrow(UnbalancedEntryError);
    expect(() =>
      env.ctx.db.transaction((tx) => {
        postEntry(tx, actor, invoiceLike);
        postEntry(tx, actor, { ...invoiceLike, postings: [{ ...invoiceLike.postings[0]!, amountCentimes: 0n }, { ...invoiceLike.postings[1]!, amountCentimes: 0n }] });
      }),
    ).toThrow(UnbalancedEntryError);
    expect(rowCounts(env.ctx)).toEqual(before);
  });

  it('is append-only in the database itself', () => {
    expect(() => env.ctx.sqlite.prepare('UPDATE postings SET amount_centimes = amount_centimes + 1').run()).toThrow(/append-only/);
    expect(() => env.ctx.sqlite.prepare('DELETE FROM postings').run()).toThrow(/append-only/);
    expect(() => env.ctx.sqlite.prepare("UPDATE journal_entries SET description = 'x'").run()).toThrow(/append-only/);
    expect(() => env.ctx.sqlite.prepare('DELETE FROM journal_entries').run()).toThrow(/append-only/);
    expect(() => env.ctx.sqlite.prepare("UPDATE accounts SET name = 'x'").run()).toThrow(/migration/);
  });

  it('refuses postings to unknown accounts or States (foreign keys) and zero postings (check)', () => {
    const entry = env.ctx.sqlite.prepare("INSERT INTO journal_entries (entry_date, kind, description, actor) VALUES ('2018-01-01', 'x', 'x', 'x')");
    expect(() =>
      env.ctx.sqlite.transaction(() => {
        const { lastInsertRowid } = entry.run();
        env.ctx.sqlite.prepare("INSERT INTO postings (entry_id, account_code, amount_centimes) VALUES (?, '9999', 1)").run(lastInsertRowid);
      })(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      env.ctx.sqlite.transaction(() => {
        const { lastInsertRowid } = entry.run();
        env.ctx.sqlite.prepare("INSERT INTO postings (entry_id, account_code, amount_centimes) VALUES (?, '1000', 0)").run(lastInsertRowid);
      })(),
    ).toThrow(/CHECK/);
  });

  it('verify reports a one-sided entry forced in with raw SQL', () => {
    const { lastInsertRowid } = env.ctx.sqlite.prepare("INSERT INTO journal_entries (entry_date, kind, description, actor) VALUES ('2018-01-01', 'forged', 'x', 'x')").run();
    env.ctx.sqlite.prepare("INSERT INTO postings (entry_id, account_code, state_iso3, amount_centimes) VALUES (?, '1100', NULL, 5)").run(lastInsertRowid);
    const report = verifyLedger(env.ctx);
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual([
      'every journal entry balances',
      'every journal entry has at least two postings',
      'the trial balance is zero',
      'receivable and unapplied-credit postings name their State',
      "each State's balance equals the sum of its receivable postings",
    ]);
  });
});
