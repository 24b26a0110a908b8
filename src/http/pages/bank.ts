/**
 * The bank pages (SPEC 9.6, 9.9): uploading a camt.053 statement or camt.054
 * notification (the import service: lines recorded as payments at once by
 * their RF reference, the rest queued; the same file again records nothing
 * and the page says so; a file for another account or malformed: 422 at the
 * file field, nothing written), the statements imported with their closing
 * balance against the ledger, the queue of bank lines (status and statement
 * in the query string), and one line with what finance can do with it, as
 * the API offers: match it to a State or donor and a purpose (and invoice),
 * book it as other income or bank charges, or ignore it with a reason.
 * Finance only (the API's writes are finance's). Every form carries the CSRF
 * token and a one-time `_idem` token; the upload is multipart/form-data
 * (./books-kit.ts) with the tokens as form fields.
 */
import { asc } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { states } from '../../db/schema.js';
import { formatMoney, groupsOfFour } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import { importBankFile } from '../../services/bank/import.js';
import { bookBankLine, getBankLine, ignoreBankLine, listBankLines, listBankStatements, matchBankLine, type BankLineOut, type LineStatus } from '../../services/bank/lines.js';
import { currentLines } from '../../services/budget-lines.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { nameIn } from '../../services/states.js';
import { bankLineMatch } from '../../schemas/bank.js';
import { actorOf, emptyToUndefined, localized, pageLang, posted, registerUploads, uploadedFile, UPLOAD_LIMIT } from './books-kit.js';
import { pageOf, sendHtml, viewerOf, type Viewer } from './guard.js';
import {
  checkboxField,
  csrfField,
  csrfGuard,
  errorSummary,
  fieldId,
  FORM_TEXT,
  formState,
  FormReplays,
  hiddenField,
  IDEM_FIELD,
  idemField,
  newIdem,
  pageViewer,
  postedIdem,
  postForm,
  postingViewer,
  seeOther,
  selectField,
  serviceFieldErrors,
  submitButton,
  textareaField,
  textField,
  validateForm,
  withLang,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { colon } from './i18n/index.js';
import { registerPage } from './registry.js';
import { BANK_TEXT, type BankText } from './bank-text.js';
import { serviceMessageIn } from './service-messages.js';
import { day } from './page-common.js';

/** Who uploads statements and works the queue (POST /bank/statements, /bank/lines/…: FINANCE); the pages are theirs. */
export const BANK_ROLES: readonly Role[] = ['finance'];

registerPage({ path: '/bank', key: 'bank', roles: BANK_ROLES });

const STATUSES = ['unmatched', 'matched', 'booked', 'ignored'] as const;
const PURPOSES = ['assessed', 'voluntary', 'reserve'] as const;

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/bank', body });
}

function stateChoices(ctx: Ctx, lang: FormLang): { iso3: string; name: string }[] {
  return ctx.db
    .select()
    .from(states)
    .orderBy(asc(states.iso3))
    .all()
    .map((s) => ({ iso3: s.iso3, name: nameIn(s, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

/** A reference as printed: an RF creditor reference in groups of four, anything else as given. */
const printedRef = (r: string | null) => (r === null ? '' : /^RF[0-9]{2}[A-Z0-9]+$/.test(r) ? groupsOfFour(r) : r);

// ---------------------------------------------------------------- /bank: upload and statements

const bankQuery = z.object({
  imported: z.string().regex(/^[1-9][0-9]{0,11}(,[1-9][0-9]{0,11}){0,20}$/).optional(),
  already: z.literal('1').optional(),
  entries: z.string().regex(/^[0-9]{1,7}$/).optional(),
  lines: z.string().regex(/^[0-9]{1,7}$/).optional(),
  recorded: z.string().regex(/^[0-9]{1,7}$/).optional(),
  queued: z.string().regex(/^[0-9]{1,7}$/).optional(),
  duplicates: z.string().regex(/^[0-9]{1,7}$/).optional(),
  lang: z.string().optional(),
});
type BankQuery = z.infer<typeof bankQuery>;

function importResult(t: BankText, q: BankQuery, lang: FormLang): SafeHtml | string {
  if (!q.imported) return '';
  const n = (s: string | undefined) => Number.parseInt(s ?? '0', 10);
  const figures = html`<dl class="facts">
<div><dt>${t.resEntries}</dt><dd data-count="entries">${n(q.entries)}</dd></div>
<div><dt>${t.resLines}</dt><dd data-count="lines">${n(q.lines)}</dd></div>
<div><dt>${t.resRecorded}</dt><dd data-count="recorded">${n(q.recorded)}</dd></div>
<div><dt>${t.resQueued}</dt><dd data-count="queued">${n(q.queued)}</dd></div>
<div><dt>${t.resDuplicates}</dt><dd data-count="duplicates">${n(q.duplicates)}</dd></div>
</dl>`;
  const ids = q.imported.split(',');
  return html`<section class="panel" id="result" aria-labelledby="result-title"><h2 id="result-title">${q.already ? t.alreadyTitle : t.importedTitle}</h2>
${q.already ? html`<p class="notice" role="status">${t.alreadyText}</p>` : html`<p class="info" role="status">${t.importedText(n(q.recorded), n(q.queued))}</p>`}
${figures}
<p>${ids.map((id, i) => html`${i ? ' · ' : ''}<a href="${withLang(`/bank/queue?statement=${id}&status=all`, lang)}">${t.linesOfStatement(Number.parseInt(id, 10))}</a>`)}${
    n(q.queued) > 0 ? html` · <a href="${withLang('/bank/queue', lang)}">${t.workQueue}</a>` : ''
  }</p></section>`;
}

function renderBank(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: BankQuery, upload?: FormState): string {
  const t = BANK_TEXT[lang];
  const statements = listBankStatements(ctx).reverse();
  const unmatched = listBankLines(ctx, { status: 'unmatched' }).length;
  const uf = upload ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'camt');
  uf.labels?.set('file', t.fieldFile);
  const fileId = fieldId(uf, 'file');
  const fileError = uf.errors.file;
  const form = html`<form method="post" action="${withLang('/bank/statements', lang)}" class="kit" enctype="multipart/form-data" novalidate id="upload-statement">
${errorSummary(uf)}
${csrfField(viewer)}${idemField(uf.values[IDEM_FIELD])}
<div class="field${fileError ? ' has-error' : ''}"><label for="${fileId}">${t.fieldFile}</label><p class="hint" id="${fileId}-hint">${t.hintFile}</p>${
    fileError ? html`<p class="field-error" id="${fileId}-error"><span class="vh">${FORM_TEXT[lang].problem}${colon(lang)}</span>${fileError}</p>` : ''
  }<input type="file" id="${fileId}" name="file" accept=".xml,application/xml,text/xml" required aria-required="true" aria-describedby="${fileId}-hint${fileError ? ` ${fileId}-error` : ''}"${
    fileError ? html` aria-invalid="true"` : ''
  }></div>
<div class="actions">${submitButton(t.submitUpload)}</div>
</form>`;
  const rows = statements.map(
    (s) => html`<tr><td>${s.id}</td><td class="mono">${s.messageType}</td><td class="mono"><span translate="no">${s.statementId}</span></td><td class="mono">${groupsOfFour(s.iban)}</td><td>${t.role[s.accountRole]}</td>
<td class="num">${s.closingBalance ? formatMoney(s.closingBalance.amount, lang) : '—'}</td><td class="mono">${s.closingBalance ? day(s.closingBalance.date, lang) : '—'}</td>
<td class="num">${s.ledgerCash === null ? '—' : formatMoney(s.ledgerCash, lang)}</td><td class="num">${s.difference === null ? '—' : s.difference === '0.00' ? html`<span class="badge good">${t.agrees}</span>` : html`<span class="badge bad">${formatMoney(s.difference, lang)}</span>`}</td>
<td class="num"><a href="${withLang(`/bank/queue?statement=${s.id}&status=all`, lang)}">${s.lines.total}</a></td><td class="num">${s.lines.matched}</td><td class="num">${s.lines.booked + s.lines.ignored}</td><td class="num">${s.lines.unmatched ? html`<a href="${withLang(`/bank/queue?statement=${s.id}`, lang)}">${s.lines.unmatched}</a>` : '0'}</td></tr>`,
  );
  const table = statements.length
    ? scrollTable(
        t.statementsTitle,
        html`<table><thead><tr><th scope="col">${t.colNo}</th><th scope="col">${t.colType}</th><th scope="col">${t.colStatementId}</th><th scope="col">${t.colIban}</th><th scope="col">${t.colAccount}</th><th scope="col" class="num">${t.colClosing}</th><th scope="col">${t.colClosingDate}</th><th scope="col" class="num">${t.colLedger}</th><th scope="col" class="num">${t.colDifference}</th><th scope="col" class="num">${t.colLines}</th><th scope="col" class="num">${t.colMatched}</th><th scope="col" class="num">${t.colDone}</th><th scope="col" class="num">${t.colWaiting}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.noStatements}</p>`;
  const body = html`<h1>${t.bankTitle}</h1><p class="lead">${t.bankLead}</p>
${importResult(t, q, lang)}
<p><a class="button" href="${withLang('/bank/queue', lang)}">${t.queueLink(unmatched)}</a></p>
<section class="panel" id="upload"><h2>${t.uploadTitle}</h2><p class="explain">${t.uploadLead}</p>${form}</section>
<section class="panel"><h2>${t.statementsTitle}</h2>${table}</section>`;
  return page(request, lang, t.bankTitle, viewer, body);
}

// ---------------------------------------------------------------- /bank/queue

const queueQuery = z.object({
  status: z.preprocess(emptyToUndefined, z.enum([...STATUSES, 'all']).optional()),
  statement: z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,11}$/).optional()),
  lang: z.string().optional(),
});
type QueueQuery = z.infer<typeof queueQuery>;

function lineParty(l: BankLineOut): SafeHtml {
  const parts = [l.debtor.name, l.unstructured].filter((x): x is string => !!x);
  return html`${parts.length ? html`<span translate="no">${parts.join(' — ')}</span>` : '—'}`;
}

function statusBadge(t: BankText, s: LineStatus): SafeHtml {
  return html`<span class="badge${s === 'unmatched' ? ' bad' : ' good'}">${t.status[s]}</span>`;
}

function renderQueue(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: QueueQuery): string {
  const t = BANK_TEXT[lang];
  const status = q.status ?? 'unmatched';
  const lines = listBankLines(ctx, { ...(status === 'all' ? {} : { status }), ...(q.statement ? { statement: Number.parseInt(q.statement, 10) } : {}) });
  const statements = listBankStatements(ctx).reverse();
  const f = formState(lang, { status, statement: q.statement ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/bank/queue" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'status', label: t.filterStatus, options: [...STATUSES.map((s) => ({ value: s, label: t.status[s] })), { value: 'all', label: t.allStatuses }], noOptionalMark: true })}
${selectField(f, { name: 'statement', label: t.filterStatement, options: [{ value: '', label: t.allStatements }, ...statements.map((s) => ({ value: String(s.id), label: t.statementOption(s.id, s.statementId) }))], noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.show}</button> <a href="${withLang('/bank/queue', lang)}">${t.clear}</a></div>
</form>`;
  const rows = lines.map(
    (l) => html`<tr><td><a href="${withLang(`/bank/lines/${l.id}`, lang)}">${t.lineNo(l.id)}</a></td><td class="mono">${day(l.valueDate, lang)}</td><td>${t.direction[l.direction]}</td>
<td class="num">${l.currency === 'CHF' ? formatMoney(l.amount, lang) : `${l.currency} ${formatMoney(l.amount, lang)}`}</td><td class="text">${lineParty(l)}</td><td class="mono nowrap"><span translate="no">${printedRef(l.structuredReference)}</span></td>
<td class="text">${statusBadge(t, l.status)}${l.queueReason ? html`<br><span class="hint">${serviceMessageIn(lang, l.queueReason)}</span>` : ''}</td></tr>`,
  );
  const table = lines.length
    ? scrollTable(
        t.queueTitle,
        html`<table><thead><tr><th scope="col">${t.colLine}</th><th scope="col">${t.colValueDate}</th><th scope="col">${t.colDirection}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colFrom}</th><th scope="col">${t.colReference}</th><th scope="col">${t.colStatus}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.noLines}</p>`;
  const body = html`<p><a href="${withLang('/bank', lang)}">${t.backToBank}</a></p><h1>${t.queueTitle}</h1><p class="lead">${t.queueLead}</p>
<section class="panel">${filter}</section>
<section class="panel"><h2>${t.linesCount(lines.length)}</h2>${table}</section>`;
  return page(request, lang, t.queueTitle, viewer, body);
}

// ---------------------------------------------------------------- /bank/lines/:id

interface LineView {
  notice?: string;
  match?: FormState;
  book?: FormState;
  ignore?: FormState;
  askConfirmLarge?: boolean;
  askIgnoreMismatch?: boolean;
}

function renderLine(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, l: BankLineOut, view: LineView = {}): string {
  const t = BANK_TEXT[lang];
  const choices = stateChoices(ctx, lang);
  const names = new Map(choices.map((s) => [s.iso3, s.name]));
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const details = html`<dl class="facts">
${dl(t.dtAmount, l.currency === 'CHF' ? chf(l.amount, lang) : `${l.currency} ${formatMoney(l.amount, lang)}`)}
${dl(t.dtDirection, t.direction[l.direction])}
${dl(t.dtValueDate, day(l.valueDate, lang))}
${dl(t.dtBookingDate, day(l.bookingDate, lang))}
${dl(t.dtAccount, html`${t.role[l.accountRole]} <span class="mono">${groupsOfFour(l.iban)}</span>`)}
${l.original ? dl(t.dtOriginal, `${l.original.currency} ${l.original.amount}${l.original.rate ? ` (${l.original.rate})` : ''}`) : ''}
${l.debtor.name || l.debtor.iban ? dl(t.dtDebtor, html`<span translate="no">${[l.debtor.name, l.debtor.iban].filter(Boolean).join(' — ')}</span>`) : ''}
${l.structuredReference ? dl(t.dtReference, html`<span class="mono" translate="no">${printedRef(l.structuredReference)}</span>`) : ''}
${l.unstructured ? dl(t.dtText, html`<span translate="no">${l.unstructured}</span>`) : ''}
${dl(t.dtBankReference, html`<span class="mono" translate="no">${l.bankReference ?? l.entryKey}</span>`)}
${dl(t.dtStatement, html`<a href="${withLang(`/bank/queue?statement=${l.statement.id}&status=all`, lang)}">${t.statementOption(l.statement.id, l.statement.statementId)}</a>`)}
${dl(t.dtStatus, statusBadge(t, l.status))}
</dl>`;
  let done: SafeHtml | string = '';
  if (l.action) {
    const a = l.action;
    const what =
      a.kind === 'payment' && a.paymentId !== null
        ? html`${t.actionPayment} <a href="${withLang(`/payments/${a.paymentId}`, lang)}">${t.paymentNo(a.paymentId)}</a>`
        : a.kind === 'ignored'
          ? html`${t.actionIgnored} <span translate="no">${a.reason ?? ''}</span>`
          : a.kind === 'bank-charges'
            ? html`${t.actionBankCharges}${a.expenditureId !== null ? html` (${t.expenditureNo(a.expenditureId)})` : ''}`
            : html`${t.actionOtherIncome}`;
    done = html`<section class="panel"><h2>${t.doneTitle}</h2><p>${what}</p><p class="muted">${a.automatic ? t.doneAutomatically : t.doneBy(a.actor)} · <span class="mono">${a.at.slice(0, 16).replace('T', ' ')}</span></p></section>`;
  }
  let forms: SafeHtml | string = '';
  if (l.status === 'unmatched') {
    const reason = l.queueReason ? html`<p class="notice">${t.waitsBecause} ${serviceMessageIn(lang, l.queueReason)}</p>` : '';
    const suggestions = l.suggestions.length
      ? html`<h3>${t.suggestionsTitle}</h3><ul>${l.suggestions.map(
          (s) => html`<li>${names.get(s.iso3) ?? s.name} (${s.iso3})${s.invoice ? html` — <span class="mono">${s.invoice}</span>` : ''} — ${t.purpose[s.purpose]}${colon(lang)}<span class="muted">${serviceMessageIn(lang, s.why)}</span></li>`,
        )}</ul>`
      : '';
    const first = l.suggestions[0];
    const purposes = l.accountRole === 'reserve' ? (['reserve'] as const) : PURPOSES;
    let matchForm: SafeHtml | string = '';
    if (l.direction === 'credit' && l.currency === 'CHF') {
      const mf =
        view.match ??
        formState(lang, { iso3: first?.iso3 ?? '', invoice: first?.invoice ?? '', purpose: first?.purpose ?? purposes[0], donor: '', [IDEM_FIELD]: newIdem() }, {}, 'match');
      matchForm = html`<section class="panel" id="match"><h2>${t.matchTitle}</h2><p class="explain">${t.matchLead}</p>${suggestions}
${postForm(mf, {
  action: withLang(`/bank/lines/${l.id}/match`, lang),
  viewer,
  submit: t.submitMatch,
  idem: true,
  id: 'match-form',
  fields: [
    selectField(mf, { name: 'iso3', label: t.fieldState, hint: t.hintState, options: [{ value: '', label: t.noState }, ...choices.map((s) => ({ value: s.iso3, label: s.name }))] }),
    textField(mf, { name: 'donor', label: t.fieldDonor, hint: t.hintDonor, maxlength: 200 }),
    selectField(mf, { name: 'purpose', label: t.fieldPurpose, required: true, options: purposes.map((p) => ({ value: p, label: t.purpose[p] })) }),
    textField(mf, { name: 'invoice', label: t.fieldInvoice, hint: t.hintInvoice, maxlength: 40, spellcheck: false, autocomplete: 'off' }),
    ...(view.askIgnoreMismatch || mf.values.ignoreReferenceMismatch === '1' ? [checkboxField(mf, { name: 'ignoreReferenceMismatch', label: t.fieldIgnoreMismatch })] : []),
    ...(view.askConfirmLarge || mf.values.confirmLarge === '1' ? [checkboxField(mf, { name: 'confirmLarge', label: t.fieldConfirmLarge })] : []),
  ],
})}</section>`;
    }
    let bookForm: SafeHtml | string = '';
    if (l.accountRole === 'operating' && l.currency === 'CHF') {
      const as = l.direction === 'credit' ? 'other-income' : 'bank-charges';
      const year = Number.parseInt(l.valueDate.slice(0, 4), 10);
      const budgetLines = as === 'bank-charges' ? currentLines(ctx.db, year) : [];
      const bf = view.book ?? formState(lang, { as, line: '', [IDEM_FIELD]: newIdem() }, {}, 'book');
      bookForm = html`<section class="panel" id="book"><h2>${as === 'other-income' ? t.bookIncomeTitle : t.bookChargesTitle}</h2><p class="explain">${as === 'other-income' ? t.bookIncomeLead : t.bookChargesLead}</p>
${postForm(bf, {
  action: withLang(`/bank/lines/${l.id}/book`, lang),
  viewer,
  submit: as === 'other-income' ? t.submitBookIncome : t.submitBookCharges,
  idem: true,
  id: 'book-form',
  intro: hiddenField('as', as),
  fields:
    as === 'bank-charges' && budgetLines.length
      ? [selectField(bf, { name: 'line', label: t.fieldBudgetLine, hint: t.hintBudgetLine(year), required: true, options: [{ value: '', label: t.chooseLine }, ...budgetLines.map((b) => ({ value: b.code, label: `${b.code} — ${b.label}` }))] })]
      : [],
})}</section>`;
    }
    const igf = view.ignore ?? formState(lang, { reason: '', [IDEM_FIELD]: newIdem() }, {}, 'ign');
    const ignoreForm = html`<section class="panel" id="ignore"><h2>${t.ignoreTitle}</h2><p class="explain">${t.ignoreLead}</p>
${postForm(igf, { action: withLang(`/bank/lines/${l.id}/ignore`, lang), viewer, submit: t.submitIgnore, idem: true, id: 'ignore-form', fields: [textareaField(igf, { name: 'reason', label: t.fieldReason, hint: t.hintReason, required: true, maxlength: 500 })] })}</section>`;
    forms = html`${reason}${matchForm}${bookForm}${ignoreForm}`;
  }
  // A form posted for a line already dealt with (a stale page): its refusal, above what was done.
  const stale = l.status === 'unmatched' ? undefined : [view.match, view.book, view.ignore].find((f) => f && Object.keys(f.errors).length);
  const staleErrors = stale
    ? html`<div class="error-summary" role="alert" aria-labelledby="stale-title" tabindex="-1"><h2 id="stale-title">${FORM_TEXT[lang].problem}</h2><ul>${Object.values(stale.errors).map((m) => html`<li>${m}</li>`)}</ul></div>`
    : '';
  const body = html`<p><a href="${withLang('/bank/queue', lang)}">${t.backToQueue}</a></p>
<h1>${t.lineTitle(l.id)}</h1>
${staleErrors}
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${details}</section>
${done}
${forms}`;
  return page(request, lang, t.lineTitle(l.id), viewer, body);
}

// ---------------------------------------------------------------- routes

const idParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });
const lineQuery = z.object({ done: z.enum(['match', 'book', 'ignore']).optional() });

export default async function bankPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  await registerUploads(app);
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  app.get('/bank', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BANK_ROLES, lang });
    if (!viewer) return reply;
    const q = bankQuery.safeParse(request.query ?? {});
    return sendHtml(reply, 200, renderBank(ctx, request, viewer, lang, q.success ? q.data : {}));
  });

  app.post('/bank/statements', { schema: hide, bodyLimit: UPLOAD_LIMIT + 64 * 1024 }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: BANK_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = BANK_TEXT[lang];
    const idem = postedIdem(ok.body);
    const refuse = (status: number, message: string) =>
      sendHtml(reply, status, renderBank(ctx, request, viewer, lang, {}, formState(lang, { [IDEM_FIELD]: idem ?? newIdem() }, { file: message }, 'camt')));
    if (idem === null) return refuse(422, FORM_TEXT[lang].expired);
    const key = `statement:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const file = uploadedFile(request, 'file');
    if (file === null) return refuse(422, t.fileMissing);
    let result;
    try {
      result = importBankFile(ctx, actorOf(viewer, request, 'POST /bank/statements'), file).result;
    } catch (e) {
      if (!(e instanceof ServiceError) || e.status >= 500) throw e;
      const detail = e.errors.length ? e.errors.map((x) => serviceMessageIn(lang, x.message)).join('; ') : serviceMessageIn(lang, e.message);
      return refuse(e.status, t.fileRefused(detail));
    }
    const c = result.counts;
    const p = new URLSearchParams({
      imported: result.statements.map((s) => s.id).join(','),
      ...(result.alreadyImported ? { already: '1' } : {}),
      entries: String(c.entries),
      lines: String(c.newLines),
      recorded: String(c.paymentsRecorded),
      queued: String(c.queued),
      duplicates: String(c.duplicates),
    });
    const location = withLang(`/bank?${p.toString()}`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });

  app.get('/bank/queue', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BANK_ROLES, lang });
    if (!viewer) return reply;
    const q = queueQuery.safeParse(request.query ?? {});
    if (!q.success)
      return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, BANK_TEXT[lang].badQuery, { href: withLang('/bank/queue', lang), text: BANK_TEXT[lang].clear }));
    return sendHtml(reply, 200, renderQueue(ctx, request, viewer, lang, q.data));
  });

  const lineOf = (request: FastifyRequest): BankLineOut | null => {
    const p = idParam.safeParse(request.params);
    if (!p.success) return null;
    try {
      return getBankLine(ctx, Number.parseInt(p.data.id, 10));
    } catch (e) {
      if (e instanceof ServiceError && e.status === 404) return null;
      throw e;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, BANK_TEXT[lang].notFound, { href: withLang('/bank/queue', lang), text: BANK_TEXT[lang].backToQueue }));

  app.get('/bank/lines/:id', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BANK_ROLES, lang });
    if (!viewer) return reply;
    const l = lineOf(request);
    if (!l) return notFound(request, reply, viewer, lang);
    const q = lineQuery.safeParse(request.query ?? {});
    const t = BANK_TEXT[lang];
    const notice = q.success && q.data.done ? t.doneNotice[q.data.done] : undefined;
    return sendHtml(reply, 200, renderLine(ctx, request, viewer, lang, l, notice ? { notice } : {}));
  });

  /** The common course of the three forms of a line: guard, replay, validate, call, answer. */
  const working = (
    which: 'match' | 'book' | 'ignore',
    fieldNames: readonly string[],
    run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; l: BankLineOut; values: Record<string, string> }) => { ok: true } | { errors: FieldErrors; status: number; ask?: Pick<LineView, 'askConfirmLarge' | 'askIgnoreMismatch'> },
  ) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(ctx, request, viewerOf(request));
      const ok = postingViewer(request, reply, { roles: BANK_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const l = lineOf(request);
      if (!l) return notFound(request, reply, viewer, lang);
      const values = posted(ok.body, fieldNames);
      const idem = postedIdem(ok.body);
      const prefix = which === 'match' ? 'match' : which === 'book' ? 'book' : 'ign';
      const rerender = (status: number, errors: FieldErrors, ask: Pick<LineView, 'askConfirmLarge' | 'askIgnoreMismatch'> = {}) => {
        const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, prefix);
        return sendHtml(reply, status, renderLine(ctx, request, viewer, lang, getBankLine(ctx, l.id), { [which]: f, ...ask }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${l.id}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      const r = run({ request, viewer, lang, l, values });
      if ('errors' in r) return rerender(r.status, r.errors, r.ask);
      const location = withLang(`/bank/lines/${l.id}?done=${which}`, lang);
      replays.remember(request, key, location);
      return seeOther(reply, location);
    };

  const refusal = (e: unknown, lang: FormLang, rename: Record<string, string>) => {
    const fields = localized(lang, serviceFieldErrors(e, rename));
    if (!fields) throw e;
    return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
  };

  app.post(
    '/bank/lines/:id/match',
    { schema: hide },
    working('match', ['iso3', 'donor', 'purpose', 'invoice', 'ignoreReferenceMismatch', 'confirmLarge'], ({ request, viewer, lang, l, values }) => {
      const t = BANK_TEXT[lang];
      const codes = new Set(stateChoices(ctx, 'en').map((s) => s.iso3));
      const opt = (s: string | undefined) => {
        const v = (s ?? '').trim();
        return v === '' ? undefined : v;
      };
      const errors: FieldErrors = {};
      const iso3 = opt(values.iso3);
      if (iso3 !== undefined && !codes.has(iso3)) errors.iso3 = t.stateUnknown;
      const input = {
        iso3,
        donor: opt(values.donor),
        purpose: (PURPOSES as readonly string[]).includes(values.purpose ?? '') ? values.purpose : 'assessed',
        invoice: opt(values.invoice)?.toUpperCase(),
        ...(values.ignoreReferenceMismatch === '1' ? { ignoreReferenceMismatch: true } : {}),
        ...(values.confirmLarge === '1' ? { confirmLarge: true } : {}),
      };
      if ((input.iso3 === undefined) === (input.donor === undefined)) errors.iso3 = t.stateOrDonor;
      if (Object.keys(errors).length) return { errors, status: 422 };
      const v = validateForm(bankLineMatch, Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined)) as Record<string, string>);
      if (!v.ok) return { errors: localized(lang, v.errors)!, status: 422 };
      try {
        matchBankLine(ctx, actorOf(viewer, request, `POST /bank/lines/${l.id}/match`), l.id, v.data);
        return { ok: true };
      } catch (e) {
        const r = refusal(e, lang, { id: '', receivedOn: '', amount: 'confirmLarge', reference: 'ignoreReferenceMismatch' });
        const askConfirmLarge = r.errors.confirmLarge !== undefined;
        if (askConfirmLarge) r.errors.confirmLarge = t.largeAmount;
        const askIgnoreMismatch = r.errors.ignoreReferenceMismatch !== undefined;
        return { ...r, ask: { askConfirmLarge, askIgnoreMismatch } };
      }
    }),
  );

  app.post(
    '/bank/lines/:id/book',
    { schema: hide },
    working('book', ['as', 'line'], ({ request, viewer, lang, l, values }) => {
      const as = values.as === 'bank-charges' ? 'bank-charges' : 'other-income';
      const line = (values.line ?? '').trim();
      if (as === 'bank-charges' && line === '' && currentLines(ctx.db, Number.parseInt(l.valueDate.slice(0, 4), 10)).length) return { errors: { line: FORM_TEXT[lang].required }, status: 422 };
      try {
        bookBankLine(ctx, actorOf(viewer, request, `POST /bank/lines/${l.id}/book`), l.id, { as, ...(line ? { line } : {}) });
        return { ok: true };
      } catch (e) {
        return refusal(e, lang, { id: '', as: '', valueDate: '', date: '' });
      }
    }),
  );

  app.post(
    '/bank/lines/:id/ignore',
    { schema: hide },
    working('ignore', ['reason'], ({ request, viewer, lang, l, values }) => {
      const k = FORM_TEXT[lang];
      const v = validateForm(z.object({ reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }) }), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        ignoreBankLine(ctx, actorOf(viewer, request, `POST /bank/lines/${l.id}/ignore`), l.id, v.data);
        return { ok: true };
      } catch (e) {
        return refusal(e, lang, { id: '' });
      }
    }),
  );
}
