/**
 * Labels and number/date formatting for the three working languages of the
 * Convention's documents (en, fr, es).
 *
 * Everything here is string manipulation: money and rates arrive as decimal
 * strings ("590000.00", "9.907712") and never pass through a JS `number`, and
 * dates arrive as ISO strings ("2018-03-31") and never pass through `Date`
 * or the local time zone. No `Intl`/`toLocaleString`, so the output does not
 * depend on the ICU data of the Node build that runs it.
 *
 * The French thousands separator is U+00A0 (no-break space): it is in the
 * embedded font and the one thousands separator every PDF viewer copies as a space.
 */
import type { Lang, LineBasis, RevisionNote, StatementDocument } from './types.js';
import { groupsOfFour } from '../domain/creditor-reference.js';
import type { NumberConvention } from '../domain/addressee.js';

export { groupsOfFour };
export type { NumberConvention };

export const LANGS: readonly Lang[] = ['en', 'fr', 'es'];

/**
 * The Convention's terms, one form per language, used by every label that
 * names them: a document never says "Estado Parte" on one line and "Estado
 * parte" on the next (the Spanish and French forms follow the United Nations'
 * terminology: "Estado parte", "État partie").
 */
export const GLOSSARY: Record<Lang, { stateParty: string; statesParties: string; meetingOfStatesParties: string; theIsu: string }> = {
  en: { stateParty: 'State Party', statesParties: 'States Parties', meetingOfStatesParties: 'the Meeting of States Parties', theIsu: 'the Implementation Support Unit' },
  fr: { stateParty: 'État partie', statesParties: 'États parties', meetingOfStatesParties: 'l’Assemblée des États parties', theIsu: 'l’Unité d’appui à l’application' },
  es: {
    stateParty: 'Estado parte',
    statesParties: 'Estados partes',
    meetingOfStatesParties: 'la Reunión de los Estados partes',
    theIsu: 'la Dependencia de Apoyo a la Aplicación',
  },
};

/** U+00A0 NO-BREAK SPACE. */
export const NBSP = '\u00a0';

interface NumberStyle {
  group: string;
  decimal: string;
}

/**
 * How numbers are written: per document language (as before), or per
 * number convention of a State (SPEC 9.10): 1,234.56; 1 234,56 (U+00A0);
 * 1.234,56; 1’234.56 (U+2019, in WinAnsi).
 */
const NUMBER_STYLE: Record<Lang | NumberConvention, NumberStyle> = {
  en: { group: ',', decimal: '.' },
  fr: { group: NBSP, decimal: ',' },
  es: { group: '.', decimal: ',' },
  'comma-dot': { group: ',', decimal: '.' },
  'space-comma': { group: NBSP, decimal: ',' },
  'dot-comma': { group: '.', decimal: ',' },
  'apostrophe-dot': { group: '\u2019', decimal: '.' },
};

/** A document language or a State's number convention: what the number formatters take. */
export type NumberStyleKey = Lang | NumberConvention;

/** Groups the digits of a non-negative integer string by three: "590000" → "590,000". */
function groupDigits(digits: string, separator: string): string {
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) {
    const chunk = digits.slice(Math.max(0, i - 3), i);
    out = out === '' ? chunk : chunk + separator + out;
  }
  return out;
}

function stripLeadingZeros(digits: string): string {
  const s = digits.replace(/^0+/, '');
  return s === '' ? '0' : s;
}

const DECIMAL = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

/**
 * A money amount (decimal string, at most two decimals, optionally signed)
 * formatted for the language or number convention, always with two decimals:
 * en "590,000.00", fr "590 000,00" (U+00A0), es "590.000,00";
 * comma-dot, space-comma and dot-comma as en, fr and es, apostrophe-dot
 * "590’000.00".
 */
/** The number convention a document to a State writes its amounts in: the State's own (SPEC 9.10), else its language's. */
export function numberStyleOf(d: { language: Lang; state: { numberConvention?: NumberConvention | undefined } }): NumberStyleKey {
  return d.state.numberConvention ?? d.language;
}

export function formatMoney(amount: string, lang: NumberStyleKey): string {
  const m = DECIMAL.exec(amount.trim());
  if (!m || (m[3] !== undefined && m[3].length > 2)) {
    throw new RangeError(`not a money amount with at most 2 decimals: ${JSON.stringify(amount)}`);
  }
  const style = NUMBER_STYLE[lang];
  const whole = stripLeadingZeros(m[2] ?? '0');
  const frac = (m[3] ?? '').padEnd(2, '0');
  const negative = m[1] === '-' && (whole !== '0' || /[1-9]/.test(frac));
  return `${negative ? '-' : ''}${groupDigits(whole, style.group)}${style.decimal}${frac}`;
}

/**
 * A decimal number string formatted for the language, keeping exactly the
 * decimals it was given: "9.907712" → en "9.907712", fr/es "9,907712".
 */
export function formatDecimal(value: string, lang: NumberStyleKey): string {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  const style = NUMBER_STYLE[lang];
  const whole = groupDigits(stripLeadingZeros(m[2] ?? '0'), style.group);
  return `${m[1] ?? ''}${whole}${m[3] !== undefined ? style.decimal + m[3] : ''}`;
}

/**
 * A percentage given as a percent string ("4.859" meaning 4.859 %), with its
 * sign after a no-break space: en "4.859 %", fr "4,859 %", es "4,859 %".
 */
export function formatPercent(value: string, lang: NumberStyleKey): string {
  return `${formatDecimal(value, lang)}${NBSP}%`;
}

/** A non-negative integer (a count, a year is NOT grouped: use String(year)). */
export function formatInteger(value: number, lang: NumberStyleKey): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  return groupDigits(String(value), NUMBER_STYLE[lang].group);
}

const MONTHS: Record<Lang, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Splits an ISO date ("2018-03-31", or a timestamp starting with one) into its parts; throws on an invalid date. */
export function isoDateParts(iso: string): { year: number; month: number; day: number } {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:$|T)/.exec(iso);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not an ISO 8601 date: ${JSON.stringify(iso)}`);
  }
  return { year, month, day };
}

/**
 * A date in words: en "31 March 2018", fr "31 mars 2018" ("1er janvier 2018"),
 * es "31 de marzo de 2018".
 */
export function formatDate(iso: string, lang: Lang): string {
  const { year, month, day } = isoDateParts(iso);
  const monthName = MONTHS[lang][month - 1] ?? '';
  switch (lang) {
    case 'en':
      return `${day} ${monthName} ${year}`;
    case 'fr':
      return `${day === 1 ? '1er' : String(day)} ${monthName} ${year}`;
    case 'es':
      return `${day} de ${monthName} de ${year}`;
  }
}

const SHORT_MONTHS: Record<Lang, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  es: ['ene.', 'feb.', 'mar.', 'abr.', 'may.', 'jun.', 'jul.', 'ago.', 'sept.', 'oct.', 'nov.', 'dic.'],
};

/**
 * A date for a table column, short but unambiguous in every language:
 * en "15 Jan 2018", fr "15 janv. 2018" ("1er févr. 2018"), es "15 ene. 2018".
 * The parts are joined by no-break spaces so a date never wraps.
 */
export function formatShortDate(iso: string, lang: Lang): string {
  const { year, month, day } = isoDateParts(iso);
  const d = lang === 'fr' && day === 1 ? '1er' : String(day);
  return [d, SHORT_MONTHS[lang][month - 1] ?? '', String(year)].join(NBSP);
}

/** "CH5604835012345678009" → "CH56 0483 5012 3456 7800 9". */
export function formatIban(iban: string): string {
  return groupsOfFour(iban.toUpperCase());
}

/** "RF18ISU20180001" → "RF18 ISU2 0180 001" (the way ISO 11649 references are printed). */
export function formatCreditorReference(reference: string): string {
  return groupsOfFour(reference.toUpperCase());
}

/** Every label printed on the invoices and credit notes. */
export interface Labels {
  lang: Lang;
  /** Language of the Swiss QR-bill payment part (the library knows DE, FR, IT, EN, RM). */
  qrBillLanguage: 'EN' | 'FR';
  /** Printed above the payment part when it is not in the document's language (the QR-bill standard has no Spanish). */
  paymentPartNote?: string;
  invoice: string;
  creditNote: string;
  /** The big mark on a cancelled invoice, e.g. "CANCELLED". */
  cancelled: string;
  invoiceNumber: string;
  creditNoteNumber: string;
  issueDate: string;
  budgetYear: string;
  stateParty: string;
  email: string;
  /** Intro sentence of an invoice. */
  invoiceIntro(budgetYear: number): string;
  /** "Budget approved by the Meeting of States Parties, decision … of …". `meeting` overrides the approving body. */
  decision(decisionRef: string, approvedOn: string, meeting?: string): string;
  code: string;
  category: string;
  basis: string;
  amountChf: string;
  totalDueChf: string;
  /** Unapplied credit used on this invoice when it was issued (SPEC 9.2). */
  creditApplied: string;
  netPayableChf: string;
  /** In the payable box when the credit covers the whole invoice. */
  nothingToPay: string;
  /** A re-issued invoice's explanation. */
  reissueNote(invoice: string, creditNote: string): string;
  /** A late invoice's explanation (SPEC 9.3). */
  lateNote(entryIntoForce: string, membershipDate: string): string;
  /** The title of a supplementary invoice. */
  supplementaryInvoice: string;
  /** A supplementary invoice's explanation (SPEC 9.3). */
  supplementaryNote(r: RevisionNote, year: number): string;
  /** A partial credit note's explanation (SPEC 9.3). */
  revisionCreditNote(r: RevisionNote, year: number): string;
  basisText(basis: LineBasis): string;
  payableByLabel: string;
  /** "Payable by 31 March 2018". */
  payableBy(cutoffDate: string): string;
  earlierOutstandingTitle: string;
  earlierOutstandingNote: string;
  earlierOutstandingTotal: string;
  paymentDetails: string;
  accountHolder: string;
  bank: string;
  iban: string;
  bic: string;
  referenceToQuote: string;
  referenceNote: string;
  /** "Page 1 of 2". */
  page(n: number, of: number): string;
  /** "CANCELLED — see credit note CN-2018-0001". */
  cancelledBy(creditNoteNumber: string): string;
  /** Credit note: the label of the invoice it relates to. */
  relatesToInvoice: string;
  creditNoteIntro(invoiceNumber: string, invoiceIssueDate: string): string;
  reason: string;
  amountCreditedChf: string;
  totalCreditedChf: string;
  creditNoteNote: string;
  /** The line under a credit note's total: what is still to pay on its invoice. */
  remainingAfter(invoiceNumber: string): string;
  /** Header of continuation pages: "Invoice ISU-2018-0001 (continued)". */
  continued(title: string, number: string): string;
}

const EN: Labels = {
  lang: 'en',
  qrBillLanguage: 'EN',
  invoice: 'Invoice',
  creditNote: 'Credit note',
  cancelled: 'CANCELLED',
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note number',
  issueDate: 'Issue date',
  budgetYear: 'Budget year',
  stateParty: GLOSSARY.en.stateParty,
  email: 'Email',
  invoiceIntro: (y) =>
    `Assessed contribution to the ${y} budget of ${GLOSSARY.en.theIsu}.`,
  decision: (ref, on, meeting) =>
    `Budget approved by ${meeting ?? GLOSSARY.en.meetingOfStatesParties}, decision ${ref} of ${formatDate(on, 'en')}.`,
  code: 'Code',
  category: 'Category',
  basis: 'Basis',
  amountChf: 'Amount (CHF)',
  totalDueChf: 'Total due (CHF)',
  creditApplied: 'Credit applied (payments received in advance)',
  netPayableChf: 'Net amount payable (CHF)',
  nothingToPay: 'Nothing to pay: your credit covers this invoice',
  reissueNote: (inv, cn) => `This invoice replaces invoice ${inv}, cancelled in error by credit note ${cn}; the amounts and the payment deadline are unchanged.`,
  lateNote: (e, m) =>
    `Late assessment: the Convention entered into force for this State on ${formatDate(e, 'en')}, on or before the budget’s membership date (${formatDate(m, 'en')}), after the invoices of the year were issued. The amount is what the State would have been assessed with them; the other ${GLOSSARY.en.statesParties}’ invoices are unchanged.`,
  supplementaryInvoice: 'Supplementary invoice',
  supplementaryNote: (r, y) =>
    `Supplementary invoice: the ${y} budget was revised by decision ${r.decisionRef} of ${formatDate(r.approvedOn, 'en')} (version ${r.version}). The State’s assessed contribution rises from CHF ${formatMoney(r.previousTotal, 'en')} to CHF ${formatMoney(r.revisedTotal, 'en')}; this invoice is for the difference and adds to invoice ${r.originalInvoice}, which stands.`,
  revisionCreditNote: (r, y) =>
    `Budget revision: the ${y} budget was revised by decision ${r.decisionRef} of ${formatDate(r.approvedOn, 'en')} (version ${r.version}). The State’s assessed contribution falls from CHF ${formatMoney(r.previousTotal, 'en')} to CHF ${formatMoney(r.revisedTotal, 'en')}; this credit note credits the difference on the invoice below.`,
  basisText: (b) =>
    b.method === 'equal'
      ? `Equal share, 1/${formatInteger(b.statesCount, 'en')}`
      : b.method === 'scale'
        ? `Scale rate ${formatPercent(b.rate, 'en')}, rebased share ${formatPercent(b.rebasedRate, 'en')}`
        : `Revised ${formatMoney(b.revised, 'en')}, less invoiced ${formatMoney(b.invoiced, 'en')}`,
  payableByLabel: 'Payable by',
  payableBy: (d) => `Payable by ${formatDate(d, 'en')}`,
  earlierOutstandingTitle: 'Outstanding from earlier years (for information)',
  earlierOutstandingNote: 'These amounts are not included in the total above.',
  earlierOutstandingTotal: 'Total earlier years',
  paymentDetails: 'Payment details (account in CHF)',
  accountHolder: 'Account holder',
  bank: 'Bank',
  iban: 'IBAN',
  bic: 'BIC/SWIFT',
  referenceToQuote: 'Reference to quote',
  referenceNote: 'Please quote this reference with your payment.',
  page: (n, of) => `Page ${n} of ${of}`,
  cancelledBy: (cn) => `CANCELLED — see credit note ${cn}`,
  relatesToInvoice: 'Relating to invoice',
  creditNoteIntro: (n, d) => `Credit note relating to invoice ${n} of ${formatDate(d, 'en')}.`,
  reason: 'Reason',
  amountCreditedChf: 'Amount credited (CHF)',
  totalCreditedChf: 'Total credited (CHF)',
  remainingAfter: (n) => `Still payable on invoice ${n} after this credit note (CHF)`,
  creditNoteNote: `This amount is credited to the account of the ${GLOSSARY.en.stateParty}. No payment is due under this credit note.`,
  continued: (t, n) => `${t} ${n} (continued)`,
};

const FR: Labels = {
  lang: 'fr',
  qrBillLanguage: 'FR',
  invoice: 'Facture',
  creditNote: 'Note de crédit',
  cancelled: 'ANNULÉE',
  invoiceNumber: 'Numéro de facture',
  creditNoteNumber: 'Numéro de la note',
  issueDate: 'Date d’émission',
  budgetYear: 'Exercice budgétaire',
  stateParty: GLOSSARY.fr.stateParty,
  email: 'Courriel',
  invoiceIntro: (y) =>
    `Contribution mise en recouvrement au titre du budget ${y} de ${GLOSSARY.fr.theIsu}.`,
  decision: (ref, on, meeting) =>
    `Budget approuvé par ${meeting ?? GLOSSARY.fr.meetingOfStatesParties}, décision ${ref} du ${formatDate(on, 'fr')}.`,
  code: 'Code',
  category: 'Catégorie',
  basis: 'Base de calcul',
  amountChf: 'Montant (CHF)',
  totalDueChf: 'Total dû (CHF)',
  creditApplied: 'Crédit imputé (paiements reçus d’avance)',
  netPayableChf: 'Montant net à payer (CHF)',
  nothingToPay: 'Rien à payer : votre crédit couvre cette facture',
  reissueNote: (inv, cn) => `Cette facture remplace la facture ${inv}, annulée par erreur par la note de crédit ${cn} ; les montants et le délai de paiement sont inchangés.`,
  lateNote: (e, m) =>
    `Mise en recouvrement tardive : la Convention est entrée en vigueur pour cet État le ${formatDate(e, 'fr')}, au plus tard à la date de référence du budget (${formatDate(m, 'fr')}), après l’émission des factures de l’exercice. Le montant est celui qui lui aurait été assigné avec elles ; les factures des autres ${GLOSSARY.fr.statesParties} sont inchangées.`,
  supplementaryInvoice: 'Facture complémentaire',
  supplementaryNote: (r, y) =>
    `Facture complémentaire : le budget ${y} a été révisé par la décision ${r.decisionRef} du ${formatDate(r.approvedOn, 'fr')} (version ${r.version}). La contribution de l’État passe de CHF ${formatMoney(r.previousTotal, 'fr')} à CHF ${formatMoney(r.revisedTotal, 'fr')} ; la présente facture porte sur la différence et s’ajoute à la facture ${r.originalInvoice}, qui reste due.`,
  revisionCreditNote: (r, y) =>
    `Révision du budget : le budget ${y} a été révisé par la décision ${r.decisionRef} du ${formatDate(r.approvedOn, 'fr')} (version ${r.version}). La contribution de l’État passe de CHF ${formatMoney(r.previousTotal, 'fr')} à CHF ${formatMoney(r.revisedTotal, 'fr')} ; la présente note de crédit porte la différence au crédit de la facture ci-dessous.`,
  basisText: (b) =>
    b.method === 'equal'
      ? `Part égale, 1/${formatInteger(b.statesCount, 'fr')}`
      : b.method === 'scale'
        ? `Taux du barème ${formatPercent(b.rate, 'fr')}, quote-part recalculée ${formatPercent(b.rebasedRate, 'fr')}`
        : `Révisé ${formatMoney(b.revised, 'fr')}, moins facturé ${formatMoney(b.invoiced, 'fr')}`,
  payableByLabel: 'Payable au plus tard le',
  payableBy: (d) => `Payable au plus tard le ${formatDate(d, 'fr')}`,
  earlierOutstandingTitle: 'Montants restant dus au titre d’exercices antérieurs (pour information)',
  earlierOutstandingNote: 'Ces montants ne sont pas compris dans le total ci-dessus.',
  earlierOutstandingTotal: 'Total des exercices antérieurs',
  paymentDetails: 'Coordonnées de paiement (compte en CHF)',
  accountHolder: 'Titulaire du compte',
  bank: 'Banque',
  iban: 'IBAN',
  bic: 'BIC/SWIFT',
  referenceToQuote: 'Référence à indiquer',
  referenceNote: 'Veuillez indiquer cette référence lors du paiement.',
  page: (n, of) => `Page ${n} sur ${of}`,
  cancelledBy: (cn) => `ANNULÉE — voir la note de crédit ${cn}`,
  relatesToInvoice: 'Facture concernée',
  creditNoteIntro: (n, d) => `Note de crédit relative à la facture ${n} du ${formatDate(d, 'fr')}.`,
  reason: 'Motif',
  amountCreditedChf: 'Montant crédité (CHF)',
  totalCreditedChf: 'Total crédité (CHF)',
  remainingAfter: (n) => `Reste à payer sur la facture ${n} après la présente note (CHF)`,
  creditNoteNote:
    `Ce montant est porté au crédit du compte de l’${GLOSSARY.fr.stateParty}. La présente note de crédit n’appelle aucun paiement.`,
  continued: (t, n) => `${t} ${n} (suite)`,
};

const ES: Labels = {
  lang: 'es',
  qrBillLanguage: 'EN',
  paymentPartNote: 'La sección de pago va en inglés: la norma suiza de la factura QR no existe en español.',
  invoice: 'Factura',
  creditNote: 'Nota de crédito',
  cancelled: 'ANULADA',
  invoiceNumber: 'Número de factura',
  creditNoteNumber: 'Número de la nota',
  issueDate: 'Fecha de emisión',
  budgetYear: 'Ejercicio presupuestario',
  stateParty: GLOSSARY.es.stateParty,
  email: 'Correo electrónico',
  invoiceIntro: (y) =>
    `Contribución prorrateada al presupuesto de ${y} de ${GLOSSARY.es.theIsu}.`,
  decision: (ref, on, meeting) =>
    `Presupuesto aprobado por ${meeting ?? GLOSSARY.es.meetingOfStatesParties}, decisión ${ref} del ${formatDate(on, 'es')}.`,
  code: 'Código',
  category: 'Categoría',
  basis: 'Base de cálculo',
  amountChf: 'Importe (CHF)',
  totalDueChf: 'Total adeudado (CHF)',
  creditApplied: 'Crédito aplicado (pagos recibidos por adelantado)',
  netPayableChf: 'Importe neto a pagar (CHF)',
  nothingToPay: 'Nada que pagar: su crédito cubre esta factura',
  reissueNote: (inv, cn) => `Esta factura sustituye a la factura ${inv}, anulada por error mediante la nota de crédito ${cn}; los importes y el plazo de pago no cambian.`,
  lateNote: (e, m) =>
    `Cuota tardía: la Convención entró en vigor para este Estado el ${formatDate(e, 'es')}, a más tardar en la fecha de referencia del presupuesto (${formatDate(m, 'es')}), después de la emisión de las facturas del ejercicio. El importe es el que se le habría asignado con ellas; las facturas de los demás ${GLOSSARY.es.statesParties} no cambian.`,
  supplementaryInvoice: 'Factura complementaria',
  supplementaryNote: (r, y) =>
    `Factura complementaria: el presupuesto de ${y} fue revisado por la decisión ${r.decisionRef} del ${formatDate(r.approvedOn, 'es')} (versión ${r.version}). La contribución del Estado pasa de CHF ${formatMoney(r.previousTotal, 'es')} a CHF ${formatMoney(r.revisedTotal, 'es')}; la presente factura corresponde a la diferencia y se suma a la factura ${r.originalInvoice}, que sigue vigente.`,
  revisionCreditNote: (r, y) =>
    `Revisión del presupuesto: el presupuesto de ${y} fue revisado por la decisión ${r.decisionRef} del ${formatDate(r.approvedOn, 'es')} (versión ${r.version}). La contribución del Estado pasa de CHF ${formatMoney(r.previousTotal, 'es')} a CHF ${formatMoney(r.revisedTotal, 'es')}; la presente nota de crédito abona la diferencia en la factura indicada.`,
  basisText: (b) =>
    b.method === 'equal'
      ? `Cuota igual, 1/${formatInteger(b.statesCount, 'es')}`
      : b.method === 'scale'
        ? `Tasa de la escala ${formatPercent(b.rate, 'es')}, cuota reajustada ${formatPercent(b.rebasedRate, 'es')}`
        : `Revisado ${formatMoney(b.revised, 'es')}, menos facturado ${formatMoney(b.invoiced, 'es')}`,
  payableByLabel: 'Pagadero a más tardar el',
  payableBy: (d) => `Pagadero a más tardar el ${formatDate(d, 'es')}`,
  earlierOutstandingTitle: 'Saldos de ejercicios anteriores (a título informativo)',
  earlierOutstandingNote: 'Estos importes no están incluidos en el total anterior.',
  earlierOutstandingTotal: 'Total de ejercicios anteriores',
  paymentDetails: 'Datos para el pago (cuenta en CHF)',
  accountHolder: 'Titular de la cuenta',
  bank: 'Banco',
  iban: 'IBAN',
  bic: 'BIC/SWIFT',
  referenceToQuote: 'Referencia de pago',
  referenceNote: 'Sírvase indicar esta referencia al efectuar el pago.',
  page: (n, of) => `Página ${n} de ${of}`,
  cancelledBy: (cn) => `ANULADA — véase la nota de crédito ${cn}`,
  relatesToInvoice: 'Factura correspondiente',
  creditNoteIntro: (n, d) => `Nota de crédito relativa a la factura ${n} del ${formatDate(d, 'es')}.`,
  reason: 'Motivo',
  amountCreditedChf: 'Importe abonado (CHF)',
  totalCreditedChf: 'Total abonado (CHF)',
  remainingAfter: (n) => `Saldo pendiente de la factura ${n} tras la presente nota (CHF)`,
  creditNoteNote: `Este importe se abona en la cuenta del ${GLOSSARY.es.stateParty}. La presente nota de crédito no requiere pago alguno.`,
  continued: (t, n) => `${t} ${n} (continuación)`,
};

export type StatementLineKind = StatementDocument['lines'][number]['kind'];

/** The labels of the statement of account. */
export interface StatementLabels {
  /** "Statement of account". */
  title: string;
  period: string;
  /** The period for the reference block, broken where it reads best: "1 January 2018 –\n31 December 2018". */
  periodText(from: string, to: string): string;
  generatedOn: string;
  date: string;
  kind: string;
  reference: string;
  budgetYear: string;
  debit: string;
  credit: string;
  balance: string;
  kinds: Record<StatementLineKind, string>;
  /** "Opening balance at 1 January 2018". */
  openingBalance(from: string): string;
  /** "Closing balance at 31 December 2018". */
  closingBalance(to: string): string;
  /** Added to the opening/closing balance label when the balance is negative: "(in credit)". */
  inCredit: string;
  noTransactions: string;
  /** "Unapplied credit held at 31 December 2018". */
  unappliedCredit(to: string): string;
  /** "Arrears at 31 December 2018 (unpaid after the cut-off date)". */
  arrearsTitle(to: string): string;
  noArrears(to: string): string;
  arrearsTotal: string;
  notesTitle: string;
  /** The notes under the statement: how the balance is made, the reference to quote, the currency. */
  notes: string[];
  /** Running header of pages 2 and following: "Statement of account (continued)". */
  continued: string;
  /** Under an invoice: "Payable by 31 Mar 2018". */
  due(date: string): string;
  /** Before what a payment or a credit application paid: "Applied to". */
  appliedTo: string;
  /** The part of a payment kept as credit: "Kept as credit". */
  keptAsCredit: string;
  /** A converted payment: "Received as USD 45,000.00". */
  receivedAs(currency: string, amount: string): string;
  /** The kind of a reclassification, by where the credit went. */
  reclassifiedTo: Record<'voluntary' | 'reserve', string>;
  /** Title of the money sent beyond assessments in the period. */
  otherTitle: string;
  otherKinds: Record<'voluntary' | 'reserve', string>;
  amount: string;
}

const STATEMENT_EN: StatementLabels = {
  title: 'Statement of account',
  period: 'Period',
  periodText: (from, to) => `${formatDate(from, 'en')} –\n${formatDate(to, 'en')}`,
  generatedOn: 'Generated on',
  date: 'Date',
  kind: 'Transaction',
  reference: 'Reference',
  budgetYear: 'Budget year',
  debit: 'Debit (CHF)',
  credit: 'Credit (CHF)',
  balance: 'Balance (CHF)',
  kinds: {
    invoice: 'Invoice',
    'credit-note': 'Credit note',
    payment: 'Payment received',
    'payment-reversal': 'Payment reversed',
    'credit-application': 'Credit applied',
    reclassification: 'Credit reclassified',
  },
  openingBalance: (d) => `Opening balance at ${formatDate(d, 'en')}`,
  closingBalance: (d) => `Closing balance at ${formatDate(d, 'en')}`,
  inCredit: '(in credit)',
  noTransactions: 'No transactions in the period.',
  unappliedCredit: (d) => `Unapplied credit held at ${formatDate(d, 'en')}`,
  arrearsTitle: (d) => `Arrears at ${formatDate(d, 'en')} (unpaid after the cut-off date)`,
  noArrears: (d) => `No arrears at ${formatDate(d, 'en')}.`,
  arrearsTotal: 'Total arrears',
  notesTitle: 'Notes',
  notes: [
    `Balance = amounts invoiced – credit notes – payments received + credit reclassified. A balance preceded by a minus sign is in the ${GLOSSARY.en.stateParty}’s favour (in credit).`,
    'Unapplied credit is money received and not yet applied to an invoice. It stays on the account until it is applied to a later invoice or reclassified as a voluntary contribution.',
    'When paying, please quote the creditor reference (RF…) printed on the invoice concerned, so that the payment can be matched to it.',
    'All amounts are in Swiss francs (CHF).',
  ],
  continued: 'Statement of account (continued)',
  due: (d) => `Payable by ${formatShortDate(d, 'en')}`,
  appliedTo: 'Applied to',
  keptAsCredit: 'Kept as credit',
  receivedAs: (c, a) => `Received as ${c} ${a}`,
  reclassifiedTo: { voluntary: 'Credit to voluntary contribution', reserve: 'Credit to the reserve' },
  otherTitle: 'Contributions beyond assessments in the period (not on the account)',
  otherKinds: { voluntary: 'Voluntary contribution', reserve: 'Contribution to the working capital reserve' },
  amount: 'Amount (CHF)',
};

const STATEMENT_FR: StatementLabels = {
  title: 'Relevé de compte',
  period: 'Période',
  periodText: (from, to) => `du ${formatDate(from, 'fr')}\nau ${formatDate(to, 'fr')}`,
  generatedOn: 'Établi le',
  date: 'Date',
  kind: 'Opération',
  reference: 'Référence',
  budgetYear: 'Exercice',
  debit: 'Débit (CHF)',
  credit: 'Crédit (CHF)',
  balance: 'Solde (CHF)',
  kinds: {
    invoice: 'Facture',
    'credit-note': 'Note de crédit',
    payment: 'Paiement reçu',
    'payment-reversal': 'Paiement contre-passé',
    'credit-application': 'Crédit imputé',
    reclassification: 'Crédit reclassé',
  },
  openingBalance: (d) => `Solde d’ouverture au ${formatDate(d, 'fr')}`,
  closingBalance: (d) => `Solde de clôture au ${formatDate(d, 'fr')}`,
  inCredit: '(solde créditeur)',
  noTransactions: 'Aucune opération pendant la période.',
  unappliedCredit: (d) => `Crédit non imputé au ${formatDate(d, 'fr')}`,
  arrearsTitle: (d) => `Arriérés au ${formatDate(d, 'fr')} (montants impayés après la date limite de paiement)`,
  noArrears: (d) => `Aucun arriéré au ${formatDate(d, 'fr')}.`,
  arrearsTotal: 'Total des arriérés',
  notesTitle: 'Notes',
  notes: [
    `Solde = montants facturés – notes de crédit – paiements reçus + crédit reclassé. Un solde précédé du signe moins est en faveur de l’${GLOSSARY.fr.stateParty} (solde créditeur).`,
    `Le crédit non imputé correspond aux sommes reçues qui n’ont pas encore été imputées à une facture. Il reste au compte jusqu’à son imputation à une facture ultérieure ou son reclassement en contribution volontaire.`,
    `Lors du paiement, veuillez indiquer la référence de créancier (RF…) figurant sur la facture concernée, afin que le paiement puisse lui être imputé.`,
    'Tous les montants sont exprimés en francs suisses (CHF).',
  ],
  continued: 'Relevé de compte (suite)',
  due: (d) => `Payable au plus tard le ${formatShortDate(d, 'fr')}`,
  appliedTo: 'Imputé à',
  keptAsCredit: 'Porté au crédit',
  receivedAs: (c, a) => `Reçu en ${c} ${a}`,
  reclassifiedTo: { voluntary: 'Crédit versé en contribution volontaire', reserve: 'Crédit versé à la réserve' },
  otherTitle: 'Contributions au-delà des quotes-parts pendant la période (hors compte)',
  otherKinds: { voluntary: 'Contribution volontaire', reserve: 'Contribution à la réserve de fonds de roulement' },
  amount: 'Montant (CHF)',
};

const STATEMENT_ES: StatementLabels = {
  title: 'Estado de cuenta',
  period: 'Período',
  periodText: (from, to) => `del ${formatDate(from, 'es')}\nal ${formatDate(to, 'es')}`,
  generatedOn: 'Emitido el',
  date: 'Fecha',
  kind: 'Operación',
  reference: 'Referencia',
  budgetYear: 'Ejercicio',
  debit: 'Débito (CHF)',
  credit: 'Crédito (CHF)',
  balance: 'Saldo (CHF)',
  kinds: {
    invoice: 'Factura',
    'credit-note': 'Nota de crédito',
    payment: 'Pago recibido',
    'payment-reversal': 'Pago revertido',
    'credit-application': 'Crédito aplicado',
    reclassification: 'Crédito reclasificado',
  },
  openingBalance: (d) => `Saldo inicial al ${formatDate(d, 'es')}`,
  closingBalance: (d) => `Saldo final al ${formatDate(d, 'es')}`,
  inCredit: '(saldo acreedor)',
  noTransactions: 'No hubo operaciones durante el período.',
  unappliedCredit: (d) => `Crédito no aplicado al ${formatDate(d, 'es')}`,
  arrearsTitle: (d) => `Atrasos al ${formatDate(d, 'es')} (importes impagados después de la fecha límite de pago)`,
  noArrears: (d) => `No hay atrasos al ${formatDate(d, 'es')}.`,
  arrearsTotal: 'Total de atrasos',
  notesTitle: 'Notas',
  notes: [
    `Saldo = importes facturados – notas de crédito – pagos recibidos + crédito reclasificado. Un saldo precedido del signo menos es a favor del ${GLOSSARY.es.stateParty} (saldo acreedor).`,
    'El crédito no aplicado corresponde a sumas recibidas que aún no se han aplicado a una factura. Permanece en la cuenta hasta que se aplique a una factura posterior o se reclasifique como contribución voluntaria.',
    'Al efectuar el pago, sírvase indicar la referencia del acreedor (RF…) que figura en la factura correspondiente, para que el pago pueda asignarse a ella.',
    'Todos los importes se expresan en francos suizos (CHF).',
  ],
  continued: 'Estado de cuenta (continuación)',
  due: (d) => `Pagadero a más tardar el ${formatShortDate(d, 'es')}`,
  appliedTo: 'Aplicado a',
  keptAsCredit: 'Abonado como crédito',
  receivedAs: (c, a) => `Recibido en ${c} ${a}`,
  reclassifiedTo: { voluntary: 'Crédito destinado a contribución voluntaria', reserve: 'Crédito destinado a la reserva' },
  otherTitle: 'Contribuciones además de las cuotas durante el período (fuera de la cuenta)',
  otherKinds: { voluntary: 'Contribución voluntaria', reserve: 'Contribución a la reserva de capital de operaciones' },
  amount: 'Importe (CHF)',
};

export const STATEMENT_LABELS: Record<Lang, StatementLabels> = { en: STATEMENT_EN, fr: STATEMENT_FR, es: STATEMENT_ES };

export function statementLabels(lang: Lang): StatementLabels {
  const l = STATEMENT_LABELS[lang];
  if (!l) throw new RangeError(`unsupported language: ${JSON.stringify(lang)}`);
  return l;
}

export const LABELS: Record<Lang, Labels> = { en: EN, fr: FR, es: ES };

export function labels(lang: Lang): Labels {
  const l = LABELS[lang];
  if (!l) throw new RangeError(`unsupported language: ${JSON.stringify(lang)}`);
  return l;
}
