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

/**
 * RFC 9457 problem details, as every error leaves (application/problem+json).
 * Besides the standard members, the API sends extension members; the known
 * ones are typed here and any other is allowed (a client must ignore what it
 * does not know).
 */
export const problem = z
  .looseObject({
    type: z.string().meta({ description: 'A URI reference identifying the problem type; `about:blank` when the status says it all' }),
    title: z.string().meta({ description: 'Short summary of the problem type (the HTTP reason phrase, or more specific)' }),
    status: z.int().min(400).max(599),
    detail: z.string().meta({ description: 'What went wrong with this request, for a human' }),
    instance: z.string().optional().meta({ description: 'The path of the request' }),
    requestId: z.string().optional().meta({ description: 'The request id, also in the X-Request-Id header and the server log' }),
    errors: z
      .array(z.object({ field: z.string().meta({ description: 'Dotted path of the offending field, e.g. "scheme.categories.1.share"' }), message: z.string() }))
      .optional()
      .meta({ description: 'The offending fields (400 and 422)' }),
    field: z.string().optional().meta({ description: 'The field a conflict is about (409), e.g. "code", "iso3" or "Idempotency-Key"' }),
    paymentId: z.int().optional().meta({ description: 'The payment first recorded under a reused Idempotency-Key (409)' }),
    limit: z
      .enum(['reserve-balance', 'operating-shortfall', 'outstanding', 'operating-cash'])
      .optional()
      .meta({ description: 'Which limit a reserve drawdown or restoration exceeds (422)' }),
    limitAmount: moneyOut.optional().meta({ description: 'The limit, in CHF (422)' }),
    exceededBy: moneyOut.optional().meta({ description: 'By how much the limit is exceeded, in CHF (422)' }),
    assessmentError: z
      .enum(['invalid-scheme', 'no-assessed-states', 'missing-rate', 'infeasible-bounds', 'zero-rates', 'negative-category-total'])
      .optional()
      .meta({ description: 'Why an assessment cannot be computed (422)' }),
    year: z.int().optional().meta({ description: 'The budget year an assessment problem is about (422)' }),
    category: z.string().optional().meta({ description: 'The category an assessment problem is about (422)' }),
    iso3: z.string().optional().meta({ description: 'The State an assessment problem is about (422)' }),
    scaleCode: z.string().optional().meta({ description: 'The scale lacking a rate (422)' }),
    acceptable: z.array(z.string()).optional().meta({ description: 'The media types the resource is available in (406)' }),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details (application/problem+json). Extension members other than those listed may appear.',
    additionalProperties: true,
  });

/** The code of a budget line (SPEC 9.5): a short slug. */
export const budgetLineCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'must be a short slug: 1–32 lower-case letters, digits or -, starting with a letter, e.g. "staff"' })
  .meta({ example: 'staff' });
