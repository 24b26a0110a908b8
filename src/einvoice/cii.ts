/**
 * Invoices and credit notes as EN 16931 e-invoices (issue 17): UN/CEFACT
 * Cross Industry Invoice (CII D16B) XML, guideline `urn:cen.eu:en16931:2017`
 * — the XML of Factur-X / ZUGFeRD at profile EN 16931. A rendering layer like
 * src/pdf: plain values in (the stored document and the issuer it printed),
 * text out; no I/O, no clock, so the same document gives the same XML.
 *
 * Choices, where EN 16931 leaves one or the data has no field for it:
 * - VAT: a State's contribution to an international organisation is not
 *   subject to VAT: one breakdown, category O (BR-O-*), exemption reason text
 *   and code VATEX-EU-O, tax 0.00; no VAT identifier anywhere (BR-O-02).
 * - Seller identifier (BT-29): BR-CO-26 wants BT-29, BT-30 or BT-31 and the
 *   ISU has no VAT number nor a registration number in its settings, so BT-29
 *   is the ISU's website (else its e-mail), without a scheme — an identifier
 *   "known by Buyer and Seller" as EN 16931 allows.
 * - Buyer address: a State's billing address is free lines. When the party
 *   block carries a structured `debtor` (the QR-bill's, if present) its
 *   street, number, postcode, city and country are used; otherwise the lines
 *   (at most three; more are joined into the third), a line "1211 Geneva" as
 *   postcode and city, and country CH (BR-11 requires one): the Permanent
 *   Missions the invoices go to are in Geneva.
 * - Delivery date (BT-72): the issue date (when the ledger recognises the
 *   contribution); the budget year itself is the invoicing period (BG-14,
 *   1 January – 31 December).
 * - Payment means: 30 (credit transfer; CHF is not SEPA) to the IBAN and BIC
 *   printed, with the ISO 11649 creditor reference as the remittance
 *   information (BT-83). A credit note carries no payment means: nothing is
 *   paid on it, the credit goes to the State's account (SPEC 9.2).
 * - Amounts: decimal strings with 2 decimals, computed in integer centimes
 *   (src/domain/money.ts), never through a JS number; lines must sum to the
 *   total, or this throws.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { isIsoDate } from '../domain/dates.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import type { CreditNoteDocument, InvoiceDocument, IssuerSettings, PartyBlock } from '../pdf/types.js';

export const CII_NAMESPACES = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
} as const;

/** The specification identifier (BT-24) of EN 16931 itself: Factur-X's profile EN 16931 (a.k.a. COMFORT). */
export const EN16931_GUIDELINE = 'urn:cen.eu:en16931:2017';

export const VAT_EXEMPTION_REASON = 'Not subject to VAT (contribution of a State Party to an international organisation)';
export const CURRENCY = 'CHF';
/** UNTDID 4461: 30 credit transfer (58 would be SEPA credit transfer, for EUR). */
export const PAYMENT_MEANS_CODE = '30';

/** The structured debtor address a party block may carry (the QR-bill's "payable by"), when it does. */
type Debtor = NonNullable<PartyBlock['debtor']>;

type Node = Record<string, unknown>;

// XML 1.0 allows no C0 control character but tab, line feed and carriage return: any other becomes a space.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const text = (s: string) => s.replace(FORBIDDEN, ' ');

/** "2018-03-31" → "20180331" (format 102). */
export function date102(iso: string): string {
  if (!isIsoDate(iso)) throw new Error(`internal: not an ISO date: ${JSON.stringify(iso)}`);
  return iso.replace(/-/g, '');
}

const dateTime = (iso: string): Node => ({ 'udt:DateTimeString': { '@_format': '102', '#text': date102(iso) } });

/** A non-negative money string with exactly 2 decimals ("12.5" → "12.50"); throws on anything else. */
function amount(s: string, what: string): string {
  return formatMoney(centimes(s, what));
}

function centimes(s: string, what: string): Centimes {
  try {
    return parseMoney(s);
  } catch {
    throw new Error(`internal: ${what} is not a non-negative CHF amount: ${JSON.stringify(s)}`);
  }
}

/** The line amounts in centimes, checked to sum to the document's total. */
function checkedLines(number: string, lines: { amount: string }[], total: string): { lines: Centimes[]; total: Centimes } {
  if (lines.length === 0) throw new Error(`internal: ${number} has no line`);
  const cs = lines.map((l, i) => centimes(l.amount, `line ${i + 1} of ${number}`));
  const t = centimes(total, `the total of ${number}`);
  if (sumCentimes(cs) !== t) throw new Error(`internal: the lines of ${number} sum to ${formatMoney(sumCentimes(cs))}, not to its total ${formatMoney(t)}`);
  return { lines: cs, total: t };
}

function lineItem(index: number, year: number, line: { code: string; label: string }, lineAmount: Centimes): Node {
  const a = formatMoney(lineAmount);
  return {
    'ram:AssociatedDocumentLineDocument': { 'ram:LineID': String(index + 1) },
    'ram:SpecifiedTradeProduct': {
      'ram:SellerAssignedID': text(line.code),
      'ram:Name': text(`Contribution ${year} — category ${line.code} ${line.label}`),
    },
    'ram:SpecifiedLineTradeAgreement': { 'ram:NetPriceProductTradePrice': { 'ram:ChargeAmount': a } },
    'ram:SpecifiedLineTradeDelivery': { 'ram:BilledQuantity': { '@_unitCode': 'C62', '#text': '1' } },
    'ram:SpecifiedLineTradeSettlement': {
      'ram:ApplicableTradeTax': { 'ram:TypeCode': 'VAT', 'ram:CategoryCode': 'O' },
      'ram:SpecifiedTradeSettlementLineMonetarySummation': { 'ram:LineTotalAmount': a },
    },
  };
}

function sellerParty(issuer: IssuerSettings): Node {
  const q = issuer.qrCreditor;
  return {
    'ram:ID': text(issuer.website ?? issuer.email),
    'ram:Name': text(issuer.name),
    'ram:PostalTradeAddress': {
      'ram:PostcodeCode': text(q.zip),
      'ram:LineOne': text(q.buildingNumber ? `${q.address} ${q.buildingNumber}` : q.address),
      'ram:CityName': text(q.city),
      'ram:CountryID': text(q.country),
    },
    'ram:URIUniversalCommunication': { 'ram:URIID': { '@_schemeID': 'EM', '#text': text(issuer.email) } },
  };
}

/** A Swiss postcode and town on one line: "1211 Geneva", "CH-1211 Genève 20", "1209 Genève, Suisse" (the country is CountryID). */
const POSTCODE_CITY = /^(?:CH-)?(\d{4})\s+(\S.*?)(?:,\s*(?:Switzerland|Suisse|Suiza|Schweiz|Svizzera))?$/i;

function buyerAddress(party: PartyBlock): Node {
  const debtor = (party as PartyBlock & { debtor?: Debtor | undefined }).debtor;
  if (debtor)
    return {
      'ram:PostcodeCode': text(debtor.zip),
      'ram:LineOne': text(debtor.buildingNumber ? `${debtor.address} ${debtor.buildingNumber}` : debtor.address),
      'ram:CityName': text(debtor.city),
      'ram:CountryID': text(debtor.country),
    };
  const lines = party.addressLines.map((l) => l.trim()).filter((l) => l !== '');
  const at = lines.findIndex((l) => POSTCODE_CITY.test(l));
  const pc = at >= 0 ? POSTCODE_CITY.exec(lines[at]!)! : null;
  const rest = at >= 0 ? lines.filter((_, i) => i !== at) : lines;
  const three = rest.length > 3 ? [rest[0]!, rest[1]!, rest.slice(2).join(', ')] : rest;
  return {
    ...(pc ? { 'ram:PostcodeCode': pc[1] } : {}),
    ...(three[0] !== undefined ? { 'ram:LineOne': text(three[0]) } : {}),
    ...(three[1] !== undefined ? { 'ram:LineTwo': text(three[1]) } : {}),
    ...(three[2] !== undefined ? { 'ram:LineThree': text(three[2]) } : {}),
    ...(pc ? { 'ram:CityName': text(pc[2]!) } : {}),
    'ram:CountryID': 'CH',
  };
}

function buyerParty(party: PartyBlock): Node {
  const email = party.emails[0];
  return {
    'ram:Name': text(party.name),
    'ram:PostalTradeAddress': buyerAddress(party),
    ...(email !== undefined ? { 'ram:URIUniversalCommunication': { 'ram:URIID': { '@_schemeID': 'EM', '#text': text(email) } } } : {}),
  };
}

const vatBreakdown = (basis: string): Node => ({
  'ram:CalculatedAmount': '0.00',
  'ram:TypeCode': 'VAT',
  'ram:ExemptionReason': VAT_EXEMPTION_REASON,
  'ram:BasisAmount': basis,
  'ram:CategoryCode': 'O',
  'ram:ExemptionReasonCode': 'VATEX-EU-O',
});

const billingPeriod = (year: number): Node => ({
  'ram:StartDateTime': dateTime(`${year}-01-01`),
  'ram:EndDateTime': dateTime(`${year}-12-31`),
});

function build(root: Node): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', format: true, indentBy: '  ', processEntities: true, suppressEmptyNode: false });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({
    'rsm:CrossIndustryInvoice': {
      '@_xmlns:rsm': CII_NAMESPACES.rsm,
      '@_xmlns:qdt': CII_NAMESPACES.qdt,
      '@_xmlns:ram': CII_NAMESPACES.ram,
      '@_xmlns:udt': CII_NAMESPACES.udt,
      'rsm:ExchangedDocumentContext': { 'ram:GuidelineSpecifiedDocumentContextParameter': { 'ram:ID': EN16931_GUIDELINE } },
      ...root,
    },
  })}`;
}

const note = (content: string): Node => ({ 'ram:Content': text(content) });

/** A preceding invoice (BT-25, BT-26): the date in format 102 when known. */
const precedingInvoice = (number: string, issueDate?: string): Node => ({
  'ram:IssuerAssignedID': text(number),
  ...(issueDate !== undefined ? { 'ram:FormattedIssueDateTime': { 'qdt:DateTimeString': { '@_format': '102', '#text': date102(issueDate) } } } : {}),
});

/** The document's header: its number, type (380 invoice, 381 credit note), issue date and notes. */
function exchangedDocument(number: string, typeCode: '380' | '381', issueDate: string, notes: string[]) {
  return { 'ram:ID': text(number), 'ram:TypeCode': typeCode, 'ram:IssueDateTime': dateTime(issueDate), 'ram:IncludedNote': notes.map(note) };
}

/** An invoice (type 380) as EN 16931 CII XML; `issuer` is the one the invoice printed. */
export function invoiceCii(doc: InvoiceDocument, issuer: IssuerSettings): string {
  const { lines, total } = checkedLines(doc.number, doc.lines, doc.total);
  const prepaid = doc.creditApplied !== undefined ? centimes(doc.creditApplied, `the credit applied to ${doc.number}`) : null;
  if (prepaid !== null && prepaid > total) throw new Error(`internal: the credit applied to ${doc.number} exceeds its total`);
  const t = formatMoney(total);
  const notes = [
    `Assessed contribution for the budget year ${doc.budgetYear}, approved by decision ${doc.decisionRef} of ${doc.approvedOn}; payable by the cut-off date ${doc.cutoffDate}.`,
    ...(doc.reissueOf ? [`Issued again in place of invoice ${doc.reissueOf.invoice}, cancelled by credit note ${doc.reissueOf.creditNote}.`] : []),
    ...(doc.revision
      ? [`Supplementary invoice after budget revision ${doc.revision.version} (decision ${doc.revision.decisionRef} of ${doc.revision.approvedOn}) to invoice ${doc.revision.originalInvoice}: assessed ${amount(doc.revision.previousTotal, 'the previous total')}, revised ${amount(doc.revision.revisedTotal, 'the revised total')}.`]
      : []),
    ...(doc.late ? [`Late invoice: the Convention entered into force for the State on ${doc.late.entryIntoForce}, after the membership date ${doc.late.membershipDate} of the budget.`] : []),
  ];
  const preceding = doc.reissueOf?.invoice ?? doc.revision?.originalInvoice;
  const bank = issuer.bank;
  return build({
    'rsm:ExchangedDocument': exchangedDocument(doc.number, '380', doc.issueDate, notes),
    'rsm:SupplyChainTradeTransaction': {
      'ram:IncludedSupplyChainTradeLineItem': doc.lines.map((l, i) => lineItem(i, doc.budgetYear, l, lines[i]!)),
      'ram:ApplicableHeaderTradeAgreement': {
        'ram:BuyerReference': text(doc.state.iso3),
        'ram:SellerTradeParty': sellerParty(issuer),
        'ram:BuyerTradeParty': buyerParty(doc.state),
        'ram:ContractReferencedDocument': { 'ram:IssuerAssignedID': text(doc.decisionRef) },
      },
      'ram:ApplicableHeaderTradeDelivery': { 'ram:ActualDeliverySupplyChainEvent': { 'ram:OccurrenceDateTime': dateTime(doc.issueDate) } },
      'ram:ApplicableHeaderTradeSettlement': {
        'ram:PaymentReference': text(doc.creditorReference),
        'ram:InvoiceCurrencyCode': CURRENCY,
        'ram:SpecifiedTradeSettlementPaymentMeans': {
          'ram:TypeCode': PAYMENT_MEANS_CODE,
          'ram:PayeePartyCreditorFinancialAccount': { 'ram:IBANID': text(bank.iban.replace(/\s+/g, '')), 'ram:AccountName': text(bank.accountHolder) },
          'ram:PayeeSpecifiedCreditorFinancialInstitution': { 'ram:BICID': text(bank.bic.replace(/\s+/g, '')) },
        },
        'ram:ApplicableTradeTax': vatBreakdown(t),
        'ram:BillingSpecifiedPeriod': billingPeriod(doc.budgetYear),
        'ram:SpecifiedTradePaymentTerms': {
          'ram:Description': text(`Payable by ${doc.cutoffDate} (the cut-off date of the budget ${doc.budgetYear}); quote the reference ${doc.creditorReference}.`),
          'ram:DueDateDateTime': dateTime(doc.cutoffDate),
        },
        'ram:SpecifiedTradeSettlementHeaderMonetarySummation': {
          'ram:LineTotalAmount': formatMoney(sumCentimes(lines)),
          'ram:TaxBasisTotalAmount': t,
          'ram:TaxTotalAmount': { '@_currencyID': CURRENCY, '#text': '0.00' },
          'ram:GrandTotalAmount': t,
          ...(prepaid !== null ? { 'ram:TotalPrepaidAmount': formatMoney(prepaid) } : {}),
          'ram:DuePayableAmount': formatMoney(total - (prepaid ?? 0n)),
        },
        ...(preceding !== undefined ? { 'ram:InvoiceReferencedDocument': precedingInvoice(preceding) } : {}),
      },
    },
  });
}

/** A credit note (type 381, positive amounts) as EN 16931 CII XML, referencing the invoice it credits; `issuer` is the one it printed. */
export function creditNoteCii(doc: CreditNoteDocument, issuer: IssuerSettings): string {
  const { lines, total } = checkedLines(doc.number, doc.lines, doc.total);
  const t = formatMoney(total);
  const notes = [
    `Credit note on invoice ${doc.invoiceNumber} of ${doc.invoiceIssueDate} (budget year ${doc.budgetYear}): ${doc.reason}`,
    ...(doc.revision ? [`Budget revision ${doc.revision.version}, decision ${doc.revision.decisionRef} of ${doc.revision.approvedOn}.`] : []),
  ];
  return build({
    'rsm:ExchangedDocument': exchangedDocument(doc.number, '381', doc.issueDate, notes),
    'rsm:SupplyChainTradeTransaction': {
      'ram:IncludedSupplyChainTradeLineItem': doc.lines.map((l, i) => lineItem(i, doc.budgetYear, l, lines[i]!)),
      'ram:ApplicableHeaderTradeAgreement': {
        'ram:BuyerReference': text(doc.state.iso3),
        'ram:SellerTradeParty': sellerParty(issuer),
        'ram:BuyerTradeParty': buyerParty(doc.state),
      },
      'ram:ApplicableHeaderTradeDelivery': { 'ram:ActualDeliverySupplyChainEvent': { 'ram:OccurrenceDateTime': dateTime(doc.issueDate) } },
      'ram:ApplicableHeaderTradeSettlement': {
        'ram:InvoiceCurrencyCode': CURRENCY,
        'ram:ApplicableTradeTax': vatBreakdown(t),
        'ram:BillingSpecifiedPeriod': billingPeriod(doc.budgetYear),
        'ram:SpecifiedTradePaymentTerms': {
          'ram:Description': text(`Nothing is paid on this credit note: the amount is credited to the account of ${doc.state.name} and applied to its open invoices.`),
        },
        'ram:SpecifiedTradeSettlementHeaderMonetarySummation': {
          'ram:LineTotalAmount': formatMoney(sumCentimes(lines)),
          'ram:TaxBasisTotalAmount': t,
          'ram:TaxTotalAmount': { '@_currencyID': CURRENCY, '#text': '0.00' },
          'ram:GrandTotalAmount': t,
          'ram:DuePayableAmount': t,
        },
        'ram:InvoiceReferencedDocument': precedingInvoice(doc.invoiceNumber, doc.invoiceIssueDate),
      },
    },
  });
}
