/**
 * The e-mail that carries a document (SPEC 9.7), in the document's language
 * (en, fr, es): a subject, and the same short letter as plain text and as
 * HTML (every value interpolated is escaped) — what the document is, the
 * amount, the due date and the reference to quote. The PDF is attached.
 */
import { formatCreditorReference, formatDate, formatMoney, NBSP } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import type { DeliverableDocument } from './documents.js';

export interface Sender {
  name: string;
  email: string;
  website?: string | undefined;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

/** A letter: paragraphs of lines. */
type Letter = string[][];

const chf = (amount: string, lang: Lang) => `CHF ${formatMoney(amount, lang)}`;
const isZero = (amount: string) => !/[1-9]/.test(amount);
const abs = (amount: string) => amount.replace(/^-/, '');
/** French puts a no-break space before a colon. */
const colon = (lang: Lang) => (lang === 'fr' ? `${NBSP}:` : ':');

interface Phrases {
  greeting: string;
  closing: string;
  state: string;
  amountDue: string;
  payableBy: string;
  reference: string;
  bankDetails: string;
  nothingToPay: string;
  invoice: { subject: (d: DeliverableDocument) => string; intro: (d: DeliverableDocument, date: string) => string };
  creditNote: { subject: (d: DeliverableDocument) => string; intro: (d: DeliverableDocument, date: string, amount: string) => string };
  reminder: { subject: (d: DeliverableDocument) => string; intro: (d: DeliverableDocument, date: string) => string; overdue: string; paidMeanwhile: string };
  statement: {
    subject: (d: DeliverableDocument, to: string) => string;
    intro: (from: string, to: string) => string;
    due: string;
    inCredit: string;
    nothingDue: string;
  };
}

const PHRASES: Record<Lang, Phrases> = {
  en: {
    greeting: 'Dear Sir or Madam,',
    closing: 'Yours faithfully,',
    state: 'State Party',
    amountDue: 'Amount due',
    payableBy: 'Payable by',
    reference: 'Reference to quote with the payment',
    bankDetails: 'The bank details and a Swiss QR-bill are on the attached document.',
    nothingToPay: 'Nothing is left to pay: your credit covers this invoice.',
    invoice: {
      subject: (d) => `Invoice ${d.id}: ${d.year} contribution — ${d.stateName}`,
      intro: (d, date) => `Please find attached invoice ${d.id} of ${date} for the ${d.year} contribution to the budget of the Implementation Support Unit.`,
    },
    creditNote: {
      subject: (d) => `Credit note ${d.id} on invoice ${d.reference} — ${d.stateName}`,
      intro: (d, date, amount) => `Please find attached credit note ${d.id} of ${date}, which credits ${amount} on invoice ${d.reference}. It calls for no payment.`,
    },
    reminder: {
      subject: (d) => `Reminder ${d.id}: contributions overdue — ${d.stateName}`,
      intro: (d, date) => `Please find attached reminder ${d.id} of ${date}.`,
      overdue: 'According to our records, these contributions remain unpaid after their due date.',
      paidMeanwhile: 'If the payment has been made in the meantime, please disregard this reminder.',
    },
    statement: {
      subject: (d, to) => `Statement of account as of ${to} — ${d.stateName}`,
      intro: (from, to) => `Please find attached your statement of account from ${from} to ${to}.`,
      due: 'Balance due',
      inCredit: 'Balance in your favour',
      nothingDue: 'Nothing is due.',
    },
  },
  fr: {
    greeting: 'Madame, Monsieur,',
    closing: 'Veuillez agréer, Madame, Monsieur, l’expression de notre haute considération.',
    state: 'État partie',
    amountDue: 'Montant dû',
    payableBy: 'À payer au plus tard le',
    reference: 'Référence à indiquer avec le paiement',
    bankDetails: 'Les coordonnées bancaires et une QR-facture figurent sur le document joint.',
    nothingToPay: 'Il ne reste rien à payer : votre crédit couvre cette facture.',
    invoice: {
      subject: (d) => `Facture ${d.id}${NBSP}: contribution ${d.year} — ${d.stateName}`,
      intro: (d, date) => `Veuillez trouver ci-joint la facture ${d.id} du ${date} relative à la contribution ${d.year} au budget de l’Unité d’appui à l’application.`,
    },
    creditNote: {
      subject: (d) => `Note de crédit ${d.id} sur la facture ${d.reference} — ${d.stateName}`,
      intro: (d, date, amount) => `Veuillez trouver ci-joint la note de crédit ${d.id} du ${date}, qui crédite ${amount} sur la facture ${d.reference}. Elle n’appelle aucun paiement.`,
    },
    reminder: {
      subject: (d) => `Rappel ${d.id}${NBSP}: contributions échues — ${d.stateName}`,
      intro: (d, date) => `Veuillez trouver ci-joint le rappel ${d.id} du ${date}.`,
      overdue: 'Selon nos écritures, ces contributions restent impayées après leur échéance.',
      paidMeanwhile: 'Si le paiement a été effectué entre-temps, nous vous prions de ne pas tenir compte de ce rappel.',
    },
    statement: {
      subject: (d, to) => `Relevé de compte au ${to} — ${d.stateName}`,
      intro: (from, to) => `Veuillez trouver ci-joint votre relevé de compte du ${from} au ${to}.`,
      due: 'Solde dû',
      inCredit: 'Solde en votre faveur',
      nothingDue: 'Aucun montant n’est dû.',
    },
  },
  es: {
    greeting: 'Estimados señores:',
    closing: 'Atentamente,',
    state: 'Estado parte',
    amountDue: 'Importe adeudado',
    payableBy: 'Fecha límite de pago',
    reference: 'Referencia que debe indicarse con el pago',
    bankDetails: 'Los datos bancarios y una factura QR figuran en el documento adjunto.',
    nothingToPay: 'No queda nada por pagar: su crédito cubre esta factura.',
    invoice: {
      subject: (d) => `Factura ${d.id}: contribución ${d.year} — ${d.stateName}`,
      intro: (d, date) => `Adjuntamos la factura ${d.id} del ${date} correspondiente a la contribución ${d.year} al presupuesto de la Dependencia de Apoyo a la Aplicación.`,
    },
    creditNote: {
      subject: (d) => `Nota de crédito ${d.id} relativa a la factura ${d.reference} — ${d.stateName}`,
      intro: (d, date, amount) => `Adjuntamos la nota de crédito ${d.id} del ${date}, que abona ${amount} en la factura ${d.reference}. No requiere ningún pago.`,
    },
    reminder: {
      subject: (d) => `Recordatorio ${d.id}: contribuciones vencidas — ${d.stateName}`,
      intro: (d, date) => `Adjuntamos el recordatorio ${d.id} del ${date}.`,
      overdue: 'Según nuestros registros, estas contribuciones siguen pendientes de pago después de su vencimiento.',
      paidMeanwhile: 'Si el pago ya se ha efectuado, les rogamos que no tengan en cuenta este recordatorio.',
    },
    statement: {
      subject: (d, to) => `Estado de cuenta al ${to} — ${d.stateName}`,
      intro: (from, to) => `Adjuntamos su estado de cuenta del ${from} al ${to}.`,
      due: 'Saldo adeudado',
      inCredit: 'Saldo a su favor',
      nothingDue: 'No se adeuda ningún importe.',
    },
  },
};

/** The subject and the paragraphs of the letter of a document. */
function letterOf(d: DeliverableDocument, sender: Sender): { subject: string; body: Letter } {
  const lang = d.language;
  const P = PHRASES[lang];
  const c = colon(lang);
  const date = (iso: string) => formatDate(iso, lang);
  const facts = (lines: (string | false)[]) => [`${P.state}${c} ${d.stateName}`, ...lines.filter((l): l is string => l !== false)];
  const payment = [`${P.amountDue}${c} ${chf(d.amount, lang)}`, d.dueDate !== null && `${P.payableBy}${c} ${date(d.dueDate)}`, d.reference !== null && `${P.reference}${c} ${formatCreditorReference(d.reference)}`];
  let subject: string;
  let body: Letter;
  switch (d.kind) {
    case 'invoices':
      subject = P.invoice.subject(d);
      body = isZero(d.amount) ? [[P.invoice.intro(d, date(d.issueDate))], facts([]), [P.nothingToPay]] : [[P.invoice.intro(d, date(d.issueDate))], facts(payment), [P.bankDetails]];
      break;
    case 'credit-notes':
      subject = P.creditNote.subject(d);
      body = [[P.creditNote.intro(d, date(d.issueDate), chf(d.amount, lang))], facts([])];
      break;
    case 'reminders':
      subject = P.reminder.subject(d);
      body = [[P.reminder.intro(d, date(d.issueDate)), P.reminder.overdue], facts(payment), [P.bankDetails], [P.reminder.paidMeanwhile]];
      break;
    case 'statements': {
      const { from, to } = d.period!;
      subject = P.statement.subject(d, date(to));
      const balance = isZero(d.amount)
        ? P.statement.nothingDue
        : d.amount.startsWith('-')
          ? `${P.statement.inCredit}${c} ${chf(abs(d.amount), lang)}`
          : `${P.statement.due}${c} ${chf(d.amount, lang)}`;
      body = [[P.statement.intro(date(from), date(to))], facts([balance])];
      break;
    }
  }
  const signature = [sender.name, sender.email, ...(sender.website ? [sender.website] : [])];
  return { subject, body: [[P.greeting], ...body, [P.closing], signature] };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

export function composeMessage(d: DeliverableDocument, sender: Sender): ComposedMessage {
  const { subject, body } = letterOf(d, sender);
  const text = `${body.map((p) => p.join('\n')).join('\n\n')}\n`;
  const html =
    `<!DOCTYPE html>\n<html lang="${d.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n` +
    body.map((p) => `<p>${p.map(escapeHtml).join('<br>\n')}</p>\n`).join('') +
    '</body></html>\n';
  return { subject, text, html };
}
