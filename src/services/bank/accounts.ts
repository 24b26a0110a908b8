/**
 * The ISU's bank accounts (SPEC 9.6): settings, not code. The operating
 * account receives contributions and pays expenditure (ledger account 1000);
 * the working capital reserve may have an account of its own (1010). With
 * nothing set, the operating account is the issuer's IBAN (the one invoices
 * print) in CHF. With no reserve account, the reserve's money is held on the
 * operating account, so that account's ledger cash is 1000 + 1010.
 * Four-eyes approval of a change (SPEC 9.8) is a later issue: today one admin
 * sets them, audited.
 */
import { eq } from 'drizzle-orm';
import { ACCOUNTS, type AccountCode } from '../../domain/ledger.js';
import { writeAudit } from '../../db/repositories/audit.js';
import { settings } from '../../db/schema.js';
import type { DbOrTx } from '../../db/client.js';
import type { BankAccountsIn } from '../../schemas/bank.js';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { getIssuer } from '../settings.js';

export const BANK_ACCOUNTS_KEY = 'bank.accounts';

export interface BankAccount {
  iban: string;
  currency: string;
}

export type AccountRole = 'operating' | 'reserve';

export interface BankAccounts {
  operating: BankAccount | null;
  reserve: BankAccount | null;
  /** Where the operating account comes from: these settings, the issuer's IBAN (nothing set), or nowhere. */
  source: 'settings' | 'issuer' | 'none';
}

export function getBankAccounts(db: DbOrTx): BankAccounts {
  const row = db.select().from(settings).where(eq(settings.key, BANK_ACCOUNTS_KEY)).get();
  if (row) {
    const v = row.value as { operating: BankAccount; reserve?: BankAccount | null };
    return { operating: v.operating, reserve: v.reserve ?? null, source: 'settings' };
  }
  const issuer = getIssuer(db);
  if (issuer) return { operating: { iban: issuer.bank.iban.replace(/\s+/g, '').toUpperCase(), currency: 'CHF' }, reserve: null, source: 'issuer' };
  return { operating: null, reserve: null, source: 'none' };
}

export function setBankAccounts(ctx: Ctx, actor: Actor, input: BankAccountsIn): BankAccounts {
  const value = { operating: input.operating, reserve: input.reserve ?? null };
  ctx.db.transaction(
    (tx) => {
      const before = getBankAccounts(tx);
      const now = new Date().toISOString();
      tx.insert(settings)
        .values({ key: BANK_ACCOUNTS_KEY, value, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } })
        .run();
      writeAudit(tx, actor, 'settings', BANK_ACCOUNTS_KEY, { before, after: value });
    },
    { behavior: 'immediate' },
  );
  return getBankAccounts(ctx.db);
}

/** Which of the ISU's accounts an IBAN is, if any. */
export function roleOf(accounts: BankAccounts, iban: string): AccountRole | null {
  if (accounts.operating?.iban === iban) return 'operating';
  if (accounts.reserve?.iban === iban) return 'reserve';
  return null;
}

/** The ledger accounts holding the cash of a bank account: 1000 (+ 1010 while the reserve has no account of its own), or 1010. */
export function cashAccountsOf(accounts: BankAccounts, role: AccountRole): AccountCode[] {
  if (role === 'reserve') return [ACCOUNTS.reserveCash];
  return accounts.reserve ? [ACCOUNTS.operatingCash] : [ACCOUNTS.operatingCash, ACCOUNTS.reserveCash];
}
