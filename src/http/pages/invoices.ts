/**
 * The invoices pages (SPEC 2.4, 9.1, 9.3, 9.9): the list (filtered by year,
 * State Party and status through the query string, paginated), each invoice
 * with its status — paid, part paid, unpaid, overdue, cancelled — and what is
 * left to pay on it (its total less the credit notes and the money applied,
 * as the reminders and the status report count it); one invoice with its
 * lines, the money applied, its credit notes and the forms to cancel it or
 * issue it again; and the batch of a year: what it would issue, a submit
 * that starts it in the background, and its progress on a page that
 * refreshes itself (a <meta> refresh: no script) until it has finished.
 *
 * Finance, the Presidency and the auditors read the list and the invoices
 * (as on the API); only finance cancels, re-issues and issues. A State user
 * gets 404 (its invoices are on its account page), another role 403. Every
 * form posts with the session's CSRF token and a one-time `_idem` token (a
 * double submit acts once), is validated on the server (422, nothing
 * written, the message at the field) and answers 303 to the result.
 */
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { daysBetween, isIsoDate, todayUtc } from '../../domain/dates.js';
import { formatMoney as formatCentimes, parseMoney, sumCentimes } from '../../domain/money.js';
import { applications, invoices, states } from '../../db/schema.js';
import { formatCreditorReference, formatMoney } from '../../pdf/i18n.js';
import type { Actor, Role } from '../../services/actor.js';
import { assessBudget, currentAssessment, findBudget, listBudgets } from '../../services/budgets.js';
import type { Ctx } from '../../services/context.js';
import { listDeliveries, sendDocuments } from '../../services/delivery/index.js';
import { ServiceError } from '../../services/errors.js';
import { cancelInvoice, frozenAssessment, getInvoice, issueInvoiceBatch, listCreditNotes, listInvoices, reissueInvoice, type BatchResult, type InvoiceOut } from '../../services/invoices.js';
import { assertOpen } from '../../services/periods.js';
import { requireIssuer } from '../../services/settings.js';
import { nameIn } from '../../services/states.js';
import { pageOf, sendHtml, viewerOf, actorOf, type Viewer } from './guard.js';
import {
  checkboxField,
  csrfGuard,
  dateField,
  FORM_TEXT,
  formState,
  hiddenField,
  IDEM_FIELD,
  newIdem,
  pageViewer,
  postedIdem,
  postForm,
  postingViewer,
  seeOther,
  selectField,
  serviceFieldErrors,
  textareaField,
  validateForm,
  withLang,
  FormReplays,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { INVOICES_TEXT, type InvoicesText, type InvoiceStatusKey } from './invoices-text.js';
import { registerPage } from './registry.js';
import { serviceMessageIn } from './service-messages.js';
import { day, pageLang, stateChoices } from './page-common.js';

/** Who reads the invoices pages (the API's readers), and who changes anything from them (finance, as on the API). */
export const INVOICE_PAGE_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];
export const INVOICE_WRITE_ROLES: readonly Role[] = ['finance'];
export const PAGE_SIZE = 50;
const STATUSES: readonly InvoiceStatusKey[] = ['paid', 'part', 'unpaid', 'overdue', 'cancelled'];

registerPage({ path: '/invoices', key: 'invoices', roles: INVOICE_PAGE_ROLES });

// ---------------------------------------------------------------- helpers

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml, refreshSeconds?: number): string {
  // A page that follows work in progress reloads itself (the layout's <meta> refresh; the CSP allows it).
  return layout({ lang, url: request.url, user: viewer }, refreshSeconds === undefined ? { title, active: '/invoices', body } : { title, active: '/invoices', body, refreshSeconds });
}

/** What is left on an invoice and what was applied to it, from the ledger's tables: one read for many invoices. */
export interface Standing {
  /** total − credit notes of budget revisions (0 once cancelled): what the invoice asks for. */
  dueCentimes: bigint;
  /** Money applied to it (payments, credit, releases, reversals), net. */
  appliedCentimes: bigint;
  /** What is left to pay: due − applied (0 once cancelled), as the reminders and the status report count it. */
  leftCentimes: bigint;
}

export function standings(ctx: Ctx, numbers: readonly string[]): Map<string, Standing> {
  const out = new Map<string, Standing>();
  if (numbers.length === 0) return out;
  const stmt = ctx.sqlite
    .prepare(
      `SELECT i.number AS number,
              i.total_centimes - COALESCE((SELECT SUM(c.total_centimes) FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'partial'), 0) AS due,
              COALESCE((SELECT SUM(a.amount_centimes) FROM applications a WHERE a.invoice_number = i.number), 0) AS applied,
              EXISTS (SELECT 1 FROM credit_notes c WHERE c.invoice_number = i.number AND c.kind = 'cancellation') AS cancelled
         FROM invoices i WHERE i.number IN (SELECT value FROM json_each(?))`,
    )
    .safeIntegers(true);
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = stmt.all(JSON.stringify(numbers.slice(i, i + 500))) as { number: string; due: bigint; applied: bigint; cancelled: bigint }[];
    for (const r of rows) {
      const cancelled = r.cancelled !== 0n;
      const left = cancelled ? 0n : r.due - r.applied;
      out.set(r.number, { dueCentimes: cancelled ? 0n : r.due, appliedCentimes: r.applied, leftCentimes: left > 0n ? left : 0n });
    }
  }
  return out;
}

/** The status of an invoice on `today`: cancelled; paid (nothing left); overdue (something left after the date payable by); part paid; unpaid. */
export function statusOf(inv: Pick<InvoiceOut, 'status' | 'cutoffDate'>, s: Standing, today: string): InvoiceStatusKey {
  if (inv.status === 'cancelled') return 'cancelled';
  if (s.leftCentimes === 0n) return 'paid';
  if (today > inv.cutoffDate) return 'overdue';
  return s.leftCentimes < s.dueCentimes ? 'part' : 'unpaid';
}

/** "Part paid" beside "Overdue" when money was applied to an overdue invoice. */
function statusBadges(key: InvoiceStatusKey, s: Standing, t: InvoicesText): SafeHtml {
  const cls = key === 'paid' ? 'good' : key === 'overdue' ? 'bad' : '';
  const part = key === 'overdue' && s.leftCentimes < s.dueCentimes ? html` <span class="badge">${t.status.part}</span>` : '';
  return html`<span class="badge${cls ? ` ${cls}` : ''}">${t.status[key]}</span>${part}`;
}

// ---------------------------------------------------------------- the list

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const listQuery = z.object({
  year: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{4}$/).optional()),
  state: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Z]{3}$/).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(STATUSES as [InvoiceStatusKey, ...InvoiceStatusKey[]]).optional()),
  page: z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,5}$/).optional()),
  lang: z.string().optional(),
});
type ListQuery = z.infer<typeof listQuery>;

function queryString(q: Partial<ListQuery>, lang: FormLang, pageNo?: number): string {
  const p = new URLSearchParams();
  for (const k of ['year', 'state', 'status'] as const) if (q[k]) p.set(k, q[k]!);
  if (pageNo !== undefined && pageNo > 1) p.set('page', String(pageNo));
  if (lang !== 'en') p.set('lang', lang);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function budgetYears(ctx: Ctx): string[] {
  return listBudgets(ctx)
    .map((b) => String(b.year))
    .sort()
    .reverse();
}

function renderList(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: ListQuery): string {
  const t = INVOICES_TEXT[lang];
  const today = todayUtc();
  const choices = stateChoices(ctx, lang);
  const names = new Map(choices.map((s) => [s.iso3, s.name]));
  const all = listInvoices(ctx, { year: q.year === undefined ? undefined : Number.parseInt(q.year, 10), state: q.state }, null);
  const st = standings(
    ctx,
    all.map((i) => i.number),
  );
  const rowsAll = all
    .map((inv) => ({ inv, s: st.get(inv.number)!, key: statusOf(inv, st.get(inv.number)!, today) }))
    .filter((r) => q.status === undefined || r.key === q.status)
    .sort((a, b) => (a.inv.year === b.inv.year ? (a.inv.number < b.inv.number ? -1 : 1) : b.inv.year - a.inv.year));
  const pages = Math.max(1, Math.ceil(rowsAll.length / PAGE_SIZE));
  const pageNo = Math.min(pages, q.page === undefined ? 1 : Number.parseInt(q.page, 10));
  const shown = rowsAll.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
  const total = formatCentimes(sumCentimes(rowsAll.map((r) => r.s.dueCentimes)));
  const left = formatCentimes(sumCentimes(rowsAll.map((r) => r.s.leftCentimes)));
  const f = formState(lang, { year: q.year ?? '', state: q.state ?? '', status: q.status ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/invoices" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'year', label: t.filterYear, options: [{ value: '', label: t.filterAll }, ...budgetYears(ctx).map((y) => ({ value: y, label: y }))], noOptionalMark: true })}
${selectField(f, { name: 'state', label: t.filterState, options: [{ value: '', label: t.filterAll }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))], noOptionalMark: true })}
${selectField(f, { name: 'status', label: t.filterStatus, options: [{ value: '', label: t.filterAll }, ...STATUSES.map((s) => ({ value: s, label: t.status[s] }))], noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.filterApply}</button> <a href="${withLang('/invoices', lang)}">${t.filterClear}</a></div>
</form>`;
  const rows = shown.map(
    ({ inv, s, key }) => html`<tr${key === 'cancelled' ? html` class="muted"` : ''}><td class="mono"><a href="${withLang(`/invoices/${inv.number}`, lang)}">${inv.number}</a></td>
<td>${names.get(inv.iso3) ?? inv.iso3}</td><td>${statusBadges(key, s, t)}</td><td class="num">${formatMoney(formatCentimes(s.leftCentimes), lang)}</td>
<td class="num">${formatMoney(inv.total, lang)}</td><td class="mono">${day(inv.cutoffDate, lang)}</td><td class="mono">${day(inv.issueDate, lang)}</td>
<td><a href="/api/v1/invoices/${inv.number}/pdf">${t.pdf}<span class="vh">${t.pdfOf(inv.number)}</span></a></td></tr>`,
  );
  const nav =
    pages > 1
      ? html`<nav aria-label="${t.pagination}" class="pager"><p>${t.pageOf(pageNo, pages)}</p>${
          pageNo > 1 ? html`<a rel="prev" href="/invoices${queryString(q, lang, pageNo - 1)}">${t.previous}</a> ` : ''
        }${pageNo < pages ? html`<a rel="next" href="/invoices${queryString(q, lang, pageNo + 1)}">${t.next}</a>` : ''}</nav>`
      : '';
  const body = html`<h1>${t.listTitle}</h1><p class="lead">${t.listLead}</p>
${viewer.role === 'finance' ? html`<p><a class="button" href="${withLang(`/invoices/batch${q.year ? `?year=${q.year}` : ''}`, lang)}">${t.batchLink}</a></p>` : ''}
<section class="panel">${filter}</section>
<p id="invoice-summary">${t.summary(rowsAll.length, chf(total, lang), chf(left, lang))}</p>
${
  shown.length
    ? scrollTable(
        t.listTitle,
        html`<table id="invoices"><thead><tr><th scope="col">${t.colNumber}</th><th scope="col">${t.colState}</th><th scope="col">${t.colStatus}</th><th scope="col" class="num">${t.colLeft}</th><th scope="col" class="num">${t.colTotal}</th><th scope="col">${t.colDue}</th><th scope="col">${t.colIssued}</th><th scope="col">${t.colDocuments}</th></tr></thead>
<tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.none}</p>`
}
${nav}`;
  return page(request, lang, t.listTitle, viewer, body);
}

// ---------------------------------------------------------------- one invoice

interface InvoiceView {
  notice?: SafeHtml | string;
  cancel?: FormState;
  reissue?: FormState;
  send?: FormState;
}

function reissuedAs(ctx: Ctx, number: string): string | undefined {
  return ctx.db
    .select({ n: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.kind, 'reissue'), eq(invoices.originalInvoice, number)))
    .get()?.n;
}

function renderInvoice(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, inv: InvoiceOut, view: InvoiceView = {}): string {
  const t = INVOICES_TEXT[lang];
  const today = todayUtc();
  const s = standings(ctx, [inv.number]).get(inv.number)!;
  const key = statusOf(inv, s, today);
  const state = ctx.db.select().from(states).where(eq(states.iso3, inv.iso3)).get();
  const stateName = state ? nameIn(state, lang) : inv.iso3;
  const again = inv.status === 'cancelled' ? reissuedAs(ctx, inv.number) : undefined;
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const link = (n: string) => html`<a class="mono" href="${withLang(`/invoices/${n}`, lang)}">${n}</a>`;
  const details = html`<dl class="facts">
${dl(t.dtState, `${stateName} (${inv.iso3})`)}
${dl(t.dtKind, t.kind[inv.kind])}
${dl(t.dtYear, String(inv.year))}
${dl(t.dtIssued, day(inv.issueDate, lang))}
${dl(t.dtDue, day(inv.cutoffDate, lang))}
${dl(t.dtTotal, chf(inv.total, lang))}
${inv.creditAppliedOnIssue !== '0.00' ? dl(t.dtCreditOnIssue, chf(inv.creditAppliedOnIssue, lang)) : ''}
${inv.creditAppliedOnIssue !== '0.00' ? dl(t.dtNetPayable, chf(inv.netPayable, lang)) : ''}
${inv.credited !== '0.00' ? dl(t.dtCredited, chf(inv.credited, lang)) : ''}
${dl(t.dtPaid, chf(formatCentimes(s.appliedCentimes), lang))}
${dl(t.dtLeft, html`<strong id="invoice-left">${chf(formatCentimes(s.leftCentimes), lang)}</strong>`)}
${dl(t.dtStatus, html`<span id="invoice-status">${statusBadges(key, s, t)}</span>${key === 'overdue' ? html` <span class="muted">${t.daysLate(daysBetween(inv.cutoffDate, today))}</span>` : ''}`)}
${dl(t.dtReference, html`<span class="mono">${formatCreditorReference(inv.creditorReference)}</span>`)}
${inv.originalInvoice ? dl(t.dtOriginal, link(inv.originalInvoice)) : ''}
${again ? dl(t.dtReissuedAs, link(again)) : ''}
</dl>
<p class="downloads"><a href="/api/v1/invoices/${inv.number}/pdf">${t.pdf}<span class="vh">${t.pdfOf(inv.number)}</span></a> <a href="/api/v1/invoices/${inv.number}/xml">${t.xml}<span class="vh">${t.xmlOf(inv.number)}</span></a></p>`;
  const lines = scrollTable(
    t.linesTitle,
    html`<table class="narrow"><thead><tr><th scope="col">${t.colCategory}</th><th scope="col" class="num">${t.colAmount}</th></tr></thead>
<tbody>${inv.lines.map((l) => html`<tr><td class="mono" translate="no">${l.category}</td><td class="num">${formatMoney(l.amount, lang)}</td></tr>`)}</tbody></table>`,
  );
  const applied = ctx.db
    .select()
    .from(applications)
    .where(eq(applications.invoiceNumber, inv.number))
    .orderBy(asc(applications.appliedOn), asc(applications.id))
    .all();
  // One row per date, source and payment (a payment applied to two categories is one row).
  const grouped = new Map<string, { appliedOn: string; source: (typeof applied)[number]['source']; paymentId: number | null; amounts: bigint[] }>();
  for (const a of applied) {
    const k = `${a.appliedOn}|${a.source}|${a.paymentId ?? ''}`;
    const g = grouped.get(k) ?? grouped.set(k, { appliedOn: a.appliedOn, source: a.source, paymentId: a.paymentId, amounts: [] }).get(k)!;
    g.amounts.push(a.amountCentimes);
  }
  const appliedTable = grouped.size
    ? scrollTable(
        t.appliedTitle,
        html`<table class="narrow"><thead><tr><th scope="col">${t.colDate}</th><th scope="col">${t.colSource}</th><th scope="col" class="num">${t.colAmount}</th></tr></thead>
<tbody>${[...grouped.values()].map(
          (g) => html`<tr><td class="mono">${day(g.appliedOn, lang)}</td><td>${t.source[g.source]}${
            g.paymentId === null
              ? ''
              : viewer.role === 'finance'
                ? html` · <a href="${withLang(`/payments/${g.paymentId}`, lang)}">${t.paymentLink(g.paymentId)}</a>`
                : html` · ${t.paymentLink(g.paymentId)}`
          }</td><td class="num">${formatMoney(formatCentimes(sumCentimes(g.amounts)), lang)}</td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.nothingApplied}</p>`;
  const notes = listCreditNotes(ctx, { year: inv.year, state: inv.iso3 }, null).filter((c) => c.invoiceNumber === inv.number);
  const notesTable = notes.length
    ? scrollTable(
        t.creditNotesTitle,
        html`<table><thead><tr><th scope="col">${t.colCreditNote}</th><th scope="col">${t.colDate}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.dtKind}</th><th scope="col">${t.colReason}</th><th scope="col">${t.colDocuments}</th></tr></thead>
<tbody>${notes.map(
          (c) => html`<tr><td class="mono">${c.number}</td><td class="mono">${day(c.issueDate, lang)}</td><td class="num">${formatMoney(c.total, lang)}</td><td>${t.creditKind[c.kind]}</td><td><span translate="no">${c.reason}</span></td>
<td><a href="/api/v1/credit-notes/${c.number}/pdf">${t.pdf}<span class="vh">${t.pdfOf(c.number)}</span></a> · <a href="/api/v1/credit-notes/${c.number}/xml">${t.xml}<span class="vh">${t.xmlOf(c.number)}</span></a></td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noCreditNotes}</p>`;
  const sent = listDeliveries(ctx, { kind: 'invoices', document: inv.number });
  const sentTable = sent.length
    ? scrollTable(
        t.deliveriesTitle,
        html`<table class="narrow"><thead><tr><th scope="col">${t.colRecipient}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colWhen}</th></tr></thead>
<tbody>${sent.map(
          (d) => html`<tr><td>${d.recipient ? html`<span translate="no">${d.recipient}</span>` : html`<span class="muted">${t.noAddress}</span>`}</td><td><span class="badge ${d.status === 'failed' ? 'bad' : 'good'}">${t.deliveryStatus[d.status]}</span></td><td class="mono">${d.attempts.at(-1)!.createdAt.slice(0, 16).replace('T', ' ')}</td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noDeliveries}</p>`;
  const sf = view.send ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'one');
  const sendForm =
    viewer.role === 'finance'
      ? html`<p class="explain">${t.sendOneLead}</p>${postForm(sf, {
          action: withLang(`/invoices/${inv.number}/send`, lang),
          viewer,
          submit: inv.status === 'cancelled' ? t.submitSendNotes(notes.length) : t.submitSendOne(notes.length),
          idem: true,
          id: 'send-one',
          fields: [checkboxField(sf, { name: 'resend', label: t.fieldResend })],
        })}`
      : '';
  let forms: SafeHtml | string = '';
  if (viewer.role === 'finance') {
    if (inv.status === 'issued' && inv.remaining !== '0.00') {
      const f = view.cancel ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'can');
      forms = html`<section class="panel" id="cancel"><h2>${t.cancelTitle}</h2><p class="explain">${t.cancelLead}</p>
${postForm(f, {
  action: withLang(`/invoices/${inv.number}/cancel`, lang),
  viewer,
  submit: t.submitCancel,
  idem: true,
  fields: [
    textareaField(f, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
    dateField(f, { name: 'date', label: t.fieldCancelDate, hint: t.hintCancelDate, min: inv.issueDate, max: today }),
  ],
})}</section>`;
    } else if (inv.status === 'cancelled' && !again) {
      const f = view.reissue ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'rei');
      forms = html`<section class="panel" id="reissue"><h2>${t.reissueTitle}</h2><p class="explain">${t.reissueLead}</p>
${postForm(f, {
  action: withLang(`/invoices/${inv.number}/reissue`, lang),
  viewer,
  submit: t.submitReissue,
  idem: true,
  fields: [
    textareaField(f, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
    dateField(f, { name: 'date', label: t.fieldReissueDate, hint: t.hintReissueDate, max: today }),
  ],
})}</section>`;
    }
    forms = html`${forms}<p class="muted">${t.supplementaryNote}</p>`;
  } else forms = html`<p class="muted">${t.financeOnly}</p>`;
  const body = html`<p><a href="${withLang(`/invoices?year=${inv.year}`, lang)}">${t.backToList}</a></p>
<h1>${t.invoiceTitle(inv.number)}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${details}</section>
<section class="panel"><h2>${t.linesTitle}</h2>${lines}</section>
<section class="panel"><h2>${t.appliedTitle}</h2>${appliedTable}</section>
<section class="panel"><h2>${t.creditNotesTitle}</h2>${notesTable}</section>
<section class="panel" id="deliveries"><h2>${t.deliveriesTitle}</h2>${sentTable}${sendForm}</section>
${forms}`;
  return page(request, lang, t.invoiceTitle(inv.number), viewer, body);
}

// ---------------------------------------------------------------- the batch

interface BatchPreview {
  year: number;
  approvedOn: string;
  cutoffDate: string;
  frozen: boolean;
  assessed: number;
  already: number;
  toIssue: number;
  late: number;
  totalCentimes: bigint;
}

/** What the batch of a year would issue now, read as the service reads it (the frozen assessment, late joiners apart). */
export function previewBatch(ctx: Ctx, year: number): BatchPreview | { problem: string } | null {
  const budget = findBudget(ctx.db, year);
  if (!budget) return null;
  try {
    const frozen = frozenAssessment(ctx.db, year);
    const assessment = frozen ?? assessBudget(ctx, year);
    const current = frozen ? currentAssessment(ctx, year) : assessment;
    const inFrozen = new Set(assessment.rows.map((r) => r.iso3));
    const work = [...assessment.rows.map((row) => ({ row, kind: 'assessment' as const })), ...current.rows.filter((r) => !inFrozen.has(r.iso3)).map((row) => ({ row, kind: 'late' as const }))];
    const existing = new Set(
      ctx.db
        .select({ iso3: invoices.stateIso3, kind: invoices.kind })
        .from(invoices)
        .where(eq(invoices.year, year))
        .all()
        .map((r) => `${r.iso3}|${r.kind}`),
    );
    const todo = work.filter((w) => !existing.has(`${w.row.iso3}|${w.kind}`) && parseMoney(w.row.total) !== 0n);
    return {
      year,
      approvedOn: budget.approvedOn,
      cutoffDate: budget.cutoffDate,
      frozen: frozen !== null,
      assessed: work.length,
      already: work.filter((w) => existing.has(`${w.row.iso3}|${w.kind}`)).length,
      toIssue: todo.length,
      late: todo.filter((w) => w.kind === 'late').length,
      totalCentimes: sumCentimes(todo.map((w) => parseMoney(w.row.total))),
    };
  } catch (e) {
    if (e instanceof ServiceError) return { problem: e.message };
    throw e;
  }
}

/** A batch run in the background, followed by its page. Kept in memory until the server restarts. */
interface BatchJob {
  id: string;
  year: number;
  issueDate: string;
  sessionUser: number;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  result?: BatchResult;
  error?: string;
}

const JOBS = new Map<string, BatchJob>();
const MAX_JOBS = 200;

function runningJob(year: number): BatchJob | undefined {
  return [...JOBS.values()].find((j) => j.year === year && j.status === 'running');
}

function startJob(ctx: Ctx, actor: Actor, year: number, issueDate: string | undefined, userId: number): BatchJob {
  const job: BatchJob = { id: crypto.randomBytes(12).toString('base64url'), year, issueDate: issueDate ?? todayUtc(), sessionUser: userId, status: 'running', done: 0, total: 0 };
  JOBS.set(job.id, job);
  while (JOBS.size > MAX_JOBS) {
    const oldest = [...JOBS.values()].find((j) => j.status !== 'running');
    if (!oldest) break;
    JOBS.delete(oldest.id);
  }
  // Started on the next turn of the event loop: the POST answers 303 at once; each invoice commits on its own as the run goes.
  setImmediate(() => {
    issueInvoiceBatch(ctx, actor, year, {
      issueDate,
      onProgress: (done, total) => {
        job.done = done;
        job.total = total;
      },
    })
      .then((result) => {
        job.result = result;
        job.done = job.total = result.states.length;
        job.status = 'done';
      })
      .catch((e: unknown) => {
        job.status = 'failed';
        job.error = e instanceof Error ? e.message : String(e);
      });
  });
  return job;
}

function renderBatch(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, year: number | null, form?: FormState, send?: FormState): string {
  const t = INVOICES_TEXT[lang];
  const years = budgetYears(ctx);
  const y = year ?? (years[0] ? Number.parseInt(years[0], 10) : null);
  const pick = formState(lang, { year: y === null ? '' : String(y) }, {}, 'yr');
  const chooser = years.length
    ? html`<form method="get" action="/invoices/batch" class="filters">${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(pick, { name: 'year', label: t.fieldYear, options: years.map((v) => ({ value: v, label: v })), noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.chooseYear}</button></div></form>`
    : html`<p>${t.noBudgets}</p>`;
  let preview: SafeHtml | string = '';
  if (y !== null) {
    const p = previewBatch(ctx, y);
    const running = runningJob(y);
    if (p === null) preview = html`<p>${t.noBudget(y)}</p>`;
    else if ('problem' in p) preview = html`<p class="notice">${t.assessmentProblem}: <span translate="no">${serviceMessageIn(lang, p.problem)}</span></p>`;
    else {
      const f = form ?? formState(lang, { year: String(y), [IDEM_FIELD]: newIdem() }, {}, 'bat');
      const facts = html`<ul class="kpis compact">
<li class="kpi"><div class="label">${t.assessedStates}</div><div class="value">${p.assessed}</div></li>
<li class="kpi"><div class="label">${t.alreadyIssued}</div><div class="value">${p.already}</div></li>
<li class="kpi key"><div class="label">${t.toIssue}</div><div class="value" id="batch-to-issue">${p.toIssue}</div>${p.late ? html`<div class="note">${t.lateJoiners}: ${p.late}</div>` : ''}</li>
<li class="kpi key"><div class="label">${t.toIssueTotal}</div><div class="value">${chf(formatCentimes(p.totalCentimes), lang)}</div></li>
</ul>
<p>${t.approvedOn} ${day(p.approvedOn, lang)} · ${t.cutoff} ${day(p.cutoffDate, lang)}. ${p.frozen ? t.frozen : t.notFrozen}</p>`;
      const action = running
        ? html`<p class="info" role="status">${t.runningFor(y)} <a href="${withLang(`/invoices/batch/${running.id}`, lang)}">${t.seeProgress}</a></p>`
        : p.toIssue === 0
          ? html`<p class="info">${t.nothingToIssue}</p>`
          : postForm(f, {
              action: withLang('/invoices/batch', lang),
              viewer,
              submit: t.submitBatch(p.toIssue),
              idem: true,
              id: 'batch',
              fields: [hiddenField('year', String(y)), dateField(f, { name: 'issueDate', label: t.fieldIssueDate, hint: t.hintIssueDate, min: p.approvedOn, max: todayUtc() })],
            });
      const issued = listInvoices(ctx, { year: y }, null).filter((i) => i.status === 'issued').length;
      const sf = send ?? formState(lang, { year: String(y), [IDEM_FIELD]: newIdem() }, {}, 'snd');
      const sendPanel = issued
        ? html`<section class="panel" id="send"><h2>${t.sendTitle(y)}</h2><p class="explain">${t.sendLead}</p>
${postForm(sf, {
  action: withLang('/invoices/send', lang),
  viewer,
  submit: t.submitSend(issued),
  idem: true,
  id: 'send-invoices',
  fields: [hiddenField('year', String(y)), checkboxField(sf, { name: 'resend', label: t.fieldResend })],
})}</section>`
        : '';
      preview = html`<section class="panel"><h2>${t.previewTitle(y)}</h2>${facts}${action}</section>${sendPanel}`;
    }
  }
  const body = html`<p><a href="${withLang('/invoices', lang)}">${t.backToList}</a></p><h1>${t.batchTitle}</h1><p class="lead">${t.batchLead}</p>
<section class="panel">${chooser}</section>
${preview}`;
  return page(request, lang, t.batchTitle, viewer, body);
}

function renderJob(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, job: BatchJob, auto = true): string {
  const t = INVOICES_TEXT[lang];
  const names = new Map(stateChoices(ctx, lang).map((s) => [s.iso3, s.name]));
  const statesToDo = job.total; // a count of States Parties, not money
  const bar = html`<p><label for="batch-progress">${t.progressLabel}</label><progress id="batch-progress" max="${Math.max(statesToDo, 1)}" value="${job.done}">${job.done}/${job.total}</progress></p>
<p id="batch-status" role="status">${job.total ? t.progress(job.done, job.total) : t.starting}</p>`;
  let result: SafeHtml | string = '';
  const here = `/invoices/batch/${job.id}`;
  // The refresh can be turned off (WCAG 2.2.1): the same page without it, with a link to refresh by hand.
  if (job.status === 'running')
    result = auto
      ? html`<p class="muted">${t.refreshing} <a href="${withLang(`${here}?auto=0`, lang)}">${t.stopRefresh}</a></p>`
      : html`<p><a href="${withLang(`${here}?auto=0`, lang)}">${t.refreshNow}</a> · <a href="${withLang(here, lang)}">${t.startRefresh}</a></p>`;
  else if (job.status === 'failed') result = html`<p class="notice" role="alert">${t.failed}: <span translate="no">${serviceMessageIn(lang, job.error ?? '')}</span></p>`;
  else if (job.result) {
    const r = job.result;
    result = html`<p class="info">${t.finished} ${t.resultIssued(r.issued.length)} · ${t.resultAlready(r.alreadyIssued)} · ${t.resultSkipped(r.skipped.length)}${r.pdfsRestored ? ` · ${t.resultPdfs(r.pdfsRestored)}` : ''}.</p>
${
  r.issued.length
    ? html`<h2>${t.issuedTitle}</h2>${scrollTable(
        t.issuedTitle,
        html`<table><thead><tr><th scope="col">${t.colNumber}</th><th scope="col">${t.colState}</th><th scope="col">${t.dtKind}</th><th scope="col" class="num">${t.colTotal}</th><th scope="col">${t.colDocuments}</th></tr></thead>
<tbody>${r.issued.map(
          (i) => html`<tr><td class="mono"><a href="${withLang(`/invoices/${i.number}`, lang)}">${i.number}</a></td><td>${names.get(i.iso3) ?? i.iso3}</td><td>${t.kind[i.kind]}</td><td class="num">${formatMoney(i.total, lang)}</td>
<td><a href="/api/v1/invoices/${i.number}/pdf">${t.pdf}<span class="vh">${t.pdfOf(i.number)}</span></a></td></tr>`,
        )}</tbody></table>`,
      )}`
    : ''
}
${
  r.skipped.length
    ? html`<h2>${t.skippedTitle}</h2>${scrollTable(
        t.skippedTitle,
        html`<table class="narrow"><thead><tr><th scope="col">${t.colState}</th><th scope="col">${t.colReasonSkipped}</th></tr></thead>
<tbody>${r.skipped.map((s) => html`<tr><td>${names.get(s.iso3) ?? s.iso3}</td><td><span translate="no">${s.reason}</span></td></tr>`)}</tbody></table>`,
      )}`
    : ''
}`;
  }
  const body = html`<p><a href="${withLang(`/invoices?year=${job.year}`, lang)}">${t.seeYear(job.year)}</a></p>
<h1>${t.progressTitle(job.year)}</h1>
<section class="panel">${bar}${result}</section>`;
  return page(request, lang, t.progressTitle(job.year), viewer, body, job.status === 'running' && auto ? 2 : undefined);
}

// ---------------------------------------------------------------- routes

const numberParam = z.object({ number: z.string().regex(/^[A-Z]{2,6}-[0-9]{4}-[0-9]{4,}$/) });
const count = z.string().regex(/^[0-9]{1,6}$/).optional();
const resultQuery = z.object({
  sent: count,
  written: count,
  failed: count,
  skipped: count,
  cancelled: z.string().regex(/^[A-Z]{2,6}-[0-9]{4}-[0-9]{4,}$/).optional(),
  reissued: z.string().regex(/^[A-Z]{2,6}-[0-9]{4}-[0-9]{4,}$/).optional(),
});

const reasonDateSchema = (lang: FormLang) => {
  const k = FORM_TEXT[lang];
  return z.object({
    reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
    date: z
      .string()
      .trim()
      .refine((s) => s === '' || isIsoDate(s), { message: k.dateInvalid })
      .transform((s) => (s === '' ? undefined : s)),
  });
};

const batchSchema = (lang: FormLang, t: InvoicesText) => {
  const k = FORM_TEXT[lang];
  return z.object({
    year: z.string().regex(/^[0-9]{4}$/, { message: t.yearUnknown }),
    issueDate: z
      .string()
      .trim()
      .refine((s) => s === '' || isIsoDate(s), { message: k.dateInvalid })
      .transform((s) => (s === '' ? undefined : s)),
  });
};

function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));
}

export default async function invoicePages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  /** Forms being acted on now (the services are asynchronous): a second post of the same form waits for the first's answer. */
  const inFlight = new Map<string, Promise<string | null>>();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  const invoiceOf = (request: FastifyRequest): InvoiceOut | null => {
    const p = numberParam.safeParse(request.params);
    if (!p.success) return null;
    try {
      return getInvoice(ctx, p.data.number, null);
    } catch (e) {
      if (e instanceof ServiceError && e.status === 404) return null;
      throw e;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang, text: string) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, text, { href: withLang('/invoices', lang), text: INVOICES_TEXT[lang].backToList }));

  app.get('/invoices', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: INVOICE_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = listQuery.safeParse(request.query ?? {});
    if (!q.success) return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, INVOICES_TEXT[lang].badQuery, { href: withLang('/invoices', lang), text: INVOICES_TEXT[lang].filterClear }));
    return sendHtml(reply, 200, renderList(ctx, request, viewer, lang, q.data));
  });

  app.get('/invoices/batch', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang });
    if (!viewer) return reply;
    const q = z.object({ year: z.string().regex(/^[0-9]{4}$/).optional() }).safeParse(request.query ?? {});
    if (!q.success) return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, INVOICES_TEXT[lang].badQuery, { href: withLang('/invoices/batch', lang), text: INVOICES_TEXT[lang].batchTitle }));
    return sendHtml(reply, 200, renderBatch(ctx, request, viewer, lang, q.data.year ? Number.parseInt(q.data.year, 10) : null));
  });

  app.post('/invoices/batch', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = INVOICES_TEXT[lang];
    const values = posted(ok.body, ['year', 'issueDate']);
    const idem = postedIdem(ok.body);
    const year = /^[0-9]{4}$/.test(values.year ?? '') ? Number.parseInt(values.year!, 10) : null;
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderBatch(ctx, request, viewer, lang, year, formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'bat')));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    // A replay of a form already posted (a double click): the run it started, nothing started twice.
    const key = `batch:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const v = validateForm(batchSchema(lang, t), values);
    if (!v.ok) return again(422, v.errors);
    const budget = findBudget(ctx.db, year!);
    if (!budget) return again(422, { '': t.noBudget(year!) });
    // A run of this year already going: its progress, nothing started twice.
    const running = runningJob(year!);
    if (running) {
      const location = withLang(`/invoices/batch/${running.id}`, lang);
      replays.remember(request, key, location);
      return seeOther(reply, location);
    }
    // What the service checks before its first invoice, checked here so that a refusal is said at the field (422, nothing started).
    const today = todayUtc();
    const issueDate = v.data.issueDate ?? today;
    try {
      if (issueDate < budget.approvedOn) return again(422, { issueDate: serviceMessageIn(lang, `must not be before the budget's approval on ${budget.approvedOn}`) });
      if (issueDate > today) return again(422, { issueDate: serviceMessageIn(lang, `must not be in the future (today is ${today})`) });
      assertOpen(ctx.db, issueDate, 'issueDate');
      requireIssuer(ctx.db);
    } catch (e) {
      const fields = serviceFieldErrors(e, {}, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    }
    // Synchronous from the replay check to here: a second post of the same form finds the first's run.
    const job = startJob(ctx, actorOf(viewer, request, `POST /budgets/${year}/invoices`), year!, v.data.issueDate, viewer.userId);
    const location = withLang(`/invoices/batch/${job.id}`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });

  /** E-mails the invoices of a year through the delivery service (each address once unless asked again), then the delivery log. */
  app.post('/invoices/send', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const values = posted(ok.body, ['year', 'resend']);
    const idem = postedIdem(ok.body);
    const year = /^[0-9]{4}$/.test(values.year ?? '') ? Number.parseInt(values.year!, 10) : null;
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderBatch(ctx, request, viewer, lang, year, undefined, formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'snd')));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    if (year === null || !findBudget(ctx.db, year)) return again(422, { '': INVOICES_TEXT[lang].yearUnknown });
    const key = `send:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const pending = inFlight.get(key);
    if (pending) {
      const location = await pending;
      if (location !== null) return seeOther(reply, location);
    }
    let settle: (location: string | null) => void = () => undefined;
    inFlight.set(
      key,
      new Promise<string | null>((resolve) => {
        settle = resolve;
      }),
    );
    try {
      const r = await sendDocuments(ctx, actorOf(viewer, request, 'POST /deliveries'), { kind: 'invoices', year, ...(values.resend === '1' ? { resend: true } : {}) });
      const location = withLang(`/reminders/deliveries?kind=invoices&sent=${r.sent}&written=${r.written}&failed=${r.failed}&skipped=${r.skipped}`, lang);
      replays.remember(request, key, location);
      settle(location);
      return seeOther(reply, location);
    } catch (e) {
      settle(null);
      const fields = serviceFieldErrors(e, {}, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    } finally {
      inFlight.delete(key);
    }
  });

  /** E-mails one invoice and its credit notes (each address once unless asked again), then the invoice's page with what happened. */
  app.post('/invoices/:number/send', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    if (!viewerOf(request)) return reply.redirect('/login', 303);
    const inv = invoiceOf(request);
    const ok = postingViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang, ownState: (iso3) => inv?.iso3 === iso3 });
    if (!ok) return reply;
    const { viewer } = ok;
    if (!inv) return notFound(request, reply, viewer, lang, INVOICES_TEXT[lang].notFound);
    const values = posted(ok.body, ['resend']);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderInvoice(ctx, request, viewer, lang, inv, { send: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'one') }));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `send-one:${inv.number}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const pending = inFlight.get(key);
    if (pending) {
      const location = await pending;
      if (location !== null) return seeOther(reply, location);
    }
    let settle: (location: string | null) => void = () => undefined;
    inFlight.set(
      key,
      new Promise<string | null>((resolve) => {
        settle = resolve;
      }),
    );
    try {
      const actor = actorOf(viewer, request, 'POST /deliveries');
      const resend = values.resend === '1' ? { resend: true } : {};
      // A cancelled invoice is not sent again: its credit note is (the service refuses the invoice).
      const runs = inv.status === 'cancelled' ? [] : [await sendDocuments(ctx, actor, { kind: 'invoices', numbers: [inv.number], ...resend })];
      const notes = listCreditNotes(ctx, { year: inv.year, state: inv.iso3 }, null)
        .filter((c) => c.invoiceNumber === inv.number)
        .map((c) => c.number);
      if (notes.length) runs.push(await sendDocuments(ctx, actor, { kind: 'credit-notes', numbers: notes, ...resend }));
      const sum = (k: 'sent' | 'written' | 'failed' | 'skipped') => runs.reduce((n, r) => n + r[k], 0);
      const location = withLang(`/invoices/${inv.number}?sent=${sum('sent')}&written=${sum('written')}&failed=${sum('failed')}&skipped=${sum('skipped')}`, lang);
      replays.remember(request, key, location);
      settle(location);
      return seeOther(reply, location);
    } catch (e) {
      settle(null);
      const fields = serviceFieldErrors(e, {}, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    } finally {
      inFlight.delete(key);
    }
  });

  app.get('/invoices/batch/:id', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang });
    if (!viewer) return reply;
    const id = (request.params as { id?: string }).id ?? '';
    const job = JOBS.get(id);
    if (!job) return notFound(request, reply, viewer, lang, INVOICES_TEXT[lang].batchNotFound);
    const auto = (request.query as Record<string, unknown> | undefined)?.auto !== '0';
    return sendHtml(reply, 200, renderJob(ctx, request, viewer, lang, job, auto));
  });

  app.get('/invoices/:number', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    if (!viewerOf(request)) return reply.redirect('/login', 303);
    const inv = invoiceOf(request);
    const viewer = pageViewer(request, reply, { roles: INVOICE_PAGE_ROLES, lang, ownState: (iso3) => inv?.iso3 === iso3 });
    if (!viewer) return reply;
    if (!inv) return notFound(request, reply, viewer, lang, INVOICES_TEXT[lang].notFound);
    const q = resultQuery.safeParse(request.query ?? {});
    const t = INVOICES_TEXT[lang];
    const notice = !q.success
      ? undefined
      : q.data.cancelled
        ? t.cancelledNotice(q.data.cancelled)
        : q.data.reissued
          ? html`${t.reissuedNotice(q.data.reissued)} <a href="${withLang(`/invoices/${q.data.reissued}`, lang)}">${t.invoiceTitle(q.data.reissued)}</a>`
          : q.data.sent !== undefined
            ? t.sentNotice(...([q.data.sent, q.data.written, q.data.failed, q.data.skipped].map((x) => Number.parseInt(x ?? '0', 10)) as [number, number, number, number]))
            : undefined;
    return sendHtml(reply, 200, renderInvoice(ctx, request, viewer, lang, inv, notice ? { notice } : {}));
  });

  /** The course of the cancel and re-issue forms: guard, replay, validate, call the service, answer 303 (or 422/409 with the message at the field). */
  const correcting = (which: 'cancel' | 'reissue', run: (o: { actor: Actor; inv: InvoiceOut; reason: string; date: string | undefined; lang: FormLang }) => Promise<string>) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(ctx, request, viewerOf(request));
      if (!viewerOf(request)) return reply.redirect('/login', 303);
      const inv = invoiceOf(request);
      const ok = postingViewer(request, reply, { roles: INVOICE_WRITE_ROLES, lang, ownState: (iso3) => inv?.iso3 === iso3 });
      if (!ok) return reply;
      const { viewer } = ok;
      if (!inv) return notFound(request, reply, viewer, lang, INVOICES_TEXT[lang].notFound);
      const values = posted(ok.body, ['reason', 'date']);
      const idem = postedIdem(ok.body);
      const prefix = which === 'cancel' ? 'can' : 'rei';
      const rerender = (status: number, errors: FieldErrors) => {
        const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, prefix);
        return sendHtml(reply, status, renderInvoice(ctx, request, viewer, lang, getInvoice(ctx, inv.number, null), which === 'cancel' ? { cancel: f } : { reissue: f }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${inv.number}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      // The same form posted while the first post is still being acted on: its answer, nothing done twice.
      const pending = inFlight.get(key);
      if (pending) {
        const location = await pending;
        if (location !== null) return seeOther(reply, location);
      }
      const v = validateForm(reasonDateSchema(lang), values);
      if (!v.ok) return rerender(422, v.errors);
      let settle: (location: string | null) => void = () => undefined;
      inFlight.set(
        key,
        new Promise<string | null>((resolve) => {
          settle = resolve;
        }),
      );
      try {
        const location = await run({ actor: actorOf(viewer, request, `POST /invoices/${inv.number}/${which}`), inv, reason: v.data.reason, date: v.data.date, lang });
        replays.remember(request, key, location);
        settle(location);
        return seeOther(reply, location);
      } catch (e) {
        settle(null);
        const fields = serviceFieldErrors(e, { number: '' }, lang);
        if (!fields) throw e;
        return rerender(e instanceof ServiceError ? e.status : 422, fields);
      } finally {
        inFlight.delete(key);
      }
    };

  app.post(
    '/invoices/:number/cancel',
    { schema: hide },
    correcting('cancel', async ({ actor, inv, reason, date, lang }) => {
      const cn = await cancelInvoice(ctx, actor, inv.number, { reason, date });
      return withLang(`/invoices/${inv.number}?cancelled=${cn.number}`, lang);
    }),
  );

  app.post(
    '/invoices/:number/reissue',
    { schema: hide },
    correcting('reissue', async ({ actor, inv, reason, date, lang }) => {
      const r = await reissueInvoice(ctx, actor, inv.number, { reason, date });
      return withLang(`/invoices/${inv.number}?reissued=${r.number}`, lang);
    }),
  );
}

/** For tests: the batch runs kept in memory. */
export function batchJobs(): ReadonlyMap<string, Readonly<BatchJob>> {
  return JOBS;
}
