/**
 * Property (SPEC 9.5, issue 15): after random payments (assessed, voluntary,
 * to the reserve) and expenditures on a small register, with 2017 closed or
 * not, the financial statements of 2017 and 2018 still tie to the ledger and
 * `isu verify` passes.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { formatMoney } from '../../src/domain/money.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { closeYear } from '../../src/services/closing.js';
import type { Ctx } from '../../src/services/context.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { financialStatement } from '../../src/services/financial-statement.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { recordPayment } from '../../src/services/payments.js';
import { recordExpenditure } from '../../src/services/reserve.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { BUDGET_2018, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, tempDir } from '../helpers.js';
import { expectTies } from '../statement-ties.js';

const STATES = ['BEN', 'FRA', 'MEX'] as const;
const actor = cliActor('property');

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const op = fc.oneof(
  fc.record({ t: fc.constant('pay' as const), state: fc.nat(2), amount: fc.bigInt(1n, 40_000_000n), day: fc.nat(450), purpose: fc.constantFrom('assessed' as const, 'voluntary' as const, 'reserve' as const) }),
  fc.record({ t: fc.constant('spend' as const), amount: fc.bigInt(1n, 5_000_000n), day: fc.nat(450) }),
);

describe('the financial statement (property)', () => {
  it('ties after random payments and expenditures, with 2017 closed or not', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.boolean(), async (ops, close) => {
        const dir = tempDir('isu-fs-');
        const { db, sqlite, close: closeDb } = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
        const ctx: Ctx = { db, sqlite, invoiceDir: path.join(dir, 'invoices') };
        try {
          importStates(ctx, actor, [STATE_FRA, STATE_MEX, STATE_BEN]);
          createScale(ctx, actor, SCALE_SMALL);
          createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
          setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
          await issueInvoiceBatch(ctx, actor, 2018, { issueDate: '2017-09-15' });
          let k = 0;
          for (const o of ops) {
            const date = addDays('2017-10-01', o.day);
            if (o.t === 'pay') recordPayment(ctx, actor, `p${run}-${++k}`, { iso3: STATES[o.state]!, amount: formatMoney(o.amount), receivedOn: date, purpose: o.purpose });
            else recordExpenditure(ctx, actor, { date, amount: formatMoney(o.amount), description: 'random' });
          }
          if (close) {
            expect(closeYear(ctx, actor, 2017, { reason: 'property' }).created).toBe(true);
            recordPayment(ctx, actor, `p${run}-after`, { iso3: 'FRA', amount: '1.00', receivedOn: '2018-06-30' });
          }
          for (const year of [2017, 2018]) expectTies(ctx, financialStatement(ctx, year));
          expect(verifyLedger(ctx).checks.filter((c) => !c.ok)).toEqual([]);
        } finally {
          run++;
          closeDb();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 20 },
    );
  }, 60_000);
});
