/** Settings that are configuration, not code: the invoice issuer (sender, bank, QR-bill creditor) and numbering prefixes. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { isQrBillIban, isQrIban, isValidIban } from '../domain/iban.js';
import { writeAudit } from '../db/repositories/audit.js';
import { settings } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { IssuerSettings } from '../pdf/types.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError } from './errors.js';

const line = z.string().trim().min(1).max(120);

const ibanIn = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .refine(isValidIban, { message: 'is not a valid IBAN (checksum)', abort: true })
  .refine(isQrBillIban, {
    message: 'cannot be carried by the Swiss QR-bill printed on every invoice, which takes only CH or LI accounts (21 characters): give the ISU’s Swiss or Liechtenstein IBAN',
    abort: true,
  })
  .refine((s) => !isQrIban(s), { message: 'is a QR-IBAN, which takes only QR references; give the ordinary IBAN (invoices carry RF creditor references)' });

const issuerShape = <I extends z.ZodType>(iban: I) =>
  z.strictObject({
    name: line,
    addressLines: z.array(line).min(1).max(6),
    email: z.email(),
    website: line.optional(),
    invoicePrefix: z
      .string()
      .regex(/^[A-Z]{2,6}$/, { message: 'must be 2–6 capital letters, e.g. "ISU"' })
      .default('ISU'),
    creditNotePrefix: z
      .string()
      .regex(/^[A-Z]{2,6}$/, { message: 'must be 2–6 capital letters, e.g. "CN"' })
      .default('CN'),
    bank: z.strictObject({
      accountHolder: line,
      bankName: line,
      bankAddressLines: z.array(line).max(4).default([]),
      iban,
      bic: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, { message: 'must be a BIC, e.g. "UBSWCHZH80A"' }),
    }),
    qrCreditor: z.strictObject({
      name: z.string().trim().min(1).max(70),
      address: z.string().trim().min(1).max(70),
      buildingNumber: z.string().trim().max(16).optional(),
      zip: z.string().trim().min(1).max(16),
      city: z.string().trim().min(1).max(35),
      country: z.string().regex(/^[A-Z]{2}$/),
    }),
  });

export const issuerSettingsSchema = issuerShape(ibanIn).meta({ id: 'IssuerSettings' });
/** The same without the input transform, for responses (zod cannot encode a transform). */
export const issuerSettingsOut = issuerShape(z.string()).meta({ id: 'IssuerSettingsOut' });
export type IssuerConfig = z.infer<typeof issuerSettingsSchema>;

export function getIssuer(db: DbOrTx): (IssuerSettings & { invoicePrefix: string; creditNotePrefix: string }) | null {
  const row = db.select().from(settings).where(eq(settings.key, 'issuer')).get();
  return row ? (row.value as IssuerConfig) : null;
}

export function requireIssuer(db: DbOrTx) {
  const issuer = getIssuer(db);
  if (!issuer)
    throw new ConflictError('the invoice issuer (sender, bank, QR-bill creditor) is not configured: PUT /api/v1/settings/issuer first');
  return issuer;
}

export function setIssuer(ctx: Ctx, actor: Actor, input: IssuerConfig): IssuerConfig {
  ctx.db.transaction(
    (tx) => {
      const before = getIssuer(tx);
      const now = new Date().toISOString();
      tx.insert(settings)
        .values({ key: 'issuer', value: input, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: input, updatedAt: now } })
        .run();
      writeAudit(tx, actor, 'settings', 'issuer', { before, after: input });
    },
    { behavior: 'immediate' },
  );
  return input;
}
