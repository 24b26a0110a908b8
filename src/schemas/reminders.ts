import { z } from 'zod';
import { iso3, isoDate, moneyOut, yearParam } from './common.js';

export const reminderNumberParam = z.string().regex(/^REM-[0-9]{4}-[0-9]{4,}$/, { message: 'must be a reminder number like "REM-2018-0001"' });

export const remindersDueQuery = z.strictObject({
  asOf: isoDate.optional().meta({ description: 'The date of the figures (default today): invoices past their due date on it, credit held on it' }),
});

export const reminderIssueBody = z
  .strictObject({
    asOf: isoDate.meta({ description: 'The date of the figures printed: what is overdue and the credit held on it' }),
    states: z
      .array(iso3)
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Only these States (each must have something overdue beyond its credit); default every State to remind' }),
    date: isoDate.optional().meta({ description: 'Issue date of the letters: default today, never before asOf nor in the future' }),
  })
  .meta({ id: 'ReminderIssue' });

export const reminderLetterQuery = z.strictObject({
  state: iso3.optional(),
  year: yearParam.optional().meta({ description: 'Year of the issue date' }),
  asOf: isoDate.optional().meta({ description: 'Letters with the figures of this date' }),
  date: isoDate.optional().meta({ description: 'Letters issued on this date' }),
});

const overdueInvoice = z.object({
  number: z.string(),
  year: z.int().meta({ description: 'Budget year' }),
  dueDate: z.string().meta({ description: 'The payment deadline that has passed' }),
  invoiced: moneyOut.meta({ description: 'The invoice total' }),
  left: moneyOut.meta({ description: 'What is left to pay on it (after credit notes and money applied)' }),
});

const letterRef = z.object({ number: z.string(), issueDate: z.string(), asOf: z.string(), level: z.int() });

export const reminderDueOut = z.object({
  iso3: z.string(),
  name: z.string(),
  language: z.enum(['en', 'fr', 'es']),
  invoices: z.array(overdueInvoice).meta({ description: 'The overdue invoices, oldest budget year first' }),
  overdue: moneyOut.meta({ description: 'What is left on the overdue invoices' }),
  credit: moneyOut.meta({ description: 'Unapplied credit held on asOf' }),
  toPay: moneyOut.meta({ description: 'overdue − credit (always positive: a State its credit covers is not listed)' }),
  lastReminder: letterRef.nullable().meta({ description: 'The last reminder letter issued to the State, with its level' }),
});

export const remindersDueOut = z
  .object({
    asOf: z.string(),
    states: z.array(reminderDueOut).meta({ description: 'The States to remind, by ISO3' }),
    totals: z.object({ states: z.int(), overdue: moneyOut, credit: moneyOut, toPay: moneyOut }),
  })
  .meta({ id: 'RemindersDue' });

export const reminderLetterOut = z
  .object({
    number: z.string(),
    iso3: z.string(),
    stateName: z.string().meta({ description: 'As printed, in the letter language' }),
    asOf: z.string().meta({ description: 'The date of the figures printed' }),
    issueDate: z.string(),
    level: z.int().meta({ description: '1 + the earlier letters to the State that named any of these invoices' }),
    language: z.enum(['en', 'fr', 'es']),
    invoices: z.array(overdueInvoice),
    overdue: moneyOut,
    credit: moneyOut,
    toPay: moneyOut.meta({ description: 'The amount the QR-bill carries' }),
    creditorReference: z.string().meta({ description: 'ISO 11649 reference of the letter: a payment quoting it is the State’s' }),
    pdfSha256: z.string(),
    pdfUrl: z.string(),
  })
  .meta({ id: 'ReminderLetter' });

export const reminderIssueOut = z.object({
  asOf: z.string(),
  issueDate: z.string(),
  issued: z.int().meta({ description: 'Letters issued by this request' }),
  existing: z.int().meta({ description: 'Letters already issued to these States on the same day, answered again (one per State per day)' }),
  letters: z.array(reminderLetterOut.extend({ outcome: z.enum(['issued', 'existing']) })),
});
