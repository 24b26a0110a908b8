/** Plausibility limits (issue 16, finding 13): the `limits` setting. */
import { z } from 'zod';
import { isIsoDate, todayUtc } from '../domain/dates.js';
import { MONEY_PATTERN, parseMoney } from '../domain/money.js';
import { isoDate, money } from './common.js';

const positiveMoney = money.refine((s) => !/^0(\.0{1,2})?$/.test(s), { message: 'must be greater than 0' });

export const limitsShape = {
  earliestDate: isoDate.meta({ description: 'Nothing is accepted dated before this: payments, expenditures, reserve movements, budget dates, bank lines (default 2010-01-01, the year the Convention entered into force)' }),
  futureDays: z
    .int()
    .min(0)
    .max(3660)
    .meta({ description: 'How many days after today a date may be (budget dates; money movements are never in the future). Default 366' }),
  largestAmount: positiveMoney.meta({ description: 'The largest amount of one payment, expenditure, reserve movement, reserve target or budget, confirmed or not (default 10000000.00)' }),
  largePayment: positiveMoney
    .nullable()
    .meta({ description: 'A payment above this needs `confirmLarge: true`; null (the default): above the budget of the year of its value date' }),
};

export const limitsSettings = z
  .strictObject(limitsShape)
  .superRefine((l, ctx) => {
    if (typeof l.earliestDate === 'string' && isIsoDate(l.earliestDate) && l.earliestDate > todayUtc())
      ctx.addIssue({ code: 'custom', path: ['earliestDate'], message: `must not be after today (${todayUtc()}): nothing could be recorded` });
    if (typeof l.largePayment === 'string' && MONEY_PATTERN.test(l.largePayment) && typeof l.largestAmount === 'string' && MONEY_PATTERN.test(l.largestAmount) && parseMoney(l.largePayment) > parseMoney(l.largestAmount))
      ctx.addIssue({ code: 'custom', path: ['largePayment'], message: `must not exceed largestAmount (${l.largestAmount}): a payment above that is refused even confirmed` });
  })
  .meta({ id: 'PlausibilityLimits' });
export type LimitsSettings = z.infer<typeof limitsSettings>;

export const limitsOut = z
  .object({
    earliestDate: z.string(),
    futureDays: z.int(),
    largestAmount: z.string(),
    largePayment: z.string().nullable(),
  })
  .meta({ id: 'PlausibilityLimitsOut' });

export const DEFAULT_LIMITS: LimitsSettings = { earliestDate: '2010-01-01', futureDays: 366, largestAmount: '10000000.00', largePayment: null };
