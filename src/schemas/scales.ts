import { z } from 'zod';
import { iso3, nonEmptyText, rate } from './common.js';

export const scaleCode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be 1–64 letters, digits, dots, dashes or underscores, e.g. "UN-2016-2018"' })
  .meta({ example: 'UN-2016-2018' });

export const scaleCreate = z
  .strictObject({
    code: scaleCode,
    title: nonEmptyText(200),
    source: nonEmptyText(200).meta({ example: 'A/RES/70/245' }),
    rates: z.array(z.strictObject({ iso3, rate })).min(1).max(1000),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.rates.forEach((r, i) => {
      if (seen.has(r.iso3)) ctx.addIssue({ code: 'custom', path: ['rates', i, 'iso3'], message: `${r.iso3} appears more than once` });
      seen.add(r.iso3);
    });
  })
  .meta({ id: 'ScaleCreate' });
export type ScaleCreate = z.infer<typeof scaleCreate>;

export const scaleCsvQuery = z.strictObject({ code: scaleCode, title: nonEmptyText(200), source: nonEmptyText(200) });

export const scaleOut = z
  .object({
    code: z.string(),
    title: z.string(),
    source: z.string(),
    createdAt: z.string(),
    ratesCount: z.int(),
    sumOfRates: z.string().meta({ description: 'Sum of the rates (percent), exact' }),
    rates: z.array(z.object({ iso3: z.string(), rate: z.string() })),
  })
  .meta({ id: 'Scale' });
export type ScaleOut = z.infer<typeof scaleOut>;
