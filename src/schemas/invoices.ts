import { z } from 'zod';
import { iso3, isoDate, moneyOut, nonEmptyText, yearParam } from './common.js';

export const invoiceNumberParam = z
  .string()
  .regex(/^[A-Z]{2,6}-[0-9]{4}-[0-9]{4,}$/, { message: 'must be an invoice number like "ISU-2018-0001"' });

export const invoiceOut = z
  .object({
    number: z.string(),
    year: z.int(),
    kind: z.enum(['assessment', 'supplementary', 'late', 'reissue']),
    iso3: z.string(),
    stateName: z.string().meta({ description: 'As printed, in the invoice language' }),
    issueDate: z.string(),
    cutoffDate: z.string().meta({ description: 'Payable by' }),
    language: z.enum(['en', 'fr', 'es']),
    lines: z.array(z.object({ category: z.string(), amount: moneyOut })),
    total: moneyOut,
    originalInvoice: z
      .string()
      .nullable()
      .meta({ description: 'A re-issued invoice: the cancelled invoice it replaces; a supplementary one: the invoice it adds to' }),
    budgetVersion: z.int().nullable().meta({ description: 'A supplementary invoice: the budget version it follows' }),
    creditAppliedOnIssue: moneyOut.meta({ description: "The State's unapplied credit applied to the invoice when it was issued (SPEC 9.2)" }),
    netPayable: moneyOut.meta({ description: 'total − creditAppliedOnIssue: the amount printed as payable and carried by the QR-bill' }),
    creditorReference: z.string().meta({ description: 'ISO 11649 reference to quote with the payment' }),
    status: z.enum(['issued', 'cancelled']),
    creditNote: z.string().nullable().meta({ description: 'The credit note that cancelled it' }),
    partialCreditNotes: z.array(z.string()).meta({ description: 'Credit notes of budget revisions that credited part of it' }),
    credited: moneyOut.meta({ description: 'What those partial credit notes credited' }),
    remaining: moneyOut.meta({ description: 'total − credited (0.00 once cancelled): what the invoice still asks for' }),
    pdfSha256: z.string(),
    pdfUrl: z.string(),
  })
  .meta({ id: 'Invoice' });

export const creditNoteOut = z
  .object({
    number: z.string(),
    year: z.int(),
    invoiceNumber: z.string(),
    kind: z.enum(['cancellation', 'partial']).meta({ description: '`cancellation`: what was left of the invoice; `partial`: lines of it, after a budget revision' }),
    budgetVersion: z.int().nullable().meta({ description: 'A partial credit note: the budget version it follows' }),
    iso3: z.string(),
    issueDate: z.string(),
    reason: z.string(),
    lines: z.array(z.object({ category: z.string(), amount: moneyOut })),
    total: moneyOut,
    pdfSha256: z.string(),
    pdfUrl: z.string(),
  })
  .meta({ id: 'CreditNote' });

export const batchBody = z
  .strictObject({
    issueDate: isoDate.optional().meta({ description: 'Default today; never before the approval of the budget nor in the future' }),
  })
  .meta({ id: 'InvoiceBatch' });

export const batchOut = z.object({
  year: z.int(),
  issueDate: z.string(),
  issued: z.array(z.object({ number: z.string(), iso3: z.string(), total: moneyOut, creditorReference: z.string(), kind: z.enum(['assessment', 'late']) })),
  alreadyIssued: z.int(),
  skipped: z.array(z.object({ iso3: z.string(), reason: z.string() })),
  states: z
    .array(
      z.object({
        iso3: z.string(),
        outcome: z.enum(['issued', 'already-issued', 'skipped']),
        kind: z.enum(['assessment', 'late']),
        invoice: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    )
    .meta({ description: 'Every State assessed for the year, accounted for: its invoice issued now, issued before, or skipped with the reason; `late`: it became assessed after the batch ran (SPEC 9.3)' }),
  pdfsRestored: z.int().meta({ description: 'PDFs of earlier invoices written again because an interrupted run had not' }),
});

export const cancelBody = z
  .strictObject({
    reason: nonEmptyText(500),
    date: isoDate.optional().meta({ description: 'Date of the credit note; default today' }),
  })
  .meta({ id: 'InvoiceCancel' });

export const invoiceListQuery = z.strictObject({
  year: yearParam.optional(),
  state: iso3.optional(),
  status: z.enum(['issued', 'cancelled']).optional(),
});
