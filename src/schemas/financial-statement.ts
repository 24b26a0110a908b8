import { z } from 'zod';
import { yearParam } from './common.js';

const figure = z.object({ current: z.string(), previous: z.string().nullable() }).meta({ id: 'StatementFigure', description: 'The year beside the previous year (null: no such figure)' });
const byYear = z.array(z.object({ budgetYear: z.int(), current: z.string(), previous: z.string() }));

export const financialStatementQuery = z.strictObject({ year: yearParam });

export const financialStatementOut = z
  .object({
    year: z.int(),
    previousYear: z.int(),
    asOf: z.string(),
    closed: z.boolean(),
    previousClosed: z.boolean(),
    incomeAndExpenditure: z.object({
      assessedContributions: figure,
      assessedByBudgetYear: byYear,
      voluntaryContributions: figure,
      otherIncome: figure,
      totalIncome: figure,
      expenditureByLine: z.array(z.object({ line: z.string().nullable(), label: z.string(), current: z.string(), previous: z.string() })),
      totalExpenditure: figure,
      surplus: figure,
    }),
    financialPosition: z.object({
      operatingCash: figure,
      reserveCash: figure,
      receivables: figure,
      receivablesByYear: byYear,
      totalAssets: figure,
      unappliedCredit: figure,
      totalLiabilities: figure,
      reserveFund: figure,
      accumulatedFund: figure,
      surplusNotClosed: figure,
      totalNetAssets: figure,
      totalLiabilitiesAndNetAssets: figure,
    }),
    reserve: z.object({
      opening: figure,
      contributions: figure,
      transfers: figure,
      drawdowns: figure,
      restorations: figure,
      other: figure,
      closing: figure,
      fundOpening: figure,
      fundClosing: figure,
    }),
    contributions: z
      .object({ assessed: figure, credited: figure, collected: figure, outstanding: figure, priorOutstanding: figure, received: figure, unappliedCredit: figure })
      .nullable()
      .meta({ description: 'The status of contributions for the budget year as of 31 December; null when the year has no budget' }),
    notes: z.array(z.object({ ref: z.string(), text: z.string() })),
  })
  .meta({ id: 'FinancialStatement' });
