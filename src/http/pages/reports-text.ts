/**
 * Every word of the reports page, in English, French and Spanish (UN terms:
 * State Party / État partie / Estado parte). French and Spanish are typed to
 * the English object, so a missing key does not compile.
 */
import type { FormLang } from './forms.js';

export type ReportId = 'status' | 'execution' | 'statement' | 'account' | 'register';
export type ReportFormat = 'pdf' | 'xlsx' | 'csv' | 'json';

const EN = {
  title: 'Reports',
  lead: 'Every report the API offers, for the year, date and State Party chosen below, in each of its formats. The PDF documents are in English, but for the statement of account, in the State Party’s language.',
  paramsTitle: 'Year, date and State Party',
  fieldYear: 'Budget year',
  fieldAsOf: 'As at',
  hintAsOf: 'Figures as they stood at the end of this day.',
  fieldState: 'State Party',
  hintState: 'For the statement of account.',
  chooseState: '— choose —',
  fieldFrom: 'Statement from',
  fieldTo: 'Statement to',
  submit: 'Show the downloads',
  reset: 'Today’s figures',
  formats: { pdf: 'PDF', xlsx: 'Excel (XLSX)', csv: 'CSV', json: 'JSON' } as Record<ReportFormat, string>,
  downloadOf: (format: string, report: string) => `${format}: ${report}`,
  names: {
    status: 'Status of contributions',
    execution: 'Budget execution',
    statement: 'Financial statement',
    account: 'Statement of account',
    register: 'Register of States Parties',
  } as Record<ReportId, string>,
  about: {
    status: (year: string, date: string) => `Assessed contributions of ${year}, what each State Party paid and what remains, as at ${date}.`,
    execution: (year: string, date: string) => `Per budget line of ${year}: approved, revised, spent and remaining, as at ${date}.`,
    statement: (year: string, _date: string) => `Income and expenditure of ${year}, the financial position at 31 December and the reserve, beside the year before.`,
    account: (name: string, from: string, to: string) => `The invoices, credit notes and payments of ${name} from ${from} to ${to}, with the running balance.`,
    register: (year: string, _date: string) => `Every State Party, with its entry into force and whether it is assessed for ${year}.`,
  },
  accountNeedsState: 'Choose a State Party above to download its statement of account.',
  noBudget: 'No budget has been recorded yet: the reports of a year need its budget.',
  badQuery: 'The year, date or State Party of this address is not valid.',
  notFound: 'There is no such report.',
};

export type ReportsText = typeof EN;

const FR: ReportsText = {
  title: 'Rapports',
  lead: 'Tous les rapports de l’interface de programmation, pour l’année, la date et l’État partie choisis ci-dessous, dans chacun de leurs formats. Les documents PDF sont en anglais, sauf le relevé de compte, dans la langue de l’État partie.',
  paramsTitle: 'Année, date et État partie',
  fieldYear: 'Exercice budgétaire',
  fieldAsOf: 'Situation au',
  hintAsOf: 'Les chiffres tels qu’ils étaient à la fin de ce jour.',
  fieldState: 'État partie',
  hintState: 'Pour le relevé de compte.',
  chooseState: '— choisir —',
  fieldFrom: 'Relevé du',
  fieldTo: 'Relevé au',
  submit: 'Afficher les téléchargements',
  reset: 'Chiffres du jour',
  formats: { pdf: 'PDF', xlsx: 'Excel (XLSX)', csv: 'CSV', json: 'JSON' },
  downloadOf: (format: string, report: string) => `${format}${'\u00a0'}: ${report}`,
  names: {
    status: 'État des contributions',
    execution: 'Exécution du budget',
    statement: 'États financiers',
    account: 'Relevé de compte',
    register: 'Registre des États parties',
  },
  about: {
    status: (year: string, date: string) => `Contributions mises en recouvrement pour ${year}, ce que chaque État partie a versé et ce qui reste dû, situation au ${date}.`,
    execution: (year: string, date: string) => `Par ligne budgétaire de ${year} : approuvé, révisé, dépensé et disponible, situation au ${date}.`,
    statement: (year: string, _date: string) => `Produits et charges de ${year}, situation financière au 31 décembre et réserve, à côté de l’exercice précédent.`,
    account: (name: string, from: string, to: string) => `Factures, notes de crédit et paiements de ${name} du ${from} au ${to}, avec le solde courant.`,
    register: (year: string, _date: string) => `Chaque État partie, avec son entrée en vigueur et s’il est mis en recouvrement pour ${year}.`,
  },
  accountNeedsState: 'Choisissez un État partie ci-dessus pour télécharger son relevé de compte.',
  noBudget: 'Aucun budget n’est encore enregistré : les rapports d’un exercice demandent son budget.',
  badQuery: 'L’année, la date ou l’État partie de cette adresse n’est pas valable.',
  notFound: 'Ce rapport n’existe pas.',
};

const ES: ReportsText = {
  title: 'Informes',
  lead: 'Todos los informes de la interfaz de programación, para el año, la fecha y el Estado parte elegidos abajo, en cada uno de sus formatos. Los documentos PDF están en inglés, salvo el estado de cuenta, en el idioma del Estado parte.',
  paramsTitle: 'Año, fecha y Estado parte',
  fieldYear: 'Ejercicio presupuestario',
  fieldAsOf: 'Situación al',
  hintAsOf: 'Las cifras tal como estaban al final de ese día.',
  fieldState: 'Estado parte',
  hintState: 'Para el estado de cuenta.',
  chooseState: '— elegir —',
  fieldFrom: 'Estado de cuenta desde',
  fieldTo: 'Estado de cuenta hasta',
  submit: 'Mostrar las descargas',
  reset: 'Cifras de hoy',
  formats: { pdf: 'PDF', xlsx: 'Excel (XLSX)', csv: 'CSV', json: 'JSON' },
  downloadOf: (format: string, report: string) => `${format}: ${report}`,
  names: {
    status: 'Estado de las contribuciones',
    execution: 'Ejecución del presupuesto',
    statement: 'Estados financieros',
    account: 'Estado de cuenta',
    register: 'Registro de los Estados partes',
  },
  about: {
    status: (year: string, date: string) => `Cuotas de ${year}, lo que cada Estado parte ha pagado y lo que queda, situación al ${date}.`,
    execution: (year: string, date: string) => `Por partida presupuestaria de ${year}: aprobado, revisado, gastado y disponible, situación al ${date}.`,
    statement: (year: string, _date: string) => `Ingresos y gastos de ${year}, situación financiera al 31 de diciembre y reserva, junto al ejercicio anterior.`,
    account: (name: string, from: string, to: string) => `Facturas, notas de crédito y pagos de ${name} del ${from} al ${to}, con el saldo acumulado.`,
    register: (year: string, _date: string) => `Cada Estado parte, con su entrada en vigor y si se le asigna cuota para ${year}.`,
  },
  accountNeedsState: 'Elija un Estado parte arriba para descargar su estado de cuenta.',
  noBudget: 'Aún no se ha registrado ningún presupuesto: los informes de un ejercicio necesitan su presupuesto.',
  badQuery: 'El año, la fecha o el Estado parte de esta dirección no es válido.',
  notFound: 'Este informe no existe.',
};

export const REPORTS_TEXT: Record<FormLang, ReportsText> = { en: EN, fr: FR, es: ES };
