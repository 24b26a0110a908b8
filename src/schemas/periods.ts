import { z } from 'zod';
import { isoDate, nonEmptyText } from './common.js';

export const periodClose = z
  .strictObject({
    through: isoDate.meta({ description: 'Lock every date up to and including this one' }),
    reason: nonEmptyText(500),
  })
  .meta({ id: 'PeriodClose' });

export const periodReopen = z
  .strictObject({
    through: isoDate.nullable().meta({ description: 'The lock moves back to this date (null: nothing stays locked)' }),
    reason: nonEmptyText(500),
  })
  .meta({ id: 'PeriodReopen' });

export const periodsOut = z
  .object({
    lockedThrough: z.string().nullable().meta({ description: 'Entries dated on or before this date are refused (409); null when nothing is locked' }),
    firstOpenDate: z.string().nullable(),
    history: z.array(
      z.object({ id: z.int(), action: z.enum(['close', 'reopen']), through: z.string().nullable(), reason: z.string(), actor: z.string(), at: z.string() }),
    ),
  })
  .meta({ id: 'Periods' });
