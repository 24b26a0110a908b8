import { z } from 'zod';
import { budgetLineCode, iso3, isoDate, money, moneyOut, nonEmptyText, year } from './common.js';

export const reserveTargetBody = z
  .strictObject({ amount: money, decisionRef: nonEmptyText(200).meta({ example: 'CCM/MSP/2017/12' }) })
  .meta({ id: 'ReserveTarget' });

export const reserveContributionBody = z
  .strictObject({
    date: isoDate,
    amount: money,
    iso3: iso3.optional(),
    donor: nonEmptyText(200).optional(),
    kind: z.enum(['contribution', 'transfer']).optional().meta({ description: '`transfer`: e.g. unspent contributions of earlier years; needs a description' }),
    description: nonEmptyText(500).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.iso3 !== undefined && b.donor !== undefined) ctx.addIssue({ code: 'custom', path: ['donor'], message: 'give iso3 or donor, not both' });
  })
  .meta({ id: 'ReserveContribution' });

export const drawdownBody = z.strictObject({ date: isoDate, amount: money, reason: nonEmptyText(500) }).meta({ id: 'ReserveDrawdown' });

export const restorationBody = z
  .strictObject({ date: isoDate, amount: money, drawdown: z.int().positive().optional().meta({ description: 'Default: the oldest outstanding drawdowns first' }) })
  .meta({ id: 'ReserveRestoration' });

export const expenditureBody = z
  .strictObject({
    date: isoDate,
    amount: money,
    description: nonEmptyText(500),
    budgetYear: year.optional().meta({ description: 'The budget the expenditure executes (default: the year of its date)' }),
    line: budgetLineCode.optional().meta({ description: 'The budget line (required when that budget has lines)' }),
  })
  .meta({ id: 'Expenditure' });

export const expenditureOut = z.object({
  id: z.int(),
  date: z.string(),
  amount: moneyOut,
  description: z.string(),
  budgetYear: z.int().nullable(),
  line: z.string().nullable(),
  operatingCash: moneyOut,
});

export const expenditureListItem = expenditureOut
  .omit({ operatingCash: true })
  .extend({ reversal: z.object({ date: z.string(), reason: z.string() }).nullable() });

export const reserveOut = z
  .object({
    asOf: z.string(),
    target: moneyOut,
    targetDecisionRef: z.string().nullable(),
    balance: moneyOut,
    shortfallToTarget: moneyOut,
    operatingCash: moneyOut,
    outstandingDrawdowns: z.array(
      z.object({ id: z.int(), date: z.string(), amount: moneyOut, reason: z.string(), restored: moneyOut, outstanding: moneyOut, daysOutstanding: z.int() }),
    ),
    totalOutstanding: moneyOut,
    proposedRestoration: moneyOut.nullable(),
  })
  .meta({ id: 'Reserve' });

export const cashflowOut = z
  .object({
    year: z.int(),
    asOf: z.string(),
    budget: moneyOut,
    months: z.array(
      z.object({
        month: z.string(),
        basis: z.enum(['actual', 'projected']),
        openingCash: moneyOut,
        receipts: moneyOut,
        plannedSpending: moneyOut,
        actualSpending: moneyOut,
        reserveMovements: moneyOut,
        closingCash: moneyOut,
      }),
    ),
    firstShortfall: z.object({ month: z.string(), shortfall: moneyOut, drawdownNeeded: moneyOut }).nullable(),
    proposedRestoration: z.object({ month: z.string(), amount: moneyOut }).nullable(),
  })
  .meta({ id: 'CashflowOutlook' });

export const spendingPlanBody = z.strictObject({ months: z.array(money).length(12) }).meta({ id: 'SpendingPlan' });
export const spendingPlanOut = z.object({ year: z.int(), source: z.enum(['default', 'set']), months: z.array(moneyOut), total: moneyOut });

export const expenditureImportBody = z
  .strictObject({ expenditures: z.array(expenditureBody).min(1).max(5000) })
  .meta({ id: 'ExpenditureImport' });

export const expenditureImportOut = z.object({
  count: z.int(),
  total: moneyOut,
  expenditures: z.array(expenditureOut),
});
