/**
 * Every word of the payments pages, in English, French and Spanish (UN
 * terms: State Party / État partie / Estado parte, reversal /
 * contre-passation / reversión). One object, to be merged into the pages'
 * catalogue.
 */
import { addServiceMessages, serviceMessageIn, type ServiceMessage } from './service-messages.js';
import type { FormLang } from './forms.js';

export interface PaymentsText {
  listTitle: string;
  listLead: string;
  newTitle: string;
  newLead: string;
  recordLink: string;
  filterYear: string;
  filterState: string;
  filterFrom: string;
  filterTo: string;
  filterAll: string;
  filterApply: string;
  filterClear: string;
  colDate: string;
  colState: string;
  colAmount: string;
  colReference: string;
  colPaid: string;
  colStatus: string;
  none: string;
  pageOf: (page: number, pages: number, total: number) => string;
  previous: string;
  next: string;
  pagination: string;
  unappliedCredit: string;
  purposeLabel: string;
  purpose: Record<'assessed' | 'voluntary' | 'reserve', string>;
  status: Record<'recorded' | 'reversed', string>;
  // the form
  fieldReference: string;
  hintReference: string;
  fieldState: string;
  hintState: string;
  stateFromReference: string;
  fieldDonor: string;
  hintDonor: string;
  fieldAmount: string;
  hintAmount: string;
  fieldReceivedOn: string;
  fieldCurrency: string;
  hintCurrency: string;
  fieldOriginalAmount: string;
  hintOriginalAmount: string;
  fieldBankReference: string;
  fieldConfirmLarge: string;
  fieldAllowDuplicate: string;
  fieldIgnoreMismatch: string;
  largeAmount: string;
  duplicateBankReference: (id: number) => string;
  submitRecord: string;
  referenceInvalid: string;
  referenceUnknown: string;
  referenceNames: (invoice: string, state: string, left: string) => string;
  referenceCancelled: (invoice: string, state: string) => string;
  stateUnknown: string;
  stateOrDonor: string;
  currencyInvalid: string;
  amountZero: string;
  reusedForm: (id: number) => string;
  // the payment
  paymentTitle: (id: number) => string;
  recorded: string;
  reversedNotice: string;
  reallocatedNotice: (id: number) => string;
  backToList: string;
  dtState: string;
  dtDonor: string;
  dtAmount: string;
  dtReceivedOn: string;
  dtOriginal: string;
  dtReference: string;
  dtBankReference: string;
  dtPurpose: string;
  dtStatus: string;
  dtRecordedBy: string;
  appliedTitle: string;
  colInvoice: string;
  colCategory: string;
  colAppliedOn: string;
  keptAsCredit: string;
  nothingApplied: string;
  reversalTitle: string;
  reversalOn: (date: string, reason: string) => string;
  replacedBy: string;
  reverseTitle: string;
  reverseLead: string;
  fieldReason: string;
  fieldReverseDate: string;
  hintReverseDate: string;
  submitReverse: string;
  reallocateTitle: string;
  reallocateLead: string;
  hintReallocateState: string;
  fieldPurposeNew: string;
  samePurpose: string;
  fieldInvoice: string;
  hintInvoice: string;
  submitReallocate: string;
  financeOnly: string;
  badQuery: string;
  notFound: string;
}

const EN: PaymentsText = {
  listTitle: 'Payments',
  listLead: 'Money received, newest first. Filter by year, State Party or value date; the address of this page keeps the filter.',
  newTitle: 'Record a payment',
  newLead: 'Money credited to the ISU account. Give the RF creditor reference the payer quoted, or choose the State Party.',
  recordLink: 'Record a payment',
  filterYear: 'Year',
  filterState: 'State Party',
  filterFrom: 'Value date from',
  filterTo: 'Value date to',
  filterAll: 'All',
  filterApply: 'Show',
  filterClear: 'Clear the filter',
  colDate: 'Value date',
  colState: 'State Party or donor',
  colAmount: 'Amount (CHF)',
  colReference: 'Reference',
  colPaid: 'Paid',
  colStatus: 'Status',
  none: 'No payment matches.',
  pageOf: (page, pages, total) => `Page ${page} of ${pages} · ${total} payment${total === 1 ? '' : 's'}`,
  previous: 'Previous page',
  next: 'Next page',
  pagination: 'Pages',
  unappliedCredit: 'unapplied credit',
  purposeLabel: 'Purpose',
  purpose: { assessed: 'Assessed contribution', voluntary: 'Voluntary contribution', reserve: 'Contribution to the working capital reserve' },
  status: { recorded: 'Recorded', reversed: 'Reversed' },
  fieldReference: 'RF creditor reference or payment reference',
  hintReference: 'As quoted by the payer, e.g. RF18 ISU2 0180 001. An RF reference of one of our invoices directs the money to that invoice.',
  fieldState: 'State Party',
  hintState: 'Leave it on “from the reference” when the RF reference names the invoice.',
  stateFromReference: '— from the reference —',
  fieldDonor: 'Donor',
  hintDonor: 'Only for voluntary money or money for the reserve from a donor that is not a State Party.',
  fieldAmount: 'Amount credited in CHF',
  hintAmount: 'As on the bank statement, e.g. 42638.64.',
  fieldReceivedOn: 'Value date',
  fieldCurrency: 'Currency sent',
  hintCurrency: 'CHF, or the currency the payer sent before conversion (e.g. EUR).',
  fieldOriginalAmount: 'Amount sent in that currency',
  hintOriginalAmount: 'Only when the currency is not CHF.',
  fieldBankReference: 'Bank reference',
  fieldConfirmLarge: 'I have checked this amount: record it although it is above the large-payment limit.',
  fieldAllowDuplicate: 'This is another transfer: record it although a payment carries the same bank reference.',
  fieldIgnoreMismatch: 'Record it for the State Party chosen although the RF reference is another State Party’s invoice.',
  largeAmount: 'This amount is above the large-payment limit. Check it; if it is right, tick the box below and record again.',
  duplicateBankReference: (id) => `Payment ${id} already carries this bank reference: the same transfer recorded twice? If it is another transfer, tick the box below and record again.`,
  submitRecord: 'Record the payment',
  referenceInvalid: 'This RF reference is not valid: check its letters and digits (the check digits do not match).',
  referenceUnknown: 'No invoice of ours has this RF reference.',
  referenceNames: (invoice, state, left) => `${invoice} — ${state} — ${left} left`,
  referenceCancelled: (invoice, state) => `${invoice} — ${state} — cancelled`,
  stateUnknown: 'Choose a State Party from the list.',
  stateOrDonor: 'Give the RF reference of one of our invoices, choose the State Party, or name the donor.',
  currencyInvalid: 'Give a currency code of 3 capital letters, e.g. EUR.',
  amountZero: 'The amount must be greater than 0.',
  reusedForm: (id) => `This form was already used to record payment ${id}. Nothing else was recorded; open a new form for another payment.`,
  paymentTitle: (id) => `Payment ${id}`,
  recorded: 'The payment was recorded.',
  reversedNotice: 'The payment was reversed: what it paid is open again.',
  reallocatedNotice: (id) => `The payment was reallocated: payment ${id} was recorded in its place.`,
  backToList: 'All payments',
  dtState: 'State Party',
  dtDonor: 'Donor',
  dtAmount: 'Amount',
  dtReceivedOn: 'Value date',
  dtOriginal: 'Amount sent',
  dtReference: 'Reference',
  dtBankReference: 'Bank reference',
  dtPurpose: 'Purpose',
  dtStatus: 'Status',
  dtRecordedBy: 'Recorded',
  appliedTitle: 'Applied to',
  colInvoice: 'Invoice',
  colCategory: 'Category',
  colAppliedOn: 'Applied on',
  keptAsCredit: 'Kept as unapplied credit',
  nothingApplied: 'Not applied to any invoice.',
  reversalTitle: 'Reversal',
  reversalOn: (date, reason) => `Reversed on ${date}: ${reason}`,
  replacedBy: 'Recorded in its place',
  reverseTitle: 'Reverse this payment',
  reverseLead: 'Nothing is deleted: a reversing entry takes the payment back and what it paid is open again.',
  fieldReason: 'Reason',
  fieldReverseDate: 'Date of the reversal',
  hintReverseDate: 'Leave empty for the payment’s value date (or the first open date when that period is closed).',
  submitReverse: 'Reverse the payment',
  reallocateTitle: 'Reallocate this payment',
  reallocateLead: 'The payment is reversed and recorded anew for the right payer, with the same amount and value date, in one step.',
  hintReallocateState: 'The State Party that really paid (or name a donor).',
  fieldPurposeNew: 'Purpose',
  samePurpose: '— as the original —',
  fieldInvoice: 'Invoice',
  hintInvoice: 'Apply to this invoice only, e.g. ISU-2018-0031; empty: oldest first.',
  submitReallocate: 'Reallocate the payment',
  financeOnly: 'Only the finance role records, reverses or reallocates payments.',
  badQuery: 'The filter of this address is not valid.',
  notFound: 'There is no such payment.',
};

const FR: PaymentsText = {
  listTitle: 'Paiements',
  listLead: 'Sommes reçues, les plus récentes d’abord. Filtrez par année, État partie ou date de valeur ; l’adresse de la page garde le filtre.',
  newTitle: 'Enregistrer un paiement',
  newLead: 'Somme créditée sur le compte de l’ISU. Indiquez la référence de créancier RF citée par le payeur ou choisissez l’État partie.',
  recordLink: 'Enregistrer un paiement',
  filterYear: 'Année',
  filterState: 'État partie',
  filterFrom: 'Date de valeur du',
  filterTo: 'Date de valeur au',
  filterAll: 'Tous',
  filterApply: 'Afficher',
  filterClear: 'Effacer le filtre',
  colDate: 'Date de valeur',
  colState: 'État partie ou donateur',
  colAmount: 'Montant (CHF)',
  colReference: 'Référence',
  colPaid: 'Imputé à',
  colStatus: 'Statut',
  none: 'Aucun paiement ne correspond.',
  pageOf: (page, pages, total) => `Page ${page} sur ${pages} · ${total} paiement${total > 1 ? 's' : ''}`,
  previous: 'Page précédente',
  next: 'Page suivante',
  pagination: 'Pages',
  unappliedCredit: 'crédit non imputé',
  purposeLabel: 'Objet',
  purpose: { assessed: 'Contribution mise en recouvrement', voluntary: 'Contribution volontaire', reserve: 'Contribution au fonds de roulement' },
  status: { recorded: 'Enregistré', reversed: 'Contre-passé' },
  fieldReference: 'Référence de créancier RF ou référence du paiement',
  hintReference: 'Telle que citée par le payeur, p. ex. RF18 ISU2 0180 001. La référence RF d’une de nos factures impute la somme à cette facture.',
  fieldState: 'État partie',
  hintState: 'Laissez « selon la référence » lorsque la référence RF désigne la facture.',
  stateFromReference: '— selon la référence —',
  fieldDonor: 'Donateur',
  hintDonor: 'Seulement pour une contribution volontaire ou au fonds de roulement d’un donateur qui n’est pas un État partie.',
  fieldAmount: 'Montant crédité en CHF',
  hintAmount: 'Comme sur le relevé bancaire, p. ex. 42638,64.',
  fieldReceivedOn: 'Date de valeur',
  fieldCurrency: 'Monnaie envoyée',
  hintCurrency: 'CHF, ou la monnaie envoyée par le payeur avant conversion (p. ex. EUR).',
  fieldOriginalAmount: 'Montant envoyé dans cette monnaie',
  hintOriginalAmount: 'Seulement lorsque la monnaie n’est pas le CHF.',
  fieldBankReference: 'Référence bancaire',
  fieldConfirmLarge: 'J’ai vérifié ce montant : l’enregistrer bien qu’il dépasse le seuil des paiements importants.',
  fieldAllowDuplicate: 'Il s’agit d’un autre virement : l’enregistrer bien qu’un paiement porte la même référence bancaire.',
  fieldIgnoreMismatch: 'L’enregistrer pour l’État partie choisi bien que la référence RF soit celle d’une facture d’un autre État partie.',
  largeAmount: 'Ce montant dépasse le seuil des paiements importants. Vérifiez-le ; s’il est exact, cochez la case ci-dessous et enregistrez à nouveau.',
  duplicateBankReference: (id) => `Le paiement ${id} porte déjà cette référence bancaire : le même virement enregistré deux fois ? S’il s’agit d’un autre virement, cochez la case ci-dessous et enregistrez à nouveau.`,
  submitRecord: 'Enregistrer le paiement',
  referenceInvalid: 'Cette référence RF n’est pas valable : vérifiez ses lettres et chiffres (les chiffres de contrôle ne correspondent pas).',
  referenceUnknown: 'Aucune de nos factures ne porte cette référence RF.',
  referenceNames: (invoice, state, left) => `${invoice} — ${state} — reste ${left}`,
  referenceCancelled: (invoice, state) => `${invoice} — ${state} — annulée`,
  stateUnknown: 'Choisissez un État partie dans la liste.',
  stateOrDonor: 'Indiquez la référence RF d’une de nos factures, choisissez l’État partie ou nommez le donateur.',
  currencyInvalid: 'Indiquez un code de monnaie de 3 lettres majuscules, p. ex. EUR.',
  amountZero: 'Le montant doit être supérieur à 0.',
  reusedForm: (id) => `Ce formulaire a déjà servi à enregistrer le paiement ${id}. Rien d’autre n’a été enregistré ; ouvrez un nouveau formulaire pour un autre paiement.`,
  paymentTitle: (id) => `Paiement ${id}`,
  recorded: 'Le paiement a été enregistré.',
  reversedNotice: 'Le paiement a été contre-passé : ce qu’il réglait est de nouveau dû.',
  reallocatedNotice: (id) => `Le paiement a été réimputé : le paiement ${id} a été enregistré à sa place.`,
  backToList: 'Tous les paiements',
  dtState: 'État partie',
  dtDonor: 'Donateur',
  dtAmount: 'Montant',
  dtReceivedOn: 'Date de valeur',
  dtOriginal: 'Montant envoyé',
  dtReference: 'Référence',
  dtBankReference: 'Référence bancaire',
  dtPurpose: 'Objet',
  dtStatus: 'Statut',
  dtRecordedBy: 'Enregistré',
  appliedTitle: 'Imputé à',
  colInvoice: 'Facture',
  colCategory: 'Catégorie',
  colAppliedOn: 'Imputé le',
  keptAsCredit: 'Conservé comme crédit non imputé',
  nothingApplied: 'Imputé à aucune facture.',
  reversalTitle: 'Contre-passation',
  reversalOn: (date, reason) => `Contre-passé le ${date} : ${reason}`,
  replacedBy: 'Enregistré à sa place',
  reverseTitle: 'Contre-passer ce paiement',
  reverseLead: 'Rien n’est supprimé : une écriture de contre-passation annule le paiement et ce qu’il réglait est de nouveau dû.',
  fieldReason: 'Motif',
  fieldReverseDate: 'Date de la contre-passation',
  hintReverseDate: 'Laissez vide pour la date de valeur du paiement (ou la première date ouverte si cette période est close).',
  submitReverse: 'Contre-passer le paiement',
  reallocateTitle: 'Réimputer ce paiement',
  reallocateLead: 'Le paiement est contre-passé et enregistré à nouveau pour le bon payeur, avec le même montant et la même date de valeur, en une seule opération.',
  hintReallocateState: 'L’État partie qui a réellement payé (ou nommez un donateur).',
  fieldPurposeNew: 'Objet',
  samePurpose: '— comme l’original —',
  fieldInvoice: 'Facture',
  hintInvoice: 'Imputer à cette facture seulement, p. ex. ISU-2018-0031 ; vide : la plus ancienne d’abord.',
  submitReallocate: 'Réimputer le paiement',
  financeOnly: 'Seul le rôle finance enregistre, contre-passe ou réimpute les paiements.',
  badQuery: 'Le filtre de cette adresse n’est pas valable.',
  notFound: 'Ce paiement n’existe pas.',
};

const ES: PaymentsText = {
  listTitle: 'Pagos',
  listLead: 'Importes recibidos, los más recientes primero. Filtre por año, Estado parte o fecha valor; la dirección de la página conserva el filtro.',
  newTitle: 'Registrar un pago',
  newLead: 'Importe abonado en la cuenta de la DAA. Indique la referencia de acreedor RF citada por el pagador o elija el Estado parte.',
  recordLink: 'Registrar un pago',
  filterYear: 'Año',
  filterState: 'Estado parte',
  filterFrom: 'Fecha valor desde',
  filterTo: 'Fecha valor hasta',
  filterAll: 'Todos',
  filterApply: 'Mostrar',
  filterClear: 'Quitar el filtro',
  colDate: 'Fecha valor',
  colState: 'Estado parte o donante',
  colAmount: 'Importe (CHF)',
  colReference: 'Referencia',
  colPaid: 'Aplicado a',
  colStatus: 'Estado',
  none: 'Ningún pago coincide.',
  pageOf: (page, pages, total) => `Página ${page} de ${pages} · ${total} pago${total === 1 ? '' : 's'}`,
  previous: 'Página anterior',
  next: 'Página siguiente',
  pagination: 'Páginas',
  unappliedCredit: 'crédito no aplicado',
  purposeLabel: 'Concepto',
  purpose: { assessed: 'Contribución prorrateada', voluntary: 'Contribución voluntaria', reserve: 'Contribución al fondo de operaciones' },
  status: { recorded: 'Registrado', reversed: 'Revertido' },
  fieldReference: 'Referencia de acreedor RF o referencia del pago',
  hintReference: 'Tal como la cita el pagador, p. ej. RF18 ISU2 0180 001. La referencia RF de una de nuestras facturas aplica el importe a esa factura.',
  fieldState: 'Estado parte',
  hintState: 'Deje «según la referencia» cuando la referencia RF indique la factura.',
  stateFromReference: '— según la referencia —',
  fieldDonor: 'Donante',
  hintDonor: 'Solo para contribuciones voluntarias o al fondo de operaciones de un donante que no es Estado parte.',
  fieldAmount: 'Importe abonado en CHF',
  hintAmount: 'Como en el extracto bancario, p. ej. 42638,64.',
  fieldReceivedOn: 'Fecha valor',
  fieldCurrency: 'Moneda enviada',
  hintCurrency: 'CHF, o la moneda enviada por el pagador antes de la conversión (p. ej. EUR).',
  fieldOriginalAmount: 'Importe enviado en esa moneda',
  hintOriginalAmount: 'Solo cuando la moneda no es el CHF.',
  fieldBankReference: 'Referencia bancaria',
  fieldConfirmLarge: 'He comprobado este importe: registrarlo aunque supere el umbral de pagos elevados.',
  fieldAllowDuplicate: 'Es otra transferencia: registrarla aunque un pago lleve la misma referencia bancaria.',
  fieldIgnoreMismatch: 'Registrarlo para el Estado parte elegido aunque la referencia RF sea de una factura de otro Estado parte.',
  largeAmount: 'Este importe supera el umbral de pagos elevados. Compruébelo; si es correcto, marque la casilla de abajo y vuelva a registrarlo.',
  duplicateBankReference: (id) => `El pago ${id} ya lleva esta referencia bancaria: ¿la misma transferencia registrada dos veces? Si es otra transferencia, marque la casilla de abajo y vuelva a registrarla.`,
  submitRecord: 'Registrar el pago',
  referenceInvalid: 'Esta referencia RF no es válida: compruebe sus letras y cifras (los dígitos de control no coinciden).',
  referenceUnknown: 'Ninguna de nuestras facturas lleva esta referencia RF.',
  referenceNames: (invoice, state, left) => `${invoice} — ${state} — quedan ${left}`,
  referenceCancelled: (invoice, state) => `${invoice} — ${state} — anulada`,
  stateUnknown: 'Elija un Estado parte de la lista.',
  stateOrDonor: 'Indique la referencia RF de una de nuestras facturas, elija el Estado parte o nombre al donante.',
  currencyInvalid: 'Indique un código de moneda de 3 letras mayúsculas, p. ej. EUR.',
  amountZero: 'El importe debe ser mayor que 0.',
  reusedForm: (id) => `Este formulario ya se utilizó para registrar el pago ${id}. No se ha registrado nada más; abra un formulario nuevo para otro pago.`,
  paymentTitle: (id) => `Pago ${id}`,
  recorded: 'El pago se ha registrado.',
  reversedNotice: 'El pago se ha revertido: lo que saldaba vuelve a estar pendiente.',
  reallocatedNotice: (id) => `El pago se ha reasignado: el pago ${id} se registró en su lugar.`,
  backToList: 'Todos los pagos',
  dtState: 'Estado parte',
  dtDonor: 'Donante',
  dtAmount: 'Importe',
  dtReceivedOn: 'Fecha valor',
  dtOriginal: 'Importe enviado',
  dtReference: 'Referencia',
  dtBankReference: 'Referencia bancaria',
  dtPurpose: 'Concepto',
  dtStatus: 'Estado',
  dtRecordedBy: 'Registrado',
  appliedTitle: 'Aplicado a',
  colInvoice: 'Factura',
  colCategory: 'Categoría',
  colAppliedOn: 'Aplicado el',
  keptAsCredit: 'Conservado como crédito no aplicado',
  nothingApplied: 'No se aplicó a ninguna factura.',
  reversalTitle: 'Reversión',
  reversalOn: (date, reason) => `Revertido el ${date}: ${reason}`,
  replacedBy: 'Registrado en su lugar',
  reverseTitle: 'Revertir este pago',
  reverseLead: 'No se borra nada: un asiento de reversión anula el pago y lo que saldaba vuelve a estar pendiente.',
  fieldReason: 'Motivo',
  fieldReverseDate: 'Fecha de la reversión',
  hintReverseDate: 'Déjela vacía para la fecha valor del pago (o la primera fecha abierta si ese período está cerrado).',
  submitReverse: 'Revertir el pago',
  reallocateTitle: 'Reasignar este pago',
  reallocateLead: 'El pago se revierte y se registra de nuevo para el pagador correcto, con el mismo importe y la misma fecha valor, en una sola operación.',
  hintReallocateState: 'El Estado parte que realmente pagó (o nombre a un donante).',
  fieldPurposeNew: 'Concepto',
  samePurpose: '— como el original —',
  fieldInvoice: 'Factura',
  hintInvoice: 'Aplicar solo a esta factura, p. ej. ISU-2018-0031; vacío: la más antigua primero.',
  submitReallocate: 'Reasignar el pago',
  financeOnly: 'Solo la función de finanzas registra, revierte o reasigna pagos.',
  badQuery: 'El filtro de esta dirección no es válido.',
  notFound: 'Este pago no existe.',
};

export const PAYMENTS_TEXT: Record<FormLang, PaymentsText> = { en: EN, fr: FR, es: ES };

/**
 * The services' messages (English, for the API) said in the page's language
 * when they are ones a finance officer meets on these forms; any other is
 * kept as the service wrote it.
 */
const SERVICE_MESSAGES: ServiceMessage[] = [
  {
    pattern: /^must not be in the future \(today is (\d{4}-\d\d-\d\d)\)$/,
    fr: (m) => `La date ne doit pas être dans le futur (nous sommes le ${m[1]}).`,
    es: (m) => `La fecha no debe ser futura (hoy es ${m[1]}).`,
  },
  {
    pattern: /^\S+ (\d{4}-\d\d-\d\d) is in a closed period: entries are locked through (\d{4}-\d\d-\d\d); date it (\d{4}-\d\d-\d\d) or later/,
    fr: (m) => `Le ${m[1]} est dans une période close (écritures verrouillées jusqu’au ${m[2]}) : datez-la du ${m[3]} ou après, ou demandez à un administrateur de rouvrir la période.`,
    es: (m) => `El ${m[1]} está en un período cerrado (asientos bloqueados hasta el ${m[2]}): use el ${m[3]} o una fecha posterior, o pida a un administrador que reabra el período.`,
  },
  {
    pattern: /^(\S+) is the reference of invoice (\S+) of ([A-Z]{3}), not of ([A-Z]{3})$/,
    fr: (m) => `${m[1]} est la référence de la facture ${m[2]} de ${m[3]}, pas de ${m[4]}.`,
    es: (m) => `${m[1]} es la referencia de la factura ${m[2]} de ${m[3]}, no de ${m[4]}.`,
  },
  {
    pattern: /^must not be before the original's date \((\d{4}-\d\d-\d\d)\)$/,
    fr: (m) => `La date ne doit pas être antérieure à celle du paiement (${m[1]}).`,
    es: (m) => `La fecha no debe ser anterior a la del pago (${m[1]}).`,
  },
  {
    pattern: /^payment (\d+) was already reversed on (\d{4}-\d\d-\d\d)$/,
    fr: (m) => `Le paiement ${m[1]} a déjà été contre-passé le ${m[2]}.`,
    es: (m) => `El pago ${m[1]} ya se revirtió el ${m[2]}.`,
  },
  {
    pattern: /^no invoice (\S+) of (\S+)$/,
    fr: (m) => `Aucune facture ${m[1]} de ${m[2]}.`,
    es: (m) => `No hay ninguna factura ${m[1]} de ${m[2]}.`,
  },
  {
    pattern: /^unknown State ([A-Z]{3})$/,
    fr: (m) => `État partie inconnu : ${m[1]}.`,
    es: (m) => `Estado parte desconocido: ${m[1]}.`,
  },
];

addServiceMessages(SERVICE_MESSAGES);

export { serviceMessageIn };
