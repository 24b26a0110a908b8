/** Sample reminder letters for the PDF tests and the sample renderings. */
import type { ReminderDocument } from '../../src/pdf/reminder.js';
import type { Lang } from '../../src/pdf/types.js';
import { creditorReference, ISSUER, party, sumMoney } from './fixtures.js';

type Line = ReminderDocument['invoices'][number];

export function reminder(seq: number, state: ReturnType<typeof party>, language: Lang, invoices: Line[], credit = '0.00', extra: Partial<ReminderDocument> = {}): ReminderDocument {
  const overdue = sumMoney(invoices.map((i) => i.left));
  const cents = (m: string) => BigInt(m.replace('.', ''));
  const c = cents(overdue) - cents(credit);
  const toPay = `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
  return {
    number: `REM-2018-${String(seq).padStart(4, '0')}`,
    issueDate: '2018-07-02',
    asOf: '2018-06-30',
    level: 1,
    language,
    state,
    invoices,
    overdue,
    credit,
    toPay,
    creditorReference: creditorReference(`REM2018${String(seq).padStart(4, '0')}`),
    issuer: ISSUER,
    ...extra,
  };
}

const line = (number: string, year: number, dueDate: string, invoiced: string, left: string): Line => ({ number, year, dueDate, invoiced, left });

export const REMINDER_FR = reminder(
  3,
  party('CIV', 'Côte d’Ivoire', 'fr', ['Mission permanente de la République de Côte d’Ivoire', 'auprès de l’Office des Nations Unies à Genève', 'Chemin Moïse-Duboule 47', '1209 Genève, Suisse']),
  'fr',
  [line('ISU-2017-0021', 2017, '2017-03-31', '1802.10', '1802.10'), line('ISU-2018-0027', 2018, '2018-03-31', '1794.24', '894.24')],
  '150.00',
  { level: 2 },
);

export const REMINDER_ES = reminder(5, party('MEX', 'México', 'es'), 'es', [line('ISU-2018-0060', 2018, '2018-03-31', '13833.07', '13833.07')]);

export const REMINDER_EN = reminder(1, party('IRL', 'Ireland', 'en'), 'en', [
  line('ISU-2016-0040', 2016, '2016-03-31', '2051.77', '51.77'),
  line('ISU-2017-0041', 2017, '2017-03-31', '2101.50', '2101.50'),
  line('ISU-2018-0042', 2018, '2018-03-31', '2154.22', '2154.22'),
  line('ISU-2018-0107', 2018, '2018-05-03', '310.00', '310.00'),
]);

/** Many overdue invoices: the table runs onto a second page and the QR-bill follows the content. */
export const REMINDER_EN_LONG = reminder(
  9,
  party('BOL', 'Bolivia (Plurinational State of)', 'en'),
  'en',
  Array.from({ length: 30 }, (_, k) => line(`ISU-${2000 + k}-0007`, 2000 + k, `${2000 + k}-03-31`, '1000.00', '999.99')),
  '0.00',
  { level: 5 },
);
