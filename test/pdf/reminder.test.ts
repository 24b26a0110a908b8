/**
 * The reminder letter PDF: the same document gives the same bytes; the text
 * carries every overdue invoice, the totals and the reference in the
 * letter's language; the QR-bill carries the amount to pay and the
 * reminder's own RF reference.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReminderPdf, type ReminderDocument } from '../../src/pdf/reminder.js';
import { tempDir } from '../helpers.js';
import { pdfText } from '../pdf-text.js';
import { decodeQrOnLastPage, hasPdftoppm } from './qr.js';
import { REMINDER_EN, REMINDER_EN_LONG, REMINDER_ES, REMINDER_FR } from './reminder-fixtures.js';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
/** Text with no-break spaces folded to spaces and runs of spaces to one. */
const text = async (doc: ReminderDocument) => (await pdfText(await renderReminderPdf(doc))).replace(/\u00a0/g, ' ').replace(/ +/g, ' ');
const pages = async (doc: ReminderDocument) => (await pdfText(await renderReminderPdf(doc))).split('\n').length;

describe('the reminder letter', () => {
  it('renders the same bytes from the same document', async () => {
    for (const d of [REMINDER_FR, REMINDER_ES, REMINDER_EN]) expect(sha(await renderReminderPdf(d))).toBe(sha(await renderReminderPdf(structuredClone(d))));
    expect(sha(await renderReminderPdf(REMINDER_EN))).not.toBe(sha(await renderReminderPdf({ ...REMINDER_EN, level: 2 })));
  });

  it('in French: title, number, level, as-of date, each invoice with what is left, total, credit held, amount to pay, bank and reference', async () => {
    const t = await text(REMINDER_FR);
    for (const s of [
      'RAPPEL',
      'REM-2018-0003',
      '2 juillet 2018',
      'Deuxième rappel',
      'Selon nos écritures au 30 juin 2018',
      'Mission permanente de la République de Côte',
      'ISU-2017-0021 2017 31 mars 2017 1 802,10 1 802,10',
      'ISU-2018-0027 2018 31 mars 2018 1 794,24 894,24',
      'Total échu (CHF) 2 696,34',
      'Moins le crédit non imputé (paiements reçus d’avance) −150,00', // U+2212: the embedded font has the minus sign
      'Montant à payer CHF 2 546,34',
      'CH56 0483 5012 3456 7800 9',
      'Example Bank Ltd',
      'Implementation Support Unit CCM',
      'RF06 REM2 0180 003',
      'Page 1 sur 1',
    ])
      expect(t).toContain(s);
  });

  it('in Spanish and English, with no credit line when no credit is held', async () => {
    const es = await text(REMINDER_ES);
    for (const s of ['RECORDATORIO', 'Primer recordatorio', 'Según nuestros registros al 30 de junio de 2018', 'ISU-2018-0060 2018 31 mar. 2018 13.833,07 13.833,07', 'Total vencido (CHF) 13.833,07', 'Importe a pagar CHF 13.833,07'])
      expect(es).toContain(s);
    expect(es).not.toContain('Menos el crédito');
    const en = await text(REMINDER_EN);
    for (const s of ['REMINDER', 'First reminder', 'as of 30 June 2018', 'ISU-2016-0040 2016 31 Mar 2016 2,051.77 51.77', 'ISU-2018-0107 2018 3 May 2018 310.00 310.00', 'Total overdue (CHF) 4,617.49', 'Amount to pay CHF 4,617.49', 'RF60 REM2 0180 001'])
      expect(en).toContain(s);
    expect(en).not.toContain('Less unapplied credit');
  });

  it('keeps the QR-bill on page 1 when it fits, and gives a long letter the pages it needs with the amount repeated', async () => {
    expect(await pages(REMINDER_FR)).toBe(1);
    expect(await pages(REMINDER_EN)).toBe(1);
    const long = await text(REMINDER_EN_LONG);
    expect(long).toContain('Page 2 of 2');
    expect(long).toContain('Reminder no. 5');
    for (const inv of REMINDER_EN_LONG.invoices) expect(long).toContain(inv.number);
    expect(long).toContain('Total overdue (CHF) 29,999.70');
  });

  it.skipIf(!hasPdftoppm && !process.env.CI)('carries the amount to pay, the IBAN and the reminder’s RF reference in the QR code', async () => {
    const dir = tempDir();
    try {
      for (const d of [REMINDER_FR, REMINDER_EN_LONG]) {
        const file = path.join(dir, `${d.number}.pdf`);
        fs.writeFileSync(file, await renderReminderPdf(d));
        const lines = decodeQrOnLastPage(dir, file).split(/\r?\n/);
        expect(lines[0]).toBe('SPC');
        expect(lines).toContain('CH5604835012345678009');
        expect(lines).toContain(d.toPay);
        expect(lines[lines.indexOf('SCOR') + 1]).toBe(d.creditorReference);
        expect(lines).toContain(d.number);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
