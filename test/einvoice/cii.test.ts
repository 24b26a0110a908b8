/**
 * Invoices and credit notes as EN 16931 e-invoices (issue 17): the CII XML is
 * well-formed, names what the invoice says (number, State, ISU, IBAN, lines,
 * totals), escapes every text and sums exactly; the credit note is type 381
 * and references its invoice.
 */
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { CII_NAMESPACES, creditNoteCii, date102, EN16931_GUIDELINE, invoiceCii, VAT_EXEMPTION_REASON } from '../../src/einvoice/cii.js';
import type { InvoiceDocument, PartyBlock } from '../../src/pdf/types.js';
import { COTE_DIVOIRE, FRANCE, FRANCE_CREDIT_NOTE, ISSUER, MEXICO_CREDIT_NOTE, twoLines, invoice, party } from '../pdf/fixtures.js';

type X = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['ram:IncludedSupplyChainTradeLineItem', 'ram:IncludedNote'].includes(name),
});

function parse(xml: string): { root: X; doc: X; tx: X; agreement: X; settlement: X; sums: X; lines: X[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const root = (parser.parse(xml) as X)['rsm:CrossIndustryInvoice'] as X;
  const tx = root['rsm:SupplyChainTradeTransaction'] as X;
  const settlement = tx['ram:ApplicableHeaderTradeSettlement'] as X;
  return {
    root,
    doc: root['rsm:ExchangedDocument'] as X,
    tx,
    agreement: tx['ram:ApplicableHeaderTradeAgreement'] as X,
    settlement,
    sums: settlement['ram:SpecifiedTradeSettlementHeaderMonetarySummation'] as X,
    lines: tx['ram:IncludedSupplyChainTradeLineItem'] as X[],
  };
}

const dateOf = (node: X) => (node['udt:DateTimeString'] as X)['#text'] as string;

describe('invoiceCii', () => {
  const xml = invoiceCii({ ...FRANCE, creditApplied: '500.00' }, ISSUER);
  const p = parse(xml);

  it('is a CII D16B document of guideline EN 16931, with its four namespaces', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice')).toBe(true);
    for (const [prefix, uri] of Object.entries(CII_NAMESPACES)) expect(p.root[`@_xmlns:${prefix}`]).toBe(uri);
    expect(p.root['rsm:ExchangedDocumentContext']['ram:GuidelineSpecifiedDocumentContextParameter']['ram:ID']).toBe(EN16931_GUIDELINE);
  });

  it('names the invoice number, type 380, the issue date (102) and a note with the year, the decision and the cut-off date', () => {
    expect(p.doc['ram:ID']).toBe('ISU-2018-0031');
    expect(p.doc['ram:TypeCode']).toBe('380');
    expect(p.doc['ram:IssueDateTime']['udt:DateTimeString']).toEqual({ '@_format': '102', '#text': '20180115' });
    const note = p.doc['ram:IncludedNote'][0]['ram:Content'] as string;
    for (const s of ['2018', 'CCM/MSP/2017/2', '2017-09-06', '2018-03-31']) expect(note).toContain(s);
  });

  it('has the ISU as seller (no VAT id) with its IBAN and BIC, and the State as buyer by its ISO3', () => {
    const seller = p.agreement['ram:SellerTradeParty'] as X;
    expect(seller['ram:Name']).toBe(ISSUER.name);
    expect(seller['ram:PostalTradeAddress']).toEqual({ 'ram:PostcodeCode': '1202', 'ram:LineOne': 'Chemin Eugène-Rigot 2C', 'ram:CityName': 'Genève', 'ram:CountryID': 'CH' });
    expect(seller['ram:SpecifiedTaxRegistration']).toBeUndefined();
    expect(xml).not.toContain('SpecifiedTaxRegistration');
    expect(p.agreement['ram:BuyerReference']).toBe('FRA');
    const buyer = p.agreement['ram:BuyerTradeParty'] as X;
    expect(buyer['ram:Name']).toBe('France');
    expect(buyer['ram:PostalTradeAddress']['ram:LineOne']).toBe('Mission permanente — France');
    expect(buyer['ram:PostalTradeAddress']['ram:CountryID']).toBe('CH');
    const means = p.settlement['ram:SpecifiedTradeSettlementPaymentMeans'] as X;
    expect(means['ram:TypeCode']).toBe('30');
    expect(means['ram:PayeePartyCreditorFinancialAccount']['ram:IBANID']).toBe(ISSUER.bank.iban);
    expect(means['ram:PayeeSpecifiedCreditorFinancialInstitution']['ram:BICID']).toBe(ISSUER.bank.bic);
    expect(p.settlement['ram:PaymentReference']).toBe(FRANCE.creditorReference);
    expect(p.settlement['ram:InvoiceCurrencyCode']).toBe('CHF');
  });

  it('has one line per category with its amount, quantity 1 C62 and VAT category O', () => {
    expect(p.lines).toHaveLength(FRANCE.lines.length);
    FRANCE.lines.forEach((l, i) => {
      const line = p.lines[i]!;
      expect(line['ram:AssociatedDocumentLineDocument']['ram:LineID']).toBe(String(i + 1));
      expect(line['ram:SpecifiedTradeProduct']['ram:Name']).toBe(`Contribution 2018 — category ${l.code} ${l.label}`);
      expect(line['ram:SpecifiedLineTradeAgreement']['ram:NetPriceProductTradePrice']['ram:ChargeAmount']).toBe(l.amount);
      expect(line['ram:SpecifiedLineTradeDelivery']['ram:BilledQuantity']).toEqual({ '@_unitCode': 'C62', '#text': '1' });
      expect(line['ram:SpecifiedLineTradeSettlement']['ram:ApplicableTradeTax']).toEqual({ 'ram:TypeCode': 'VAT', 'ram:CategoryCode': 'O' });
      expect(line['ram:SpecifiedLineTradeSettlement']['ram:SpecifiedTradeSettlementLineMonetarySummation']['ram:LineTotalAmount']).toBe(l.amount);
    });
  });

  it('totals: line total, tax basis and grand total are the invoice total; no VAT; prepaid the credit applied, due the rest', () => {
    expect(p.sums['ram:LineTotalAmount']).toBe(FRANCE.total);
    expect(p.sums['ram:TaxBasisTotalAmount']).toBe(FRANCE.total);
    expect(p.sums['ram:TaxTotalAmount']).toEqual({ '@_currencyID': 'CHF', '#text': '0.00' });
    expect(p.sums['ram:GrandTotalAmount']).toBe(FRANCE.total);
    expect(p.sums['ram:TotalPrepaidAmount']).toBe('500.00');
    expect(FRANCE.total).toBe('42637.30');
    expect(p.sums['ram:DuePayableAmount']).toBe('42137.30');
    const tax = p.settlement['ram:ApplicableTradeTax'] as X;
    expect(tax).toMatchObject({ 'ram:CalculatedAmount': '0.00', 'ram:TypeCode': 'VAT', 'ram:ExemptionReason': VAT_EXEMPTION_REASON, 'ram:BasisAmount': FRANCE.total, 'ram:CategoryCode': 'O' });
    const terms = p.settlement['ram:SpecifiedTradePaymentTerms'] as X;
    expect(dateOf(terms['ram:DueDateDateTime'])).toBe('20180331');
    expect(terms['ram:Description']).toContain('2018-03-31');
    expect(dateOf(p.tx['ram:ApplicableHeaderTradeDelivery']['ram:ActualDeliverySupplyChainEvent']['ram:OccurrenceDateTime'])).toBe('20180115');
  });

  it('without credit applied: no prepaid amount, the whole total due', () => {
    const q = parse(invoiceCii(FRANCE, ISSUER));
    expect(q.sums['ram:TotalPrepaidAmount']).toBeUndefined();
    expect(q.sums['ram:DuePayableAmount']).toBe(FRANCE.total);
  });

  it('is the same text every time (deterministic)', () => {
    expect(invoiceCii({ ...FRANCE, creditApplied: '500.00' }, ISSUER)).toBe(xml);
  });

  it('a buyer address with a Swiss postcode line gives its postcode and town; a structured debtor address wins', () => {
    const q = parse(invoiceCii(COTE_DIVOIRE, ISSUER));
    expect(q.agreement['ram:BuyerTradeParty']['ram:PostalTradeAddress']).toEqual({
      'ram:PostcodeCode': '1209',
      'ram:LineOne': 'Mission permanente de la République de Côte d’Ivoire',
      'ram:LineTwo': 'auprès de l’Office des Nations Unies à Genève',
      'ram:LineThree': 'Chemin Moïse-Duboule 47',
      'ram:CityName': 'Genève',
      'ram:CountryID': 'CH',
    });
    const state = { ...FRANCE.state, debtor: { name: 'Mission', address: 'Rue de Lausanne', buildingNumber: '12', zip: '1201', city: 'Genève', country: 'FR' } } as PartyBlock;
    const r = parse(invoiceCii({ ...FRANCE, state }, ISSUER));
    expect(r.agreement['ram:BuyerTradeParty']['ram:PostalTradeAddress']).toEqual({ 'ram:PostcodeCode': '1201', 'ram:LineOne': 'Rue de Lausanne 12', 'ram:CityName': 'Genève', 'ram:CountryID': 'FR' });
  });

  it('escapes every text: a name with & and < stays a well-formed document that reads back the same', () => {
    const nasty = 'Trinidad & Tobago <Mission> "A" \'B\' ]]> &amp;';
    const doc = invoice(7, party('TTO', nasty, 'en', [`Permanent Mission of ${nasty}`, 'Geneva']), 'en', twoLines('10.00', '20.05', '0.1', '0.2'), {
      decisionRef: 'CCM/MSP/<2017>&2',
    });
    doc.lines[0]!.label = 'Equal & <fair>';
    const out = invoiceCii(doc, { ...ISSUER, name: 'ISU & <Co>' });
    expect(out).toContain('Trinidad &amp; Tobago &lt;Mission&gt;');
    expect(out).not.toContain('<Mission>');
    const q = parse(out);
    expect(q.agreement['ram:BuyerTradeParty']['ram:Name']).toBe(nasty);
    expect(q.agreement['ram:SellerTradeParty']['ram:Name']).toBe('ISU & <Co>');
    expect(q.lines[0]!['ram:SpecifiedTradeProduct']['ram:Name']).toBe('Contribution 2018 — category 7(a) Equal & <fair>');
    expect(q.doc['ram:IncludedNote'][0]['ram:Content']).toContain('CCM/MSP/<2017>&2');
  });

  it('throws when the lines do not sum to the total, or an amount is not a CHF amount', () => {
    expect(() => invoiceCii({ ...FRANCE, total: '42637.31' }, ISSUER)).toThrow(/sum to 42637.30, not to its total 42637.31/);
    expect(() => invoiceCii({ ...FRANCE, lines: [{ ...FRANCE.lines[0]!, amount: '1e3' }, FRANCE.lines[1]!] }, ISSUER)).toThrow(/not a non-negative CHF amount/);
    expect(() => invoiceCii({ ...FRANCE, creditApplied: '50000.00' }, ISSUER)).toThrow(/exceeds its total/);
    expect(() => date102('2018-02-30')).toThrow();
  });

  it('property: for any line amounts (centimes), line total = Σ lines = grand total and due = total − credit, exactly', () => {
    const cents = fc.bigInt({ min: 0n, max: 99_999_999_999_99n });
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 12 }), cents, (amounts, credit) => {
        const fmt = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
        const total = amounts.reduce((a, b) => a + b, 0n);
        const applied = credit > total ? total : credit;
        const doc: InvoiceDocument = {
          ...FRANCE,
          lines: amounts.map((c, i) => ({ code: `C${i}`, label: `L${i}`, basis: { method: 'equal', statesCount: 1 }, amount: fmt(c) })),
          total: fmt(total),
          creditApplied: fmt(applied),
        };
        const q = parse(invoiceCii(doc, ISSUER));
        expect(q.lines.map((l) => l['ram:SpecifiedLineTradeSettlement']['ram:SpecifiedTradeSettlementLineMonetarySummation']['ram:LineTotalAmount'])).toEqual(amounts.map(fmt));
        expect(q.sums['ram:LineTotalAmount']).toBe(fmt(total));
        expect(q.sums['ram:GrandTotalAmount']).toBe(fmt(total));
        expect(q.sums['ram:TotalPrepaidAmount']).toBe(fmt(applied));
        expect(q.sums['ram:DuePayableAmount']).toBe(fmt(total - applied));
      }),
      { numRuns: 150 },
    );
  });
});

describe('creditNoteCii', () => {
  it('is type 381 with positive amounts, referencing the invoice it credits with its date', () => {
    const xml = creditNoteCii(FRANCE_CREDIT_NOTE, ISSUER);
    const p = parse(xml);
    expect(p.doc['ram:ID']).toBe('CN-2018-0001');
    expect(p.doc['ram:TypeCode']).toBe('381');
    expect(p.doc['ram:IncludedNote'][0]['ram:Content']).toContain(FRANCE_CREDIT_NOTE.reason);
    const ref = p.settlement['ram:InvoiceReferencedDocument'] as X;
    expect(ref['ram:IssuerAssignedID']).toBe(FRANCE.number);
    expect(ref['ram:FormattedIssueDateTime']['qdt:DateTimeString']).toEqual({ '@_format': '102', '#text': '20180115' });
    expect(p.sums['ram:GrandTotalAmount']).toBe(FRANCE.total);
    expect(p.sums['ram:DuePayableAmount']).toBe(FRANCE.total);
    expect(p.lines.map((l) => l['ram:SpecifiedLineTradeAgreement']['ram:NetPriceProductTradePrice']['ram:ChargeAmount'])).toEqual(FRANCE.lines.map((l) => l.amount));
    expect(xml).not.toMatch(/>-\d/);
    expect(p.agreement['ram:BuyerTradeParty']['ram:Name']).toBe('France');
    expect(p.settlement['ram:SpecifiedTradePaymentTerms']['ram:Description']).toMatch(/credited/);
  });

  it('a partial credit note has its own lines and total', () => {
    const p = parse(creditNoteCii(MEXICO_CREDIT_NOTE, ISSUER));
    expect(p.lines).toHaveLength(1);
    expect(p.sums['ram:LineTotalAmount']).toBe('1211.46');
    expect(() => creditNoteCii({ ...MEXICO_CREDIT_NOTE, total: '1211.47' }, ISSUER)).toThrow(/sum to/);
  });
});
