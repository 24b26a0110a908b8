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
import { formatMoney as formatCentimes, sumCentimes } from '../../domain/money.js';
import { formatCreditorReference, groupsOfFour } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import { getBalance, type BalanceOut } from '../../services/accounts.js';
import { openLines } from '../../services/applications.js';
import { getIssuer } from '../../services/settings.js';
import type { Ctx } from '../../services/context.js';
import { listCreditNotes, listInvoices, type CreditNoteOut, type InvoiceOut } from '../../services/invoices.js';
import { nameIn } from '../../services/states.js';
import { listPayments, type PaymentOut } from '../../services/payments.js';
import { listReserveMovements } from '../../services/reserve.js';
import { findState } from '../../services/states.js';
import { iso3, isoDate } from '../../schemas/common.js';
import { DASHBOARD_ROLES, pageOf, requireViewer, sendHtml, type Viewer } from './guard.js';
import { addMoney, html, layout, messagePage, scrollTable, type PageCtx, type SafeHtml } from './html.js';
import { fmt, t } from './i18n/index.js';

const accountQuery = z.object({ state: iso3.optional(), asOf: isoDate.optional() });

export interface AccountData {
  iso3: string;
  /** The State's name in its own language. */
  name: string;
  /** The State's name in each page language (the register's name_fr / name_es). */
  names: Record<Lang, string>;
  /** The State's language (its documents'). */
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
  /** How to pay (SPEC 9.1): the ISU's bank details in force, or null when the issuer is not configured. */
  bank: { accountHolder: string; iban: string; bic: string; bankName: string } | null;
  /** The invoices with something left to pay as of the date: number, RF creditor reference, amount due, cut-off date. */
  due: { number: string; reference: string; amount: string; cutoff: string }[];
}

export function accountData(ctx: Ctx, iso3: string, asOf: string): AccountData | null {
  const state = findState(ctx.db, iso3);
  if (!state) return null;
  const scope = iso3; // every list is scoped to this one State
  const invoices = listInvoices(ctx, {}, scope);
  const balance = getBalance(ctx, iso3, asOf);
  const issuer = getIssuer(ctx.db);
  const openByInvoice = new Map<string, bigint[]>();
  for (const l of openLines(ctx.db, iso3, { asOf })) if (l.openCentimes > 0n) openByInvoice.set(l.invoiceNumber, [...(openByInvoice.get(l.invoiceNumber) ?? []), l.openCentimes]);
  const due = invoices
    .filter((i) => openByInvoice.has(i.number))
    .map((i) => ({ number: i.number, reference: i.creditorReference, amount: formatCentimes(sumCentimes(openByInvoice.get(i.number)!)), cutoff: i.cutoffDate }))
    .sort((a, b) => (a.cutoff === b.cutoff ? a.number.localeCompare(b.number) : a.cutoff < b.cutoff ? -1 : 1));
  return {
    iso3,
    name: nameIn(state, state.language),
    names: { en: nameIn(state, 'en'), fr: nameIn(state, 'fr'), es: nameIn(state, 'es') },
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
    bank: issuer ? { accountHolder: issuer.bank.accountHolder, iban: issuer.bank.iban, bic: issuer.bank.bic, bankName: issuer.bank.bankName } : null,
    due,
  };
}

export function renderAccount(d: AccountData, viewer: Viewer, page: PageCtx): string {
  const lang = page.lang;
  const f = fmt(lang);
  const m = t(lang).account;
  const c = t(lang).common;
  const money = f.money;
  const day = f.shortDate;
  const b = d.balance;
  const name = d.names[lang];
  const kpi = (label: string, value: string, figure: string, note: string, cls = '') =>
    html`<li class="kpi ${cls}"><div class="label">${label}</div><div class="value" data-figure="${figure}">${value}</div><div class="note">${note}</div></li>`;
  const statementFrom = `${d.firstYear}-01-01`;
  const statementUrl = `/api/v1/states/${d.iso3}/statement.pdf?from=${statementFrom}`;
  const section = (id: string, title: string, content: SafeHtml) => html`<section class="panel" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${content}</section>`;

  const invoiceRows = d.invoices.map(
    (i) => html`<tr data-invoice="${i.number}">
<th scope="row" class="nowrap">${i.number}</th><td>${i.year}</td><td>${day(i.issueDate)}</td><td>${day(i.cutoffDate)}</td>
<td>${i.lines.map((l, k) => html`${k ? ' · ' : ''}${l.category} ${money(l.amount)}`)}</td>
<td class="num">${money(i.total)}</td>
<td>${i.status === 'cancelled' ? html`<span class="badge bad">${m.cancelled}${i.creditNote ? ` (${i.creditNote})` : ''}</span>` : html`<span class="badge">${m.issued}</span>`}</td>
<td class="mono">${formatCreditorReference(i.creditorReference)}</td>
<td><a href="/api/v1/invoices/${i.number}/pdf">${c.pdf}<span class="vh">${m.pdfOf(i.number)}</span></a></td></tr>`,
  );
  const creditRows = d.creditNotes.map(
    (cn) => html`<tr data-credit-note="${cn.number}"><th scope="row" class="nowrap">${cn.number}</th><td class="nowrap">${cn.invoiceNumber}</td><td>${day(cn.issueDate)}</td><td translate="no">${cn.reason}</td><td class="num">${money(cn.total)}</td>
<td><a href="/api/v1/credit-notes/${cn.number}/pdf">${c.pdf}<span class="vh">${m.pdfOf(cn.number)}</span></a></td></tr>`,
  );
  const reserveRows = d.reserveContributions.map(
    (r) => html`<tr data-reserve-contribution="${r.id}"><td>${day(r.date)}</td><td class="num">${money(r.amount)}</td><td translate="no">${r.description}</td><td>${m.reserveRecorded}</td><td>${c.none}</td><td class="num">${money('0.00')}</td></tr>`,
  );
  const paymentRows = d.payments.map(
    (p) => html`<tr data-payment="${p.id}"><td>${day(p.receivedOn)}</td><td class="num">${money(p.amount)}</td><td translate="no">${p.reference && /^RF[0-9]{2}/.test(p.reference) ? formatCreditorReference(p.reference) : (p.reference ?? p.bankReference ?? '')}</td><td>${m.purpose[p.purpose]}</td>
<td>${p.applications.length ? p.applications.map((a, k) => html`${k ? html`<br>` : ''}${a.invoice} ${a.category}: ${money(a.amount)}`) : c.none}</td><td class="num">${money(p.unapplied)}</td></tr>`,
  );

  const body = html`<h1>${m.title(name)}</h1>
<p class="lead">${m.lead(f.date(d.asOf))}${viewer.role === 'state' ? '' : html` · <a href="/dashboard">${m.backToDashboard}</a>`}</p>
<div class="toolbar">
<div class="downloads"><a href="${statementUrl}">${m.statementSince(f.date(statementFrom))}</a> <a href="${statementUrl.replace('/statement.pdf?', '/statement.xlsx?')}" download>${m.statementXlsx}</a></div>
<form method="get" action="/api/v1/states/${d.iso3}/statement.pdf" aria-label="${m.statementForm}">
  <div><label for="from">${m.statementFrom}</label><input id="from" name="from" type="date" value="${statementFrom}" required></div>
  <div><label for="to">${m.statementTo}</label><input id="to" name="to" type="date" value="${todayUtc()}" required></div>
  <button class="primary" type="submit">${m.statementPdf}</button>
</form>
</div>
<ul class="kpis compact" aria-label="${m.balanceList}">
${kpi(m.outstanding, f.chf(b.outstanding), 'outstanding', m.outstandingNote, new Dec(b.outstanding).gt(0) ? 'key' : '')}
${kpi(m.arrears, f.chf(d.arrearsTotal), 'arrears', b.arrears.length ? m.arrearsOf(b.arrears.map((a) => a.year).join(', ')) : m.noArrearsNote, b.arrears.length ? 'warn' : '')}
${kpi(m.unapplied, f.chf(b.unappliedCredit), 'unapplied', m.unappliedNote)}
${kpi(m.invoiced, f.chf(b.invoiced), 'invoiced', m.invoicesCount(d.invoices.length))}
${kpi(m.creditNotes, f.chf(b.credited), 'credited', m.creditNotesCount(d.creditNotes.length))}
${kpi(m.paid, f.chf(b.paid), 'paid', m.paidNote)}
</ul>
${
  d.bank
    ? section(
        'h-how-to-pay',
        m.howToPayHeading,
        html`<p class="explain">${m.howToPayLead}</p>
<dl class="facts" id="how-to-pay">
<div><dt>${m.payee}</dt><dd><span translate="no">${d.bank.accountHolder}</span></dd></div>
<div><dt>${m.accountNumber}</dt><dd class="mono">${groupsOfFour(d.bank.iban.replace(/\s+/g, ''))}</dd></div>
<div><dt>${m.bankCode}</dt><dd class="mono">${d.bank.bic}</dd></div>
<div><dt>${m.bankName}</dt><dd><span translate="no">${d.bank.bankName}</span></dd></div>
</dl>
${
  d.due.length
    ? scrollTable(
        m.openCaption,
        html`<table id="to-pay"><caption>${m.openCaption}</caption>
<thead><tr><th scope="col">${m.colNumber}</th><th scope="col">${m.colReference}</th><th scope="col" class="num">${m.colDue}</th><th scope="col">${m.colPayableBy}</th></tr></thead>
<tbody>${d.due.map((x) => html`<tr data-due="${x.number}"><th scope="row" class="nowrap">${x.number}</th><td class="mono">${formatCreditorReference(x.reference)}</td><td class="num">${money(x.amount)}</td><td class="nowrap">${day(x.cutoff)}</td></tr>`)}</tbody></table>`,
      )
    : html`<p>${m.nothingDue}</p>`
}`,
      )
    : ''
}
${section(
  'h-arrears',
  m.arrearsHeading,
  b.arrears.length
    ? html`<table class="narrow"><caption>${m.arrearsCaption}</caption>
<thead><tr><th scope="col">${m.colBudgetYear}</th><th scope="col" class="num">${c.chf}</th></tr></thead>
<tbody>${b.arrears.map((a) => html`<tr><th scope="row">${a.year}</th><td class="num">${money(a.amount)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${c.total}</th><td class="num">${money(d.arrearsTotal)}</td></tr></tfoot></table>`
    : html`<p>${m.noArrears}</p>`,
)}
${section(
  'h-invoices',
  m.invoicesHeading,
  scrollTable(
    m.invoicesCaption(name, d.invoices.length),
    html`<table id="invoices"><caption>${m.invoicesCaption(name, d.invoices.length)}</caption>
<thead><tr><th scope="col">${m.colNumber}</th><th scope="col">${m.colYear}</th><th scope="col">${m.colIssued}</th><th scope="col">${m.colPayableBy}</th><th scope="col">${m.colCategories}</th><th scope="col" class="num">${m.colTotal}</th><th scope="col">${m.colStatus}</th><th scope="col">${m.colReference}</th><th scope="col">${m.colDocument}</th></tr></thead>
<tbody>${d.invoices.length ? invoiceRows : html`<tr><td colspan="9">${m.noInvoice}</td></tr>`}</tbody></table>`,
  ),
)}
${section(
  'h-credit-notes',
  m.creditNotesHeading,
  d.creditNotes.length
    ? scrollTable(
        m.creditNotesCaption(name),
        html`<table id="credit-notes"><caption>${m.creditNotesCaption(name)}</caption>
<thead><tr><th scope="col">${m.colNumber}</th><th scope="col">${m.colInvoice}</th><th scope="col">${m.colIssued}</th><th scope="col">${m.colReason}</th><th scope="col" class="num">${c.chf}</th><th scope="col">${m.colDocument}</th></tr></thead>
<tbody>${creditRows}</tbody></table>`,
      )
    : html`<p>${m.noCreditNote}</p>`,
)}
${section(
  'h-payments',
  m.paymentsHeading,
  d.payments.length + d.reserveContributions.length
    ? scrollTable(
        m.paymentsCaption(name),
        html`<table id="payments"><caption>${m.paymentsCaption(name)}</caption>
<thead><tr><th scope="col">${m.colReceived}</th><th scope="col" class="num">${c.chf}</th><th scope="col">${m.colReference}</th><th scope="col">${m.colPurpose}</th><th scope="col">${m.colAppliedTo}</th><th scope="col" class="num">${m.colUnapplied}</th></tr></thead>
<tbody>${paymentRows}${reserveRows}</tbody>
<tfoot><tr><th scope="row">${c.total}</th><td class="num">${money(addMoney(...d.payments.map((p) => p.amount), ...d.reserveContributions.map((r) => r.amount)))}</td><td colspan="4"></td></tr></tfoot></table>`,
      )
    : html`<p>${m.noPayment}</p>`,
)}`;
  return layout(page, { title: m.title(name), active: '/account', body });
}

export default async function accountPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    const viewer = requireViewer(request, reply, ['state', ...DASHBOARD_ROLES]);
    if (!viewer) return reply;
    const page = pageOf(request, viewer);
    const e = t(page.lang).errors;
    const q = accountQuery.safeParse(request.query);
    if (!q.success) return sendHtml(reply, 400, messagePage(page, e.badRequest, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    const notFound = () => sendHtml(reply, 404, messagePage(page, e.notFound, e.noSuchAccount));
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
    return sendHtml(reply, 200, renderAccount(data, viewer, page));
  });
}
