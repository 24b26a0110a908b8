/**
 * Every word of the reminders pages (who is overdue, drawing up the letters,
 * e-mailing them, the delivery log), in English, French and Spanish. French
 * puts a no-break space before : ; ? !.
 */
import { addServiceMessages, type ServiceMessage } from './service-messages.js';
import type { FormLang } from './forms.js';

export type DeliveryStatusKey = 'sent' | 'written' | 'failed';
export type DeliveryKindKey = 'invoices' | 'credit-notes' | 'reminders' | 'statements';

export interface RemindersText {
  title: string;
  lead: string;
  fieldAsOf: string;
  hintAsOf: string;
  show: string;
  kpiStates: string;
  kpiOverdue: string;
  kpiCredit: string;
  kpiToPay: string;
  overdueTitle: (date: string) => string;
  colState: string;
  colInvoices: string;
  colDays: string;
  colOverdue: string;
  colCredit: string;
  colToPay: string;
  colLast: string;
  dueOn: (date: string) => string;
  left: (amount: string) => string;
  lastLetter: (number: string, date: string, level: number) => string;
  never: string;
  noneOverdue: string;
  creditNote: string;
  generateTitle: string;
  generateLead: string;
  fieldDate: string;
  hintDate: string;
  submitGenerate: (n: number) => string;
  generated: (issued: number, existing: number) => string;
  lettersTitle: (date: string) => string;
  noLetters: string;
  colLetter: string;
  colIssued: string;
  colLevel: string;
  colDocuments: string;
  colDelivery: string;
  pdf: string;
  pdfOf: (number: string) => string;
  notSent: string;
  sendTitle: string;
  sendLead: string;
  fieldResend: string;
  submitSend: (n: number) => string;
  logLink: string;
  // the delivery log
  logTitle: string;
  logLead: string;
  backToReminders: string;
  filterStatus: string;
  filterKind: string;
  filterAll: string;
  filterApply: string;
  filterClear: string;
  status: Record<DeliveryStatusKey, string>;
  kind: Record<DeliveryKindKey, string>;
  colWhen: string;
  colKind: string;
  colDocument: string;
  colRecipient: string;
  colStatus: string;
  colAttempts: string;
  colMessage: string;
  noAddress: string;
  noDeliveries: string;
  runResult: (sent: number, written: number, failed: number, skipped: number) => string;
  retryTitle: string;
  retryLead: (n: number) => string;
  submitRetry: string;
  badQuery: string;
  pageOf: (page: number, pages: number, total: number) => string;
  previous: string;
  next: string;
  pagination: string;
}

const EN: RemindersText = {
  title: 'Reminders',
  lead: 'The States Parties with money left on invoices past the date payable by, net of the credit they hold (a State Party its credit covers is never reminded). Reminder letters are drawn up at most once a day for each State Party, then e-mailed to its billing addresses.',
  fieldAsOf: 'Figures as of',
  hintAsOf: 'Invoices past the date payable by on this date, and the credit held then.',
  show: 'Show',
  kpiStates: 'States Parties to remind',
  kpiOverdue: 'Overdue',
  kpiCredit: 'Credit they hold',
  kpiToPay: 'To pay',
  overdueTitle: (d) => `Overdue on ${d}`,
  colState: 'State Party',
  colInvoices: 'Overdue invoices',
  colDays: 'Days overdue',
  colOverdue: 'Overdue (CHF)',
  colCredit: 'Credit (CHF)',
  colToPay: 'To pay (CHF)',
  colLast: 'Last reminder',
  dueOn: (d) => `due ${d}`,
  left: (a) => `${a} left`,
  lastLetter: (n, d, level) => `${n} of ${d} (level ${level})`,
  never: 'None yet',
  noneOverdue: 'No State Party has anything overdue beyond its credit on this date.',
  creditNote: 'Days overdue count from the oldest date payable by.',
  generateTitle: 'Draw up the reminder letters',
  generateLead: 'One letter per State Party listed above, in its language, with each overdue invoice, what is left on it and a QR-bill for the amount to pay. A State Party already written to on the letters’ date gets the same letter back, nothing new.',
  fieldDate: 'Date of the letters',
  hintDate: 'Leave empty for today; never before the date of the figures.',
  submitGenerate: (n) => `Draw up ${n} letter${n === 1 ? '' : 's'}`,
  generated: (issued, existing) => `${issued} letter${issued === 1 ? '' : 's'} drawn up${existing ? `, ${existing} already drawn up that day` : ''}.`,
  lettersTitle: (d) => `Letters with the figures of ${d}`,
  noLetters: 'No letter has been drawn up with the figures of this date.',
  colLetter: 'Letter',
  colIssued: 'Dated',
  colLevel: 'Level',
  colDocuments: 'Document',
  colDelivery: 'E-mail',
  pdf: 'PDF',
  pdfOf: (n) => ` of ${n}`,
  notSent: 'Not sent',
  sendTitle: 'E-mail these letters',
  sendLead: 'Each letter goes to every billing e-mail of its State Party, the PDF attached. An address that already had the letter is skipped.',
  fieldResend: 'Send again to addresses that already had the letter',
  submitSend: (n) => `E-mail ${n} letter${n === 1 ? '' : 's'}`,
  logLink: 'The delivery log',
  logTitle: 'Delivery log',
  logLead: 'Every document e-mailed, by address, with the status of its latest attempt and the answer of the mail server (or the file written to the outbox).',
  backToReminders: 'Back to the reminders',
  filterStatus: 'Status',
  filterKind: 'Documents',
  filterAll: 'All',
  filterApply: 'Show',
  filterClear: 'Clear the filter',
  status: { sent: 'Sent', written: 'Written to the outbox', failed: 'Failed' },
  kind: { invoices: 'Invoices', 'credit-notes': 'Credit notes', reminders: 'Reminders', statements: 'Statements' },
  colWhen: 'Latest attempt (UTC)',
  colKind: 'Documents',
  colDocument: 'Number',
  colRecipient: 'Address',
  colStatus: 'Status',
  colAttempts: 'Attempts',
  colMessage: 'Answer',
  noAddress: 'No billing e-mail',
  noDeliveries: 'Nothing matches in the delivery log.',
  runResult: (sent, written, failed, skipped) => `Sent: ${sent} · written to the outbox: ${written} · failed: ${failed} · skipped: ${skipped}.`,
  retryTitle: 'Try the failures again',
  retryLead: (n) => `${n} address${n === 1 ? '' : 'es'} whose latest attempt failed. Each is tried once more.`,
  submitRetry: 'Try again',
  badQuery: 'The filter of this address is not valid.',
  pageOf: (page, pages, total) => `Page ${page} of ${pages} · ${total} address${total === 1 ? '' : 'es'}`,
  previous: 'Previous page',
  next: 'Next page',
  pagination: 'Pages',
};

const FR: RemindersText = {
  title: 'Rappels',
  lead: 'Les États parties qui doivent encore une somme sur des factures échues, déduction faite de l’avoir qu’ils détiennent (un État partie dont l’avoir couvre la dette ne reçoit jamais de rappel). Les lettres de rappel sont établies au plus une fois par jour pour chaque État partie, puis envoyées par courriel à ses adresses de facturation.',
  fieldAsOf: 'Situation au',
  hintAsOf: 'Factures échues à cette date, et avoir détenu à cette date.',
  show: 'Afficher',
  kpiStates: 'États parties à relancer',
  kpiOverdue: 'Échu',
  kpiCredit: 'Avoir détenu',
  kpiToPay: 'À payer',
  overdueTitle: (d) => `Échu au ${d}`,
  colState: 'État partie',
  colInvoices: 'Factures échues',
  colDays: 'Jours de retard',
  colOverdue: 'Échu (CHF)',
  colCredit: 'Avoir (CHF)',
  colToPay: 'À payer (CHF)',
  colLast: 'Dernier rappel',
  dueOn: (d) => `échéance ${d}`,
  left: (a) => `reste ${a}`,
  lastLetter: (n, d, level) => `${n} du ${d} (niveau ${level})`,
  never: 'Aucun pour l’instant',
  noneOverdue: 'Aucun État partie ne doit de somme échue au-delà de son avoir à cette date.',
  creditNote: 'Les jours de retard courent depuis la plus ancienne échéance.',
  generateTitle: 'Établir les lettres de rappel',
  generateLead: 'Une lettre par État partie ci-dessus, dans sa langue, avec chaque facture échue, ce qui en reste et une QR-facture pour le montant à payer. Un État partie qui a déjà reçu une lettre à cette date retrouve la même lettre, rien de nouveau.',
  fieldDate: 'Date des lettres',
  hintDate: 'Laissez vide pour aujourd’hui ; jamais avant la date de la situation.',
  submitGenerate: (n) => `Établir ${n} lettre${n > 1 ? 's' : ''}`,
  generated: (issued, existing) => `${issued} lettre${issued > 1 ? 's' : ''} établie${issued > 1 ? 's' : ''}${existing ? `, ${existing} déjà établie${existing > 1 ? 's' : ''} ce jour-là` : ''}.`,
  lettersTitle: (d) => `Lettres établies selon la situation au ${d}`,
  noLetters: 'Aucune lettre n’a été établie selon la situation à cette date.',
  colLetter: 'Lettre',
  colIssued: 'Datée du',
  colLevel: 'Niveau',
  colDocuments: 'Document',
  colDelivery: 'Courriel',
  pdf: 'PDF',
  pdfOf: (n) => ` de ${n}`,
  notSent: 'Pas encore envoyée',
  sendTitle: 'Envoyer ces lettres par courriel',
  sendLead: 'Chaque lettre part vers chaque adresse de facturation de son État partie, le PDF en pièce jointe. Une adresse qui a déjà reçu la lettre est sautée.',
  fieldResend: 'Envoyer à nouveau aux adresses qui ont déjà reçu la lettre',
  submitSend: (n) => `Envoyer ${n} lettre${n > 1 ? 's' : ''}`,
  logLink: 'Le journal des envois',
  logTitle: 'Journal des envois',
  logLead: 'Chaque document envoyé par courriel, par adresse, avec le statut de sa dernière tentative et la réponse du serveur de messagerie (ou le fichier écrit dans la boîte d’envoi).',
  backToReminders: 'Retour aux rappels',
  filterStatus: 'Statut',
  filterKind: 'Documents',
  filterAll: 'Tous',
  filterApply: 'Afficher',
  filterClear: 'Effacer le filtre',
  status: { sent: 'Envoyé', written: 'Écrit dans la boîte d’envoi', failed: 'Échec' },
  kind: { invoices: 'Factures', 'credit-notes': 'Notes de crédit', reminders: 'Rappels', statements: 'Relevés de compte' },
  colWhen: 'Dernière tentative (UTC)',
  colKind: 'Documents',
  colDocument: 'Numéro',
  colRecipient: 'Adresse',
  colStatus: 'Statut',
  colAttempts: 'Tentatives',
  colMessage: 'Réponse',
  noAddress: 'Aucune adresse de facturation',
  noDeliveries: 'Rien ne correspond dans le journal des envois.',
  runResult: (sent, written, failed, skipped) => `Envoyés : ${sent} · écrits dans la boîte d’envoi : ${written} · échecs : ${failed} · sautés : ${skipped}.`,
  retryTitle: 'Réessayer les échecs',
  retryLead: (n) => `${n} adresse${n > 1 ? 's' : ''} dont la dernière tentative a échoué. Chacune est réessayée une fois.`,
  submitRetry: 'Réessayer',
  badQuery: 'Le filtre de cette adresse n’est pas valable.',
  pageOf: (page, pages, total) => `Page ${page} sur ${pages} · ${total} adresse${total > 1 ? 's' : ''}`,
  previous: 'Page précédente',
  next: 'Page suivante',
  pagination: 'Pages',
};

const ES: RemindersText = {
  title: 'Recordatorios',
  lead: 'Los Estados partes con importes pendientes en facturas vencidas, descontado el saldo a su favor (nunca se envía un recordatorio a un Estado parte cuyo saldo a favor cubre la deuda). Las cartas de recordatorio se preparan como máximo una vez al día para cada Estado parte y luego se envían por correo electrónico a sus direcciones de facturación.',
  fieldAsOf: 'Situación al',
  hintAsOf: 'Facturas vencidas en esa fecha y saldo a favor en esa fecha.',
  show: 'Mostrar',
  kpiStates: 'Estados partes a recordar',
  kpiOverdue: 'Vencido',
  kpiCredit: 'Saldo a su favor',
  kpiToPay: 'Por pagar',
  overdueTitle: (d) => `Vencido al ${d}`,
  colState: 'Estado parte',
  colInvoices: 'Facturas vencidas',
  colDays: 'Días de retraso',
  colOverdue: 'Vencido (CHF)',
  colCredit: 'Saldo a favor (CHF)',
  colToPay: 'Por pagar (CHF)',
  colLast: 'Último recordatorio',
  dueOn: (d) => `vence ${d}`,
  left: (a) => `quedan ${a}`,
  lastLetter: (n, d, level) => `${n} del ${d} (nivel ${level})`,
  never: 'Ninguno todavía',
  noneOverdue: 'Ningún Estado parte tiene importes vencidos por encima de su saldo a favor en esa fecha.',
  creditNote: 'Los días de retraso se cuentan desde el vencimiento más antiguo.',
  generateTitle: 'Preparar las cartas de recordatorio',
  generateLead: 'Una carta por Estado parte de la lista, en su idioma, con cada factura vencida, lo que queda de ella y una factura QR por el importe a pagar. Un Estado parte que ya recibió carta en esa fecha recibe la misma carta, nada nuevo.',
  fieldDate: 'Fecha de las cartas',
  hintDate: 'Déjela vacía para hoy; nunca antes de la fecha de la situación.',
  submitGenerate: (n) => `Preparar ${n} carta${n === 1 ? '' : 's'}`,
  generated: (issued, existing) => `${issued} carta${issued === 1 ? '' : 's'} preparada${issued === 1 ? '' : 's'}${existing ? `, ${existing} ya preparada${existing === 1 ? '' : 's'} ese día` : ''}.`,
  lettersTitle: (d) => `Cartas con la situación al ${d}`,
  noLetters: 'No se ha preparado ninguna carta con la situación a esa fecha.',
  colLetter: 'Carta',
  colIssued: 'Fechada',
  colLevel: 'Nivel',
  colDocuments: 'Documento',
  colDelivery: 'Correo electrónico',
  pdf: 'PDF',
  pdfOf: (n) => ` de ${n}`,
  notSent: 'Sin enviar',
  sendTitle: 'Enviar estas cartas por correo electrónico',
  sendLead: 'Cada carta se envía a cada dirección de facturación de su Estado parte, con el PDF adjunto. Se omite una dirección que ya recibió la carta.',
  fieldResend: 'Enviar de nuevo a las direcciones que ya recibieron la carta',
  submitSend: (n) => `Enviar ${n} carta${n === 1 ? '' : 's'}`,
  logLink: 'El registro de envíos',
  logTitle: 'Registro de envíos',
  logLead: 'Cada documento enviado por correo electrónico, por dirección, con el estado de su último intento y la respuesta del servidor de correo (o el archivo escrito en la bandeja de salida).',
  backToReminders: 'Volver a los recordatorios',
  filterStatus: 'Estado',
  filterKind: 'Documentos',
  filterAll: 'Todos',
  filterApply: 'Mostrar',
  filterClear: 'Borrar el filtro',
  status: { sent: 'Enviado', written: 'Escrito en la bandeja de salida', failed: 'Fallido' },
  kind: { invoices: 'Facturas', 'credit-notes': 'Notas de abono', reminders: 'Recordatorios', statements: 'Estados de cuenta' },
  colWhen: 'Último intento (UTC)',
  colKind: 'Documentos',
  colDocument: 'Número',
  colRecipient: 'Dirección',
  colStatus: 'Estado',
  colAttempts: 'Intentos',
  colMessage: 'Respuesta',
  noAddress: 'Sin dirección de facturación',
  noDeliveries: 'Nada coincide en el registro de envíos.',
  runResult: (sent, written, failed, skipped) => `Enviados: ${sent} · escritos en la bandeja de salida: ${written} · fallidos: ${failed} · omitidos: ${skipped}.`,
  retryTitle: 'Reintentar los fallidos',
  retryLead: (n) => `${n} ${n === 1 ? 'dirección' : 'direcciones'} cuyo último intento falló. Cada una se intenta una vez más.`,
  submitRetry: 'Reintentar',
  badQuery: 'El filtro de esta dirección no es válido.',
  pageOf: (page, pages, total) => `Página ${page} de ${pages} · ${total} ${total === 1 ? 'dirección' : 'direcciones'}`,
  previous: 'Página anterior',
  next: 'Página siguiente',
  pagination: 'Páginas',
};

export const REMINDERS_TEXT: Record<FormLang, RemindersText> = { en: EN, fr: FR, es: ES };

/** The reminder and delivery services' messages these forms can meet, in French and Spanish. */
const SERVICE_MESSAGES: ServiceMessage[] = [
  {
    pattern: /^must not be after the issue date (\d{4}-\d\d-\d\d)$/,
    fr: (m) => `La date de la situation ne doit pas être postérieure à celle des lettres (${m[1]}).`,
    es: (m) => `La fecha de la situación no debe ser posterior a la de las cartas (${m[1]}).`,
  },
  {
    pattern: /^([A-Z]{3}) has nothing overdue beyond its credit on (\d{4}-\d\d-\d\d)( any more: a payment was recorded meanwhile)?/,
    fr: (m) => `${m[1]} n’a rien d’échu au-delà de son avoir au ${m[2]} : rien à lui rappeler.`,
    es: (m) => `${m[1]} no tiene nada vencido por encima de su saldo a favor al ${m[2]}: nada que recordarle.`,
  },
  {
    pattern: /^other reminders kept taking the next number; try again$/,
    fr: () => 'D’autres rappels prenaient sans cesse le numéro suivant : réessayez.',
    es: () => 'Otros recordatorios tomaban sin cesar el número siguiente: inténtelo de nuevo.',
  },
];

addServiceMessages(SERVICE_MESSAGES);
