/** E-mail delivery of documents (SPEC 9.7): what to send, and the delivery log. */
import { z } from 'zod';
import { iso3, isoDate, year } from './common.js';

export const DELIVERY_KINDS = ['invoices', 'credit-notes', 'reminders', 'statements'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const deliveryKind = z.enum(DELIVERY_KINDS).meta({ description: 'Which documents' });

const documentNumber = z
  .string()
  .regex(/^[A-Z]{2,6}-[0-9]{4}-[0-9]{4,}$/, { message: 'must be a document number like "ISU-2018-0001"' });

export const deliveryCreate = z
  .strictObject({
    kind: deliveryKind,
    year: year.optional().meta({ description: 'Invoices, credit notes, reminders: those of this year' }),
    numbers: z.array(documentNumber).min(1).max(1000).optional().meta({ description: 'Invoices, credit notes, reminders: these documents' }),
    states: z.array(iso3).min(1).max(300).optional().meta({ description: 'Only the documents of these States (statements: default every State with an account)' }),
    asOf: isoDate.optional().meta({
      description: 'Statements (required): the statement of account from 1 January of that year to this date. Reminders: those drawn up as of this date',
    }),
    resend: z.boolean().optional().meta({ description: 'Send again to addresses that already received the document (otherwise they are skipped)' }),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (b.kind === 'statements') {
      if (b.asOf === undefined) issue('asOf', 'a statement is sent as of a date: give asOf');
      if (b.year !== undefined) issue('year', 'not for statements: give asOf');
      if (b.numbers !== undefined) issue('numbers', 'not for statements: give states');
    } else if (b.kind === 'reminders') {
      if (b.year === undefined && b.numbers === undefined && b.asOf === undefined) issue('year', 'give year, numbers or asOf');
    } else {
      if (b.year === undefined && b.numbers === undefined) issue('year', 'give year or numbers');
      if (b.asOf !== undefined) issue('asOf', `not for ${b.kind}: give year or numbers`);
    }
  })
  .meta({ id: 'DeliveryCreate' });
export type DeliveryCreate = z.infer<typeof deliveryCreate>;

export const deliveryRetry = z
  .strictObject({ kind: deliveryKind.optional().meta({ description: 'Only the failures of these documents' }) })
  .meta({ id: 'DeliveryRetry' });

export const deliveryStatus = z.enum(['sent', 'failed', 'written']);

export const deliveryAttemptOut = z
  .object({
    id: z.int(),
    kind: deliveryKind,
    document: z.string().meta({ description: 'Invoice, credit note or reminder number; a statement: `{ISO3}@{asOf}`' }),
    iso3: z.string(),
    recipient: z.string().meta({ description: 'The address; empty when the State had no billing e-mail' }),
    transport: z.enum(['smtp', 'file']),
    status: deliveryStatus.meta({ description: '`sent` (accepted by the SMTP server), `written` (an .eml file in the outbox) or `failed`' }),
    messageId: z.string().nullable(),
    response: z
      .string()
      .nullable()
      .meta({ description: "The SMTP server's answer (or the error); for the file transport, the file written, relative to the outbox" }),
    attachmentSha256: z.string().meta({ description: 'SHA-256 of the PDF attached: the stored PDF of an invoice, credit note or reminder' }),
    resend: z.boolean(),
    retryOf: z.int().nullable().meta({ description: 'The failed attempt this one retries' }),
    actor: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'DeliveryAttempt' });

export const deliverySkipOut = z.object({
  kind: deliveryKind,
  document: z.string(),
  iso3: z.string(),
  recipient: z.string(),
  reason: z.string(),
});

export const deliveryRunOut = z
  .object({
    transport: z.enum(['smtp', 'file']),
    sent: z.int(),
    written: z.int(),
    failed: z.int(),
    skipped: z.int(),
    deliveries: z.array(deliveryAttemptOut).meta({ description: 'The attempts made, one per document and address' }),
    skips: z.array(deliverySkipOut).meta({ description: 'Addresses not sent to, and why' }),
  })
  .meta({ id: 'DeliveryRun' });

export const deliveryLogOut = z
  .object({
    kind: deliveryKind,
    document: z.string(),
    iso3: z.string(),
    recipient: z.string(),
    status: deliveryStatus.meta({ description: 'The status of the latest attempt' }),
    retryable: z.boolean().meta({ description: 'POST /deliveries/retry tries it again' }),
    attempts: z.array(deliveryAttemptOut).meta({ description: 'Oldest first' }),
  })
  .meta({ id: 'DeliveryLogEntry' });

export const deliveryListQuery = z.strictObject({
  status: deliveryStatus.optional().meta({ description: 'The status of the latest attempt' }),
  kind: deliveryKind.optional(),
  state: iso3.optional(),
  document: z.string().min(1).max(40).optional(),
});

export type DeliveryAttemptOut = z.infer<typeof deliveryAttemptOut>;
export type DeliveryRunOut = z.infer<typeof deliveryRunOut>;
export type DeliveryLogOut = z.infer<typeof deliveryLogOut>;
