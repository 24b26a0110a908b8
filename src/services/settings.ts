/**
 * Settings that are configuration, not code: the invoice issuer (sender, bank,
 * QR-bill creditor) and numbering prefixes.
 *
 * Four eyes on money's destination (SPEC 9.8): a change of the bank details —
 * `bank.*` (account holder, bank name and address, IBAN, BIC) and
 * `qrCreditor.*` (the creditor of the QR-bill) — is recorded as a proposed
 * change (issuer_changes) and takes effect only when a second admin approves
 * it (issuer_change_decisions); the other fields take effect at once. The
 * first setting of a new database (no settings, nothing issued) takes effect
 * at once: nobody could approve it.
 */
import { desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isQrBillIban, isQrIban, isValidIban } from '../domain/iban.js';
import { writeAudit } from '../db/repositories/audit.js';
import { creditNotes, invoices, issuerChangeDecisions, issuerChanges, reminders, settings } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { IssuerSettings } from '../pdf/types.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ServiceError } from './errors.js';

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
    /** The letterhead in French and Spanish: the sender's name and address lines as printed on documents in that language. */
    translations: z
      .strictObject({
        fr: z.strictObject({ name: line, addressLines: z.array(line).min(1).max(6) }).optional(),
        es: z.strictObject({ name: line, addressLines: z.array(line).min(1).max(6) }).optional(),
      })
      .optional(),
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

/** The bank details of the issuer: what four eyes guard (SPEC 9.8). */
export const BANK_DETAIL_BLOCKS = ['bank', 'qrCreditor'] as const;

type FieldValue = string | string[] | null;
const fieldValue = z.union([z.string(), z.array(z.string()), z.null()]);
export const issuerFieldChange = z.object({ field: z.string(), from: fieldValue, to: fieldValue }).meta({ id: 'IssuerFieldChange' });
export type IssuerFieldChange = z.infer<typeof issuerFieldChange>;

/** A proposed change of the bank details, as the API and the CLI show it. */
export const issuerChangeOut = z
  .object({
    id: z.int(),
    status: z.enum(['pending', 'approved', 'rejected', 'superseded']),
    proposedBy: z.string(),
    proposedAt: z.string(),
    reason: z.string().nullable(),
    /** The bank-detail fields it changes, from what was in force when it was proposed. */
    changes: z.array(issuerFieldChange),
    /** The complete issuer settings proposed; on approval only their bank details are applied (the rest stays as then in force). */
    settings: issuerSettingsOut,
    previous: issuerSettingsOut.nullable(),
    decision: z
      .object({ decision: z.enum(['approved', 'rejected', 'superseded']), decidedBy: z.string(), decidedAt: z.string(), reason: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: 'IssuerChange' });
export type IssuerChangeOut = z.infer<typeof issuerChangeOut>;

/** PUT /settings/issuer answered 202: the bank details wait for approval; `appliedNow` lists the other fields that took effect at once. */
export const issuerChangeProposed = issuerChangeOut.extend({ appliedNow: z.array(issuerFieldChange) }).meta({ id: 'IssuerChangeProposed' });
export type IssuerChangeProposed = z.infer<typeof issuerChangeProposed>;

/** Why the bank details change (PUT /settings/issuer?reason=…, `isu settings issuer FILE --reason R`): kept with the proposal for the approver. */
export const issuerProposalQuery = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
export const issuerDecisionIn = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).meta({ id: 'IssuerChangeApproval' });
export const issuerRejectionIn = z.strictObject({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'IssuerChangeRejection' });

/** Every leaf of a settings block as a field path, e.g. "bank.iban" → "CH56…". */
function leaves(prefix: string, v: unknown, out: Map<string, FieldValue>): Map<string, FieldValue> {
  if (v === undefined || v === null) return out;
  if (typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leaves(prefix ? `${prefix}.${k}` : k, x, out);
  } else out.set(prefix, Array.isArray(v) ? v.map(String) : String(v));
  return out;
}

/** What changes between two settings, field by field, among the bank details (bank: true) or the other fields (bank: false). */
export function issuerDiff(from: IssuerConfig | null, to: IssuerConfig, bank: boolean): IssuerFieldChange[] {
  const pick = (x: IssuerConfig | null) => {
    const m = new Map<string, FieldValue>();
    if (!x) return m;
    for (const [k, v] of Object.entries(x)) if ((BANK_DETAIL_BLOCKS as readonly string[]).includes(k) === bank) leaves(k, v, m);
    return m;
  };
  const a = pick(from);
  const b = pick(to);
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  return fields
    .filter((f) => JSON.stringify(a.get(f) ?? null) !== JSON.stringify(b.get(f) ?? null))
    .map((field) => ({ field, from: a.get(field) ?? null, to: b.get(field) ?? null }));
}

type ChangeRow = typeof issuerChanges.$inferSelect;
type DecisionRow = typeof issuerChangeDecisions.$inferSelect;

function changeOut(row: ChangeRow, decision: DecisionRow | undefined): IssuerChangeOut {
  const proposed = row.settings as IssuerConfig;
  const previous = (row.previous as IssuerConfig | null) ?? null;
  return {
    id: row.id,
    status: decision?.decision ?? 'pending',
    proposedBy: row.proposedBy,
    proposedAt: row.createdAt,
    reason: row.reason,
    changes: issuerDiff(previous, proposed, true),
    settings: proposed,
    previous,
    decision: decision ? { decision: decision.decision, decidedBy: decision.decidedBy, decidedAt: decision.createdAt, reason: decision.reason } : null,
  };
}

function decisionOf(db: DbOrTx, id: number): DecisionRow | undefined {
  return db.select().from(issuerChangeDecisions).where(eq(issuerChangeDecisions.changeId, id)).get();
}

function pendingRow(db: DbOrTx): ChangeRow | undefined {
  return db
    .select({ c: issuerChanges })
    .from(issuerChanges)
    .leftJoin(issuerChangeDecisions, eq(issuerChangeDecisions.changeId, issuerChanges.id))
    .where(isNull(issuerChangeDecisions.changeId))
    .orderBy(desc(issuerChanges.id))
    .get()?.c;
}

/** The change of the bank details waiting for approval, or null (there is at most one: a newer proposal supersedes it). */
export function pendingIssuerChange(db: DbOrTx): IssuerChangeOut | null {
  const row = pendingRow(db);
  return row ? changeOut(row, undefined) : null;
}

/** Every proposed change of the bank details with its outcome, newest first. */
export function listIssuerChanges(db: DbOrTx): IssuerChangeOut[] {
  return db
    .select()
    .from(issuerChanges)
    .orderBy(desc(issuerChanges.id))
    .all()
    .map((r) => changeOut(r, decisionOf(db, r.id)));
}

/** The same person: the same user account, or the same name (the command line's operator, "cli:NAME"). */
function sameActor(actor: Actor, row: ChangeRow): boolean {
  return (actor.userId !== null && actor.userId === row.proposedByUserId) || actor.username === row.proposedBy;
}

/** Whether two settings carry the same bank details, field by field. */
const sameBankDetails = (a: IssuerConfig | null, b: IssuerConfig | null) => (a === null || b === null ? a === b : issuerDiff(a, b, true).length === 0);

function nothingIssued(db: DbOrTx): boolean {
  const n = (t: typeof invoices | typeof creditNotes | typeof reminders) => db.select({ n: sql<number>`count(*)` }).from(t).get()?.n ?? 0;
  return n(invoices) === 0 && n(creditNotes) === 0 && n(reminders) === 0;
}

function putSettings(tx: DbOrTx, value: IssuerConfig): void {
  const now = new Date().toISOString();
  tx.insert(settings).values({ key: 'issuer', value, updatedAt: now }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } }).run();
}

export type SetIssuerResult = { status: 'applied'; settings: IssuerConfig } | { status: 'pending'; change: IssuerChangeProposed };

/**
 * PUT /settings/issuer and `isu settings issuer FILE`. The fields that are not
 * bank details take effect at once; a change of the bank details is recorded
 * as pending (superseding any pending one) for a second admin to approve. A
 * PUT that mixes both does both: its other fields apply now, its bank details
 * wait (the answer says which). The first setting of a new database (no
 * settings yet, nothing issued) takes effect at once.
 */
export function setIssuer(ctx: Ctx, actor: Actor, input: IssuerConfig, opts: { reason?: string | undefined } = {}): SetIssuerResult {
  return ctx.db.transaction(
    (tx): SetIssuerResult => {
      const before = getIssuer(tx);
      if (!before && nothingIssued(tx)) {
        putSettings(tx, input);
        writeAudit(tx, actor, 'settings', 'issuer', { before: null, after: input, firstSetting: 'no settings and nothing issued yet: in force at once, nobody could approve it' });
        return { status: 'applied', settings: input };
      }
      const bankChanges = issuerDiff(before, input, true);
      const appliedNow = issuerDiff(before, input, false);
      // In force now: the new other fields with the bank details unchanged.
      const inForce: IssuerConfig = before ? { ...input, bank: before.bank, qrCreditor: before.qrCreditor } : input;
      if (bankChanges.length === 0 || appliedNow.length > 0) {
        if (before) {
          putSettings(tx, inForce);
          writeAudit(tx, actor, 'settings', 'issuer', { before, after: inForce, ...(bankChanges.length ? { bankDetailsPending: true } : {}) });
        }
        if (bankChanges.length === 0) return { status: 'applied', settings: inForce };
      }
      const pending = pendingRow(tx);
      // The same proposal again by the same person: nothing new to record.
      if (pending && sameActor(actor, pending) && sameBankDetails(pending.settings as IssuerConfig, input) && appliedNow.length === 0)
        return { status: 'pending', change: { ...changeOut(pending, undefined), appliedNow } };
      const proposed: IssuerConfig = { ...inForce, bank: input.bank, qrCreditor: input.qrCreditor };
      const row = tx
        .insert(issuerChanges)
        .values({ settings: proposed, previous: before, proposedByUserId: actor.userId, proposedBy: actor.username, reason: opts.reason ?? null })
        .returning()
        .get();
      if (pending) {
        tx.insert(issuerChangeDecisions)
          .values({ changeId: pending.id, decision: 'superseded', decidedByUserId: actor.userId, decidedBy: actor.username, reason: `superseded by change ${row.id}` })
          .run();
        writeAudit(tx, actor, 'issuer-change', String(pending.id), { decision: 'superseded', by: row.id });
      }
      writeAudit(tx, actor, 'issuer-change', String(row.id), { proposed: bankChanges, reason: opts.reason ?? null, ...(pending ? { supersedes: pending.id } : {}) });
      return { status: 'pending', change: { ...changeOut(row, undefined), appliedNow } };
    },
    { behavior: 'immediate' },
  );
}

function findChange(db: DbOrTx, id: number): ChangeRow {
  const row = db.select().from(issuerChanges).where(eq(issuerChanges.id, id)).get();
  if (!row) throw new NotFoundError(`Issuer change ${id}`);
  const decided = decisionOf(db, id);
  if (decided)
    throw new ConflictError(`issuer change ${id} is no longer pending: ${decided.decision} by ${decided.decidedBy} at ${decided.createdAt}`, { field: 'id', status: decided.decision });
  return row;
}

/**
 * A second admin approves a pending change (`POST /settings/issuer/changes/{id}/approve`,
 * `isu settings approve ID`): in one transaction its decision row, the bank
 * details in force and the audit rows. Refused to the proposer (403) and when
 * the bank details in force are no longer those it was proposed against (409).
 */
export function approveIssuerChange(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof issuerDecisionIn> = {}): IssuerChangeOut {
  return ctx.db.transaction(
    (tx) => {
      const row = findChange(tx, id);
      if (actor.role !== 'admin' && actor.role !== 'system') throw new ServiceError(403, 'Forbidden', 'only an admin approves a change of the bank details');
      if (sameActor(actor, row))
        throw new ServiceError(403, 'Forbidden', `you proposed issuer change ${id}: a second admin must approve it (four eyes on the bank details, SPEC 9.8)`, [], { proposedBy: row.proposedBy });
      const current = getIssuer(tx);
      if (!sameBankDetails(current, row.previous as IssuerConfig | null))
        throw new ConflictError(`the bank details in force changed since issuer change ${id} was proposed: reject it and propose again`, { field: 'id' });
      const proposed = row.settings as IssuerConfig;
      const after: IssuerConfig = current ? { ...current, bank: proposed.bank, qrCreditor: proposed.qrCreditor } : proposed;
      tx.insert(issuerChangeDecisions)
        .values({ changeId: id, decision: 'approved', decidedByUserId: actor.userId, decidedBy: actor.username, reason: input.reason ?? null })
        .run();
      putSettings(tx, after);
      writeAudit(tx, actor, 'issuer-change', String(id), { decision: 'approved', proposedBy: row.proposedBy, changes: issuerDiff(current, after, true), reason: input.reason ?? null });
      writeAudit(tx, actor, 'settings', 'issuer', { before: current, after, approvedChange: id });
      return changeOut(row, decisionOf(tx, id));
    },
    { behavior: 'immediate' },
  );
}

/** An admin rejects a pending change, with a reason; the proposer may withdraw their own. Nothing in force changes. */
export function rejectIssuerChange(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof issuerRejectionIn>): IssuerChangeOut {
  return ctx.db.transaction(
    (tx) => {
      const row = findChange(tx, id);
      if (actor.role !== 'admin' && actor.role !== 'system') throw new ServiceError(403, 'Forbidden', 'only an admin rejects a change of the bank details');
      tx.insert(issuerChangeDecisions)
        .values({ changeId: id, decision: 'rejected', decidedByUserId: actor.userId, decidedBy: actor.username, reason: input.reason })
        .run();
      writeAudit(tx, actor, 'issuer-change', String(id), { decision: 'rejected', proposedBy: row.proposedBy, reason: input.reason, withdrawn: sameActor(actor, row) });
      return changeOut(row, decisionOf(tx, id));
    },
    { behavior: 'immediate' },
  );
}
