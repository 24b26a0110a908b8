/** Sample statements of account and status reports for the PDF tests and the sample renderings. */
import fs from 'node:fs';
import path from 'node:path';
import { STATUS_FIGURES, type Lang, type PartyBlock, type StatementDocument, type StatusReportDocument } from '../../src/pdf/types.js';
import { COTE_DIVOIRE, IRELAND, SAO_TOME, SPAIN, party } from './fixtures.js';

type Line = StatementDocument['lines'][number];
type Details = 'budgetYears' | 'dueDate' | 'applied' | 'keptAsCredit' | 'original' | 'reclassifiedTo';
/** A line as the fixtures write it: the details default to none (budgetYears to the one budgetYear). */
type LineInput = Omit<Line, 'balance' | Details> & Partial<Pick<Line, Details>>;

function toCentimes(a: string): bigint {
  const m = /^(-)?([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(a);
  if (!m) throw new RangeError(`not a money amount: ${a}`);
  const c = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -c : c;
}

function fromCentimes(c: bigint): string {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Exact signed sum of money strings. */
export function sumSigned(amounts: string[]): string {
  return fromCentimes(amounts.reduce((s, a) => s + toCentimes(a), 0n));
}

/** A statement whose running balances and closing balance follow from the opening balance and the lines. */
export function statement(
  language: Lang,
  state: PartyBlock,
  from: string,
  to: string,
  openingBalance: string,
  lines: LineInput[],
  extra: {
    unappliedCredit?: string;
    arrears?: { year: number; amount: string }[];
    generatedOn?: string;
    otherContributions?: StatementDocument['otherContributions'];
  } = {},
): StatementDocument {
  let balance = toCentimes(openingBalance);
  const withBalances = lines.map((l): Line => {
    balance += toCentimes(l.debit || '0') - toCentimes(l.credit || '0');
    return {
      budgetYears: l.budgetYear === null ? [] : [l.budgetYear],
      dueDate: null,
      applied: [],
      keptAsCredit: '',
      original: null,
      reclassifiedTo: null,
      ...l,
      balance: fromCentimes(balance),
    };
  });
  return {
    language,
    generatedOn: extra.generatedOn ?? '2019-01-10',
    from,
    to,
    state,
    openingBalance,
    lines: withBalances,
    closingBalance: fromCentimes(balance),
    unappliedCredit: extra.unappliedCredit ?? '0.00',
    arrears: extra.arrears ?? [],
    otherContributions: extra.otherContributions ?? [],
  };
}

/** French, with accents and an apostrophe: arrears of 2016 and 2017; a payment in euros that paid two years; a contribution to the reserve. */
export const STATEMENT_CIV = statement(
  'fr',
  COTE_DIVOIRE.state,
  '2018-01-01',
  '2018-12-31',
  '2752.10',
  [
    { date: '2018-01-15', kind: 'invoice', reference: 'ISU-2018-0027', budgetYear: 2018, dueDate: '2018-03-31', debit: '1794.24', credit: '' },
    {
      date: '2018-02-01',
      kind: 'payment',
      reference: 'VIR BCEAO 2018/0201-117',
      budgetYear: 2016,
      budgetYears: [2016, 2017],
      applied: [
        { invoice: 'ISU-2016-0027', year: 2016, amount: '750.00' },
        { invoice: 'ISU-2017-0027', year: 2017, amount: '200.00' },
      ],
      original: { currency: 'EUR', amount: '812.40' },
      debit: '',
      credit: '950.00',
    },
    {
      date: '2018-06-12',
      kind: 'payment',
      reference: 'VIR BCEAO 2018/0612-342',
      budgetYear: 2017,
      applied: [{ invoice: 'ISU-2017-0027', year: 2017, amount: '1000.00' }],
      debit: '',
      credit: '1000.00',
    },
  ],
  {
    arrears: [{ year: 2017, amount: '802.10' }, { year: 2018, amount: '1794.24' }],
    otherContributions: [{ date: '2018-07-02', purpose: 'reserve', reference: 'VIR BCEAO 2018/0702-009', amount: '500.00', original: null }],
  },
);

/** Spanish, in credit at the end: an overpayment, credit applied and part of it reclassified. */
export const STATEMENT_ESP = statement(
  'es',
  SPAIN.state,
  '2018-01-01',
  '2018-12-31',
  '0.00',
  [
    { date: '2018-01-15', kind: 'invoice', reference: 'ISU-2018-0088', budgetYear: 2018, debit: '22425.73', credit: '' },
    { date: '2018-02-20', kind: 'credit-note', reference: 'CN-2018-0004', budgetYear: 2018, debit: '', credit: '1211.46' },
    {
      date: '2018-03-02',
      kind: 'payment',
      reference: 'RF97 ISU2 0180 088',
      budgetYear: 2018,
      applied: [{ invoice: 'ISU-2018-0088', year: 2018, amount: '21214.27' }],
      keptAsCredit: '3785.73',
      debit: '',
      credit: '25000.00',
    },
    { date: '2018-09-01', kind: 'reclassification', reference: 'Contribución voluntaria', budgetYear: null, reclassifiedTo: 'reserve', debit: '1000.00', credit: '' },
  ],
  { unappliedCredit: '2785.73', generatedOn: '2019-01-02' },
);

/** English, 40 transactions over five budget years: runs over pages. */
export const STATEMENT_IRL_40: StatementDocument = (() => {
  const lines: LineInput[] = [];
  for (let i = 0; i < 40; i++) {
    const year = 2014 + Math.floor(i / 8);
    const month = String((i % 8) + 2).padStart(2, '0');
    const date = `${year}-${month}-${String(10 + (i % 17)).padStart(2, '0')}`;
    const k = i % 8;
    if (k === 0) {
      lines.push({ date, kind: 'invoice', reference: `ISU-${year}-${String(46 + i).padStart(4, '0')}`, budgetYear: year, debit: `${4500 + i * 13}.${String(i).padStart(2, '0')}`, credit: '' });
    } else if (k === 3) {
      lines.push({ date, kind: 'credit-note', reference: `CN-${year}-${String(i).padStart(4, '0')}`, budgetYear: year, debit: '', credit: `${100 + i}.50` });
    } else if (k === 5) {
      lines.push({ date, kind: 'credit-application', reference: `ISU-${year}-${String(46 + i - 5).padStart(4, '0')}`, budgetYear: year, debit: '', credit: '' });
    } else if (k === 7) {
      lines.push({ date, kind: 'reclassification', reference: 'Voluntary contribution (core budget)', budgetYear: null, debit: `${20 + i}.00`, credit: '' });
    } else {
      lines.push({ date, kind: 'payment', reference: `IE-DFA ${year}/${String(i * 37).padStart(4, '0')}`, budgetYear: year, debit: '', credit: `${1000 + i * 7}.${String((i * 3) % 100).padStart(2, '0')}` });
    }
  }
  return statement('en', IRELAND.state, '2014-01-01', '2018-12-31', '1250.00', lines, {
    unappliedCredit: '312.45',
    arrears: [
      { year: 2016, amount: '118.22' },
      { year: 2017, amount: '1402.90' },
      { year: 2018, amount: '3977.15' },
    ],
  });
})();

/** English, nothing happened in the period. */
export const STATEMENT_STP_EMPTY = statement('en', SAO_TOME.state, '2018-04-01', '2018-06-30', '1726.87', [], {
  arrears: [{ year: 2017, amount: '1726.87' }],
  generatedOn: '2018-07-01',
});

/** Spanish, empty and in credit. */
export const STATEMENT_MEX_EMPTY_CREDIT = statement('es', party('MEX', 'México', 'es'), '2018-01-01', '2018-03-31', '-150.00', [], {
  unappliedCredit: '150.00',
  generatedOn: '2018-04-03',
});

function percent(n: number, of: number): string {
  // Two decimals, rounded half up, from integers only.
  const bp = Math.floor((n * 10000 * 2 + of) / (2 * of));
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

export const FIGURES = STATUS_FIGURES;

/** The 103 States Parties of the seed register, with made-up figures for 2018. */
export function statusReport(): StatusReportDocument {
  const csv = fs.readFileSync(path.join(import.meta.dirname, '../../db/seed/states-parties-2017.csv'), 'utf8');
  const states = csv
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((row) => {
      const [iso3 = '', name = ''] = row.split(',');
      return { iso3, name };
    });
  const zero = '0.00';
  const rows: StatusReportDocument['rows'] = states.map((s, i) => {
    const assessedC = 171845n + BigInt((i * 17) % 40) * 123457n; // 1,718.45 … 49,866.68
    const priorC = i % 7 === 0 ? 95000n + BigInt(i) * 1111n : 0n;
    const priorPaidC = i % 14 === 0 ? priorC / 2n : 0n;
    if (i === 101) {
      return { iso3: s.iso3, name: s.name, ...Object.fromEntries(FIGURES.map((k) => [k, zero])), status: 'not-assessed' } as StatusReportDocument['rows'][number];
    }
    if (i === 100) {
      const a = fromCentimes(assessedC);
      return { iso3: s.iso3, name: s.name, ...Object.fromEntries(FIGURES.map((k) => [k, zero])), assessed: a, credited: a, status: 'credited' } as StatusReportDocument['rows'][number];
    }
    const kind = i % 5; // 0, 1: paid; 2: partial; 3, 4: unpaid
    const paidC = kind <= 1 ? assessedC : kind === 2 ? assessedC / 3n : 0n;
    const excessC = kind === 0 && i % 10 === 0 ? 25000n + BigInt(i) * 100n : 0n;
    return {
      iso3: s.iso3,
      name: s.name,
      priorAtStart: fromCentimes(priorC),
      priorCollected: fromCentimes(priorPaidC),
      priorCredited: zero,
      priorOutstanding: fromCentimes(priorC - priorPaidC),
      assessed: fromCentimes(assessedC),
      credited: zero,
      collected: fromCentimes(paidC),
      outstanding: fromCentimes(assessedC - paidC),
      received: fromCentimes(paidC + priorPaidC + excessC),
      inExcess: fromCentimes(excessC),
      unappliedCredit: fromCentimes(excessC),
      status: kind <= 1 ? 'paid' : kind === 2 ? 'partial' : 'unpaid',
    };
  });
  const totals = Object.fromEntries(FIGURES.map((k) => [k, sumSigned(rows.map((r) => r[k]))])) as unknown as StatusReportDocument['totals'];
  const assessedRows = rows.filter((r) => r.status === 'paid' || r.status === 'partial' || r.status === 'unpaid');
  const paid = rows.filter((r) => r.status === 'paid').length;
  const partial = rows.filter((r) => r.status === 'partial').length;
  const unpaid = rows.filter((r) => r.status === 'unpaid').length;
  const n = assessedRows.length;
  const budget = sumSigned(rows.map((r) => r.assessed));
  const pct1 = (part: string, whole: string) => {
    const p = BigInt(part.replace('.', ''));
    const w = BigInt(whole.replace('.', ''));
    const tenths = (p * 1000n * 2n + w) / (2n * w);
    return `${tenths / 10n}.${tenths % 10n}`;
  };
  return {
    year: 2018,
    asOf: '2018-06-30',
    language: 'en',
    generatedOn: '2018-07-02',
    budget,
    cutoffDate: '2018-03-31',
    rows,
    otherDonors: [
      { donor: 'Fondation pour la paix (Genève)', purpose: 'voluntary', amount: '15000.00' },
      { donor: 'Anonymous donor', purpose: 'reserve', amount: '2500.50' },
    ],
    totals,
    coverage: { collectedPercent: pct1(totals.collected, budget), withExcessPercent: pct1(sumSigned([totals.collected, totals.inExcess]), budget) },
    counts: {
      paid,
      partial,
      unpaid,
      credited: 1,
      assessed: n,
      sharePaidPercent: percent(paid, n),
      sharePartialPercent: percent(partial, n),
      shareUnpaidPercent: percent(unpaid, n),
      shareContributingPercent: percent(paid + partial, n),
    },
    // Paid in full by the cut-off date: two in three of those paid in full.
    honourRoll: rows.filter((r, i) => r.status === 'paid' && i % 3 !== 2).map((r) => ({ iso3: r.iso3, name: r.name })),
    lateAssessments: [],
  };
}
