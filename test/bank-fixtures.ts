/** The register the bank tests share: its invoices are those the hand-written camt files of test/fixtures/camt quote. */
import { cliActor } from '../src/services/actor.js';
import { createBudget } from '../src/services/budgets.js';
import type { Ctx } from '../src/services/context.js';
import { DEMO_ISSUER } from '../src/services/demo.js';
import { issueInvoiceBatch } from '../src/services/invoices.js';
import { createScale } from '../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { importStates } from '../src/services/states.js';
import { budgetCreate } from '../src/schemas/budgets.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from './helpers.js';

/** The issuer's IBAN (DEMO_ISSUER), the operating account of the fixtures; and the reserve's own account. */
export const OPERATING = 'CH5604835012345678009';
export const RESERVE = 'CH9300762011623852957';

/** FRA, MEX and BEN; budgets 2017 and 2018; the issuer. */
export function register(ctx: Ctx) {
  importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
  createScale(ctx, cliActor('test'), SCALE_SMALL);
  createBudget(ctx, cliActor('test'), budgetCreate.parse({ ...BUDGET_2018, year: 2017, amount: '100000.00', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' }));
  createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
  setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
}

/** The register with its invoices: ISU-2017-0001 FRA (RF06…), -0002 MEX (RF76…); ISU-2018-0001 BEN (RF54…), -0002 FRA (RF27…), -0003 MEX (RF97…). */
export async function registerWithInvoices(): Promise<TestEnv> {
  const env = await makeEnv(register);
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2017, { issueDate: '2016-09-20' });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
  return env;
}
