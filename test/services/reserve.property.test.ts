/**
 * Property: for random sequences of reserve contributions, transfers,
 * expenditures, receipts, drawdowns and restorations (valid or not), the
 * reserve never goes below zero, what is outstanding equals drawdowns minus
 * restorations, refused operations write nothing, and the ledger verifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from '../../src/domain/money.js';
import { cliActor } from '../../src/services/actor.js';
import { ServiceError } from '../../src/services/errors.js';
import { recordPayment } from '../../src/services/payments.js';
import { addReserveContribution, drawDown, getReserve, operatingCash, recordExpenditure, reserveBalance, restore } from '../../src/services/reserve.js';
import { verifyLedger } from '../../src/services/verify.js';
import { makeEnv, rowCounts } from '../helpers.js';

const actor = cliActor('property');
const amount = fc.oneof(fc.bigInt(1n, 10_000n), fc.bigInt(1n, 50_000_000n));
const op = fc.oneof(
  fc.record({ t: fc.constant('contribute' as const), amount, transfer: fc.boolean() }),
  fc.record({ t: fc.constant('spend' as const), amount }),
  fc.record({ t: fc.constant('receive' as const), amount }),
  fc.record({ t: fc.constant('drawdown' as const), amount, exact: fc.boolean() }),
  fc.record({ t: fc.constant('restore' as const), amount, all: fc.boolean() }),
);

describe('reserve (property)', () => {
  it('never goes negative, keeps outstanding = drawdowns − restorations, and verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(op, fc.nat(20)), { minLength: 1, maxLength: 30 }), async (ops) => {
        const env = await makeEnv(undefined, { users: false });
        try {
          let day = 0;
          let key = 0;
          for (const [o, gap] of ops) {
            day += gap;
            const d = new Date(Date.UTC(2018, 0, 1 + day)).toISOString().slice(0, 10);
            const before = rowCounts(env.ctx);
            try {
              if (o.t === 'contribute')
                addReserveContribution(env.ctx, actor, { date: d, amount: formatMoney(o.amount), donor: 'X', kind: o.transfer ? 'transfer' : 'contribution', description: 'test' });
              else if (o.t === 'spend') recordExpenditure(env.ctx, actor, { date: d, amount: formatMoney(o.amount), description: 'test' });
              else if (o.t === 'receive') recordPayment(env.ctx, actor, `k${++key}`, { donor: 'D', amount: formatMoney(o.amount), receivedOn: d, purpose: 'voluntary' });
              else if (o.t === 'drawdown') {
                const gapNow = -operatingCash(env.ctx, d);
                const a = o.exact && gapNow > 0n ? gapNow : o.amount;
                drawDown(env.ctx, actor, { date: d, amount: formatMoney(a), reason: 'test' });
              } else {
                const owed = parseMoney(getReserve(env.ctx, d).totalOutstanding);
                const a = o.all && owed > 0n ? owed : o.amount;
                restore(env.ctx, actor, { date: d, amount: formatMoney(a) });
              }
            } catch (e) {
              if (!(e instanceof ServiceError)) throw e;
              expect(rowCounts(env.ctx)).toEqual(before); // a refusal writes nothing
            }
            expect(reserveBalance(env.ctx, d)).toBeGreaterThanOrEqual(0n);
          }
          const q = (sql: string) => (env.ctx.sqlite.prepare(sql).safeIntegers(true).get() as { v: bigint }).v;
          const drawn = q("SELECT COALESCE(SUM(amount_centimes), 0) AS v FROM reserve_movements WHERE kind = 'drawdown'");
          const restored = q("SELECT COALESCE(SUM(amount_centimes), 0) AS v FROM reserve_movements WHERE kind = 'restoration'");
          expect(parseMoney(getReserve(env.ctx, '2099-12-31').totalOutstanding)).toBe(drawn - restored);
          expect(restored).toBeLessThanOrEqual(drawn);
          expect(verifyLedger(env.ctx).checks.filter((c) => !c.ok)).toEqual([]);
        } finally {
          await env.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 240_000);
});
