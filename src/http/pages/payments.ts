/**
 * The payments pages (SPEC 2.5, 9.3, 9.9): the list (filtered by year, State
 * Party and value date through the query string, newest first, paginated),
 * recording a payment (by RF creditor reference or State Party), one payment
 * with what it paid, and the forms to reverse or reallocate it. Finance and
 * admin see them (only finance records, reverses or reallocates, as on the
 * API); other roles get a 403 page, a State user a 404 for anything not its
 * own. Every form posts with the session's CSRF token and a one-time `_idem`
 * token (a double submit records once), is validated on the server (422,
 * nothing written, the message at the field) and answers 303 to the result.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isValidCreditorReference } from '../../domain/creditor-reference.js';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { formatMoney as formatCentimes, sumCentimes } from '../../domain/money.js';
import { invoices, states } from '../../db/schema.js';
import { formatMoney, groupsOfFour } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import { isCancelled, openLines } from '../../services/applications.js';
import type { Ctx } from '../../services/context.js';
import { reallocatePayment, reversePayment } from '../../services/corrections.js';
import { ServiceError } from '../../services/errors.js';
import { getPayment, listPayments, recordPayment, type PaymentOut } from '../../services/payments.js';
import { nameIn } from '../../services/states.js';
import { paymentCreate } from '../../schemas/payments.js';
import { pageOf, sendHtml, viewerOf, actorOf, type Viewer } from './guard.js';
import {
  checkboxField,
  csrfGuard,
  dateField,
  FORM_TEXT,
  formState,
  hiddenField,
  IDEM_FIELD,
  moneyField,
  normalizeAmount,
  newIdem,
  pageViewer,
  postedIdem,
  postForm,
  postingViewer,
  seeOther,
  selectField,
  serviceFieldErrors,
  textareaField,
  textField,
  validateForm,
  withLang,
  FormReplays,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { addMoney, chf, html, layout, messagePage, type SafeHtml } from './html.js';
import { PAYMENTS_TEXT, serviceMessageIn, type PaymentsText } from './payments-text.js';
import { day, pageLang, stateChoices } from './page-common.js';

/** Who sees the payments pages, and who changes anything from them (SPEC 7: finance does the writes, as on the API). */
export const PAYMENT_PAGE_ROLES: readonly Role[] = ['finance', 'admin'];
export const PAYMENT_WRITE_ROLES: readonly Role[] = ['finance'];
export const PAGE_SIZE = 50;

const PURPOSES = ['assessed', 'voluntary', 'reserve'] as const;

// ---------------------------------------------------------------- helpers

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/payments', body });
}

/** The invoice an RF creditor reference names, with what is left on it. */
export interface ReferencedInvoice {
  number: string;
  iso3: string;
  stateName: string;
  cancelled: boolean;
  left: string;
}

/** "RF18 ISU2 0180 001" → "RF18ISU20180001" when it has the form of an RF creditor reference, else null (a free payment reference). */
function rfForm(reference: string): string | null {
  const r = reference.replace(/\s+/g, '').toUpperCase();
  return /^RF[0-9]{2}[A-Z0-9]{1,21}$/.test(r) ? r : null;
}

/** A reference as printed: an RF creditor reference in groups of four, anything else as given. */
function printedReference(reference: string | null): string {
  if (reference === null) return '';
  const rf = rfForm(reference);
  return rf === null ? reference : groupsOfFour(rf);
}

export function invoiceByReference(ctx: Ctx, rf: string, lang: FormLang): ReferencedInvoice | null {
  const inv = ctx.db.select({ number: invoices.number, iso3: invoices.stateIso3 }).from(invoices).where(eq(invoices.creditorReference, rf)).get();
  if (!inv) return null;
  const state = ctx.db.select().from(states).where(eq(states.iso3, inv.iso3)).get();
  const cancelled = isCancelled(ctx.db, inv.number);
  const open = openLines(ctx.db, inv.iso3, { asOf: '9999-12-31', invoice: inv.number }).map((l) => (l.openCentimes > 0n ? l.openCentimes : 0n));
  return { number: inv.number, iso3: inv.iso3, stateName: state ? nameIn(state, lang) : inv.iso3, cancelled, left: formatCentimes(sumCentimes(open)) };
}

function describeReferenced(r: ReferencedInvoice, t: PaymentsText, lang: FormLang): string {
  return r.cancelled ? t.referenceCancelled(r.number, r.stateName) : t.referenceNames(r.number, r.stateName, chf(r.left, lang));
}

// ---------------------------------------------------------------- the list

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const listQuery = z.object({
  year: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{4}$/).optional()),
  state: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Z]{3}$/).optional()),
  from: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  to: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  page: z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,5}$/).optional()),
  lang: z.string().optional(),
});
type ListQuery = z.infer<typeof listQuery>;

function queryString(q: Partial<ListQuery>, lang: FormLang, pageNo?: number): string {
  const p = new URLSearchParams();
  for (const k of ['year', 'state', 'from', 'to'] as const) if (q[k]) p.set(k, q[k]!);
  if (pageNo !== undefined && pageNo > 1) p.set('page', String(pageNo));
  if (lang !== 'en') p.set('lang', lang);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function paidText(p: PaymentOut, t: PaymentsText, lang: FormLang): SafeHtml {
  if (p.purpose !== 'assessed') return html`${t.purpose[p.purpose]}`;
  const byInvoice = new Map<string, string[]>();
  for (const a of p.applications) byInvoice.set(a.invoice, [...(byInvoice.get(a.invoice) ?? []), a.amount]);
  const parts = [...byInvoice].map(([inv, amounts]) => html`<span class="mono">${inv}</span> (${formatMoney(addMoney(...amounts), lang)})`);
  const credit = p.unapplied !== '0.00' ? html`${parts.length ? ' + ' : ''}${chf(p.unapplied, lang)} ${t.unappliedCredit}` : '';
  return html`${parts.map((x, i) => html`${i ? ', ' : ''}${x}`)}${credit}`;
}

function renderList(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: ListQuery): string {
  const t = PAYMENTS_TEXT[lang];
  const choices = stateChoices(ctx, lang);
  const names = new Map(choices.map((s) => [s.iso3, s.name]));
  const all = listPayments(ctx, { state: q.state, year: q.year === undefined ? undefined : Number.parseInt(q.year, 10) }, null)
    .filter((p) => (q.from === undefined || p.receivedOn >= q.from) && (q.to === undefined || p.receivedOn <= q.to))
    .sort((a, b) => (a.receivedOn === b.receivedOn ? b.id - a.id : a.receivedOn < b.receivedOn ? 1 : -1));
  const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
  const pageNo = Math.min(pages, q.page === undefined ? 1 : Number.parseInt(q.page, 10));
  const shown = all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
  const f = formState(lang, { year: q.year ?? '', state: q.state ?? '', from: q.from ?? '', to: q.to ?? '' }, {}, 'flt');
  const thisYear = Number.parseInt(todayUtc().slice(0, 4), 10);
  const years = Array.from({ length: 12 }, (_, i) => String(thisYear - i));
  const filter = html`<form method="get" action="/payments" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'year', label: t.filterYear, options: [{ value: '', label: t.filterAll }, ...years.map((y) => ({ value: y, label: y }))], noOptionalMark: true })}
${selectField(f, { name: 'state', label: t.filterState, options: [{ value: '', label: t.filterAll }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))], noOptionalMark: true })}
${dateField(f, { name: 'from', label: t.filterFrom, noOptionalMark: true })}
${dateField(f, { name: 'to', label: t.filterTo, noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.filterApply}</button> <a href="${withLang('/payments', lang)}">${t.filterClear}</a></div>
</form>`;
  const rows = shown.map(
    (p) => html`<tr${p.status === 'reversed' ? html` class="muted"` : ''}><td class="mono">${day(p.receivedOn, lang)}</td><td>${p.iso3 ? (names.get(p.iso3) ?? p.iso3) : (p.donor ?? '')}</td>
<td class="num"><a href="${withLang(`/payments/${p.id}`, lang)}">${formatMoney(p.amount, lang)}</a></td><td class="mono">${printedReference(p.reference)}</td><td>${paidText(p, t, lang)}</td>
<td>${p.status === 'reversed' ? html`<span class="badge bad">${t.status.reversed}</span>` : html`<span class="badge good">${t.status.recorded}</span>`}</td></tr>`,
  );
  const nav =
    pages > 1
      ? html`<nav aria-label="${t.pagination}" class="pager"><p>${t.pageOf(pageNo, pages, all.length)}</p>${
          pageNo > 1 ? html`<a rel="prev" href="/payments${queryString(q, lang, pageNo - 1)}">${t.previous}</a> ` : ''
        }${pageNo < pages ? html`<a rel="next" href="/payments${queryString(q, lang, pageNo + 1)}">${t.next}</a>` : ''}</nav>`
      : html`<p class="muted">${t.pageOf(1, 1, all.length)}</p>`;
  const body = html`<h1>${t.listTitle}</h1><p class="lead">${t.listLead}</p>
${viewer.role === 'finance' ? html`<p><a class="button" href="${withLang('/payments/new', lang)}">${t.recordLink}</a></p>` : ''}
<section class="panel">${filter}</section>
${
  shown.length
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="${t.listTitle}"><table><thead><tr><th scope="col">${t.colDate}</th><th scope="col">${t.colState}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colReference}</th><th scope="col">${t.colPaid}</th><th scope="col">${t.colStatus}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
    : html`<p>${t.none}</p>`
}
${nav}`;
  return page(request, lang, t.listTitle, viewer, body);
}

// ---------------------------------------------------------------- recording

const PAYMENT_FIELDS = [
  'reference',
  'iso3',
  'donor',
  'amount',
  'receivedOn',
  'currency',
  'originalAmount',
  'bankReference',
  'purpose',
  'confirmLarge',
  'allowDuplicateBankReference',
  'ignoreReferenceMismatch',
] as const;

function paymentFormSchema(lang: FormLang, t: PaymentsText, stateCodes: Set<string>) {
  const k = FORM_TEXT[lang];
  const optText = (max: number) =>
    z
      .string()
      .trim()
      .max(max, { message: k.tooLong(max) })
      .transform((s) => (s === '' ? undefined : s));
  const amount = (decimals: number) =>
    z.string().transform((s, c) => {
      const n = normalizeAmount(s, lang, decimals);
      if (n === null) {
        c.addIssue({ code: 'custom', message: k.moneyInvalid });
        return z.NEVER;
      }
      return n;
    });
  return z.object({
    reference: optText(140),
    iso3: z
      .string()
      .trim()
      .transform((s) => (s === '' ? undefined : s))
      .refine((s) => s === undefined || stateCodes.has(s), { message: t.stateUnknown }),
    donor: optText(200),
    amount: z
      .string()
      .trim()
      .min(1, { message: k.required })
      .pipe(amount(2))
      .refine((s) => !/^0(\.0+)?$/.test(s), { message: t.amountZero }),
    receivedOn: z.string().trim().min(1, { message: k.required }).refine(isIsoDate, { message: k.dateInvalid }),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .transform((s) => (s === '' ? 'CHF' : s))
      .refine((s) => /^[A-Z]{3}$/.test(s), { message: t.currencyInvalid }),
    originalAmount: z.union([z.literal('').transform(() => undefined), amount(3)]),
    bankReference: optText(140),
    purpose: z.enum(PURPOSES).catch('assessed'),
    confirmLarge: z.string().transform((s) => s === '1'),
    allowDuplicateBankReference: z.string().transform((s) => s === '1'),
    ignoreReferenceMismatch: z.string().transform((s) => s === '1'),
  });
}

interface PaymentFormView {
  values: Record<string, string>;
  errors: FieldErrors;
  referenced?: ReferencedInvoice | null;
  /** The confirmations shown only once the service asked for them. */
  askConfirmLarge?: boolean;
  askAllowDuplicate?: boolean;
  askIgnoreMismatch?: boolean;
}

function renderNewPayment(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, v: PaymentFormView): string {
  const t = PAYMENTS_TEXT[lang];
  const f = formState(lang, v.values, v.errors, 'pay');
  const choices = stateChoices(ctx, lang);
  const refHint = v.referenced ? html`<strong class="found">${describeReferenced(v.referenced, t, lang)}</strong>` : t.hintReference;
  const fields = [
    textField(f, { name: 'reference', label: t.fieldReference, hint: refHint, maxlength: 140, spellcheck: false, autocomplete: 'off' }),
    ...(v.askIgnoreMismatch || v.values.ignoreReferenceMismatch === '1' ? [checkboxField(f, { name: 'ignoreReferenceMismatch', label: t.fieldIgnoreMismatch })] : []),
    selectField(f, {
      name: 'iso3',
      label: t.fieldState,
      hint: t.hintState,
      options: [{ value: '', label: t.stateFromReference }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))],
    }),
    moneyField(f, { name: 'amount', label: t.fieldAmount, hint: t.hintAmount, required: true }),
    ...(v.askConfirmLarge || v.values.confirmLarge === '1' ? [checkboxField(f, { name: 'confirmLarge', label: t.fieldConfirmLarge })] : []),
    dateField(f, { name: 'receivedOn', label: t.fieldReceivedOn, required: true, max: todayUtc() }),
    selectField(f, { name: 'purpose', label: t.purposeLabel, required: true, options: PURPOSES.map((p) => ({ value: p, label: t.purpose[p] })) }),
    textField(f, { name: 'donor', label: t.fieldDonor, hint: t.hintDonor, maxlength: 200 }),
    textField(f, { name: 'currency', label: t.fieldCurrency, hint: t.hintCurrency, required: true, maxlength: 3, spellcheck: false, autocomplete: 'off' }),
    moneyField(f, { name: 'originalAmount', label: t.fieldOriginalAmount, hint: t.hintOriginalAmount }),
    textField(f, { name: 'bankReference', label: t.fieldBankReference, maxlength: 140, spellcheck: false, autocomplete: 'off' }),
    ...(v.askAllowDuplicate || v.values.allowDuplicateBankReference === '1' ? [checkboxField(f, { name: 'allowDuplicateBankReference', label: t.fieldAllowDuplicate })] : []),
  ];
  const body = html`<p><a href="${withLang('/payments', lang)}">${t.backToList}</a></p><h1>${t.newTitle}</h1><p class="lead">${t.newLead}</p>
<section class="panel">${postForm(f, { action: withLang('/payments', lang), viewer, submit: t.submitRecord, fields, idem: true, id: 'new-payment' })}</section>`;
  return page(request, lang, t.newTitle, viewer, body);
}

function newPaymentDefaults(): Record<string, string> {
  return { receivedOn: todayUtc(), currency: 'CHF', purpose: 'assessed', [IDEM_FIELD]: newIdem() };
}

// ---------------------------------------------------------------- one payment

interface PaymentView {
  notice?: SafeHtml | string;
  reverse?: FormState;
  reallocate?: FormState;
}

function renderPayment(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, p: PaymentOut, view: PaymentView = {}): string {
  const t = PAYMENTS_TEXT[lang];
  const choices = stateChoices(ctx, lang);
  const names = new Map(choices.map((s) => [s.iso3, s.name]));
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const details = html`<dl class="facts">
${p.iso3 ? dl(t.dtState, `${names.get(p.iso3) ?? p.iso3} (${p.iso3})`) : dl(t.dtDonor, p.donor ?? '')}
${dl(t.dtAmount, chf(p.amount, lang))}
${dl(t.dtReceivedOn, day(p.receivedOn, lang))}
${p.currency ? dl(t.dtOriginal, `${p.currency} ${p.originalAmount ?? ''}`) : ''}
${p.reference ? dl(t.dtReference, html`<span class="mono">${printedReference(p.reference)}</span>`) : ''}
${p.bankReference ? dl(t.dtBankReference, html`<span class="mono">${p.bankReference}</span>`) : ''}
${dl(t.dtPurpose, t.purpose[p.purpose])}
${dl(t.dtStatus, p.status === 'reversed' ? html`<span class="badge bad">${t.status.reversed}</span>` : html`<span class="badge good">${t.status.recorded}</span>`)}
${dl(t.dtRecordedBy, p.createdAt.replace('T', ' ').replace(/\.\d+Z?$|Z$/, ' UTC'))}
</dl>`;
  const applied = p.applications.length
    ? html`<div class="scroll" tabindex="0" role="region" aria-label="${t.appliedTitle}"><table class="narrow"><thead><tr><th scope="col">${t.colInvoice}</th><th scope="col">${t.colCategory}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colAppliedOn}</th></tr></thead>
<tbody>${p.applications.map((a) => html`<tr><td class="mono">${a.invoice}</td><td>${a.category}</td><td class="num">${formatMoney(a.amount, lang)}</td><td>${day(a.appliedOn, lang)}</td></tr>`)}</tbody></table></div>`
    : html`<p>${t.nothingApplied}</p>`;
  const credit = p.unapplied !== '0.00' ? html`<p>${t.keptAsCredit}: <strong>${chf(p.unapplied, lang)}</strong></p>` : '';
  const reversal = p.reversal
    ? html`<section class="panel"><h2>${t.reversalTitle}</h2><p>${t.reversalOn(day(p.reversal.date, lang), p.reversal.reason)}</p>${
        p.reversal.replacementPaymentId !== null
          ? html`<p>${t.replacedBy}: <a href="${withLang(`/payments/${p.reversal.replacementPaymentId}`, lang)}">${t.paymentTitle(p.reversal.replacementPaymentId)}</a></p>`
          : ''
      }</section>`
    : '';
  let forms: SafeHtml | string = '';
  if (p.status === 'recorded') {
    if (viewer.role === 'finance') {
      const rev = view.reverse ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'rev');
      const revFields = [
        textareaField(rev, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
        dateField(rev, { name: 'date', label: t.fieldReverseDate, hint: t.hintReverseDate, min: p.receivedOn, max: todayUtc() }),
      ];
      const rea = view.reallocate ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'rea');
      const reaFields = [
        selectField(rea, {
          name: 'iso3',
          label: t.fieldState,
          hint: t.hintReallocateState,
          options: [{ value: '', label: '—' }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))],
        }),
        textField(rea, { name: 'donor', label: t.fieldDonor, hint: t.hintDonor, maxlength: 200 }),
        selectField(rea, { name: 'purpose', label: t.fieldPurposeNew, options: [{ value: '', label: t.samePurpose }, ...PURPOSES.map((x) => ({ value: x, label: t.purpose[x] }))] }),
        textField(rea, { name: 'invoice', label: t.fieldInvoice, hint: t.hintInvoice, maxlength: 40, spellcheck: false, autocomplete: 'off' }),
        textareaField(rea, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
      ];
      forms = html`<section class="panel" id="reverse"><h2>${t.reverseTitle}</h2><p class="explain">${t.reverseLead}</p>
${postForm(rev, { action: withLang(`/payments/${p.id}/reverse`, lang), viewer, submit: t.submitReverse, fields: revFields, idem: true })}</section>
<section class="panel" id="reallocate"><h2>${t.reallocateTitle}</h2><p class="explain">${t.reallocateLead}</p>
${postForm(rea, { action: withLang(`/payments/${p.id}/reallocate`, lang), viewer, submit: t.submitReallocate, fields: reaFields, idem: true })}</section>`;
    } else forms = html`<p class="muted">${t.financeOnly}</p>`;
  }
  const body = html`<p><a href="${withLang('/payments', lang)}">${t.backToList}</a></p>
<h1>${t.paymentTitle(p.id)}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${details}</section>
<section class="panel"><h2>${t.appliedTitle}</h2>${applied}${credit}</section>
${reversal}
${forms}`;
  return page(request, lang, t.paymentTitle(p.id), viewer, body);
}

// ---------------------------------------------------------------- routes

const idParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });
const resultQuery = z.object({
  recorded: z.literal('1').optional(),
  reversed: z.literal('1').optional(),
  reallocated: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
});

const reverseSchema = (lang: FormLang) => {
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

const reallocateSchema = (lang: FormLang, t: PaymentsText, stateCodes: Set<string>) => {
  const k = FORM_TEXT[lang];
  const opt = (s: string) => (s === '' ? undefined : s);
  return z
    .object({
      iso3: z
        .string()
        .trim()
        .transform(opt)
        .refine((s) => s === undefined || stateCodes.has(s), { message: t.stateUnknown }),
      donor: z.string().trim().max(200, { message: k.tooLong(200) }).transform(opt),
      purpose: z.union([z.literal('').transform(() => undefined), z.enum(PURPOSES)]),
      invoice: z.string().trim().toUpperCase().max(40, { message: k.tooLong(40) }).transform(opt),
      reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
    })
    .superRefine((v, c) => {
      if ((v.iso3 === undefined) === (v.donor === undefined)) c.addIssue({ code: 'custom', path: ['iso3'], message: t.stateOrDonor });
    });
};

/** A service's field messages in the page's language (those it knows). */
function localized(lang: FormLang, errors: FieldErrors | null): FieldErrors | null {
  return errors === null ? null : Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, serviceMessageIn(lang, m)]));
}

/** The fields of a form, as posted (strings; missing ones empty). */
function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));
}

export default async function paymentPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  // Every POST of these pages carries the session's CSRF token (checked again by postingViewer).
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  /** The payment of the URL (any State), or null. */
  const paymentOf = (request: FastifyRequest): PaymentOut | null => {
    const p = idParam.safeParse(request.params);
    if (!p.success) return null;
    try {
      return getPayment(ctx, Number.parseInt(p.data.id, 10), null);
    } catch (e) {
      if (e instanceof ServiceError && e.status === 404) return null;
      throw e;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, PAYMENTS_TEXT[lang].notFound, { href: withLang('/payments', lang), text: PAYMENTS_TEXT[lang].backToList }));

  app.get('/payments', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: PAYMENT_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = listQuery.safeParse(request.query ?? {});
    if (!q.success) return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, PAYMENTS_TEXT[lang].badQuery, { href: withLang('/payments', lang), text: PAYMENTS_TEXT[lang].filterClear }));
    return sendHtml(reply, 200, renderList(ctx, request, viewer, lang, q.data));
  });

  app.get('/payments/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: PAYMENT_WRITE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderNewPayment(ctx, request, viewer, lang, { values: newPaymentDefaults(), errors: {} }));
  });

  app.post('/payments', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: PAYMENT_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = PAYMENTS_TEXT[lang];
    const values = posted(ok.body, PAYMENT_FIELDS);
    const stateCodes = new Set(stateChoices(ctx, 'en').map((s) => s.iso3));
    const again = (status: number, v: Omit<PaymentFormView, 'values'> & { values?: Record<string, string> }) =>
      sendHtml(reply, status, renderNewPayment(ctx, request, viewer, lang, { ...v, values: v.values ?? values }));

    const idem = postedIdem(ok.body);
    const parsed = validateForm(paymentFormSchema(lang, t, stateCodes), values);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    if (idem === null) errors[''] = FORM_TEXT[lang].expired;
    // An RF creditor reference must be one (check digits) and one of ours: the invoice and its State are shown beside the field.
    let referenced: ReferencedInvoice | null = null;
    const rf = rfForm(values.reference ?? '');
    if (rf !== null && errors.reference === undefined) {
      if (!isValidCreditorReference(rf)) errors.reference = t.referenceInvalid;
      else {
        referenced = invoiceByReference(ctx, rf, lang);
        if (!referenced) errors.reference = t.referenceUnknown;
      }
    }
    if (!parsed.ok || Object.keys(errors).length) return again(422, { errors, referenced, values: { ...values, [IDEM_FIELD]: idem ?? newIdem() } });
    const d = parsed.data;
    if (d.iso3 === undefined && d.donor === undefined && referenced === null) return again(422, { errors: { iso3: t.stateOrDonor }, referenced });
    const input = {
      iso3: d.iso3,
      donor: d.donor,
      amount: d.amount,
      receivedOn: d.receivedOn,
      ...(d.currency !== 'CHF' || d.originalAmount !== undefined ? { currency: d.currency, originalAmount: d.originalAmount } : {}),
      reference: rf ?? d.reference,
      bankReference: d.bankReference,
      purpose: d.purpose,
      ...(d.confirmLarge ? { confirmLarge: true } : {}),
      ...(d.allowDuplicateBankReference ? { allowDuplicateBankReference: true } : {}),
      ...(d.ignoreReferenceMismatch ? { ignoreReferenceMismatch: true } : {}),
    };
    // The API's own rules (currency with its amount, a donor's purpose…) as field messages.
    const checked = paymentCreate.safeParse(Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined)));
    if (!checked.success) return again(422, { errors: Object.fromEntries(checked.error.issues.map((i) => [i.path.map(String).join('.'), i.message])), referenced });
    try {
      const { payment } = recordPayment(ctx, actorOf(viewer, request, 'POST /payments'), `web:${viewer.userId}:${idem}`, checked.data);
      return seeOther(reply, withLang(`/payments/${payment.id}?recorded=1`, lang));
    } catch (e) {
      if (e instanceof ServiceError && e.extra.field === 'Idempotency-Key' && typeof e.extra.paymentId === 'number') {
        // The same form posted again with other content: the first payment stands; a new form gives a new token.
        const id = e.extra.paymentId;
        return again(409, { errors: { '': t.reusedForm(id) }, referenced, values: { ...values, [IDEM_FIELD]: newIdem() } });
      }
      const fields = localized(lang, serviceFieldErrors(e));
      if (!fields) throw e;
      const status = e instanceof ServiceError ? e.status : 422;
      // The service's refusals that a confirmation overrides: said in the page's words, with the box to tick.
      const askConfirmLarge = fields.amount !== undefined && fields.amount.includes('confirmLarge');
      if (askConfirmLarge) fields.amount = `${t.largeAmount} (${(fields.amount ?? '').replace(/:[^:]*confirmLarge.*$/, '')})`;
      const duplicateOf = e instanceof ServiceError && typeof e.extra.paymentId === 'number' ? e.extra.paymentId : null;
      const askAllowDuplicate = fields.bankReference !== undefined && status === 409;
      if (askAllowDuplicate && duplicateOf !== null) fields.bankReference = t.duplicateBankReference(duplicateOf);
      const askIgnoreMismatch = fields.reference !== undefined && d.iso3 !== undefined && referenced !== null && referenced.iso3 !== d.iso3;
      return again(status, { errors: fields, referenced, askConfirmLarge, askAllowDuplicate, askIgnoreMismatch });
    }
  });

  app.get('/payments/:id', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    if (!viewerOf(request)) return reply.redirect('/login', 303);
    const p = paymentOf(request);
    const viewer = pageViewer(request, reply, { roles: PAYMENT_PAGE_ROLES, lang, ownState: (iso3) => p?.iso3 === iso3 });
    if (!viewer) return reply;
    if (!p) return notFound(request, reply, viewer, lang);
    const q = resultQuery.safeParse(request.query ?? {});
    const t = PAYMENTS_TEXT[lang];
    const notice = !q.success
      ? undefined
      : q.data.recorded
        ? t.recorded
        : q.data.reversed
          ? t.reversedNotice
          : q.data.reallocated
            ? html`${t.reallocatedNotice(Number.parseInt(q.data.reallocated, 10))} <a href="${withLang(`/payments/${q.data.reallocated}`, lang)}">${t.paymentTitle(Number.parseInt(q.data.reallocated, 10))}</a>`
            : undefined;
    return sendHtml(reply, 200, renderPayment(ctx, request, viewer, lang, p, notice ? { notice } : {}));
  });

  /** The common course of the two correcting forms: guard, replay, validate, call, answer. */
  const correcting = (
    which: 'reverse' | 'reallocate',
    fieldNames: readonly string[],
    run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; p: PaymentOut; values: Record<string, string> }) => { location: string } | { errors: FieldErrors; status: number },
  ) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(ctx, request, viewerOf(request));
      if (!viewerOf(request)) return reply.redirect('/login', 303);
      const p = paymentOf(request);
      const ok = postingViewer(request, reply, { roles: PAYMENT_WRITE_ROLES, lang, ownState: (iso3) => p?.iso3 === iso3 });
      if (!ok) return reply;
      const { viewer } = ok;
      if (!p) return notFound(request, reply, viewer, lang);
      const values = posted(ok.body, fieldNames);
      const idem = postedIdem(ok.body);
      const prefix = which === 'reverse' ? 'rev' : 'rea';
      const rerender = (status: number, errors: FieldErrors, fresh = false) => {
        const current = getPayment(ctx, p.id, null);
        const f = formState(lang, { ...values, [IDEM_FIELD]: fresh || idem === null ? newIdem() : idem }, errors, prefix);
        return sendHtml(reply, status, renderPayment(ctx, request, viewer, lang, current, which === 'reverse' ? { reverse: f } : { reallocate: f }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      // A replay of a form already done (a double click): the first result, nothing done twice.
      const key = `${which}:${p.id}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      // Synchronous from here to remember(): no other request can run in between.
      const r = run({ request, viewer, lang, p, values });
      if ('errors' in r) return rerender(r.status, r.errors);
      replays.remember(request, key, r.location);
      return seeOther(reply, r.location);
    };

  app.post(
    '/payments/:id/reverse',
    { schema: hide },
    correcting('reverse', ['reason', 'date'], ({ request, viewer, lang, p, values }) => {
      const v = validateForm(reverseSchema(lang), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        reversePayment(ctx, actorOf(viewer, request, `POST /payments/${p.id}/reverse`), p.id, v.data);
        return { location: withLang(`/payments/${p.id}?reversed=1`, lang) };
      } catch (e) {
        const fields = localized(lang, serviceFieldErrors(e, { id: '' }));
        if (!fields) throw e;
        return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
      }
    }),
  );

  app.post(
    '/payments/:id/reallocate',
    { schema: hide },
    correcting('reallocate', ['iso3', 'donor', 'purpose', 'invoice', 'reason'], ({ request, viewer, lang, p, values }) => {
      const stateCodes = new Set(stateChoices(ctx, 'en').map((s) => s.iso3));
      const v = validateForm(reallocateSchema(lang, PAYMENTS_TEXT[lang], stateCodes), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        const r = reallocatePayment(ctx, actorOf(viewer, request, `POST /payments/${p.id}/reallocate`), p.id, v.data);
        return { location: withLang(`/payments/${p.id}?reallocated=${r.payment.id}`, lang) };
      } catch (e) {
        const fields = localized(lang, serviceFieldErrors(e, { id: '' }));
        if (!fields) throw e;
        return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
      }
    }),
  );
}
