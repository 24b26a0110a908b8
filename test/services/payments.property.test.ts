/**
 * Property: for random sequences of invoice batches, payments (to the oldest
 * invoices, to a named one, by creditor reference, overpaying), credit
 * applications, reclassifications and cancellations, applied amounts never
 * exceed invoice amounts, each State's applications plus unapplied credit plus
 * reclassified credit equal its assessed payments, and `isu verify` passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { ServiceError } from '../../src/services/errors.js';
import { cancelInvoice, issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { unappliedCredit } from '../../src/services/applications.js';
import { applyCredit, reclassifyCredit, recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { formatMoney } from '../../src/domain/money.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX } from '../helpers.js';

const STATES = ['BEN', 'FRA', 'MEX'] as const;
const actor = cliActor('property');

type Op =
  | { t: 'issue'; year: 2016 | 2017 | 2018 }
  | { t: 'pay'; state: number; amount: bigint; how: 'oldest' | 'named' | 'reference' }
  | { t: 'apply'; state: number; invoice: number }
  | { t: 'reclassify'; state: number; part: number; to: 'voluntary' | 'reserve' }
  | { t: 'cancel'; invoice: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('issue' as const), year: fc.constantFrom(2016 as const, 2017 as const, 2018 as const) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('pay' as const),
      state: fc.nat(2),
      amount: fc.oneof(fc.bigInt(1n, 50_000n), fc.bigInt(1n, 40_000_000n)),
      how: fc.constantFrom('oldest' as const, 'named' as const, 'reference' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('apply' as const), state: fc.nat(2), invoice: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reclassify' as const), state: fc.nat(2), part: fc.integer({ min: 1, max: 100 }), to: fc.constantFrom('voluntary' as const, 'reserve' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), invoice: fc.nat(20) }) },
);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('payment application (property)', () => {
  it('never over-applies, conserves every centime received, and keeps the ledger verified', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(op, fc.nat(30)), { minLength: 1, maxLength: 25 }), async (ops) => {
        const env = await makeEnv(
          (ctx) => {
            importStates(ctx, actor, [{ ...STATE_BEN, depositDate: '2010-01-10' }, STATE_FRA, STATE_MEX]);
            createScale(ctx, actor, SCALE_SMALL);
            for (const year of [2016, 2017, 2018])
              createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year, amount: '100000.00', approvedOn: `2015-09-0${year - 2015}`, cutoffDate: `${year}-03-31` }));
            setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
          },
          { users: false },
        );
        try {
          let today = '2015-10-01';
          let key = 0;
          for (const [o, days] of ops) {
            today = addDays(today, days);
            const invoices = listInvoices(env.ctx, {}, null);
            try {
              if (o.t === 'issue') await issueInvoiceBatch(env.ctx, actor, o.year, { issueDate: today });
              else if (o.t === 'pay') {
                const iso3 = STATES[o.state]!;
                const own = invoices.filter((i) => i.iso3 === iso3 && i.status === 'issued');
                const target = own[o.state % Math.max(own.length, 1)];
                recordPayment(env.ctx, actor, `p-${++key}`, {
                  iso3,
                  amount: formatMoney(o.amount),
                  receivedOn: today,
                  ...(o.how === 'named' && target ? { invoice: target.number } : {}),
                  ...(o.how === 'reference' && target ? { reference: target.creditorReference } : {}),
                });
              } else if (o.t === 'apply') {
                const iso3 = STATES[o.state]!;
                const own = invoices.filter((i) => i.iso3 === iso3);
                if (own.length) applyCredit(env.ctx, actor, iso3, { invoice: own[o.invoice % own.length]!.number, date: today });
              } else if (o.t === 'reclassify') {
                const iso3 = STATES[o.state]!;
                const available = unappliedCredit(env.ctx, iso3);
                const amount = (available * BigInt(o.part)) / 100n;
                if (amount > 0n) reclassifyCredit(env.ctx, actor, iso3, { amount: formatMoney(amount), to: o.to, date: today });
              } else if (o.t === 'cancel' && invoices.length) {
                await cancelInvoice(env.ctx, actor, invoices[o.invoice % invoices.length]!.number, { reason: 'property test', date: today });
              }
            } catch (e) {
              // Refusals (nothing to apply, already cancelled, a named invoice issued later…) are part of the game.
              if (!(e instanceof ServiceError)) throw e;
            }
          }
          const q = <T>(sql: string) => env.ctx.sqlite.prepare(sql).safeIntegers(true).all() as T[];
          const lines = q<{ applied: bigint; amount: bigint }>(
            'SELECT l.amount_centimes AS amount, (SELECT COALESCE(SUM(a.amount_centimes), 0) FROM applications a WHERE a.invoice_number = l.invoice_number AND a.category = l.category) AS applied FROM invoice_lines l',
          );
          for (const l of lines) {
            expect(l.applied).toBeGreaterThanOrEqual(0n);
            expect(l.applied).toBeLessThanOrEqual(l.amount);
          }
          for (const iso3 of STATES) {
            const [row] = q<{ paid: bigint; applied: bigint; reclassified: bigint }>(
              `SELECT (SELECT COALESCE(SUM(amount_centimes), 0) FROM payments WHERE state_iso3 = '${iso3}' AND purpose = 'assessed') AS paid,
                      (SELECT COALESCE(SUM(amount_centimes), 0) FROM applications WHERE state_iso3 = '${iso3}') AS applied,
                      (SELECT COALESCE(SUM(amount_centimes), 0) FROM credit_reclassifications WHERE state_iso3 = '${iso3}') AS reclassified`,
            );
            const credit = unappliedCredit(env.ctx, iso3);
            expect(credit).toBeGreaterThanOrEqual(0n);
            expect(row!.applied + credit + row!.reclassified).toBe(row!.paid);
          }
          const report = verifyLedger(env.ctx);
          expect(report.checks.filter((c) => !c.ok)).toEqual([]);
        } finally {
          await env.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 240_000);
});
