/**
 * The reports as XLSX (issue 15): each describes its sheets to the generic
 * writer (workbook.ts) from the same document as its JSON, CSV and PDF, so
 * every figure in a cell is a figure of the JSON. In English.
 */
import { STATUS_LABEL, statusReportTitle } from '../pdf/status-report.js';
import { STATUS_FIGURES, type ExecutionDocument, type StatementDocument, type StatusReportDocument, type StatusReportFigures } from '../pdf/types.js';
import { renderWorkbook, type SheetColumn } from './workbook.js';

/** The column headers of the status figures, in STATUS_FIGURES order. */
function statusHeaders(year: number): Record<keyof StatusReportFigures, string> {
  const prior = `Before ${year}:`;
  return {
    priorAtStart: `${prior} unpaid at start`,
    priorCollected: `${prior} collected`,
    priorCredited: `${prior} credited`,
    priorOutstanding: `${prior} outstanding`,
    assessed: `${year}: assessed`,
    credited: `${year}: credited`,
    collected: `${year}: collected`,
    outstanding: `${year}: outstanding`,
    received: `Received in ${year}`,
    inExcess: 'In excess',
    unappliedCredit: 'Credit held',
  };
}

/** The status of contributions as XLSX: one row per State with the 11 figures of the JSON, the totals, the coverage. */
export function renderStatusReportXlsx(r: StatusReportDocument): Promise<Buffer> {
  const headers = statusHeaders(r.year);
  const columns: SheetColumn[] = [
    { header: 'ISO3', key: 'iso3', kind: 'text' },
    { header: 'State', key: 'name', kind: 'text' },
    ...STATUS_FIGURES.map((k): SheetColumn => ({ header: headers[k], key: k, kind: 'money' })),
    { header: 'Status', key: 'status', kind: 'text' },
  ];
  const c = r.counts;
  return renderWorkbook({
    title: statusReportTitle(r.year),
    asOf: r.asOf,
    sheets: [
      {
        name: `Status ${r.year}`,
        columns,
        rows: r.rows.map((x) => ({ ...x, status: STATUS_LABEL[x.status] })),
        totals: { iso3: 'TOTAL', name: 'Total', ...r.totals },
        summary: [
          { label: `Budget ${r.year} (CHF)`, value: r.budget, kind: 'money' },
          { label: 'Cut-off date for payment', value: r.cutoffDate, kind: 'date' },
          { label: 'Coverage of the budget: collected (%)', value: r.coverage.collectedPercent, kind: 'percent' },
          { label: 'Coverage with money in excess of assessments (%)', value: r.coverage.withExcessPercent, kind: 'percent' },
          { label: 'States assessed', value: c.assessed, kind: 'integer' },
          { label: 'Paid in full', value: c.paid, kind: 'integer' },
          { label: 'Paid in part', value: c.partial, kind: 'integer' },
          { label: 'Paid nothing', value: c.unpaid, kind: 'integer' },
        ],
      },
      ...(r.otherDonors.length > 0
        ? [
            {
              name: 'Other donors',
              columns: [
                { header: 'Donor', key: 'donor', kind: 'text' },
                { header: 'Purpose', key: 'purpose', kind: 'text' },
                { header: 'Amount', key: 'amount', kind: 'money' },
              ] satisfies SheetColumn[],
              rows: r.otherDonors,
            },
          ]
        : []),
    ],
  });
}

const KIND_LABEL: Record<StatementDocument['lines'][number]['kind'], string> = {
  invoice: 'Invoice',
  'credit-note': 'Credit note',
  payment: 'Payment',
  'payment-reversal': 'Payment reversed',
  'credit-application': 'Credit applied',
  reclassification: 'Credit reclassified',
};

/** The statement of account as XLSX: the opening balance, one row per line of the JSON with its debit, credit and running balance, the closing balance. */
export function renderStatementXlsx(s: StatementDocument & { iso3: string }): Promise<Buffer> {
  return renderWorkbook({
    title: `Statement of account — ${s.state.name} (${s.iso3}), ${s.from} to ${s.to}`,
    asOf: s.to,
    sheets: [
      {
        name: `Statement ${s.iso3}`,
        columns: [
          { header: 'Date', key: 'date', kind: 'date' },
          { header: 'Kind', key: 'kind', kind: 'text' },
          { header: 'Reference', key: 'reference', kind: 'text' },
          { header: 'Budget years', key: 'budgetYears', kind: 'text' },
          { header: 'Payable by', key: 'dueDate', kind: 'date' },
          { header: 'Debit', key: 'debit', kind: 'money' },
          { header: 'Credit', key: 'credit', kind: 'money' },
          { header: 'Balance', key: 'balance', kind: 'money' },
        ],
        rows: [
          { date: s.from, kind: 'Opening balance', balance: s.openingBalance },
          ...s.lines.map((l) => ({
            date: l.date,
            kind: KIND_LABEL[l.kind],
            reference: l.reference,
            budgetYears: l.budgetYears.join(', '),
            dueDate: l.dueDate,
            debit: l.debit,
            credit: l.credit,
            balance: l.balance,
          })),
        ],
        totals: { date: s.to, kind: 'Closing balance', balance: s.closingBalance },
        summary: [
          { label: 'Unapplied credit held', value: s.unappliedCredit, kind: 'money' },
          ...s.arrears.map((a) => ({ label: `Arrears ${a.year}`, value: a.amount, kind: 'money' as const })),
        ],
      },
    ],
  });
}

/** Budget execution as XLSX: one row per line (uncoded expenditures as their own row), a TOTAL row. */
export function renderExecutionXlsx(r: ExecutionDocument): Promise<Buffer> {
  return renderWorkbook({
    title: `Budget execution ${r.year} (version ${r.version})`,
    asOf: r.asOf,
    sheets: [
      {
        name: `Execution ${r.year}`,
        columns: [
          { header: 'Line', key: 'code', kind: 'text' },
          { header: 'Label', key: 'label', kind: 'text' },
          { header: 'Approved (CHF)', key: 'approved', kind: 'money' },
          { header: 'Revised (CHF)', key: 'revised', kind: 'money' },
          { header: 'Spent (CHF)', key: 'spent', kind: 'money' },
          { header: 'Remaining (CHF)', key: 'remaining', kind: 'money' },
          { header: '% spent', key: 'percentSpent', kind: 'percent' },
        ],
        rows: r.lines.map((l) => ({ ...l, code: l.code ?? '(uncoded)' })),
        totals: { code: 'TOTAL', label: '', ...r.totals },
      },
    ],
  });
}

/** The annual financial statement as XLSX: one row per figure (section, item), the year beside the previous year, as the CSV. */
export function renderFinancialStatementXlsx(s: { year: number; previousYear: number; asOf: string }, rows: readonly (readonly [string, string, string, string])[]): Promise<Buffer> {
  return renderWorkbook({
    title: `Financial statement ${s.year} (CHF), beside ${s.previousYear}`,
    asOf: s.asOf,
    sheets: [
      {
        name: `Financial statement ${s.year}`,
        columns: [
          { header: 'Section', key: 'section', kind: 'text' },
          { header: 'Item', key: 'item', kind: 'text' },
          { header: String(s.year), key: 'current', kind: 'money' },
          { header: String(s.previousYear), key: 'previous', kind: 'money' },
        ],
        rows: rows.map(([section, item, current, previous]) => ({ section, item, current, previous })),
      },
    ],
  });
}
