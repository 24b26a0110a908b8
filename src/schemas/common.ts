/** Reusable zod schemas: money, rates, fractions, dates, codes, problems. */
import { z } from 'zod';
import { isIsoDate } from '../domain/dates.js';
import { FRACTION_PATTERN, MONEY_PATTERN, RATE_PATTERN } from '../domain/money.js';

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'must be an ISO 8601 calendar date, YYYY-MM-DD' })
  .meta({ format: 'date', example: '2018-03-31' });

export const money = z
  .string()
  .regex(MONEY_PATTERN, { message: 'must be a non-negative CHF amount written as a string with at most 2 decimals, e.g. "590000.00"' })
  .meta({ description: 'CHF amount as a decimal string', example: '590000.00' });

/** Money in responses: always 2 decimals, may be negative. */
export const moneyOut = z.string().meta({ description: 'CHF amount as a decimal string with 2 decimals', example: '12345.67' });

export const rate = z
  .string()
  .regex(RATE_PATTERN, { message: 'must be a rate in percent written as a string with at most 6 decimals, e.g. "4.859"' })
  .meta({ description: 'Scale rate in percent, exact decimal string', example: '4.859' });

export const fraction = z
  .string()
  .regex(FRACTION_PATTERN, { message: 'must be a fraction between 0 and 1 written as a string with at most 12 decimals, e.g. "0.4"' })
  .meta({ description: 'Fraction 0..1 as an exact decimal string', example: '0.4' });

export const iso3 = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 code in capitals, e.g. "FRA"' })
  .meta({ example: 'FRA' });

export const year = z.int().min(1990).max(2999).meta({ example: 2018 });

/** A year in a query string or path ("2018"). */
export const yearParam = z
  .string()
  .regex(/^[0-9]{4}$/, { message: 'must be a four-digit year' })
  .transform((s) => Number.parseInt(s, 10))
  .meta({ example: '2018' });

export const nonEmptyText = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });
