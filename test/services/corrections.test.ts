/**
 * Corrections (SPEC 9.3, issue 13): a payment keyed against the wrong State
 * and then reallocated leaves every figure as if it had been keyed right the
 * first time — balances, statements, the status of contributions and
 * operating cash, as of dates before, on and after it — and `isu verify`
 * passes. Two databases built the same way, one with the mistake and its
 * correction, one without.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { computeBalance, getStatement } from '../../src/services/accounts.js';
import { createBudget } from '../../src/services/budgets.js';
import { reallocatePayment, reversePayment } from '../../src/services/corrections.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { ServiceError } from '../../src/services/errors.js';
import { issueInvoiceBatch, listInvoices } from '../../src/services/invoices.js';
import { getPayment, recordPayment, type PaymentInput } from '../../src/services/payments.js';
import { statusOfContributions } from '../../src/services/reports.js';
import { operatingCash } from '../../src/services/reserve.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const actor = cliActor('test');
const MLT = { ...STATE_FRA, iso3: 'MLT', name: 'Malta', names: { fr: 'Malte', es: 'Malta' }, language: 'en' as const, depositDate: '2009-09-24' };

async function build(): Promise<TestEnv> {
  const env = await makeEnv(
    (ctx) => {
      importStates(ctx, actor, [STATE_FRA, STATE_MEX, MLT]);
      createScale(ctx, actor, { ...SCALE_SMALL, rates: [...SCALE_SMALL.rates, { iso3: 'MLT', rate: '0.016' }] });
      createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
      createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, actor, 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  // Both paid 2017; Malta's 2018 invoice is open.
  for (const inv of listInvoices(env.ctx, { year: 2017 }, null)) recordPayment(env.ctx, actor, `p17-${inv.iso3}`, { iso3: inv.iso3, amount: inv.total, receivedOn: '2017-03-01' });
  return env;
}

let wrong: TestEnv;
let right: TestEnv;
let mexicoPayment: PaymentInput;

beforeAll(async () => {
  [wrong, right] = [await build(), await build()];
  const mex2018 = listInvoices(right.ctx, { year: 2018, state: 'MEX' }, null)[0]!;
  // Mexico pays its 2018 invoice and CHF 500.00 more, quoting its creditor reference.
  const amount = (BigInt(mex2018.total.replace('.', '')) + 50_000n).toString().replace(/(\d\d)$/, '.$1');
  mexicoPayment = { amount, receivedOn: '2018-02-21', reference: mex2018.creditorReference, bankReference: 'BNK-2018-0221-77' };
  recordPayment(right.ctx, actor, 'mex-2018', { ...mexicoPayment, iso3: 'MEX' });
}, 120_000);
afterAll(async () => {
  await wrong.close();
  await right.close();
});

describe('a payment keyed against the wrong State, then reallocated', () => {
  it('is refused for Malta at first: the reference is Mexico’s (422 naming Mexico), and nothing is written', () => {
    const before = rowCounts(wrong.ctx);
    let error: unknown;
    try {
      recordPayment(wrong.ctx, actor, 'mlt-wrong', { ...mexicoPayment, iso3: 'MLT' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).status).toBe(422);
    expect((error as ServiceError).errors).toEqual([{ field: 'reference', message: expect.stringMatching(/of MEX, not of MLT/) }]);
    expect(rowCounts(wrong.ctx)).toEqual(before);
  });

  it('once forced for Malta and reallocated to Mexico, every figure equals the database keyed right first time', () => {
    const keyed = recordPayment(wrong.ctx, actor, 'mlt-wrong', { ...mexicoPayment, iso3: 'MLT', ignoreReferenceMismatch: true }).payment;
    // The money went to Malta's open 2018 invoice and the rest to Malta's credit.
    expect(keyed.applications.length).toBeGreaterThan(0);
    const moved = reallocatePayment(wrong.ctx, actor, keyed.id, { iso3: 'MEX', reason: 'keyed against Malta; the RF reference and the bank advice are Mexico’s' });
    expect(moved.reversed).toMatchObject({ id: keyed.id, status: 'reversed', reversal: { date: '2018-02-21', replacementPaymentId: moved.payment.id } });
    expect(moved.payment).toMatchObject({ iso3: 'MEX', amount: mexicoPayment.amount, receivedOn: '2018-02-21', bankReference: 'BNK-2018-0221-77', status: 'recorded' });
    expect(getPayment(wrong.ctx, keyed.id, null).status).toBe('reversed');

    for (const asOf of ['2018-01-31', '2018-02-20', '2018-02-21', '2018-03-31', '2018-12-31', '2019-06-30']) {
      for (const iso3 of ['MEX', 'MLT', 'FRA']) {
        expect(computeBalance(wrong.ctx, iso3, asOf), `${iso3} ${asOf}`).toEqual(computeBalance(right.ctx, iso3, asOf));
        const [w, r] = [getStatement(wrong.ctx, iso3, '2018-01-01', asOf), getStatement(right.ctx, iso3, '2018-01-01', asOf)];
        expect({ closing: w.closingBalance, credit: w.unappliedCredit, arrears: w.arrears }, `${iso3} ${asOf}`).toEqual({
          closing: r.closingBalance,
          credit: r.unappliedCredit,
          arrears: r.arrears,
        });
      }
      for (const year of [2017, 2018]) expect(statusOfContributions(wrong.ctx, year, asOf), `${year} ${asOf}`).toEqual(statusOfContributions(right.ctx, year, asOf));
      expect(operatingCash(wrong.ctx, asOf)).toBe(operatingCash(right.ctx, asOf));
    }
    // Mexico's statement reads the same; Malta's shows the payment and its reversal, which cancel out.
    const [wm, rm] = [getStatement(wrong.ctx, 'MEX', '2018-01-01', '2018-12-31'), getStatement(right.ctx, 'MEX', '2018-01-01', '2018-12-31')];
    expect(wm.lines).toEqual(rm.lines);
    const malta = getStatement(wrong.ctx, 'MLT', '2018-01-01', '2018-12-31').lines.filter((l) => l.date === '2018-02-21');
    expect(malta.map((l) => l.kind)).toEqual(['payment', 'payment-reversal']);
    expect(malta[0]!.credit).toBe(mexicoPayment.amount);
    expect(malta[1]!.debit).toBe(mexicoPayment.amount);
    expect(verifyLedger(wrong.ctx).ok).toBe(true);
  });

  it('refuses a second reversal of the same payment (409), writing nothing', () => {
    const reversed = wrong.ctx.sqlite.prepare("SELECT entity_id AS id FROM reversals WHERE entity_type = 'payment'").get() as { id: number };
    const before = rowCounts(wrong.ctx);
    expect(() => reversePayment(wrong.ctx, actor, reversed.id, { reason: 'again' })).toThrow(/already reversed on 2018-02-21/);
    expect(rowCounts(wrong.ctx)).toEqual(before);
  });
});
