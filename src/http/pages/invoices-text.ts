/**
 * Every word of the invoices pages (the list with each invoice's status and
 * what is left, one invoice with its cancel and re-issue forms, the batch
 * with its progress), in English, French and Spanish. French puts a no-break
 * space before : ; ? !. UN terms: State Party / État partie / Estado parte.
 */
import { addServiceMessages, type ServiceMessage } from './service-messages.js';
import type { FormLang } from './forms.js';

export type InvoiceStatusKey = 'paid' | 'part' | 'unpaid' | 'overdue' | 'cancelled';
export type InvoiceKindKey = 'assessment' | 'supplementary' | 'late' | 'reissue';

export interface InvoicesText {
  listTitle: string;
  listLead: string;
  batchLink: string;
  filterYear: string;
  filterState: string;
  filterStatus: string;
  filterAll: string;
  filterApply: string;
  filterClear: string;
  colNumber: string;
  colState: string;
  colIssued: string;
  colDue: string;
  colTotal: string;
  colLeft: string;
  colStatus: string;
  colDocuments: string;
  none: string;
  summary: (n: number, total: string, left: string) => string;
  pageOf: (page: number, pages: number) => string;
  previous: string;
  next: string;
  pagination: string;
  status: Record<InvoiceStatusKey, string>;
  kind: Record<InvoiceKindKey, string>;
  pdf: string;
  xml: string;
  pdfOf: (number: string) => string;
  xmlOf: (number: string) => string;
  // one invoice
  invoiceTitle: (number: string) => string;
  backToList: string;
  dtState: string;
  dtKind: string;
  dtYear: string;
  dtIssued: string;
  dtDue: string;
  dtTotal: string;
  dtCreditOnIssue: string;
  dtNetPayable: string;
  dtCredited: string;
  dtPaid: string;
  dtLeft: string;
  dtStatus: string;
  dtReference: string;
  dtOriginal: string;
  dtReissuedAs: string;
  daysLate: (n: number) => string;
  linesTitle: string;
  colCategory: string;
  colAmount: string;
  appliedTitle: string;
  colDate: string;
  colSource: string;
  source: Record<'payment' | 'credit' | 'cancellation' | 'reversal', string>;
  paymentLink: (id: number) => string;
  nothingApplied: string;
  creditNotesTitle: string;
  colCreditNote: string;
  colReason: string;
  creditKind: Record<'cancellation' | 'partial', string>;
  noCreditNotes: string;
  cancelTitle: string;
  cancelLead: string;
  fieldReason: string;
  fieldCancelDate: string;
  hintCancelDate: string;
  submitCancel: string;
  reissueTitle: string;
  reissueLead: string;
  fieldReissueDate: string;
  hintReissueDate: string;
  submitReissue: string;
  supplementaryNote: string;
  cancelledNotice: (creditNote: string) => string;
  reissuedNotice: (number: string) => string;
  financeOnly: string;
  badQuery: string;
  notFound: string;
  // the batch
  batchTitle: string;
  batchLead: string;
  fieldYear: string;
  chooseYear: string;
  noBudget: (year: number) => string;
  noBudgets: string;
  previewTitle: (year: number) => string;
  approvedOn: string;
  cutoff: string;
  frozen: string;
  notFrozen: string;
  assessedStates: string;
  alreadyIssued: string;
  toIssue: string;
  toIssueTotal: string;
  lateJoiners: string;
  nothingToIssue: string;
  assessmentProblem: string;
  fieldIssueDate: string;
  hintIssueDate: string;
  submitBatch: (n: number) => string;
  runningFor: (year: number) => string;
  seeProgress: string;
  progressTitle: (year: number) => string;
  progressLabel: string;
  progress: (done: number, total: number) => string;
  starting: string;
  refreshing: string;
  stopRefresh: string;
  refreshNow: string;
  startRefresh: string;
  finished: string;
  failed: string;
  resultIssued: (n: number) => string;
  resultAlready: (n: number) => string;
  resultSkipped: (n: number) => string;
  resultPdfs: (n: number) => string;
  issuedTitle: string;
  skippedTitle: string;
  colReasonSkipped: string;
  seeYear: (year: number) => string;
  batchNotFound: string;
  yearUnknown: string;
  sendTitle: (year: number) => string;
  deliveriesTitle: string;
  sendOneLead: string;
  submitSendOne: (creditNotes: number) => string;
  submitSendNotes: (creditNotes: number) => string;
  sentNotice: (sent: number, written: number, failed: number, skipped: number) => string;
  noDeliveries: string;
  colRecipient: string;
  colWhen: string;
  deliveryStatus: Record<'sent' | 'written' | 'failed', string>;
  noAddress: string;
  sendLead: string;
  fieldResend: string;
  submitSend: (n: number) => string;
}

const EN: InvoicesText = {
  listTitle: 'Invoices',
  listLead: 'Each invoice with its status and what is left to pay on it. Filter by year, State Party or status; the address of this page keeps the filter.',
  batchLink: 'Issue the invoices of a year',
  filterYear: 'Year',
  filterState: 'State Party',
  filterStatus: 'Status',
  filterAll: 'All',
  filterApply: 'Show',
  filterClear: 'Clear the filter',
  colNumber: 'Invoice',
  colState: 'State Party',
  colIssued: 'Issued',
  colDue: 'Payable by',
  colTotal: 'Total (CHF)',
  colLeft: 'Left (CHF)',
  colStatus: 'Status',
  colDocuments: 'Documents',
  none: 'No invoice matches.',
  summary: (n, total, left) => `${n} invoice${n === 1 ? '' : 's'} · total ${total} · left to pay ${left}`,
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  previous: 'Previous page',
  next: 'Next page',
  pagination: 'Pages',
  status: { paid: 'Paid', part: 'Part paid', unpaid: 'Unpaid', overdue: 'Overdue', cancelled: 'Cancelled' },
  kind: { assessment: 'Assessed contribution', supplementary: 'Supplementary invoice', late: 'Late joiner’s invoice', reissue: 'Re-issued invoice' },
  pdf: 'PDF',
  xml: 'E-invoice (XML)',
  pdfOf: (n) => ` of ${n}`,
  xmlOf: (n) => ` of ${n}`,
  invoiceTitle: (n) => `Invoice ${n}`,
  backToList: 'All invoices',
  dtState: 'State Party',
  dtKind: 'Kind',
  dtYear: 'Budget year',
  dtIssued: 'Issued on',
  dtDue: 'Payable by',
  dtTotal: 'Total',
  dtCreditOnIssue: 'Credit applied on issue',
  dtNetPayable: 'Net payable as printed',
  dtCredited: 'Credited by budget revisions',
  dtPaid: 'Paid (money and credit applied)',
  dtLeft: 'Left to pay',
  dtStatus: 'Status',
  dtReference: 'RF creditor reference',
  dtOriginal: 'Refers to invoice',
  dtReissuedAs: 'Re-issued as',
  daysLate: (n) => `${n} day${n === 1 ? '' : 's'} past the date payable by`,
  linesTitle: 'Lines',
  colCategory: 'Category',
  colAmount: 'Amount (CHF)',
  appliedTitle: 'Money applied to this invoice',
  colDate: 'Date',
  colSource: 'From',
  source: { payment: 'Payment', credit: 'Credit held by the State Party', cancellation: 'Released by a credit note', reversal: 'Reversal of a payment' },
  paymentLink: (id) => `Payment ${id}`,
  nothingApplied: 'Nothing has been applied to this invoice.',
  creditNotesTitle: 'Credit notes',
  colCreditNote: 'Credit note',
  colReason: 'Reason',
  creditKind: { cancellation: 'Cancellation', partial: 'Budget revision' },
  noCreditNotes: 'No credit note was issued on this invoice.',
  cancelTitle: 'Cancel this invoice',
  cancelLead: 'Nothing is deleted: a credit note offsets what is left of the invoice, which keeps its number. Money already applied to it becomes the State Party’s credit.',
  fieldReason: 'Reason',
  fieldCancelDate: 'Date of the credit note',
  hintCancelDate: 'Leave empty for today.',
  submitCancel: 'Cancel the invoice',
  reissueTitle: 'Issue this invoice again',
  reissueLead: 'For an invoice cancelled by mistake: a new invoice with a new number and the same obligation, referring to this one.',
  fieldReissueDate: 'Issue date',
  hintReissueDate: 'Leave empty for today.',
  submitReissue: 'Issue it again',
  supplementaryNote: 'Supplementary invoices are issued by a revision of the budget (Budgets pages), never by editing an invoice.',
  cancelledNotice: (cn) => `The invoice was cancelled by credit note ${cn}.`,
  reissuedNotice: (n) => `The invoice was issued again as ${n}.`,
  financeOnly: 'Only the finance role cancels or re-issues invoices.',
  badQuery: 'The filter of this address is not valid.',
  notFound: 'There is no such invoice.',
  batchTitle: 'Issue the invoices of a year',
  batchLead: 'One invoice per assessed State Party of an approved budget. Running it again issues only what is missing.',
  fieldYear: 'Budget year',
  chooseYear: 'Show',
  noBudget: (y) => `There is no budget for ${y}.`,
  noBudgets: 'No budget has been adopted yet.',
  previewTitle: (y) => `What the ${y} batch would issue`,
  approvedOn: 'Budget approved on',
  cutoff: 'Payable by',
  frozen: 'The assessment is frozen by the invoices already issued.',
  notFrozen: 'The first invoice will freeze the assessment.',
  assessedStates: 'States Parties assessed',
  alreadyIssued: 'Already invoiced',
  toIssue: 'Invoices to issue',
  toIssueTotal: 'Total to invoice',
  lateJoiners: 'Of which late joiners',
  nothingToIssue: 'Every assessed State Party of this year has its invoice: nothing to issue.',
  assessmentProblem: 'The assessment of this budget cannot be computed',
  fieldIssueDate: 'Issue date',
  hintIssueDate: 'Leave empty for today; never before the approval of the budget.',
  submitBatch: (n) => `Issue ${n} invoice${n === 1 ? '' : 's'}`,
  runningFor: (y) => `The ${y} batch is running.`,
  seeProgress: 'See its progress',
  progressTitle: (y) => `Invoices of ${y}`,
  progressLabel: 'States Parties processed',
  progress: (done, total) => `${done} of ${total} States Parties processed`,
  starting: 'Starting…',
  refreshing: 'This page refreshes every 2 seconds until the batch has finished.',
  stopRefresh: 'Stop refreshing automatically',
  refreshNow: 'Refresh now',
  startRefresh: 'Refresh automatically',
  finished: 'The batch has finished.',
  failed: 'The batch stopped',
  resultIssued: (n) => `${n} invoice${n === 1 ? '' : 's'} issued`,
  resultAlready: (n) => `${n} already issued before`,
  resultSkipped: (n) => `${n} skipped`,
  resultPdfs: (n) => `${n} missing PDF${n === 1 ? '' : 's'} written again`,
  issuedTitle: 'Invoices issued by this run',
  skippedTitle: 'States Parties skipped',
  colReasonSkipped: 'Why',
  seeYear: (y) => `See the invoices of ${y}`,
  batchNotFound: 'There is no such batch run (runs are kept until the server restarts).',
  yearUnknown: 'Choose a year with a budget.',
  deliveriesTitle: 'E-mailed',
  noDeliveries: 'This invoice has not been e-mailed.',
  colRecipient: 'Address',
  colWhen: 'Latest attempt (UTC)',
  deliveryStatus: { sent: 'Sent', written: 'Written to the outbox', failed: 'Failed' },
  noAddress: 'No billing e-mail',
  sendOneLead: 'To every billing e-mail of the State Party, the PDF attached; an address that already had the document is skipped unless you tick the box.',
  submitSendOne: (n) => (n ? `E-mail the invoice and its credit note${n === 1 ? '' : 's'}` : 'E-mail the invoice'),
  submitSendNotes: (n) => `E-mail its credit note${n === 1 ? '' : 's'}`,
  sentNotice: (sent, written, failed, skipped) => `E-mailed. Sent: ${sent} · written to the outbox: ${written} · failed: ${failed} · skipped: ${skipped}.`,
  sendTitle: (y) => `E-mail the invoices of ${y}`,
  sendLead: 'Each invoice goes to every billing e-mail of its State Party, the PDF attached; an address that already had it is skipped. The delivery log shows each attempt.',
  fieldResend: 'Send again to addresses that already had the invoice',
  submitSend: (n) => `E-mail ${n} invoice${n === 1 ? '' : 's'}`,
};

const FR: InvoicesText = {
  listTitle: 'Factures',
  listLead: 'Chaque facture avec son statut et ce qui reste à payer. Filtrez par année, État partie ou statut ; l’adresse de la page garde le filtre.',
  batchLink: 'Émettre les factures d’une année',
  filterYear: 'Année',
  filterState: 'État partie',
  filterStatus: 'Statut',
  filterAll: 'Tous',
  filterApply: 'Afficher',
  filterClear: 'Effacer le filtre',
  colNumber: 'Facture',
  colState: 'État partie',
  colIssued: 'Émise le',
  colDue: 'Payable avant le',
  colTotal: 'Montant (CHF)',
  colLeft: 'Reste dû (CHF)',
  colStatus: 'Statut',
  colDocuments: 'Documents',
  none: 'Aucune facture ne correspond.',
  summary: (n, total, left) => `${n} facture${n > 1 ? 's' : ''} · montant ${total} · reste à payer ${left}`,
  pageOf: (page, pages) => `Page ${page} sur ${pages}`,
  previous: 'Page précédente',
  next: 'Page suivante',
  pagination: 'Pages',
  status: { paid: 'Payée', part: 'Payée en partie', unpaid: 'Impayée', overdue: 'En retard', cancelled: 'Annulée' },
  kind: { assessment: 'Contribution mise en recouvrement', supplementary: 'Facture complémentaire', late: 'Facture d’adhésion tardive', reissue: 'Facture réémise' },
  pdf: 'PDF',
  xml: 'Facture électronique (XML)',
  pdfOf: (n) => ` de ${n}`,
  xmlOf: (n) => ` de ${n}`,
  invoiceTitle: (n) => `Facture ${n}`,
  backToList: 'Toutes les factures',
  dtState: 'État partie',
  dtKind: 'Nature',
  dtYear: 'Exercice budgétaire',
  dtIssued: 'Émise le',
  dtDue: 'Payable avant le',
  dtTotal: 'Montant',
  dtCreditOnIssue: 'Avoir imputé à l’émission',
  dtNetPayable: 'Net à payer imprimé',
  dtCredited: 'Crédité par des révisions budgétaires',
  dtPaid: 'Réglé (paiements et avoir imputés)',
  dtLeft: 'Reste à payer',
  dtStatus: 'Statut',
  dtReference: 'Référence de créancier RF',
  dtOriginal: 'Se rapporte à la facture',
  dtReissuedAs: 'Réémise sous le numéro',
  daysLate: (n) => `${n} jour${n > 1 ? 's' : ''} après la date d’échéance`,
  linesTitle: 'Lignes',
  colCategory: 'Catégorie',
  colAmount: 'Montant (CHF)',
  appliedTitle: 'Sommes imputées à cette facture',
  colDate: 'Date',
  colSource: 'Origine',
  source: { payment: 'Paiement', credit: 'Avoir détenu par l’État partie', cancellation: 'Libéré par une note de crédit', reversal: 'Contre-passation d’un paiement' },
  paymentLink: (id) => `Paiement ${id}`,
  nothingApplied: 'Aucune somme n’a été imputée à cette facture.',
  creditNotesTitle: 'Notes de crédit',
  colCreditNote: 'Note de crédit',
  colReason: 'Motif',
  creditKind: { cancellation: 'Annulation', partial: 'Révision budgétaire' },
  noCreditNotes: 'Aucune note de crédit n’a été émise sur cette facture.',
  cancelTitle: 'Annuler cette facture',
  cancelLead: 'Rien n’est supprimé : une note de crédit compense ce qui reste de la facture, qui garde son numéro. Les sommes déjà imputées deviennent un avoir de l’État partie.',
  fieldReason: 'Motif',
  fieldCancelDate: 'Date de la note de crédit',
  hintCancelDate: 'Laissez vide pour aujourd’hui.',
  submitCancel: 'Annuler la facture',
  reissueTitle: 'Émettre à nouveau cette facture',
  reissueLead: 'Pour une facture annulée par erreur : une nouvelle facture, avec un nouveau numéro et la même obligation, qui renvoie à celle-ci.',
  fieldReissueDate: 'Date d’émission',
  hintReissueDate: 'Laissez vide pour aujourd’hui.',
  submitReissue: 'Émettre à nouveau',
  supplementaryNote: 'Les factures complémentaires sont émises par une révision du budget (pages Budgets), jamais en modifiant une facture.',
  cancelledNotice: (cn) => `La facture a été annulée par la note de crédit ${cn}.`,
  reissuedNotice: (n) => `La facture a été émise à nouveau sous le numéro ${n}.`,
  financeOnly: 'Seul le rôle finances annule ou réémet des factures.',
  badQuery: 'Le filtre de cette adresse n’est pas valable.',
  notFound: 'Cette facture n’existe pas.',
  batchTitle: 'Émettre les factures d’une année',
  batchLead: 'Une facture par État partie mis en recouvrement d’un budget approuvé. Relancée, l’émission ne produit que ce qui manque.',
  fieldYear: 'Exercice budgétaire',
  chooseYear: 'Afficher',
  noBudget: (y) => `Il n’y a pas de budget pour ${y}.`,
  noBudgets: 'Aucun budget n’a encore été adopté.',
  previewTitle: (y) => `Ce que l’émission ${y} produirait`,
  approvedOn: 'Budget approuvé le',
  cutoff: 'Payable avant le',
  frozen: 'Le barème de répartition est figé par les factures déjà émises.',
  notFrozen: 'La première facture figera le barème de répartition.',
  assessedStates: 'États parties mis en recouvrement',
  alreadyIssued: 'Déjà facturés',
  toIssue: 'Factures à émettre',
  toIssueTotal: 'Montant à facturer',
  lateJoiners: 'Dont adhésions tardives',
  nothingToIssue: 'Chaque État partie mis en recouvrement cette année a sa facture : rien à émettre.',
  assessmentProblem: 'La répartition de ce budget ne peut pas être calculée',
  fieldIssueDate: 'Date d’émission',
  hintIssueDate: 'Laissez vide pour aujourd’hui ; jamais avant l’approbation du budget.',
  submitBatch: (n) => `Émettre ${n} facture${n > 1 ? 's' : ''}`,
  runningFor: (y) => `L’émission ${y} est en cours.`,
  seeProgress: 'Voir son avancement',
  progressTitle: (y) => `Factures ${y}`,
  progressLabel: 'États parties traités',
  progress: (done, total) => `${done} États parties traités sur ${total}`,
  starting: 'Démarrage…',
  refreshing: 'Cette page se met à jour toutes les 2 secondes jusqu’à la fin de l’émission.',
  stopRefresh: 'Arrêter la mise à jour automatique',
  refreshNow: 'Mettre à jour maintenant',
  startRefresh: 'Mettre à jour automatiquement',
  finished: 'L’émission est terminée.',
  failed: 'L’émission s’est arrêtée',
  resultIssued: (n) => `${n} facture${n > 1 ? 's' : ''} émise${n > 1 ? 's' : ''}`,
  resultAlready: (n) => `${n} déjà émise${n > 1 ? 's' : ''} auparavant`,
  resultSkipped: (n) => `${n} écartée${n > 1 ? 's' : ''}`,
  resultPdfs: (n) => `${n} PDF manquant${n > 1 ? 's' : ''} réécrit${n > 1 ? 's' : ''}`,
  issuedTitle: 'Factures émises par cette exécution',
  skippedTitle: 'États parties écartés',
  colReasonSkipped: 'Pourquoi',
  seeYear: (y) => `Voir les factures ${y}`,
  batchNotFound: 'Cette émission est introuvable (elles sont gardées jusqu’au redémarrage du serveur).',
  yearUnknown: 'Choisissez une année dotée d’un budget.',
  deliveriesTitle: 'Envois par courriel',
  noDeliveries: 'Cette facture n’a pas été envoyée par courriel.',
  colRecipient: 'Adresse',
  colWhen: 'Dernière tentative (UTC)',
  deliveryStatus: { sent: 'Envoyé', written: 'Écrit dans la boîte d’envoi', failed: 'Échec' },
  noAddress: 'Aucune adresse de facturation',
  sendOneLead: 'À chaque adresse de facturation de l’État partie, le PDF en pièce jointe ; une adresse qui a déjà reçu le document est sautée, sauf si vous cochez la case.',
  submitSendOne: (n) => (n ? `Envoyer la facture et sa${n > 1 ? 's' : ''} note${n > 1 ? 's' : ''} de crédit` : 'Envoyer la facture'),
  submitSendNotes: (n) => `Envoyer sa${n > 1 ? 's' : ''} note${n > 1 ? 's' : ''} de crédit`,
  sentNotice: (sent, written, failed, skipped) => `Envoi effectué. Envoyés : ${sent} · écrits dans la boîte d’envoi : ${written} · échecs : ${failed} · sautés : ${skipped}.`,
  sendTitle: (y) => `Envoyer par courriel les factures ${y}`,
  sendLead: 'Chaque facture part vers chaque adresse de facturation de son État partie, le PDF en pièce jointe ; une adresse qui l’a déjà reçue est sautée. Le journal des envois montre chaque tentative.',
  fieldResend: 'Envoyer à nouveau aux adresses qui ont déjà reçu la facture',
  submitSend: (n) => `Envoyer ${n} facture${n > 1 ? 's' : ''}`,
};

const ES: InvoicesText = {
  listTitle: 'Facturas',
  listLead: 'Cada factura con su estado y lo que queda por pagar. Filtre por año, Estado parte o estado; la dirección de la página conserva el filtro.',
  batchLink: 'Emitir las facturas de un año',
  filterYear: 'Año',
  filterState: 'Estado parte',
  filterStatus: 'Estado',
  filterAll: 'Todos',
  filterApply: 'Mostrar',
  filterClear: 'Borrar el filtro',
  colNumber: 'Factura',
  colState: 'Estado parte',
  colIssued: 'Emitida',
  colDue: 'Pagadera antes del',
  colTotal: 'Importe (CHF)',
  colLeft: 'Pendiente (CHF)',
  colStatus: 'Estado',
  colDocuments: 'Documentos',
  none: 'Ninguna factura coincide.',
  summary: (n, total, left) => `${n} factura${n === 1 ? '' : 's'} · importe ${total} · pendiente de pago ${left}`,
  pageOf: (page, pages) => `Página ${page} de ${pages}`,
  previous: 'Página anterior',
  next: 'Página siguiente',
  pagination: 'Páginas',
  status: { paid: 'Pagada', part: 'Pagada en parte', unpaid: 'Impagada', overdue: 'Vencida', cancelled: 'Anulada' },
  kind: { assessment: 'Contribución prorrateada', supplementary: 'Factura complementaria', late: 'Factura de adhesión tardía', reissue: 'Factura reemitida' },
  pdf: 'PDF',
  xml: 'Factura electrónica (XML)',
  pdfOf: (n) => ` de ${n}`,
  xmlOf: (n) => ` de ${n}`,
  invoiceTitle: (n) => `Factura ${n}`,
  backToList: 'Todas las facturas',
  dtState: 'Estado parte',
  dtKind: 'Tipo',
  dtYear: 'Ejercicio presupuestario',
  dtIssued: 'Emitida el',
  dtDue: 'Pagadera antes del',
  dtTotal: 'Importe',
  dtCreditOnIssue: 'Saldo a favor aplicado al emitirla',
  dtNetPayable: 'Neto a pagar impreso',
  dtCredited: 'Abonado por revisiones del presupuesto',
  dtPaid: 'Pagado (pagos y saldo a favor aplicados)',
  dtLeft: 'Pendiente de pago',
  dtStatus: 'Estado',
  dtReference: 'Referencia de acreedor RF',
  dtOriginal: 'Se refiere a la factura',
  dtReissuedAs: 'Reemitida con el número',
  daysLate: (n) => `${n} día${n === 1 ? '' : 's'} después de la fecha de vencimiento`,
  linesTitle: 'Líneas',
  colCategory: 'Categoría',
  colAmount: 'Importe (CHF)',
  appliedTitle: 'Importes aplicados a esta factura',
  colDate: 'Fecha',
  colSource: 'Origen',
  source: { payment: 'Pago', credit: 'Saldo a favor del Estado parte', cancellation: 'Liberado por una nota de abono', reversal: 'Reversión de un pago' },
  paymentLink: (id) => `Pago ${id}`,
  nothingApplied: 'No se ha aplicado ningún importe a esta factura.',
  creditNotesTitle: 'Notas de abono',
  colCreditNote: 'Nota de abono',
  colReason: 'Motivo',
  creditKind: { cancellation: 'Anulación', partial: 'Revisión del presupuesto' },
  noCreditNotes: 'No se ha emitido ninguna nota de abono sobre esta factura.',
  cancelTitle: 'Anular esta factura',
  cancelLead: 'No se borra nada: una nota de abono compensa lo que queda de la factura, que conserva su número. Lo ya aplicado pasa a ser saldo a favor del Estado parte.',
  fieldReason: 'Motivo',
  fieldCancelDate: 'Fecha de la nota de abono',
  hintCancelDate: 'Déjela vacía para hoy.',
  submitCancel: 'Anular la factura',
  reissueTitle: 'Emitir de nuevo esta factura',
  reissueLead: 'Para una factura anulada por error: una nueva factura, con un nuevo número y la misma obligación, que remite a esta.',
  fieldReissueDate: 'Fecha de emisión',
  hintReissueDate: 'Déjela vacía para hoy.',
  submitReissue: 'Emitir de nuevo',
  supplementaryNote: 'Las facturas complementarias se emiten mediante una revisión del presupuesto (páginas Presupuestos), nunca modificando una factura.',
  cancelledNotice: (cn) => `La factura se anuló con la nota de abono ${cn}.`,
  reissuedNotice: (n) => `La factura se emitió de nuevo con el número ${n}.`,
  financeOnly: 'Solo la función de finanzas anula o reemite facturas.',
  badQuery: 'El filtro de esta dirección no es válido.',
  notFound: 'Esta factura no existe.',
  batchTitle: 'Emitir las facturas de un año',
  batchLead: 'Una factura por Estado parte con cuota de un presupuesto aprobado. Si se repite, solo se emite lo que falta.',
  fieldYear: 'Ejercicio presupuestario',
  chooseYear: 'Mostrar',
  noBudget: (y) => `No hay presupuesto para ${y}.`,
  noBudgets: 'Todavía no se ha adoptado ningún presupuesto.',
  previewTitle: (y) => `Lo que emitiría la tanda ${y}`,
  approvedOn: 'Presupuesto aprobado el',
  cutoff: 'Pagadera antes del',
  frozen: 'El prorrateo queda fijado por las facturas ya emitidas.',
  notFrozen: 'La primera factura fijará el prorrateo.',
  assessedStates: 'Estados partes con cuota',
  alreadyIssued: 'Ya facturados',
  toIssue: 'Facturas por emitir',
  toIssueTotal: 'Importe por facturar',
  lateJoiners: 'De ellas, adhesiones tardías',
  nothingToIssue: 'Cada Estado parte con cuota este año tiene su factura: nada que emitir.',
  assessmentProblem: 'No se puede calcular el prorrateo de este presupuesto',
  fieldIssueDate: 'Fecha de emisión',
  hintIssueDate: 'Déjela vacía para hoy; nunca antes de la aprobación del presupuesto.',
  submitBatch: (n) => `Emitir ${n} factura${n === 1 ? '' : 's'}`,
  runningFor: (y) => `La tanda ${y} está en curso.`,
  seeProgress: 'Ver su avance',
  progressTitle: (y) => `Facturas ${y}`,
  progressLabel: 'Estados partes tratados',
  progress: (done, total) => `${done} de ${total} Estados partes tratados`,
  starting: 'Comenzando…',
  refreshing: 'Esta página se actualiza cada 2 segundos hasta que termine la tanda.',
  stopRefresh: 'Detener la actualización automática',
  refreshNow: 'Actualizar ahora',
  startRefresh: 'Actualizar automáticamente',
  finished: 'La tanda ha terminado.',
  failed: 'La tanda se detuvo',
  resultIssued: (n) => `${n} factura${n === 1 ? '' : 's'} emitida${n === 1 ? '' : 's'}`,
  resultAlready: (n) => `${n} ya emitida${n === 1 ? '' : 's'} antes`,
  resultSkipped: (n) => `${n} omitida${n === 1 ? '' : 's'}`,
  resultPdfs: (n) => `${n} PDF que faltaba${n === 1 ? '' : 'n'} escrito${n === 1 ? '' : 's'} de nuevo`,
  issuedTitle: 'Facturas emitidas en esta ejecución',
  skippedTitle: 'Estados partes omitidos',
  colReasonSkipped: 'Por qué',
  seeYear: (y) => `Ver las facturas ${y}`,
  batchNotFound: 'Esta tanda no existe (se conservan hasta que se reinicia el servidor).',
  yearUnknown: 'Elija un año con presupuesto.',
  deliveriesTitle: 'Envíos por correo electrónico',
  noDeliveries: 'Esta factura no se ha enviado por correo electrónico.',
  colRecipient: 'Dirección',
  colWhen: 'Último intento (UTC)',
  deliveryStatus: { sent: 'Enviado', written: 'Escrito en la bandeja de salida', failed: 'Fallido' },
  noAddress: 'Sin dirección de facturación',
  sendOneLead: 'A cada dirección de facturación del Estado parte, con el PDF adjunto; se omite una dirección que ya recibió el documento, salvo si marca la casilla.',
  submitSendOne: (n) => (n ? `Enviar la factura y su${n === 1 ? '' : 's'} nota${n === 1 ? '' : 's'} de abono` : 'Enviar la factura'),
  submitSendNotes: (n) => `Enviar su${n === 1 ? '' : 's'} nota${n === 1 ? '' : 's'} de abono`,
  sentNotice: (sent, written, failed, skipped) => `Envío realizado. Enviados: ${sent} · escritos en la bandeja de salida: ${written} · fallidos: ${failed} · omitidos: ${skipped}.`,
  sendTitle: (y) => `Enviar por correo electrónico las facturas ${y}`,
  sendLead: 'Cada factura se envía a cada dirección de facturación de su Estado parte, con el PDF adjunto; se omite una dirección que ya la recibió. El registro de envíos muestra cada intento.',
  fieldResend: 'Enviar de nuevo a las direcciones que ya recibieron la factura',
  submitSend: (n) => `Enviar ${n} factura${n === 1 ? '' : 's'}`,
};

export const INVOICES_TEXT: Record<FormLang, InvoicesText> = { en: EN, fr: FR, es: ES };

/**
 * The invoice services' messages a finance officer meets on these forms, in
 * French and Spanish (the services speak English, like the API).
 */
const SERVICE_MESSAGES: ServiceMessage[] = [
  {
    pattern: /^invoice (\S+) is already cancelled$/,
    fr: (m) => `La facture ${m[1]} est déjà annulée.`,
    es: (m) => `La factura ${m[1]} ya está anulada.`,
  },
  {
    pattern: /^invoice (\S+) was credited in full by the credit notes of a budget revision: nothing is left to cancel$/,
    fr: (m) => `La facture ${m[1]} a été entièrement créditée par les notes de crédit d’une révision budgétaire : il ne reste rien à annuler.`,
    es: (m) => `La factura ${m[1]} se abonó por completo con las notas de abono de una revisión del presupuesto: no queda nada que anular.`,
  },
  {
    pattern: /^invoice (\S+) is not cancelled: only a cancelled invoice is issued again$/,
    fr: (m) => `La facture ${m[1]} n’est pas annulée : seule une facture annulée peut être émise à nouveau.`,
    es: (m) => `La factura ${m[1]} no está anulada: solo se puede emitir de nuevo una factura anulada.`,
  },
  {
    pattern: /^invoice (\S+) was already issued again as (\S+)$/,
    fr: (m) => `La facture ${m[1]} a déjà été émise à nouveau sous le numéro ${m[2]}.`,
    es: (m) => `La factura ${m[1]} ya se emitió de nuevo con el número ${m[2]}.`,
  },
  {
    pattern: /^must not be before the invoice's issue date (\d{4}-\d\d-\d\d)$/,
    fr: (m) => `La date ne doit pas être antérieure à l’émission de la facture (${m[1]}).`,
    es: (m) => `La fecha no debe ser anterior a la emisión de la factura (${m[1]}).`,
  },
  {
    pattern: /^must not be before the credit note (\S+) \((\d{4}-\d\d-\d\d)\)$/,
    fr: (m) => `La date ne doit pas être antérieure à la note de crédit ${m[1]} (${m[2]}).`,
    es: (m) => `La fecha no debe ser anterior a la nota de abono ${m[1]} (${m[2]}).`,
  },
  {
    pattern: /^must not be before the budget's approval on (\d{4}-\d\d-\d\d)$/,
    fr: (m) => `La date ne doit pas être antérieure à l’approbation du budget (${m[1]}).`,
    es: (m) => `La fecha no debe ser anterior a la aprobación del presupuesto (${m[1]}).`,
  },
  {
    pattern: /^invoice (\S+) is cancelled by credit note (\S+): send the credit note$/,
    fr: (m) => `La facture ${m[1]} est annulée par la note de crédit ${m[2]} : envoyez la note de crédit.`,
    es: (m) => `La factura ${m[1]} está anulada por la nota de abono ${m[2]}: envíe la nota de abono.`,
  },
  {
    pattern: /^other invoices kept taking the next number; try again$/,
    fr: () => 'D’autres factures prenaient sans cesse le numéro suivant : réessayez.',
    es: () => 'Otras facturas tomaban sin cesar el número siguiente: inténtelo de nuevo.',
  },
];

addServiceMessages(SERVICE_MESSAGES);
