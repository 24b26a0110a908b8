import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCreditNotePdf } from '../../src/pdf/credit-note.js';
import {
  formatCreditorReference,
  formatDate,
  formatIban,
  formatMoney,
  formatPercent,
  labels,
  LABELS,
  LANGS,
} from '../../src/pdf/i18n.js';
import { qrAmount, renderInvoicePdf } from '../../src/pdf/invoice.js';
import { loadFonts } from '../../src/pdf/fonts.js';
import { isPrintable, printable } from '../../src/pdf/layout.js';
import { toQrText } from '../../src/pdf/qr-text.js';
import type { InvoiceDocument, Lang } from '../../src/pdf/types.js';
import {
  COTE_DIVOIRE,
  FRANCE,
  FRANCE_CANCELLED,
  FRANCE_CREDIT_NOTE,
  ILLUSTRATIVE_IBAN,
  IRELAND,
  IRELAND_CREDIT_NOTE,
  ISSUER,
  MEXICO,
  MEXICO_CREDIT_NOTE,
  SAO_TOME,
  SPAIN,
  TURKIYE_12,
  creditorReferenceIsValid,
  invoice,
  manyLines,
  ibanIsValid,
  mod97,
} from './fixtures.js';

// isPrintable and printable read the embedded fonts: loaded by the first document, or here (issue 19).
beforeAll(loadFonts);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The text of each page, no-break spaces folded to spaces and runs of spaces (between text items) to one. */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/\u00a0/g, ' ')
        .replace(/ {2,}/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}

const fold = (s: string) => s.replace(/\u00a0/g, ' ');
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

const QR_LABELS: Record<Lang, { receipt: string; paymentPart: string; reference: string }> = {
  en: { receipt: 'Receipt', paymentPart: 'Payment part', reference: 'Reference' },
  fr: { receipt: 'Récépissé', paymentPart: 'Section paiement', reference: 'Référence' },
  es: { receipt: 'Receipt', paymentPart: 'Payment part', reference: 'Reference' },
};

/** The QR-bill prints the amount the SIX way whatever the language: "42 637.30". */
const qrFigure = (amount: string) => formatMoney(amount, 'en').replace(/,/g, ' ');

describe('formatting per language (string manipulation only)', () => {
  it('formats money', () => {
    expect(formatMoney('590000.00', 'en')).toBe('590,000.00');
    expect(formatMoney('590000.00', 'fr')).toBe('590\u00a0000,00');
    expect(formatMoney('590000.00', 'es')).toBe('590.000,00');
    expect(formatMoney('1234567.5', 'en')).toBe('1,234,567.50');
    expect(formatMoney('12', 'fr')).toBe('12,00');
    expect(formatMoney('0.05', 'es')).toBe('0,05');
    expect(formatMoney('999', 'en')).toBe('999.00');
    expect(formatMoney('-1234.50', 'fr')).toBe('-1\u00a0234,50');
    expect(formatMoney('-0.00', 'en')).toBe('0.00');
    for (const bad of ['1.234', '1e5', '', 'abc', '1,00', '12.']) expect(() => formatMoney(bad, 'en'), bad).toThrow(RangeError);
    for (const lang of LANGS) expect(formatMoney('1000000.00', lang)).not.toContain('\u202f');
  });

  it('formats percentages, keeping the decimals given', () => {
    expect(formatPercent('4.859', 'en')).toBe('4.859\u00a0%');
    expect(formatPercent('9.907712', 'fr')).toBe('9,907712\u00a0%');
    expect(formatPercent('22', 'es')).toBe('22\u00a0%');
    expect(formatPercent('0.001', 'es')).toBe('0,001\u00a0%');
  });

  it('formats dates in words, from ISO strings', () => {
    expect(formatDate('2018-03-31', 'en')).toBe('31 March 2018');
    expect(formatDate('2018-03-31', 'fr')).toBe('31 mars 2018');
    expect(formatDate('2018-03-31', 'es')).toBe('31 de marzo de 2018');
    expect(formatDate('2018-01-01', 'fr')).toBe('1er janvier 2018');
    expect(formatDate('2018-01-01', 'en')).toBe('1 January 2018');
    expect(formatDate('2017-09-06', 'es')).toBe('6 de septiembre de 2017');
    expect(formatDate('2018-08-15', 'fr')).toBe('15 août 2018');
    expect(formatDate('2016-02-29', 'fr')).toBe('29 février 2016');
    for (const bad of ['2017-02-29', '2018-13-01', '2018-00-10', '31/03/2018', '']) expect(() => formatDate(bad, 'en'), bad).toThrow(RangeError);
  });

  it('describes the basis of each category in each language', () => {
    const equal = { method: 'equal', statesCount: 103 } as const;
    const scale = { method: 'scale', rate: '4.859', rebasedRate: '9.907712' } as const;
    expect(fold(labels('en').basisText(equal))).toBe('Equal share, 1/103');
    expect(fold(labels('fr').basisText(equal))).toBe('Part égale, 1/103');
    expect(fold(labels('es').basisText(equal))).toBe('Cuota igual, 1/103');
    expect(fold(labels('en').basisText(scale))).toBe('Scale rate 4.859 %, rebased share 9.907712 %');
    expect(fold(labels('fr').basisText(scale))).toBe('Taux du barème 4,859 %, quote-part recalculée 9,907712 %');
    expect(fold(labels('es').basisText(scale))).toBe('Tasa de la escala 4,859 %, cuota reajustada 9,907712 %');
    expect(labels('fr').decision('CCM/MSP/2017/2', '2017-09-06')).toBe(
      'Budget approuvé par l’Assemblée des États parties, décision CCM/MSP/2017/2 du 6 septembre 2017.',
    );
  });

  it('groups IBANs and creditor references by four', () => {
    expect(formatIban(ILLUSTRATIVE_IBAN)).toBe('CH56 0483 5012 3456 7800 9');
    expect(formatCreditorReference('RF18ISU20180001')).toBe('RF18 ISU2 0180 001');
  });

  it('has every label printable with the standard fonts', () => {
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(LABELS[lang])) {
        if (typeof value === 'string') expect(isPrintable(value), `${lang}.${key}`).toBe(true);
      }
    }
  });
});

describe('characters and the embedded font', () => {
  it('keeps é ô ñ ç ã ü ’ « » œ and the Latin Extended letters (Ş ğ ı ő ł) as they are', () => {
    const s = 'é ô ñ ç ã ü ’ « » œ — Côte d’Ivoire, São Tomé, España, Türkiye, Curaçao, Ş ğ ı ő ł ș ț';
    expect(isPrintable(s)).toBe(true);
    expect(printable(s)).toBe(s);
  });

  it('replaces what the font lacks by the nearest letter, never by an empty box', () => {
    expect(isPrintable('日本')).toBe(false);
    expect(printable('日本 Genève')).toBe('?? Genève');
    expect(printable('a\u0301')).toBe('á'); // composed first
  });

  it('gives the QR-bill only the characters of its standard (Latin, Ș ș Ț ț and €): quotes and dashes become ASCII', () => {
    expect(toQrText('Mission permanente de l’Afghanistan — Genève')).toBe("Mission permanente de l'Afghanistan - Genève");
    expect(toQrText('Ş ğ ı ő ł ș ț €')).toBe('Ş ğ ı ő ł ș ț €');
    expect(toQrText('Ǎ 日 …')).toBe('A . ...'); // beyond Latin Extended-A: base letter, else "."; the ellipsis spelt out
  });

  it('can print every State name of the seed register in all three languages', () => {
    const csv = fs.readFileSync(path.join(import.meta.dirname, '../../db/seed/states-parties-2017.csv'), 'utf8');
    const names = csv.split('\n').slice(1).filter(Boolean).flatMap((row) => row.split(',').slice(1, 4));
    expect(names.length).toBeGreaterThan(300);
    for (const name of names) expect(isPrintable(name), name).toBe(true);
  });
});

describe('the sample data', () => {
  it('uses a valid IBAN that is not a QR-IBAN, and valid ISO 11649 references', () => {
    expect(ibanIsValid(ILLUSTRATIVE_IBAN)).toBe(true);
    expect(mod97('04835012345678009' + '1217' + '56')).toBe(1); // BBAN, then C=12 H=17 and the check digits 56
    expect(ibanIsValid('CH5704835012345678009')).toBe(false);
    const iid = Number(ILLUSTRATIVE_IBAN.slice(4, 9));
    expect(iid < 30000 || iid > 31999).toBe(true);
    for (const inv of [FRANCE, COTE_DIVOIRE, MEXICO, SPAIN, IRELAND, SAO_TOME, TURKIYE_12]) {
      expect(creditorReferenceIsValid(inv.creditorReference), inv.creditorReference).toBe(true);
    }
    expect(creditorReferenceIsValid('RF18539007547034')).toBe(true); // the example of ISO 11649
  });

  it('converts the total for the QR-bill only when exact', () => {
    expect(qrAmount('590000.00')).toBe(590000);
    expect(qrAmount('0.1')).toBe(0.1);
    expect(() => qrAmount('1000000000.00')).toThrow(RangeError);
    expect(() => qrAmount('-5.00')).toThrow(RangeError);
  });
});

const cases: { name: string; inv: InvoiceDocument; payable: string; page1: string }[] = [
  { name: 'France', inv: FRANCE, payable: 'Payable au plus tard le 31 mars 2018', page1: 'Page 1 sur ' },
  { name: 'Côte d’Ivoire', inv: COTE_DIVOIRE, payable: 'Payable au plus tard le 31 mars 2018', page1: 'Page 1 sur ' },
  { name: 'México', inv: MEXICO, payable: 'Pagadero a más tardar el 31 de marzo de 2018', page1: 'Página 1 de ' },
  { name: 'España', inv: SPAIN, payable: 'Pagadero a más tardar el 31 de marzo de 2018', page1: 'Página 1 de ' },
  { name: 'Ireland', inv: IRELAND, payable: 'Payable by 31 March 2018', page1: 'Page 1 of ' },
  { name: 'São Tomé and Príncipe', inv: SAO_TOME, payable: 'Payable by 31 March 2018', page1: 'Page 1 of ' },
];

describe('invoice PDF', () => {
  for (const c of cases) {
    it(`prints everything a ${c.inv.language} invoice needs (${c.name})`, async () => {
      const inv = c.inv;
      const L = labels(inv.language);
      const pdf = await renderInvoicePdf(inv, ISSUER);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = await pageTexts(pdf);
      const all = pages.join('\n');
      const last = pages[pages.length - 1] ?? '';

      expect(all).toContain(c.name);
      expect(all).toContain(inv.number);
      expect(all).toContain(L.invoice.toUpperCase());
      expect(all).toContain(formatDate(inv.issueDate, inv.language));
      for (const line of inv.lines) expect(all, line.code).toContain(fold(formatMoney(line.amount, inv.language)));
      expect(all).toContain(fold(formatMoney(inv.total, inv.language)));
      expect(all).toContain(c.payable);
      expect(all).toContain(fold(`CHF ${formatMoney(inv.total, inv.language)}`));
      // The decision sentence may wrap in its column: compare with line breaks as spaces.
      expect(all.replace(/\s+/g, ' ')).toContain(fold(L.decision(inv.decisionRef, inv.approvedOn, inv.approvingMeeting)).replace(/\s+/g, ' '));
      expect(all).toContain('CCM/MSP/2017/2');
      expect(all).toContain(fold(L.basisText(inv.lines[0]!.basis)));
      expect(all).toContain(formatIban(ISSUER.bank.iban));
      expect(all).toContain(ISSUER.bank.bic);
      expect(all).toContain(L.referenceToQuote);
      const ref = formatCreditorReference(inv.creditorReference);
      expect(all).toContain(ref);
      expect(pages[0]).toContain(`${c.page1}${pages.length}`);
      pages.forEach((p, i) => expect(p).toContain(L.page(i + 1, pages.length)));

      // The QR-bill on the last page, in FR for French and EN otherwise, with the invoice's reference and amount.
      const qr = QR_LABELS[inv.language];
      expect(last).toContain(qr.receipt);
      expect(last).toContain(qr.paymentPart);
      expect(count(last, ref)).toBeGreaterThanOrEqual(2); // receipt + payment part
      expect(count(last, qrFigure(inv.total))).toBe(2);
      expect(last).toContain(inv.number); // additional information
      for (const p of pages.slice(0, -1)) expect(p).not.toContain(qr.paymentPart);

      if (inv.earlierOutstanding.length > 0) {
        expect(all).toContain(L.earlierOutstandingTitle);
        for (const e of inv.earlierOutstanding) expect(all).toContain(fold(formatMoney(e.amount, inv.language)));
      } else {
        expect(all).not.toContain(L.earlierOutstandingTitle);
      }
    });
  }

  it('puts the QR-bill on the first page when everything fits, on a page of its own otherwise', async () => {
    expect(await pageTexts(await renderInvoicePdf(FRANCE, ISSUER))).toHaveLength(1);
    expect(await pageTexts(await renderInvoicePdf(COTE_DIVOIRE, ISSUER))).toHaveLength(1);
    // Seven category lines leave no room for the payment part on page 1.
    const long = invoice(27, COTE_DIVOIRE.state, 'fr', manyLines(7));
    const civ = await pageTexts(await renderInvoicePdf(long, ISSUER));
    expect(civ).toHaveLength(2);
    expect(civ[0]).not.toContain('Récépissé');
    // The page holding only the payment part repeats the deadline and the amount.
    expect(civ[1]).toContain('Payable au plus tard le 31 mars 2018');
    expect(civ[1]).toContain('Récépissé');
  });

  it('gives the same bytes for the same input, whatever the time zone', async () => {
    const a = await renderInvoicePdf(FRANCE, ISSUER);
    const b = await renderInvoicePdf(structuredClone(FRANCE), structuredClone(ISSUER));
    const tz = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    let c: Buffer;
    try {
      c = await renderInvoicePdf(FRANCE, ISSUER);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(sha256(b)).toBe(sha256(a));
    expect(sha256(c)).toBe(sha256(a));
    const raw = a.toString('latin1');
    expect(raw).toContain('/CreationDate ');
    expect(raw).toContain('(D:20180115000000Z)'); // pdfkit writes the date as an indirect object
    expect(raw).not.toContain('/ModDate');
    // Another State gives other bytes (the /ID follows the info dictionary).
    expect(sha256(await renderInvoicePdf(MEXICO, ISSUER))).not.toBe(sha256(a));
  });

  it('numbers the pages of a 12-line invoice and ends with the QR-bill', async () => {
    const pdf = await renderInvoicePdf(TURKIYE_12, ISSUER);
    const pages = await pageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} of ${pages.length}`));
    expect(pages.join('\n')).toContain('Türkiye');
    for (const line of TURKIYE_12.lines) expect(pages.join('\n')).toContain(formatMoney(line.amount, 'en'));
    expect(pages.join('\n')).toContain(`Total due (CHF) ${formatMoney(TURKIYE_12.total, 'en')}`);
    const last = pages[pages.length - 1]!;
    expect(last).toContain('Receipt');
    expect(last).toContain('Payment part');
    expect(last).toContain(formatCreditorReference(TURKIYE_12.creditorReference));
    for (const p of pages.slice(0, -1)) expect(p).not.toContain('Payment part');
    expect(sha256(await renderInvoicePdf(TURKIYE_12, ISSUER))).toBe(sha256(pdf));
  });

  it('repeats the table header when the lines run over a page', async () => {
    const many = { ...TURKIYE_12, lines: [...TURKIYE_12.lines, ...TURKIYE_12.lines, ...TURKIYE_12.lines] };
    const pages = await pageTexts(await renderInvoicePdf(many, ISSUER));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[1]).toContain('Invoice ISU-2018-0099 (continued)');
    expect(pages[1]).toContain('Amount (CHF)');
  });

  it('marks a cancelled invoice and leaves out the QR-bill', async () => {
    const pages = await pageTexts(await renderInvoicePdf(FRANCE_CANCELLED, ISSUER));
    const all = pages.join('\n');
    expect(all).toContain('ANNULÉE — voir la note de crédit CN-2018-0001');
    expect(all).toContain(FRANCE.number);
    expect(all).not.toContain('Récépissé');
    expect(all).not.toContain('Section paiement');
    pages.forEach((p, i) => expect(p).toContain(`Page ${i + 1} sur ${pages.length}`));
    const en = (await pageTexts(await renderInvoicePdf({ ...IRELAND, cancelledBy: 'CN-2018-0003' }, ISSUER))).join('\n');
    expect(en).toContain('CANCELLED — see credit note CN-2018-0003');
    expect(en).not.toContain('Receipt');
  });

  it('refuses a QR-IBAN (the creditor reference needs an ordinary IBAN)', async () => {
    const qrIban = { ...ISSUER, bank: { ...ISSUER.bank, iban: 'CH4431999123000889012' } };
    await expect(renderInvoicePdf(FRANCE, qrIban)).rejects.toThrow();
  });
});

describe('credit note PDF', () => {
  it.each([
    ['fr', FRANCE_CREDIT_NOTE, 'NOTE DE CRÉDIT', 'Page 1 sur 1', '1er février 2018', 'Note de crédit relative à la facture ISU-2018-0031 du 15 janvier 2018.'],
    ['es', MEXICO_CREDIT_NOTE, 'NOTA DE CRÉDITO', 'Página 1 de 1', '1 de marzo de 2018', 'Nota de crédito relativa a la factura ISU-2018-0060 del 15 de enero de 2018.'],
    ['en', IRELAND_CREDIT_NOTE, 'CREDIT NOTE', 'Page 1 of 1', '1 April 2018', 'Credit note relating to invoice ISU-2018-0046 of 15 January 2018.'],
  ] as const)('prints a %s credit note', async (lang, cn, title, page, issued, intro) => {
    const pdf = await renderCreditNotePdf(cn, ISSUER);
    const all = (await pageTexts(pdf)).join('\n');
    expect(all).toContain(title);
    expect(all).toContain(cn.number);
    expect(all).toContain(cn.state.name);
    expect(all).toContain(issued);
    expect(all).toContain(intro);
    expect(all).toContain(cn.reason);
    for (const l of cn.lines) expect(all).toContain(fold(formatMoney(l.amount, lang)));
    expect(all).toContain(fold(`${labels(lang).totalCreditedChf} ${formatMoney(cn.total, lang)}`));
    expect(all).toContain(page);
    expect(all).not.toMatch(/Receipt|Récépissé|Payment part|Section paiement/);
    expect(sha256(await renderCreditNotePdf(structuredClone(cn), ISSUER))).toBe(sha256(pdf));
  });
});
