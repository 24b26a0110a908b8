/**
 * Writes db/seed/demo-camt053.xml, the demo's bank statement (SPEC 9.6):
 * January 2019 of the demo's operating account (the issuer's IBAN; no reserve
 * account is configured, so the account holds the reserve too). Run once,
 * committed: `npx tsx scripts/demo-camt053.ts`. It seeds the demo without
 * its statement into a temporary database and writes, from the demo's
 * deterministic invoices:
 * - three States paying their 2018 invoices in full, quoting the RF reference;
 * - Croatia paying its 2018 invoice in EUR, converted by the bank (the rate
 *   chosen so the CHF credited is exactly what Croatia owes);
 * - Lesotho paying its 2018 invoice without a reference, "Contribution 2018
 *   Kingdom of Lesotho": a suggestion in the queue, never applied;
 * - the bank's fee for the month.
 * The opening balance is the ledger's cash on 31 December 2018, so that after
 * the import the difference between the closing balance and the ledger is
 * exactly what waits in the queue.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { openDatabase } from '../src/db/client.js';
import { Dec, formatMoney, parseMoney } from '../src/domain/money.js';
import { cliActor } from '../src/services/actor.js';
import { ledgerCashOn } from '../src/services/bank/import.js';
import { DEMO_BANK_STATEMENT, DEMO_ISSUER, seedDemo } from '../src/services/demo.js';
import { listInvoices } from '../src/services/invoices.js';
import { camt053, type WriterEntry } from './camt-writer.js';

const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'isu-demo-camt-'));
const { db, sqlite, close } = openDatabase(path.join(dir, 'demo.sqlite'), { migrate: true });
const ctx = { db, sqlite, invoiceDir: path.join(dir, 'invoices') };
await seedDemo(ctx, cliActor('demo-camt053'), { bankStatement: false });

/** What a State still owes on its 2018 invoice, and the invoice's reference. */
function owed(iso3: string): { amount: string; reference: string } {
  const inv = listInvoices(ctx, { year: 2018, state: iso3 }, null)[0]!;
  const paid = (sqlite.prepare('SELECT COALESCE(SUM(amount_centimes), 0) AS s FROM applications WHERE invoice_number = ?').safeIntegers(true).get(inv.number) as { s: bigint }).s;
  const left = parseMoney(inv.netPayable) - paid;
  if (left <= 0n) throw new Error(`${iso3} owes nothing on ${inv.number}: choose another State`);
  return { amount: formatMoney(left), reference: inv.creditorReference };
}

/** A EUR amount and a rate (4 decimals, near `near`) that the bank converts to exactly `chf`. */
function eurFor(chf: string, near: string): { eur: string; rate: string } {
  for (let step = 0; step < 200; step++) {
    const rate = new Dec(near).plus(new Dec(step).div(10000));
    const eur = new Dec(chf).div(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    if (eur.mul(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).eq(chf)) return { eur: eur.toFixed(2), rate: rate.toFixed(4) };
  }
  throw new Error(`no EUR amount converts to CHF ${chf} near ${near}`);
}

const iban = DEMO_ISSUER.bank.iban.replace(/\s+/g, '');
const opening = ledgerCashOn(ctx, ['1000', '1010'], '2018-12-31');
const nzl = owed('NZL');
const hun = owed('HUN');
const hrv = owed('HRV');
const lux = owed('LUX');
const lso = owed('LSO');
const conversion = eurFor(hrv.amount, '1.1296');
const entries: WriterEntry[] = [
  { ref: 'EXB190108CR00012', direction: 'credit', amount: nzl.amount, valueDate: '2019-01-08', endToEndId: 'MFAT-UNOG-2019-004', debtorName: 'New Zealand Ministry of Foreign Affairs and Trade', creditorReference: nzl.reference },
  { ref: 'EXB190110CR00031', direction: 'credit', amount: hun.amount, valueDate: '2019-01-10', debtorName: 'Ministry of Foreign Affairs and Trade of Hungary', debtorIban: 'HU42117730161111101800000000', creditorReference: hun.reference },
  {
    ref: 'EXB190114CR00047',
    direction: 'credit',
    amount: hrv.amount,
    valueDate: '2019-01-15',
    bookingDate: '2019-01-14',
    endToEndId: 'MVEP-2019-CCM-1',
    debtorName: 'Ministry of Foreign and European Affairs of the Republic of Croatia',
    debtorIban: 'HR1210010051863000160',
    creditorReference: hrv.reference,
    unstructured: ['Contribution 2018 CCM ISU'],
    instructed: { currency: 'EUR', amount: conversion.eur, rate: conversion.rate },
  },
  { ref: 'EXB190117CR00052', direction: 'credit', amount: lux.amount, valueDate: '2019-01-17', debtorName: 'Ministere des Affaires etrangeres et europeennes, Luxembourg', debtorIban: 'LU280019400644750000', creditorReference: lux.reference },
  { ref: 'EXB190122CR00068', direction: 'credit', amount: lso.amount, valueDate: '2019-01-22', debtorName: 'Central Bank of Lesotho', unstructured: ['Contribution 2018 Kingdom of Lesotho', 'Convention on Cluster Munitions'] },
  { ref: 'EXB190131DB00003', direction: 'debit', amount: '18.40', valueDate: '2019-01-31', additionalInfo: 'Account maintenance and SWIFT charges January 2019' },
];
const xml = camt053({
  messageId: 'EXB-20190201-053-000201',
  createdAt: '2019-02-01T06:10:00+01:00',
  statements: [{ id: `053-${iban}-2019-01`, sequence: 13, iban, from: '2019-01-01', to: '2019-01-31', opening: formatMoney(opening), entries }],
});
fs.writeFileSync(
  DEMO_BANK_STATEMENT,
  xml.replace('<Document', `<!-- The demo's bank statement, January 2019 (illustrative). Written by scripts/demo-camt053.ts from the demo's invoices. -->\n<Document`),
);
close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`wrote ${DEMO_BANK_STATEMENT}: opening ${formatMoney(opening)}, ${entries.length} entries; Croatia EUR ${conversion.eur} at ${conversion.rate} = CHF ${hrv.amount}`);
