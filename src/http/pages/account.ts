/**
 * /account (SPEC 1, 5): a State Party's own account — balance and arrears,
 * its invoices and credit notes with their PDFs, its payments, its statement
 * of account — and nothing of any other State. Amounts and dates are written
 * in the State's language, as on its invoices. A State user always sees its
 * own State; finance, presidency and auditors may open any State's page with
 * ?state=ISO3.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayUtc } from '../../domain/dates.js';
import { Dec } from '../../domain/money.js';
import { formatCreditorReference, formatDate, formatMoney, formatShortDate } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import { getBalance, type BalanceOut } from '../../services/accounts.js';
import type { Ctx } from '../../services/context.js';
import { listCreditNotes, listInvoices, type CreditNoteOut, type InvoiceOut } from '../../services/invoices.js';
import { nameIn } from '../../services/states.js';
import { listPayments, type PaymentOut } from '../../services/payments.js';
import { listReserveMovements } from '../../services/reserve.js';
import { findState } from '../../services/states.js';
import { iso3, isoDate } from '../../schemas/common.js';
import { DASHBOARD_ROLES, requireViewer, sendHtml, type Viewer } from './guard.js';
import { addMoney, chf, html, layout, messagePage, type SafeHtml } from './html.js';

const accountQuery = z.object({ state: iso3.optional(), asOf: isoDate.optional() });

export interface AccountData {
  iso3: string;
  name: string;
  lang: Lang;
  asOf: string;
  balance: BalanceOut;
  arrearsTotal: string;
  invoices: InvoiceOut[];
  creditNotes: CreditNoteOut[];
  payments: PaymentOut[];
  /** Contributions of the State recorded on the reserve directly (not as a payment), not reversed. */
  reserveContributions: { id: number; date: string; amount: string; description: string }[];
  firstYear: number;
}

export function accountData(ctx: Ctx, iso3: string, asOf: string): AccountData | null {
  const state = findState(ctx.db, iso3);
  if (!state) return null;
  const scope = iso3; // every list is scoped to this one State
  const invoices = listInvoices(ctx, {}, scope);
  const balance = getBalance(ctx, iso3, asOf);
  return {
    iso3,
    name: nameIn(state, state.language),
    lang: state.language,
    asOf,
    balance,
    arrearsTotal: addMoney(...balance.arrears.map((a) => a.amount)),
    invoices,
    creditNotes: listCreditNotes(ctx, {}, scope),
    payments: listPayments(ctx, {}, scope),
    reserveContributions: listReserveMovements(ctx, { state: iso3 })
      .filter((m) => m.kind === 'contribution' && m.reversal === null)
      .map((m) => ({ id: m.id, date: m.date, amount: m.amount, description: m.description ?? '' })),
    firstYear: invoices.length ? Math.min(...invoices.map((i) => i.year)) : Number.parseInt(asOf.slice(0, 4), 10),
  };
}

const PURPOSE: Record<PaymentOut['purpose'], string> = { assessed: 'assessed contribution', voluntary: 'voluntary contribution', reserve: 'to the reserve' };

export function renderAccount(d: AccountData, viewer: Viewer): string {
  const m = (a: string) => formatMoney(a, d.lang);
  const day = (iso: string) => formatShortDate(iso, d.lang);
  const b = d.balance;
  const kpi = (label: string, value: string, figure: string, note: string, cls = '') =>
    html`<li class="kpi ${cls}"><div class="label">${label}</div><div class="value" data-figure="${figure}">${value}</div><div class="note">${note}</div></li>`;
  const statementFrom = `${d.firstYear}-01-01`;
  const statementUrl = `/api/v1/states/${d.iso3}/statement.pdf?from=${statementFrom}`;
  const section = (id: string, title: string, content: SafeHtml) => html`<section class="panel" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;

  const invoiceRows = d.invoices.map(
    (i) => html`<tr data-invoice="${i.number}">
<th scope="row">${i.number}</th><td>${i.year}</td><td>${day(i.issueDate)}</td><td>${day(i.cutoffDate)}</td>
<td>${i.lines.map((l, k) => html`${k ? ' · ' : ''}${l.category} ${m(l.amount)}`)}</td>
<td class="num">${m(i.total)}</td>
<td>${i.status === 'cancelled' ? html`<span class="badge bad">cancelled${i.creditNote ? ` (${i.creditNote})` : ''}</span>` : html`<span class="badge">issued</span>`}</td>
<td class="mono">${formatCreditorReference(i.creditorReference)}</td>
<td><a href="/api/v1/invoices/${i.number}/pdf">PDF<span class="vh"> of ${i.number}</span></a></td></tr>`,
  );
  const creditRows = d.creditNotes.map(
    (c) => html`<tr data-credit-note="${c.number}"><th scope="row">${c.number}</th><td>${c.invoiceNumber}</td><td>${day(c.issueDate)}</td><td>${c.reason}</td><td class="num">${m(c.total)}</td>
<td><a href="/api/v1/credit-notes/${c.number}/pdf">PDF<span class="vh"> of ${c.number}</span></a></td></tr>`,
  );
  const reserveRows = d.reserveContributions.map(
    (r) => html`<tr data-reserve-contribution="${r.id}"><td>${day(r.date)}</td><td class="num">${m(r.amount)}</td><td>${r.description}</td><td>to the reserve (recorded on the reserve)</td><td>—</td><td class="num">${m('0.00')}</td></tr>`,
  );
  const paymentRows = d.payments.map(
    (p) => html`<tr data-payment="${p.id}"><td>${day(p.receivedOn)}</td><td class="num">${m(p.amount)}</td><td>${p.reference && /^RF[0-9]{2}/.test(p.reference) ? formatCreditorReference(p.reference) : (p.reference ?? p.bankReference ?? '')}</td><td>${PURPOSE[p.purpose]}</td>
<td>${p.applications.length ? p.applications.map((a, k) => html`${k ? html`<br>` : ''}${a.invoice} ${a.category}: ${m(a.amount)}`) : '—'}</td><td class="num">${m(p.unapplied)}</td></tr>`,
  );

  const body = html`<h1>Account of ${d.name}</h1>
<p class="lead">As of <strong>${formatDate(d.asOf, d.lang)}</strong> · amounts in CHF${d.lang === 'en' ? '' : ', written as on your invoices'}${viewer.role === 'state' ? '' : html` · <a href="/dashboard">back to the dashboard</a>`}</p>
<div class="toolbar">
<div class="downloads"><a href="${statementUrl}">Statement of account since ${formatDate(statementFrom, d.lang)} (PDF)</a> <a href="${statementUrl.replace('/statement.pdf?', '/statement.xlsx?')}" download>(XLSX)</a></div>
<form method="get" action="/api/v1/states/${d.iso3}/statement.pdf" aria-label="Statement of account for a period">
  <div><label for="from">Statement from</label><input id="from" name="from" type="date" value="${statementFrom}" required></div>
  <div><label for="to">to</label><input id="to" name="to" type="date" value="${todayUtc()}" required></div>
  <button class="primary" type="submit">Statement PDF</button>
</form>
</div>
<ul class="kpis compact" aria-label="Balance">
${kpi('Balance outstanding', chf(b.outstanding, d.lang), 'outstanding', 'invoiced − credit notes − paid', new Dec(b.outstanding).gt(0) ? 'key' : '')}
${kpi('In arrears', chf(d.arrearsTotal, d.lang), 'arrears', b.arrears.length ? `of ${b.arrears.map((a) => a.year).join(', ')}` : 'nothing past its cut-off date', b.arrears.length ? 'warn' : '')}
${kpi('Unapplied credit', chf(b.unappliedCredit, d.lang), 'unapplied', 'received, not yet applied to an invoice')}
${kpi('Invoiced', chf(b.invoiced, d.lang), 'invoiced', `${d.invoices.length} invoice${d.invoices.length === 1 ? '' : 's'}`)}
${kpi('Credit notes', chf(b.credited, d.lang), 'credited', `${d.creditNotes.length} credit note${d.creditNotes.length === 1 ? '' : 's'}`)}
${kpi('Paid', chf(b.paid, d.lang), 'paid', 'applied to invoices')}
</ul>
${section(
  'h-arrears',
  'Arrears by budget year',
  b.arrears.length
    ? html`<table class="narrow"><caption>Unpaid amounts of invoices whose payment cut-off date has passed</caption>
<thead><tr><th scope="col">Budget year</th><th scope="col" class="num">CHF</th></tr></thead>
<tbody>${b.arrears.map((a) => html`<tr><th scope="row">${a.year}</th><td class="num">${m(a.amount)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${m(d.arrearsTotal)}</td></tr></tfoot></table>`
    : html`<p>No arrears: every invoice past its cut-off date is paid.</p>`,
)}
${section(
  'h-invoices',
  'Invoices',
  html`<div class="table-scroll"><table id="invoices"><caption>Invoices of ${d.name} (${d.invoices.length})</caption>
<thead><tr><th scope="col">Number</th><th scope="col">Year</th><th scope="col">Issued</th><th scope="col">Payable by</th><th scope="col">Categories (CHF)</th><th scope="col" class="num">Total CHF</th><th scope="col">Status</th><th scope="col">Reference</th><th scope="col">Document</th></tr></thead>
<tbody>${d.invoices.length ? invoiceRows : html`<tr><td colspan="9">No invoice yet.</td></tr>`}</tbody></table></div>`,
)}
${section(
  'h-credit-notes',
  'Credit notes',
  d.creditNotes.length
    ? html`<div class="table-scroll"><table id="credit-notes"><caption>Credit notes of ${d.name}</caption>
<thead><tr><th scope="col">Number</th><th scope="col">Invoice</th><th scope="col">Issued</th><th scope="col">Reason</th><th scope="col" class="num">CHF</th><th scope="col">Document</th></tr></thead>
<tbody>${creditRows}</tbody></table></div>`
    : html`<p>No credit note.</p>`,
)}
${section(
  'h-payments',
  'Payments received',
  d.payments.length + d.reserveContributions.length
    ? html`<div class="table-scroll"><table id="payments"><caption>Payments of ${d.name}, and the invoices they paid</caption>
<thead><tr><th scope="col">Received</th><th scope="col" class="num">CHF</th><th scope="col">Reference</th><th scope="col">Purpose</th><th scope="col">Applied to</th><th scope="col" class="num">Unapplied</th></tr></thead>
<tbody>${paymentRows}${reserveRows}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num">${m(addMoney(...d.payments.map((p) => p.amount), ...d.reserveContributions.map((r) => r.amount)))}</td><td colspan="4"></td></tr></tfoot></table></div>`
    : html`<p>No payment received yet.</p>`,
)}`;
  return layout({ title: `Account of ${d.name}`, user: viewer, active: 'account', body });
}

export default async function accountPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, ['state', ...DASHBOARD_ROLES]);
    if (!viewer) return reply;
    const q = accountQuery.safeParse(request.query);
    if (!q.success) return sendHtml(reply, 400, messagePage('Bad request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), viewer));
    const notFound = () => sendHtml(reply, 404, messagePage('Not found', 'There is no such account.', viewer));
    let iso3: string;
    if (viewer.role === 'state') {
      // A State user sees its own account only; naming another answers as if it did not exist.
      if (!viewer.stateIso3 || (q.data.state !== undefined && q.data.state !== viewer.stateIso3)) return notFound();
      iso3 = viewer.stateIso3;
    } else {
      if (q.data.state === undefined) return reply.redirect('/dashboard', 303);
      iso3 = q.data.state;
    }
    const data = accountData(ctx, iso3, q.data.asOf ?? todayUtc());
    if (!data) return notFound();
    return sendHtml(reply, 200, renderAccount(data, viewer));
  });
}
