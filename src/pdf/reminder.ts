/**
 * The reminder letter PDF (SPEC 9.7): a pure function of a ReminderDocument
 * (same document, same bytes). The document carries the sender and bank
 * details it prints, so a letter renders the same after any settings change.
 *
 * Page 1: the invoice's sender block and address window, title, number,
 * date and level; a polite sentence naming the date of the figures; one
 * line per overdue invoice (number, budget year, due date, invoiced, left to
 * pay); the total overdue, less the credit held, and the amount to pay,
 * boxed; the bank details and the reference to quote. The last page carries
 * the Swiss QR-bill for the amount to pay with the reminder's RF reference
 * (a page of its own when the content leaves no room for it).
 */
import { formatDate, formatMoney, formatShortDate, labels, numberStyleOf, type Labels } from './i18n.js';
import { attachQrBill, drawAmountBox, drawCreditRow, drawPaymentDetails, QR_FOOTER_Y } from './invoice.js';
import {
  CONTENT_W,
  FOOTER_Y,
  Flow,
  MARGIN_X,
  drawContinuationHeader,
  drawFirstPageHeader,
  drawFooters,
  drawTable,
  drawTotalRow,
  newDocument,
  put,
  toBuffer,
  type Column,
  issuerIn,
} from './layout.js';
import type { IssuerSettings, Lang, PartyBlock } from './types.js';

/** Everything a reminder letter prints. Money strings with 2 decimals, ISO dates. */
export interface ReminderDocument {
  number: string; // "REM-2018-0001"
  issueDate: string;
  /** The date of the figures: what was overdue and the credit held on it. */
  asOf: string;
  /** 1 for the first letter about these invoices, then 2, 3… */
  level: number;
  language: Lang;
  state: PartyBlock;
  invoices: { number: string; year: number; dueDate: string; invoiced: string; left: string }[];
  /** What is left on the overdue invoices. */
  overdue: string;
  /** Unapplied credit held on `asOf` (deducted). */
  credit: string;
  /** overdue − credit: the amount the QR-bill carries. */
  toPay: string;
  /** ISO 11649 creditor reference of the letter, e.g. "RF60REM20180001". */
  creditorReference: string;
  /** The sender, bank and QR-bill creditor printed (SPEC 9.8). */
  issuer: IssuerSettings;
}

export interface ReminderLabels {
  title: string;
  number: string;
  level: string;
  /** "First reminder", "Second reminder", … */
  levelText(level: number): string;
  /** The polite sentence naming the date of the figures. */
  intro(asOf: string): string;
  disregard: string;
  invoice: string;
  budgetYear: string;
  dueDate: string;
  invoicedChf: string;
  leftChf: string;
  totalOverdueChf: string;
  lessCredit: string;
  /** The left side of the amount box. */
  payNow: string;
}

const ORDINAL = {
  en: ['First', 'Second', 'Third'],
  fr: ['Premier', 'Deuxième', 'Troisième'],
  es: ['Primer', 'Segundo', 'Tercer'],
} as const;

const REMINDER_EN: ReminderLabels = {
  title: 'Reminder',
  number: 'Reminder number',
  level: 'Level',
  levelText: (n) => (n <= 3 ? `${ORDINAL.en[n - 1]} reminder` : `Reminder no. ${n}`),
  intro: (d) =>
    `According to our records as of ${formatDate(d, 'en')}, the assessed contributions below remain unpaid after their payment deadline. We would be grateful if the amount to pay could be settled at your earliest convenience, quoting the reference below.`,
  disregard: 'If payment has been made in the meantime, please disregard this reminder.',
  invoice: 'Invoice',
  budgetYear: 'Budget year',
  dueDate: 'Due date',
  invoicedChf: 'Invoiced (CHF)',
  leftChf: 'Left to pay (CHF)',
  totalOverdueChf: 'Total overdue (CHF)',
  lessCredit: 'Less unapplied credit held (payments received in advance)',
  payNow: 'Amount to pay',
};

const REMINDER_FR: ReminderLabels = {
  title: 'Rappel',
  number: 'Numéro du rappel',
  level: 'Niveau',
  levelText: (n) => (n <= 3 ? `${ORDINAL.fr[n - 1]} rappel` : `Rappel n° ${n}`),
  intro: (d) =>
    `Selon nos écritures au ${formatDate(d, 'fr')}, les contributions ci-dessous restent impayées après leur date limite de paiement. Nous vous serions reconnaissants de bien vouloir régler le montant à payer dans les meilleurs délais, en indiquant la référence ci-dessous.`,
  disregard: 'Si le paiement a été effectué entre-temps, veuillez ne pas tenir compte du présent rappel.',
  invoice: 'Facture',
  budgetYear: 'Exercice',
  dueDate: 'Échéance',
  invoicedChf: 'Facturé (CHF)',
  leftChf: 'Reste dû (CHF)',
  totalOverdueChf: 'Total échu (CHF)',
  lessCredit: 'Moins le crédit non imputé (paiements reçus d’avance)',
  payNow: 'Montant à payer',
};

const REMINDER_ES: ReminderLabels = {
  title: 'Recordatorio',
  number: 'Número del recordatorio',
  level: 'Nivel',
  levelText: (n) => (n <= 3 ? `${ORDINAL.es[n - 1]} recordatorio` : `Recordatorio n.º ${n}`),
  intro: (d) =>
    `Según nuestros registros al ${formatDate(d, 'es')}, las contribuciones siguientes siguen impagadas después de su fecha límite de pago. Le agradeceríamos que abonara el importe a pagar a la mayor brevedad posible, indicando la referencia que figura más abajo.`,
  disregard: 'Si el pago ya se ha efectuado, sírvase no tener en cuenta este recordatorio.',
  invoice: 'Factura',
  budgetYear: 'Ejercicio',
  dueDate: 'Vencimiento',
  invoicedChf: 'Facturado (CHF)',
  leftChf: 'Pendiente (CHF)',
  totalOverdueChf: 'Total vencido (CHF)',
  lessCredit: 'Menos el crédito no aplicado (pagos recibidos por adelantado)',
  payNow: 'Importe a pagar',
};

export const REMINDER_LABELS: Record<Lang, ReminderLabels> = { en: REMINDER_EN, fr: REMINDER_FR, es: REMINDER_ES };

function columns(R: ReminderLabels): Column[] {
  const number = 118;
  const year = 70;
  const due = 92;
  const money = (CONTENT_W - number - year - due) / 2;
  return [
    { header: R.invoice, width: number },
    { header: R.budgetYear, width: year },
    { header: R.dueDate, width: due },
    { header: R.invoicedChf, width: money, align: 'right' },
    { header: R.leftChf, width: money, align: 'right' },
  ];
}

/** Renders a reminder letter to PDF bytes. */
export async function renderReminderPdf(rem: ReminderDocument): Promise<Buffer> {
  const lang = rem.language;
  const num = numberStyleOf(rem);
  const L: Labels = labels(lang);
  const R = REMINDER_LABELS[lang];
  const issuer = issuerIn(rem.issuer, rem.language);
  const doc = await newDocument({
    lang,
    title: `${R.title} ${rem.number} — ${rem.state.name}`,
    author: issuer.name,
    subject: R.intro(rem.asOf),
    keywords: `${rem.number} ${rem.creditorReference} ${rem.state.iso3} ${rem.invoices.map((i) => i.number).join(' ')}`,
    issueDate: rem.issueDate,
  });
  const flow = new Flow(doc, () => drawContinuationHeader(doc, issuer, `${L.continued(R.title, rem.number)} — ${rem.state.name}`));

  let y = drawFirstPageHeader(
    doc,
    issuer,
    L,
    R.title,
    [
      [R.number, rem.number, true],
      [L.issueDate, formatDate(rem.issueDate, lang)],
      [R.level, R.levelText(rem.level)],
      [L.stateParty, rem.state.name],
    ],
    rem.state,
  );

  const intro = `${R.intro(rem.asOf)} ${R.disregard}`;
  y = put(doc, intro, MARGIN_X, y - 4, CONTENT_W, { size: 9 }) + 8;

  const cols = columns(R);
  y = drawTable(
    doc,
    flow,
    cols,
    rem.invoices.map((i) => ({ cells: [i.number, String(i.year), formatShortDate(i.dueDate, lang), formatMoney(i.invoiced, num), formatMoney(i.left, num)] })),
    y,
    { padTop: 4, padBottom: 3, keepLast: { rows: 1, tail: 40 } },
  );
  y = drawTotalRow(doc, flow, cols, R.totalOverdueChf, formatMoney(rem.overdue, num), y);
  // The credit held is deducted: the box says what is left to pay.
  if (/[1-9]/.test(rem.credit)) y = drawCreditRow(doc, flow, cols[cols.length - 1]!.width, R.lessCredit, `−${formatMoney(rem.credit, num)}`, y);
  const amountBox = (at: number) => drawAmountBox(doc, flow, R.payNow, `CHF ${formatMoney(rem.toPay, num)}`, at);
  y = amountBox(y + 6) - 6;
  y = drawPaymentDetails(doc, flow, L, rem.creditorReference, issuer, y);

  // The payment part: on the last page when it fits, else on a page of its own under the amount to pay.
  if (y > QR_FOOTER_Y - 2) amountBox(flow.newPage() + 6);
  const qrPage = doc.bufferedPageRange().count - 1;
  attachQrBill(doc, { amount: rem.toPay, reference: rem.creditorReference, message: rem.number, debtor: rem.state.debtor }, issuer, L);

  drawFooters(
    doc,
    L,
    (i) => (i === qrPage && L.paymentPartNote !== undefined ? L.paymentPartNote : `${R.title} ${rem.number} · ${rem.state.name}`),
    (i) => (i === qrPage ? QR_FOOTER_Y : FOOTER_Y),
  );
  return toBuffer(doc);
}
