/** Sample issuer, invoices and credit notes for the PDF tests and the sample renderings. */
import type { CreditNoteDocument, InvoiceDocument, InvoiceLine, IssuerSettings, Lang, PartyBlock } from '../../src/pdf/types.js';

/** ISO 7064 mod 97-10 of an alphanumeric string (letters A=10 … Z=35). */
export function mod97(s: string): number {
  let r = 0;
  for (const ch of s.toUpperCase()) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}

/** IBAN check: move the first four characters to the end, mod 97 must be 1. */
export function ibanIsValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '');
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** ISO 11649 creditor reference for a body: "RF" + check digits + body. */
export function creditorReference(body: string): string {
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, '0')}${body}`;
}

export function creditorReferenceIsValid(ref: string): boolean {
  return mod97(ref.slice(4) + ref.slice(0, 4)) === 1;
}

/** Exact sum of money strings, through integer centimes. */
export function sumMoney(amounts: string[]): string {
  const c = amounts.reduce((s, a) => {
    const [w, f = ''] = a.split('.') as [string, string?];
    return s + BigInt(w) * 100n + BigInt((f ?? '').padEnd(2, '0'));
  }, 0n);
  return `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
}

/** The illustrative IBAN of the SIX QR-bill examples' style (not a QR-IBAN: IID 04835). */
export const ILLUSTRATIVE_IBAN = 'CH5604835012345678009';

export const ISSUER: IssuerSettings = {
  name: 'Implementation Support Unit — Convention on Cluster Munitions',
  addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', 'CP 1300, 1211 Geneva 1, Switzerland'],
  email: 'isu-contributions@example.org',
  website: 'www.clusterconvention.org',
  translations: {
    fr: {
      name: 'Unité d’appui à l’application — Convention sur les armes à sous-munitions',
      addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', 'CP 1300, 1211 Genève 1, Suisse'],
    },
    es: {
      name: 'Dependencia de Apoyo a la Aplicación — Convención sobre Municiones en Racimo',
      addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', 'CP 1300, 1211 Ginebra 1, Suiza'],
    },
  },
  bank: {
    accountHolder: 'Implementation Support Unit CCM (illustrative account)',
    bankName: 'Example Bank Ltd',
    bankAddressLines: ['Rue du Rhône 1', 'CH-1204 Genève'],
    iban: ILLUSTRATIVE_IBAN,
    bic: 'EXMPCHGGXXX',
  },
  qrCreditor: {
    name: 'ISU Convention on Cluster Munitions',
    address: 'Chemin Eugène-Rigot',
    buildingNumber: '2C',
    zip: '1202',
    city: 'Genève',
    country: 'CH',
  },
};

const MISSION: Record<Lang, (name: string) => string[]> = {
  en: (name) => [`Permanent Mission of ${name}`, 'to the United Nations Office at Geneva', 'Geneva, Switzerland'],
  fr: (name) => [`Mission permanente — ${name}`, 'auprès de l’Office des Nations Unies à Genève', 'Genève, Suisse'],
  es: (name) => [`Misión Permanente — ${name}`, 'ante la Oficina de las Naciones Unidas en Ginebra', 'Ginebra, Suiza'],
};

export function party(iso3: string, name: string, lang: Lang, addressLines?: string[]): PartyBlock {
  return { iso3, name, addressLines: addressLines ?? MISSION[lang](name), emails: [`mission.${iso3.toLowerCase()}@example.org`] };
}

export function twoLines(equal: string, scale: string, rate: string, rebased: string): InvoiceLine[] {
  return [
    { code: '7(a)', label: 'Equal share of every State Party', basis: { method: 'equal', statesCount: 103 }, amount: equal },
    {
      code: '7(b)',
      label: 'Share by the UN scale of assessments, rebased to the States Parties',
      basis: { method: 'scale', rate, rebasedRate: rebased },
      amount: scale,
    },
  ];
}

export function invoice(
  seq: number,
  state: PartyBlock,
  language: Lang,
  lines: InvoiceLine[],
  extra: Partial<InvoiceDocument> = {},
): InvoiceDocument {
  const number = `ISU-2018-${String(seq).padStart(4, '0')}`;
  return {
    number,
    issueDate: '2018-01-15',
    budgetYear: 2018,
    cutoffDate: '2018-03-31',
    decisionRef: 'CCM/MSP/2017/2',
    approvedOn: '2017-09-06',
    language,
    state,
    lines,
    total: sumMoney(lines.map((l) => l.amount)),
    creditorReference: creditorReference(`ISU2018${String(seq).padStart(4, '0')}`),
    earlierOutstanding: [],
    ...extra,
  };
}

export const FRANCE = invoice(31, party('FRA', 'France', 'fr'), 'fr', twoLines('1718.45', '40918.85', '4.859', '9.907712'));

export const COTE_DIVOIRE = invoice(
  27,
  party('CIV', 'Côte d’Ivoire', 'fr', [
    'Mission permanente de la République de Côte d’Ivoire',
    'auprès de l’Office des Nations Unies à Genève',
    'Chemin Moïse-Duboule 47',
    '1209 Genève, Suisse',
  ]),
  'fr',
  twoLines('1718.45', '75.79', '0.009', '0.018352'),
  {
    earlierOutstanding: [
      { year: 2017, amount: '1802.10' },
      { year: 2016, amount: '950.00' },
    ],
  },
);

export const MEXICO = invoice(60, party('MEX', 'México', 'es'), 'es', twoLines('1718.45', '12114.62', '1.435', '2.926126'));

export const SPAIN = invoice(
  88,
  party('ESP', 'España', 'es', ['Misión Permanente de España', 'ante la Oficina de las Naciones Unidas en Ginebra', 'Avenue Blanc 53', '1202 Ginebra, Suiza']),
  'es',
  twoLines('1718.45', '20707.28', '2.443', '4.981514'),
  { approvingMeeting: 'la Séptima Reunión de los Estados partes' },
);

export const IRELAND = invoice(46, party('IRL', 'Ireland', 'en'), 'en', twoLines('1718.45', '2821.94', '0.335', '0.683098'));

export const SAO_TOME = invoice(
  85,
  party('STP', 'São Tomé and Príncipe', 'en'),
  'en',
  twoLines('1718.45', '8.42', '0.001', '0.002039'),
  { earlierOutstanding: [{ year: 2017, amount: '1726.87' }] },
);

/** `n` made-up category lines, alternating equal and scale. */
export function manyLines(n: number): InvoiceLine[] {
  return Array.from({ length: n }, (_, i): InvoiceLine => {
    const k = i + 1;
    const code = `7(${k})`;
    return i % 2 === 0
      ? { code, label: `Equal share, component ${k}`, basis: { method: 'equal', statesCount: 103 }, amount: `${100 + k}.${String(k % 100).padStart(2, '0')}` }
      : {
          code,
          label: `Share by the UN scale of assessments, rebased to the States Parties — component ${k}`,
          basis: { method: 'scale', rate: '1.018', rebasedRate: '2.075801' },
          amount: `${2000 + k * 37}.5${k % 10}`,
        };
  });
}

/** A 12-line invoice in English for a name with ü, to exercise page breaks. */
export const TURKIYE_12 = invoice(99, party('TUR', 'Türkiye', 'en'), 'en', manyLines(12), {
  earlierOutstanding: [
    { year: 2016, amount: '1234.56' },
    { year: 2017, amount: '2345.67' },
  ],
});

export const FRANCE_CANCELLED: InvoiceDocument = { ...FRANCE, cancelledBy: 'CN-2018-0001' };

export const FRANCE_CREDIT_NOTE: CreditNoteDocument = {
  number: 'CN-2018-0001',
  issueDate: '2018-02-01',
  budgetYear: 2018,
  language: 'fr',
  state: FRANCE.state,
  invoiceNumber: FRANCE.number,
  invoiceIssueDate: FRANCE.issueDate,
  reason: 'Facture émise par erreur avec un mauvais barème ; remplacée par la facture ISU-2018-0104.',
  lines: FRANCE.lines.map((l) => ({ code: l.code, label: l.label, amount: l.amount })),
  total: FRANCE.total,
  remainingPayable: '0.00',
};

export const MEXICO_CREDIT_NOTE: CreditNoteDocument = {
  number: 'CN-2018-0002',
  issueDate: '2018-03-01',
  budgetYear: 2018,
  language: 'es',
  state: MEXICO.state,
  invoiceNumber: MEXICO.number,
  invoiceIssueDate: MEXICO.issueDate,
  reason: 'Revisión del presupuesto aprobada por la Reunión de los Estados partes (reducción de la cuota).',
  lines: [{ code: '7(b)', label: 'Share by the UN scale of assessments, rebased to the States Parties', amount: '1211.46' }],
  total: '1211.46',
  remainingPayable: '12621.61',
};

export const IRELAND_CREDIT_NOTE: CreditNoteDocument = {
  number: 'CN-2018-0003',
  issueDate: '2018-04-01',
  budgetYear: 2018,
  language: 'en',
  state: IRELAND.state,
  invoiceNumber: IRELAND.number,
  invoiceIssueDate: IRELAND.issueDate,
  reason: 'Invoice issued twice.',
  lines: IRELAND.lines.map((l) => ({ code: l.code, label: l.label, amount: l.amount })),
  total: IRELAND.total,
  remainingPayable: '0.00',
};
