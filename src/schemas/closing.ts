import { z } from 'zod';
import { nonEmptyText } from './common.js';

export const yearCloseBody = z.strictObject({ reason: nonEmptyText(500) }).meta({ id: 'YearClose' });

export const yearClosingOut = z
  .object({
    year: z.int(),
    journalEntryId: z.int().nullable().meta({ description: 'The closing entry; null when the year had no income or expenditure to close' }),
    periodLockId: z.int(),
    lockedThrough: z.string().meta({ description: 'The lock in force when the year was closed: 31 December of the year or later' }),
    surplus: z.string().meta({ description: 'Income − expenditure of the entries dated in the year, carried to the accumulated fund (3200); negative: a deficit' }),
    postings: z.array(z.object({ account: z.string(), amount: z.string() })).meta({ description: 'The closing entry, account by account (debit positive)' }),
    actor: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'YearClosing' });
