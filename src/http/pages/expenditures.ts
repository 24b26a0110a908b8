/**
 * The expenditures pages (SPEC 2.7, 9.5, 9.9): a budget year's execution by
 * line (approved, revised, spent, remaining, % spent) with the year and the
 * line in the query string; the expenditures of that year (of one line when
 * chosen), each with its line and its reversal; recording an expenditure
 * (date, amount, description, budget year and line) and importing a CSV file
 * (`date,amount,description,budgetYear,line`, all or nothing, the errors
 * listed by row). Finance only, as the API's writes. Every form carries the
 * CSRF token and a one-time `_idem` token; the upload is multipart/form-data
 * (./books-kit.ts), with the tokens as form fields.
 */
import { asc } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { budgets } from '../../db/schema.js';
import { formatMoney } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import { budgetExecution, currentLines } from '../../services/budget-lines.js';
import type { Ctx } from '../../services/context.js';
import { reverseExpenditure } from '../../services/corrections.js';
import { ServiceError } from '../../services/errors.js';
import { importExpenditures, parseExpendituresCsv } from '../../services/expenditures-import.js';
import { listExpenditures, recordExpenditure } from '../../services/reserve.js';
import { actorOf, emptyToUndefined, localized, pageLang, posted, registerUploads, uploadedFile, UPLOAD_LIMIT } from './books-kit.js';
import { pageOf, sendHtml, viewerOf, type Viewer } from './guard.js';
import {
  csrfField,
  csrfGuard,
  dateField,
  errorSummary,
  fieldId,
  FORM_TEXT,
  formState,
  FormReplays,
  hiddenField,
  IDEM_FIELD,
  idemField,
  moneyField,
  newIdem,
  normalizeAmount,
  pageViewer,
  postedIdem,
  postForm,
  postingViewer,
  seeOther,
  selectField,
  serviceFieldErrors,
  submitButton,
  textareaField,
  validateForm,
  withLang,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, pct, scrollTable, type SafeHtml } from './html.js';
import { colon } from './i18n/index.js';
import { registerPage } from './registry.js';
import { EXPENDITURES_TEXT, type ExpendituresText } from './expenditures-text.js';
import { serviceMessageIn } from './service-messages.js';
import { day } from './page-common.js';

/** Who records and imports expenditures (POST /expenditures, /expenditures/import: FINANCE); the page is theirs. */
export const EXPENDITURE_ROLES: readonly Role[] = ['finance'];

registerPage({ path: '/expenditures', key: 'expenditures', roles: EXPENDITURE_ROLES });

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/expenditures', body });
}

function budgetYears(ctx: Ctx): number[] {
  return ctx.db
    .select({ year: budgets.year })
    .from(budgets)
    .orderBy(asc(budgets.year))
    .all()
    .map((b) => b.year);
}

/** The year a page shows without ?year=: this year when it has a budget, else the latest budget's, else this year. */
function defaultYear(ctx: Ctx): number {
  const now = Number.parseInt(todayUtc().slice(0, 4), 10);
  const years = budgetYears(ctx);
  return years.includes(now) || years.length === 0 ? now : years[years.length - 1]!;
}

const pageQuery = z.object({
  year: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{4}$/).optional()),
  line: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).optional()),
  recorded: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
  imported: z.string().regex(/^[1-9][0-9]{0,5}$/).optional(),
  total: z.string().regex(/^[0-9]{1,15}\.[0-9]{2}$/).optional(),
  lang: z.string().optional(),
});
type PageQuery = z.infer<typeof pageQuery>;

interface ExpView {
  notice?: string;
  record?: FormState;
  upload?: FormState;
  rowErrors?: string[];
}

function renderPage(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: PageQuery, view: ExpView = {}): string {
  const t = EXPENDITURES_TEXT[lang];
  const year = q.year ? Number.parseInt(q.year, 10) : defaultYear(ctx);
  const years = budgetYears(ctx);
  const hasBudget = years.includes(year);
  const lines = hasBudget ? currentLines(ctx.db, year) : [];
  const yearOptions = [...new Set([...years, year, Number.parseInt(todayUtc().slice(0, 4), 10)])].sort((a, b) => b - a).map((y) => ({ value: String(y), label: String(y) }));
  const ff = formState(lang, { year: String(year), line: q.line ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/expenditures" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(ff, { name: 'year', label: t.filterYear, options: yearOptions, noOptionalMark: true })}
${selectField(ff, { name: 'line', label: t.filterLine, options: [{ value: '', label: t.allLines }, ...lines.map((l) => ({ value: l.code, label: `${l.code} — ${l.label}` }))], noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.show}</button> <a href="${withLang('/expenditures', lang)}">${t.clear}</a></div>
</form>`;

  let execution: SafeHtml;
  if (!hasBudget) execution = html`<p>${t.noBudget(year)}</p>`;
  else {
    const ex = budgetExecution(ctx, year);
    const lineLink = (code: string | null) => (code === null ? '' : withLang(`/expenditures?year=${year}&line=${encodeURIComponent(code)}`, lang));
    execution = scrollTable(
      t.executionTitle(year),
      html`<table><thead><tr><th scope="col">${t.colLine}</th><th scope="col" class="num">${t.colApproved}</th><th scope="col" class="num">${t.colRevised}</th><th scope="col" class="num">${t.colSpent}</th><th scope="col" class="num">${t.colRemaining}</th><th scope="col" class="num">${t.colPercent}</th></tr></thead>
<tbody>${ex.lines.map(
        (l) =>
          html`<tr${l.code !== null && l.code === q.line ? html` aria-current="true"` : ''}><td>${
            l.code === null ? (lines.length ? t.uncoded : t.uncodedNoLines) : html`<a href="${lineLink(l.code)}"><span class="mono" translate="no">${l.code}</span></a> <span translate="no">${l.label}</span>`
          }</td><td class="num">${formatMoney(l.approved, lang)}</td><td class="num">${formatMoney(l.revised, lang)}</td><td class="num" data-spent="${l.code ?? ''}">${formatMoney(l.spent, lang)}</td><td class="num">${formatMoney(l.remaining, lang)}</td><td class="num">${l.percentSpent === null ? '—' : pct(l.percentSpent, lang)}</td></tr>`,
      )}</tbody>
<tfoot><tr><th scope="row">${t.total}</th><td class="num">${formatMoney(ex.totals.approved, lang)}</td><td class="num">${formatMoney(ex.totals.revised, lang)}</td><td class="num" data-spent="total">${formatMoney(ex.totals.spent, lang)}</td><td class="num">${formatMoney(ex.totals.remaining, lang)}</td><td class="num">${ex.totals.percentSpent === null ? '—' : pct(ex.totals.percentSpent, lang)}</td></tr></tfoot></table>`,
    );
  }

  const list = listExpenditures(ctx)
    .filter((e) => e.budgetYear === year && (q.line === undefined || e.line === q.line))
    .sort((a, b) => (a.date === b.date ? b.id - a.id : a.date < b.date ? 1 : -1));
  const listTitle = q.line ? t.listTitleLine(year, q.line) : t.listTitle(year);
  const table = list.length
    ? scrollTable(
        listTitle,
        html`<table><thead><tr><th scope="col">${t.colNo}</th><th scope="col">${t.colDate}</th><th scope="col">${t.colLineCode}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colDescription}</th><th scope="col">${t.colStatus}</th></tr></thead>
<tbody>${list.map(
          (e) =>
            html`<tr${e.reversal ? html` class="muted"` : ''}${String(e.id) === q.recorded ? html` aria-current="true"` : ''}><td><a href="${withLang(`/expenditures/${e.id}`, lang)}">${e.id}</a></td><td class="mono">${day(e.date, lang)}</td><td class="mono" translate="no">${e.line ?? '—'}</td><td class="num">${formatMoney(e.amount, lang)}</td><td><span translate="no">${e.description}</span></td><td>${
              e.reversal ? html`<span class="badge bad">${t.reversedOn(day(e.reversal.date, lang))}</span>` : html`<span class="badge good">${t.recordedBadge}</span>`
            }</td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.none}</p>`;

  // The record form: the budget year of the page (when it has a budget) and its lines.
  const rf =
    view.record ??
    formState(lang, { date: todayUtc(), budgetYear: hasBudget ? String(year) : '', line: q.line ?? '', [IDEM_FIELD]: newIdem() }, {}, 'exp');
  const recordForm = postForm(rf, {
    action: withLang('/expenditures', lang),
    viewer,
    submit: t.submitRecord,
    idem: true,
    id: 'record-expenditure',
    fields: [
      dateField(rf, { name: 'date', label: t.fieldDate, required: true, max: todayUtc() }),
      moneyField(rf, { name: 'amount', label: t.fieldAmount, hint: t.hintAmount, required: true }),
      textareaField(rf, { name: 'description', label: t.fieldDescription, required: true, maxlength: 500 }),
      selectField(rf, { name: 'budgetYear', label: t.fieldBudgetYear, hint: t.hintBudgetYear, options: [{ value: '', label: t.yearOfDate }, ...years.map((y) => ({ value: String(y), label: String(y) })).reverse()] }),
      selectField(rf, {
        name: 'line',
        label: t.fieldLine,
        hint: lines.length ? t.hintLine(year) : t.hintNoLines(year),
        options: [{ value: '', label: t.noLine }, ...lines.map((l) => ({ value: l.code, label: `${l.code} — ${l.label}` }))],
      }),
    ],
  });

  const uf = view.upload ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'csv');
  uf.labels?.set('file', t.fieldFile);
  const fileId = fieldId(uf, 'file');
  const fileError = uf.errors.file;
  const rowErrors = view.rowErrors?.length
    ? html`<div class="notice" id="${fileId}-rows"><p>${t.rowErrorsTitle}</p><ul>${view.rowErrors.map((m) => html`<li>${m}</li>`)}</ul></div>`
    : '';
  const uploadForm = html`<form method="post" action="${withLang('/expenditures/import', lang)}" class="kit" enctype="multipart/form-data" novalidate id="import-expenditures">
${errorSummary(uf)}
${csrfField(viewer)}${idemField(uf.values[IDEM_FIELD])}
<div class="field${fileError ? ' has-error' : ''}"><label for="${fileId}">${t.fieldFile}</label><p class="hint" id="${fileId}-hint">${t.hintFileColumns} <code translate="no">date,amount,description,budgetYear,line</code>. ${t.hintFileRest}</p>${
    fileError ? html`<p class="field-error" id="${fileId}-error"><span class="vh">${FORM_TEXT[lang].problem}${colon(lang)}</span>${fileError}</p>` : ''
  }<input type="file" id="${fileId}" name="file" accept=".csv,text/csv" required aria-required="true" aria-describedby="${fileId}-hint${fileError ? ` ${fileId}-error` : ''}${view.rowErrors?.length ? ` ${fileId}-rows` : ''}"${fileError ? html` aria-invalid="true"` : ''}></div>
${rowErrors}
<div class="actions">${submitButton(t.submitImport)}</div>
</form>`;

  const body = html`<h1>${t.title}</h1><p class="lead">${t.lead}</p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${filter}</section>
<section class="panel"><h2>${t.executionTitle(year)}</h2>${execution}</section>
<section class="panel"><h2>${listTitle}</h2>${table}</section>
<section class="panel" id="record"><h2>${t.recordTitle}</h2><p class="explain">${t.recordLead}</p>${recordForm}</section>
<section class="panel" id="import"><h2>${t.importTitle}</h2><p class="explain">${t.importLead}</p>${uploadForm}</section>`;
  return page(request, lang, t.title, viewer, body);
}

// ---------------------------------------------------------------- one expenditure

type ExpenditureItem = ReturnType<typeof listExpenditures>[number];

function renderExpenditure(request: FastifyRequest, viewer: Viewer, lang: FormLang, e: ExpenditureItem, view: { notice?: string; reverse?: FormState } = {}): string {
  const t = EXPENDITURES_TEXT[lang];
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const details = html`<dl class="facts">
${dl(t.colDate, day(e.date, lang))}
${dl(t.colAmount, formatMoney(e.amount, lang))}
${dl(t.colDescription, html`<span translate="no">${e.description}</span>`)}
${dl(t.fieldBudgetYear, e.budgetYear === null ? '—' : String(e.budgetYear))}
${dl(t.colLineCode, e.line === null ? '—' : html`<span class="mono" translate="no">${e.line}</span>`)}
${dl(t.colStatus, e.reversal ? html`<span class="badge bad">${t.reversedOn(day(e.reversal.date, lang))}</span>` : html`<span class="badge good">${t.recordedBadge}</span>`)}
${e.reversal ? dl(t.fieldReason, html`<span translate="no">${e.reversal.reason}</span>`) : ''}
</dl>`;
  let form: SafeHtml | string = '';
  if (!e.reversal) {
    const f = view.reverse ?? formState(lang, { reason: '', date: '', [IDEM_FIELD]: newIdem() }, {}, 'rev');
    form = html`<section class="panel" id="reverse"><h2>${t.reverseTitle}</h2><p class="explain">${t.reverseLead}</p>
${postForm(f, {
  action: withLang(`/expenditures/${e.id}/reverse`, lang),
  viewer,
  submit: t.submitReverse,
  idem: true,
  id: 'reverse-form',
  fields: [
    textareaField(f, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
    dateField(f, { name: 'date', label: t.fieldReverseDate, hint: t.hintReverseDate, max: todayUtc() }),
  ],
})}</section>`;
  }
  const back = e.budgetYear === null ? '/expenditures' : `/expenditures?year=${e.budgetYear}`;
  const body = html`<p><a href="${withLang(back, lang)}">${t.backToList}</a></p>
<h1>${t.expenditureTitle(e.id)}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${details}</section>
${form}`;
  return page(request, lang, t.expenditureTitle(e.id), viewer, body);
}

// ---------------------------------------------------------------- routes

const recordSchema = (lang: FormLang, t: ExpendituresText, years: Set<string>) => {
  const k = FORM_TEXT[lang];
  return z.object({
    date: z.string().trim().min(1, { message: k.required }).refine(isIsoDate, { message: k.dateInvalid }),
    amount: z
      .string()
      .trim()
      .min(1, { message: k.required })
      .transform((s, c) => {
        const n = normalizeAmount(s, lang, 2);
        if (n === null) {
          c.addIssue({ code: 'custom', message: k.moneyInvalid });
          return z.NEVER;
        }
        return n;
      })
      .refine((s) => !/^0(\.0+)?$/.test(s), { message: t.amountZero }),
    description: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
    budgetYear: z
      .string()
      .trim()
      .refine((s) => s === '' || years.has(s), { message: t.yearUnknown })
      .transform((s) => (s === '' ? undefined : Number.parseInt(s, 10))),
    line: z
      .string()
      .trim()
      .max(40, { message: k.tooLong(40) })
      .transform((s) => (s === '' ? undefined : s)),
  });
};

/** A CSV row error ("row 2 (line 3 of the file), column amount: …") said in the page's language. */
function rowMessage(lang: FormLang, t: ExpendituresText, message: string): string {
  const m = /^row (\d+) \(line (\d+) of the file\), column ([^:]+): (.*)$/s.exec(message);
  if (!m) return serviceMessageIn(lang, message);
  return t.rowError(Number.parseInt(m[1]!, 10), Number.parseInt(m[2]!, 10), m[3]!, serviceMessageIn(lang, m[4]!));
}

export default async function expenditurePages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  await registerUploads(app);
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  app.get('/expenditures', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: EXPENDITURE_ROLES, lang });
    if (!viewer) return reply;
    const q = pageQuery.safeParse(request.query ?? {});
    const t = EXPENDITURES_TEXT[lang];
    if (!q.success)
      return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, t.badQuery, { href: withLang('/expenditures', lang), text: t.clear }));
    const notice = q.data.recorded
      ? t.recordedNotice(Number.parseInt(q.data.recorded, 10))
      : q.data.imported
        ? t.importedNotice(Number.parseInt(q.data.imported, 10), chf(q.data.total ?? '0.00', lang))
        : undefined;
    return sendHtml(reply, 200, renderPage(ctx, request, viewer, lang, q.data, notice ? { notice } : {}));
  });

  /** Guard, replay of a form already done, then the action: 303 to its result, or the page again with the messages (nothing written). */
  const acting =
    (which: 'record' | 'import', run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; body: Record<string, string> }) => { location: string } | { status: number; view: ExpView }) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = pageLang(ctx, request, viewerOf(request));
      const ok = postingViewer(request, reply, { roles: EXPENDITURE_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const idem = postedIdem(ok.body);
      const again = (status: number, view: ExpView) => sendHtml(reply, status, renderPage(ctx, request, viewer, lang, {}, view));
      if (idem === null) {
        const errors = { '': FORM_TEXT[lang].expired };
        return again(422, which === 'record' ? { record: formState(lang, { ...posted(ok.body, RECORD_FIELDS), [IDEM_FIELD]: newIdem() }, errors, 'exp') } : { upload: formState(lang, { [IDEM_FIELD]: newIdem() }, errors, 'csv') });
      }
      const key = `${which}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      const r = run({ request, viewer, lang, body: ok.body });
      if ('view' in r) return again(r.status, r.view);
      replays.remember(request, key, r.location);
      return seeOther(reply, r.location);
    };

  const RECORD_FIELDS = ['date', 'amount', 'description', 'budgetYear', 'line'] as const;

  app.post(
    '/expenditures',
    { schema: hide },
    acting('record', ({ request, viewer, lang, body }) => {
      const t = EXPENDITURES_TEXT[lang];
      const values = posted(body, RECORD_FIELDS);
      const form = (errors: FieldErrors) => formState(lang, values, errors, 'exp');
      const v = validateForm(recordSchema(lang, t, new Set(budgetYears(ctx).map(String))), values);
      if (!v.ok) return { status: 422, view: { record: form(v.errors) } };
      try {
        const e = recordExpenditure(ctx, actorOf(viewer, request, 'POST /expenditures'), v.data);
        return { location: withLang(`/expenditures?year=${e.budgetYear}&recorded=${e.id}`, lang) };
      } catch (err) {
        const fields = localized(lang, serviceFieldErrors(err));
        if (!fields) throw err;
        return { status: err instanceof ServiceError ? err.status : 422, view: { record: form(fields) } };
      }
    }),
  );

  app.post(
    '/expenditures/import',
    { schema: hide, bodyLimit: UPLOAD_LIMIT + 64 * 1024 },
    acting('import', ({ request, viewer, lang }) => {
      const t = EXPENDITURES_TEXT[lang];
      const idem = postedIdem((request.body ?? {}) as Record<string, string>) ?? newIdem();
      const refuse = (status: number, message: string, rows: string[] = []) => ({
        status,
        view: { upload: formState(lang, { [IDEM_FIELD]: idem }, { file: message }, 'csv'), rowErrors: rows },
      });
      const file = uploadedFile(request, 'file');
      if (file === null) return refuse(422, t.fileMissing);
      const { expenditures, errors } = parseExpendituresCsv(file.toString('utf8'));
      if (errors.length) return refuse(422, t.fileRefused(errors.length), errors.map((e) => rowMessage(lang, t, e.message)));
      try {
        const r = importExpenditures(ctx, actorOf(viewer, request, 'POST /expenditures/import'), expenditures);
        const year = r.expenditures[0]?.budgetYear ?? defaultYear(ctx);
        return { location: withLang(`/expenditures?year=${year}&imported=${r.count}&total=${r.total}`, lang) };
      } catch (err) {
        if (!(err instanceof ServiceError)) throw err;
        const rows = err.errors.length ? err.errors.map((e) => rowMessage(lang, t, e.message)) : [rowMessage(lang, t, err.message)];
        return refuse(err.status, t.fileRefused(rows.length), rows);
      }
    }),
  );

  const idParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });
  const expenditureOf = (request: FastifyRequest): ExpenditureItem | null => {
    const p = idParam.safeParse(request.params);
    if (!p.success) return null;
    const id = Number.parseInt(p.data.id, 10);
    return listExpenditures(ctx).find((e) => e.id === id) ?? null;
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, EXPENDITURES_TEXT[lang].notFound, { href: withLang('/expenditures', lang), text: EXPENDITURES_TEXT[lang].backToList }));

  app.get('/expenditures/:id', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: EXPENDITURE_ROLES, lang });
    if (!viewer) return reply;
    const e = expenditureOf(request);
    if (!e) return notFound(request, reply, viewer, lang);
    const reversed = (request.query as Record<string, unknown> | undefined)?.reversed === '1';
    return sendHtml(reply, 200, renderExpenditure(request, viewer, lang, e, reversed ? { notice: EXPENDITURES_TEXT[lang].reversedNotice } : {}));
  });

  app.post('/expenditures/:id/reverse', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: EXPENDITURE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const e = expenditureOf(request);
    if (!e) return notFound(request, reply, viewer, lang);
    const values = posted(ok.body, ['reason', 'date']);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) => {
      const current = expenditureOf(request)!;
      const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'rev');
      // Already reversed (a stale page): the refusal above what was done.
      const notice = current.reversal ? Object.values(errors).join(' ') : undefined;
      return sendHtml(reply, status, renderExpenditure(request, viewer, lang, current, { reverse: f, ...(notice ? { notice } : {}) }));
    };
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `reverse:${e.id}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const k = FORM_TEXT[lang];
    const v = validateForm(
      z.object({
        reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
        date: z
          .string()
          .trim()
          .refine((x) => x === '' || isIsoDate(x), { message: k.dateInvalid })
          .transform((x) => (x === '' ? undefined : x)),
      }),
      values,
    );
    if (!v.ok) return again(422, v.errors);
    try {
      reverseExpenditure(ctx, actorOf(viewer, request, `POST /expenditures/${e.id}/reverse`), e.id, v.data);
    } catch (err) {
      const fields = localized(lang, serviceFieldErrors(err, { id: '' }));
      if (!fields) throw err;
      return again(err instanceof ServiceError ? err.status : 422, fields);
    }
    const location = withLang(`/expenditures/${e.id}?reversed=1`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });
}
