/**
 * The budgets pages (SPEC 2.3, 9.3, 9.5, 9.9): the budgets year by year; a
 * new budget entered with a preview of the contribution it asks of each
 * State Party (the same computation as the service: assessBudgetRow →
 * computeAssessment, nothing written) before it is confirmed; one budget with
 * its categories, lines, versions and contributions; and its revision, with
 * each State Party's change previewed before the service issues the
 * supplementary invoices and partial credit notes. The readers of the API
 * (finance, Presidency, auditors) see them; only finance enters or revises,
 * as on the API. Every form posts with the session's CSRF token and a
 * one-time `_idem` token (a double submit acts once), is validated on the
 * server (422, nothing written, the message at the field) and answers 303.
 */
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AssessmentError } from '../../domain/assessment.js';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { defaultMembershipDate } from '../../domain/membership.js';
import { Dec, FRACTION_PATTERN, formatMoney as formatCentimes, parseMoney, RATE_PATTERN, sumCentimes } from '../../domain/money.js';
import { budgets as budgetsTable, creditNotes, invoices, states } from '../../db/schema.js';
import { formatMoney } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import { assessBudget, assessBudgetRow, assessmentDocument, assessmentProblem, createBudget, findBudget, findBudgetAsAdopted, getBudget, isFrozen, listBudgets, storedScheme, updateBudget } from '../../services/budgets.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { planRevision, reviseBudget } from '../../services/revisions.js';
import { budgetExecution } from '../../services/budget-lines.js';
import { createScale, getScale, listScales, parseScaleCsv } from '../../services/scales.js';
import { findScale } from '../../services/scales.js';
import { scaleCreate } from '../../schemas/scales.js';
import { nameIn } from '../../services/states.js';
import { budgetCreate, budgetPatch, budgetRevisionCreate, type AssessmentOut, type BudgetOut } from '../../schemas/budgets.js';
import type { StoredScheme } from '../../db/schema.js';
import { pageOf, sendHtml, viewerOf, actorOf, type Viewer } from './guard.js';
import {
  csrfGuard,
  dateField,
  errorSummary,
  csrfField,
  idemField,
  FORM_TEXT,
  formState,
  IDEM_FIELD,
  moneyField,
  normalizeAmount,
  newIdem,
  pageViewer,
  postedIdem,
  postingViewer,
  seeOther,
  selectField,
  serviceFieldErrors,
  submitButton,
  textareaField,
  textField,
  withLang,
  FormReplays,
  hiddenField,
  postForm,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { serviceMessageIn } from './service-messages.js';
import { BUDGETS_TEXT, type BudgetsText } from './budgets-text.js';
import { day, pageLang } from './page-common.js';

/** Who reads the budgets (the API's readers) and who enters or revises one (finance, as on the API). */
export const BUDGET_PAGE_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];
export const BUDGET_WRITE_ROLES: readonly Role[] = ['finance'];

registerPage({ path: '/budgets', key: 'budgets', roles: BUDGET_PAGE_ROLES });

const CAT_ROWS = 3;
const CAT_MAX = 10;
const LINE_MAX = 50;
const CAT_KEYS = ['code', 'label', 'labelFr', 'labelEs', 'share', 'method', 'max', 'min'] as const;
const LINE_KEYS = ['code', 'label', 'amount'] as const;

// ---------------------------------------------------------------- helpers

type BudgetRow = typeof budgetsTable.$inferSelect;

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/budgets', body });
}

/** A share as a percentage in the page's language ("0.3" → "30 %"). */
function sharePct(share: string, lang: FormLang): string {
  const p = new Dec(share).mul(100).toFixed();
  const n = lang === 'en' ? p : p.replace('.', ',');
  return lang === 'fr' ? `${n}\u202f%` : lang === 'es' ? `${n}\u00a0%` : `${n}%`;
}

/** A decimal typed with a comma or a dot. */
const decimalTyped = (s: string) => s.trim().replace(',', '.');

function stateNames(ctx: Ctx, lang: FormLang): Map<string, string> {
  return new Map(ctx.db.select().from(states).all().map((s) => [s.iso3, nameIn(s, lang)]));
}

/** The fields of a form, as posted (strings; missing ones empty). */
function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD, 'previewed'].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));
}

const catNames = (n: number) => Array.from({ length: n }, (_, i) => CAT_KEYS.map((k) => `c${i}_${k}`)).flat();
const lineNames = (n: number) => Array.from({ length: n }, (_, i) => LINE_KEYS.map((k) => `l${i}_${k}`)).flat();

/** A stored scheme as form values (rows c0…). */
function schemeValues(scheme: StoredScheme | undefined): Record<string, string> {
  const v: Record<string, string> = {};
  (scheme?.categories ?? []).forEach((c, i) => {
    const labels = (c as { labels?: { fr?: string; es?: string } }).labels;
    Object.assign(v, {
      [`c${i}_code`]: c.code,
      [`c${i}_label`]: c.label,
      [`c${i}_labelFr`]: labels?.fr ?? '',
      [`c${i}_labelEs`]: labels?.es ?? '',
      [`c${i}_share`]: c.share,
      [`c${i}_method`]: c.method,
      [`c${i}_max`]: c.maxShare ?? '',
      [`c${i}_min`]: c.minShare ?? '',
    });
  });
  if (scheme?.missingRate !== undefined) v.missingRate = scheme.missingRate;
  return v;
}

function linesValues(lines: readonly { code: string; label: string; amount: string }[], withAmounts: boolean): Record<string, string> {
  const v: Record<string, string> = {};
  lines.forEach((l, i) => Object.assign(v, { [`l${i}_code`]: l.code, [`l${i}_label`]: l.label, [`l${i}_amount`]: withAmounts ? l.amount : '' }));
  return v;
}

/** How many category and line rows the posted or default values fill (plus empty rows to add some). */
function rowsOf(values: Record<string, string>): { cats: number; lines: number } {
  let cats = 0;
  let lines = 0;
  for (let i = 0; i < CAT_MAX; i++) if (CAT_KEYS.some((k) => k !== 'method' && (values[`c${i}_${k}`] ?? '') !== '')) cats = i + 1;
  for (let i = 0; i < LINE_MAX; i++) if (LINE_KEYS.some((k) => (values[`l${i}_${k}`] ?? '') !== '')) lines = i + 1;
  return { cats: Math.min(CAT_MAX, Math.max(CAT_ROWS, cats + 1)), lines: Math.min(LINE_MAX, Math.max(4, lines + 2)) };
}

// ---------------------------------------------------------------- reading the scheme and the lines of a form

type SchemeIn = { categories: { code: string; label: string; labels?: { fr?: string; es?: string }; share: string; method: 'equal' | 'scale'; maxShare?: string; minShare?: string }[]; missingRate?: string };
type LineIn = { code: string; label: string; amount: string };

function readScheme(values: Record<string, string>, lang: FormLang, t: BudgetsText, errors: FieldErrors): SchemeIn | null {
  const k = FORM_TEXT[lang];
  const categories: SchemeIn['categories'] = [];
  let sum = new Dec(0);
  let sharesOk = true;
  for (let i = 0; i < CAT_MAX; i++) {
    const g = (key: string) => (values[`c${i}_${key}`] ?? '').trim();
    if (g('code') === '' && g('label') === '' && g('share') === '' && g('max') === '' && g('min') === '') continue;
    const code = g('code');
    const share = decimalTyped(g('share'));
    const method = g('method') === 'equal' ? 'equal' : 'scale';
    if (code === '') errors[`c${i}_code`] = k.required;
    else if (!/^[0-9A-Za-z()._-]{1,16}$/.test(code)) errors[`c${i}_code`] = t.codeInvalid;
    if (g('label') === '') errors[`c${i}_label`] = k.required;
    if (share === '') {
      errors[`c${i}_share`] = k.required;
      sharesOk = false;
    } else if (!FRACTION_PATTERN.test(share)) {
      errors[`c${i}_share`] = t.shareInvalid;
      sharesOk = false;
    } else sum = sum.add(share);
    const max = decimalTyped(g('max'));
    const min = decimalTyped(g('min'));
    if (max !== '' && !FRACTION_PATTERN.test(max)) errors[`c${i}_max`] = t.shareInvalid;
    if (min !== '' && !FRACTION_PATTERN.test(min)) errors[`c${i}_min`] = t.shareInvalid;
    if (method === 'equal' && (max !== '' || min !== '')) errors[`c${i}_${max !== '' ? 'max' : 'min'}`] = t.boundsEqualOnly;
    const labels = { ...(g('labelFr') ? { fr: g('labelFr') } : {}), ...(g('labelEs') ? { es: g('labelEs') } : {}) };
    categories.push({
      code,
      label: g('label'),
      ...(Object.keys(labels).length ? { labels } : {}),
      share,
      method,
      ...(max !== '' ? { maxShare: max } : {}),
      ...(min !== '' ? { minShare: min } : {}),
    });
  }
  if (categories.length === 0) errors.c0_code = t.noCategory;
  else if (sharesOk && !sum.eq(1)) errors.c0_share = t.sharesSum(sum.toFixed());
  const missing = decimalTyped(values.missingRate ?? '');
  if (missing !== '' && !RATE_PATTERN.test(missing)) errors.missingRate = t.rateInvalid;
  return categories.length ? { categories, ...(missing !== '' ? { missingRate: missing } : {}) } : null;
}

function readLines(values: Record<string, string>, lang: FormLang, t: BudgetsText, errors: FieldErrors, amount: string | null): LineIn[] {
  const k = FORM_TEXT[lang];
  const lines: LineIn[] = [];
  let ok = true;
  // Rows with codes and labels but no amount at all (the form offers the last budget's lines): a budget without lines.
  if (Array.from({ length: LINE_MAX }, (_, i) => (values[`l${i}_amount`] ?? '').trim()).every((a) => a === '')) return lines;
  for (let i = 0; i < LINE_MAX; i++) {
    const g = (key: string) => (values[`l${i}_${key}`] ?? '').trim();
    if (g('code') === '' && g('label') === '' && g('amount') === '') continue;
    if (g('code') === '') errors[`l${i}_code`] = k.required;
    else if (!/^[a-z][a-z0-9-]{0,31}$/.test(g('code'))) errors[`l${i}_code`] = t.lineCodeInvalid;
    if (g('label') === '') errors[`l${i}_label`] = k.required;
    const a = g('amount') === '' ? null : normalizeAmount(g('amount'), lang, 2);
    if (a === null) {
      errors[`l${i}_amount`] = g('amount') === '' ? k.required : k.moneyInvalid;
      ok = false;
    }
    lines.push({ code: g('code'), label: g('label'), amount: a ?? '0' });
  }
  if (ok && amount !== null && lines.length) {
    const sum = sumCentimes(lines.map((l) => parseMoney(l.amount)));
    if (sum !== parseMoney(amount)) errors.l0_amount = t.linesSum(chf(formatCentimes(sum), lang), chf(formatCentimes(parseMoney(amount)), lang));
  }
  return lines;
}

/** A zod path of the API's schemas as the form's field name. */
function fieldOfPath(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  if (p[0] === 'scheme' && p[1] === 'categories' && p[2] !== undefined) {
    const key = { maxShare: 'max', minShare: 'min', labels: p[4] === 'es' ? 'labelEs' : 'labelFr' }[p[3] ?? ''] ?? p[3] ?? 'code';
    return `c${p[2]}_${key}`;
  }
  if (p[0] === 'scheme' && p[1] === 'categories') return 'c0_share';
  if (p[0] === 'scheme') return p[1] ?? 'c0_code';
  if (p[0] === 'lines' && p[1] !== undefined) return `l${p[1]}_${p[2] ?? 'code'}`;
  if (p[0] === 'lines') return 'l0_amount';
  return p[0] ?? '';
}

function zodErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], lang: FormLang): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const f = fieldOfPath(i.path);
    if (out[f] === undefined) out[f] = serviceMessageIn(lang, i.message);
  }
  return out;
}

function serviceErrors(e: unknown, lang: FormLang): FieldErrors | null {
  const fields = serviceFieldErrors(e, {}, lang);
  if (!fields) return null;
  return Object.fromEntries(Object.entries(fields).map(([k, m]) => [k === 'lines' ? 'l0_amount' : k.startsWith('scheme') ? 'c0_share' : k, m]));
}

/** The fingerprint of what a preview showed: a confirm with other figures shows a new preview instead of recording. */
const fingerprint = (o: unknown) => crypto.createHash('sha256').update(JSON.stringify(o)).digest('base64url').slice(0, 32);

// ---------------------------------------------------------------- rendering the shared parts

function schemeFields(f: FormState, t: BudgetsText, rows: number): SafeHtml {
  const groups = Array.from({ length: rows }, (_, i) => {
    const id = `${f.prefix}-cat${i}`;
    const n = (label: string) => `${label} (${t.categoryLegend(i + 1).toLowerCase()})`;
    return html`<div role="group" aria-labelledby="${id}"><h3 id="${id}">${t.categoryLegend(i + 1)}</h3>
${textField(f, { name: `c${i}_code`, label: n(t.fieldCatCode), maxlength: 16, spellcheck: false, autocomplete: 'off' })}
${textField(f, { name: `c${i}_label`, label: n(t.fieldCatLabel), maxlength: 200 })}
${textField(f, { name: `c${i}_labelFr`, label: n(t.fieldCatLabelFr), maxlength: 200 })}
${textField(f, { name: `c${i}_labelEs`, label: n(t.fieldCatLabelEs), maxlength: 200 })}
${moneyField(f, { name: `c${i}_share`, label: n(t.fieldCatShare), hint: t.hintCatShare, maxlength: 16 })}
${selectField(f, { name: `c${i}_method`, label: n(t.fieldCatMethod), noOptionalMark: true, options: [{ value: 'scale', label: t.methodScale }, { value: 'equal', label: t.methodEqual }] })}
${moneyField(f, { name: `c${i}_max`, label: n(t.fieldCatMax), maxlength: 16 })}
${moneyField(f, { name: `c${i}_min`, label: n(t.fieldCatMin), maxlength: 16 })}</div>`;
  });
  return html`<h2>${t.schemeTitle}</h2><p class="explain">${t.schemeLead}</p>${groups}`;
}

function lineFields(f: FormState, t: BudgetsText, rows: number): SafeHtml {
  const groups = Array.from({ length: rows }, (_, i) => {
    const id = `${f.prefix}-line${i}`;
    const n = (label: string) => `${label} (${t.lineLegend(i + 1).toLowerCase()})`;
    return html`<div role="group" aria-labelledby="${id}"><h3 id="${id}">${t.lineLegend(i + 1)}</h3>
${textField(f, { name: `l${i}_code`, label: n(t.fieldLineCode), hint: i === 0 ? t.hintLineCode : undefined, maxlength: 32, spellcheck: false, autocomplete: 'off' })}
${textField(f, { name: `l${i}_label`, label: n(t.fieldLineLabel), maxlength: 200 })}
${moneyField(f, { name: `l${i}_amount`, label: n(t.fieldLineAmount) })}</div>`;
  });
  return html`<h2>${t.linesTitle}</h2><p class="explain">${t.linesLead}</p>${groups}`;
}

/** A form with a "preview" button and, once previewed, a "confirm" one. */
function previewForm(
  f: FormState,
  o: { action: string; viewer: Viewer; fields: readonly SafeHtml[]; previewLabel: string; confirmLabel?: string; previewed?: string; id: string },
): SafeHtml {
  return html`<form method="post" action="${o.action}" class="kit" novalidate id="${o.id}">
${errorSummary(f)}
${csrfField(o.viewer)}${idemField(f.values[IDEM_FIELD])}${o.previewed ? hiddenField('previewed', o.previewed) : ''}
${o.fields}
<div class="actions">${o.confirmLabel ? html`${submitButton(o.confirmLabel, { name: 'confirm' })} ${submitButton(o.previewLabel, { name: 'preview', className: 'secondary' })}` : submitButton(o.previewLabel, { name: 'preview' })}</div>
</form>`;
}

function assessmentTable(a: AssessmentOut, lang: FormLang, t: BudgetsText, names: Map<string, string>, label: string): SafeHtml {
  const rows = [...a.rows].sort((x, y) => (names.get(x.iso3) ?? x.iso3).localeCompare(names.get(y.iso3) ?? y.iso3, lang));
  const table = html`<table><thead><tr><th scope="col">${t.colState}</th><th scope="col" class="num">${t.colRate}</th>${a.categories.map(
    (c) => html`<th scope="col" class="num"><span translate="no">${c.code}</span></th>`,
  )}<th scope="col" class="num">${t.colTotal}</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr><td>${names.get(r.iso3) ?? r.name} <span class="muted mono">${r.iso3}</span></td><td class="num">${r.rate === null ? '' : lang === 'en' ? r.rate : r.rate.replace('.', ',')}</td>${a.categories.map(
      (c) => html`<td class="num">${formatMoney(r.amounts[c.code] ?? '0.00', lang)}</td>`,
    )}<td class="num"><strong>${formatMoney(r.total, lang)}</strong></td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">${t.totalRow}</th><td></td>${a.categories.map((c) => html`<td class="num">${formatMoney(c.total, lang)}</td>`)}<td class="num"><strong>${formatMoney(a.total, lang)}</strong></td></tr></tfoot></table>`;
  return scrollTable(label, table);
}

function assessmentSummary(a: AssessmentOut, lang: FormLang, t: BudgetsText): SafeHtml {
  return html`<p role="status">${t.sumsExactly(chf(a.total, lang))}</p>${a.missingRateUsedFor.length ? html`<p>${t.missingRateUsed(a.missingRateUsedFor.join(', '))}</p>` : ''}`;
}

// ---------------------------------------------------------------- the list

function renderList(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang): string {
  const t = BUDGETS_TEXT[lang];
  const all = listBudgets(ctx).sort((a, b) => b.year - a.year);
  const rows = all.map(
    (b) => html`<tr><td><a href="${withLang(`/budgets/${b.year}`, lang)}">${b.year}</a></td><td class="num">${formatMoney(b.amount, lang)}</td><td class="num">${b.version}</td>
<td><span translate="no" class="mono">${b.versions[b.versions.length - 1]!.decisionRef}</span></td><td>${day(b.versions[b.versions.length - 1]!.approvedOn, lang)}</td><td>${day(b.cutoffDate, lang)}</td>
<td><span translate="no" class="mono">${b.scaleCode}</span></td><td>${isFrozen(ctx.db, b.year) ? html`<span class="badge good">${t.statusInvoiced}</span>` : html`<span class="badge">${t.statusDraft}</span>`}</td></tr>`,
  );
  const body = html`<h1>${t.listTitle}</h1><p class="lead">${t.listLead}</p>
${viewer.role === 'finance' ? html`<p><a class="button" href="${withLang('/budgets/new', lang)}">${t.newLink}</a></p>` : ''}
<p><a href="${withLang('/scales', lang)}">${t.scalesLink}</a></p>
${
  all.length
    ? scrollTable(
        t.listTitle,
        html`<table><thead><tr><th scope="col">${t.colYear}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col" class="num">${t.colVersion}</th><th scope="col">${t.colDecision}</th><th scope="col">${t.colApprovedOn}</th><th scope="col">${t.colCutoff}</th><th scope="col">${t.colScale}</th><th scope="col">${t.colStatus}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.none}</p>`
}`;
  return page(request, lang, t.listTitle, viewer, body);
}

// ---------------------------------------------------------------- a new budget

const NEW_FIELDS = ['year', 'amount', 'decisionRef', 'approvedOn', 'membershipDate', 'cutoffDate', 'scaleCode', 'missingRate', ...catNames(CAT_MAX), ...lineNames(LINE_MAX)];

interface NewView {
  values: Record<string, string>;
  errors: FieldErrors;
  preview?: { assessment: AssessmentOut; fingerprint: string; notice?: string };
}

function renderNew(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, v: NewView): string {
  const t = BUDGETS_TEXT[lang];
  const f = formState(lang, v.values, v.errors, 'bud');
  const rows = rowsOf(v.values);
  const scales = listScales(ctx).map((s) => ({ value: s.code, label: s.code }));
  const fields = [
    textField(f, { name: 'year', label: t.fieldYear, required: true, maxlength: 4, inputmode: 'numeric', autocomplete: 'off' }),
    moneyField(f, { name: 'amount', label: t.fieldAmount, required: true }),
    textField(f, { name: 'decisionRef', label: t.fieldDecisionRef, hint: t.hintDecisionRef, required: true, maxlength: 200, spellcheck: false, autocomplete: 'off' }),
    dateField(f, { name: 'approvedOn', label: t.fieldApprovedOn, required: true }),
    dateField(f, { name: 'cutoffDate', label: t.fieldCutoffDate, required: true }),
    dateField(f, { name: 'membershipDate', label: t.fieldMembershipDate, hint: t.hintMembershipDate }),
    selectField(f, { name: 'scaleCode', label: t.fieldScale, required: true, options: [{ value: '', label: '—' }, ...scales] }),
    moneyField(f, { name: 'missingRate', label: t.fieldMissingRate, hint: t.hintMissingRate, maxlength: 12 }),
    schemeFields(f, t, rows.cats),
    lineFields(f, t, rows.lines),
  ];
  const names = stateNames(ctx, lang);
  const preview = v.preview
    ? html`<section class="panel" id="preview" aria-labelledby="preview-title"><h2 id="preview-title">${t.previewTitle}</h2>
${v.preview.notice ? html`<p class="info" role="status">${v.preview.notice}</p>` : ''}
<p>${t.previewLead(v.preview.assessment.states)}</p>${assessmentSummary(v.preview.assessment, lang, t)}
${assessmentTable(v.preview.assessment, lang, t, names, t.previewTitle)}</section>`
    : '';
  const body = html`<p><a href="${withLang('/budgets', lang)}">${t.backToList}</a></p><h1>${t.newTitle}</h1><p class="lead">${t.newLead}</p>
${preview}
<section class="panel">${previewForm(f, {
    action: withLang('/budgets/new', lang),
    viewer,
    fields,
    previewLabel: t.submitPreview,
    ...(v.preview ? { confirmLabel: t.submitConfirm, previewed: v.preview.fingerprint } : {}),
    id: 'new-budget',
  })}</section>`;
  return page(request, lang, t.newTitle, viewer, body);
}

function newDefaults(ctx: Ctx): Record<string, string> {
  const latest = listBudgets(ctx).sort((a, b) => b.year - a.year)[0];
  const year = latest ? latest.year + 1 : Number.parseInt(todayUtc().slice(0, 4), 10) + 1;
  return {
    year: String(year),
    scaleCode: latest?.scaleCode ?? '',
    ...schemeValues(latest?.scheme as StoredScheme | undefined),
    ...linesValues(latest?.lines ?? [], false),
    [IDEM_FIELD]: newIdem(),
  };
}

/** The new-budget form read into the API's budget creation, or the field messages. */
function readNewBudget(
  ctx: Ctx,
  values: Record<string, string>,
  lang: FormLang,
  correcting = false,
): { ok: true; input: ReturnType<typeof budgetCreate.parse> } | { ok: false; errors: FieldErrors } {
  const t = BUDGETS_TEXT[lang];
  const k = FORM_TEXT[lang];
  const errors: FieldErrors = {};
  const g = (n: string) => (values[n] ?? '').trim();
  if (g('year') === '') errors.year = k.required;
  else if (!/^[0-9]{4}$/.test(g('year'))) errors.year = t.yearInvalid;
  else if (!correcting && findBudgetAsAdopted(ctx.db, Number.parseInt(g('year'), 10))) errors.year = t.yearTaken;
  const amount = g('amount') === '' ? null : normalizeAmount(g('amount'), lang, 2);
  if (amount === null) errors.amount = g('amount') === '' ? k.required : k.moneyInvalid;
  if (g('decisionRef') === '') errors.decisionRef = k.required;
  for (const d of ['approvedOn', 'cutoffDate'] as const) if (g(d) === '') errors[d] = k.required;
  for (const d of ['approvedOn', 'cutoffDate', 'membershipDate'] as const) if (g(d) !== '' && !isIsoDate(g(d))) errors[d] = k.dateInvalid;
  const scales = new Set(listScales(ctx).map((s) => s.code));
  if (g('scaleCode') === '') errors.scaleCode = k.required;
  else if (!scales.has(g('scaleCode'))) errors.scaleCode = t.scaleUnknown;
  const scheme = readScheme(values, lang, t, errors);
  const lines = correcting ? [] : readLines(values, lang, t, errors, amount);
  if (Object.keys(errors).length || scheme === null || amount === null) return { ok: false, errors };
  const parsed = budgetCreate.safeParse({
    year: Number.parseInt(g('year'), 10),
    amount,
    decisionRef: g('decisionRef'),
    approvedOn: g('approvedOn'),
    ...(g('membershipDate') ? { membershipDate: g('membershipDate') } : {}),
    cutoffDate: g('cutoffDate'),
    scaleCode: g('scaleCode'),
    scheme,
    ...(lines.length ? { lines } : {}),
  });
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error.issues, lang) };
  return { ok: true, input: parsed.data };
}

/** The assessment a budget would produce: the service's own computation (assessBudgetRow → computeAssessment), nothing written. */
function previewAssessment(ctx: Ctx, input: ReturnType<typeof budgetCreate.parse>): AssessmentOut {
  const row: BudgetRow = {
    year: input.year,
    amountCentimes: parseMoney(input.amount),
    currency: 'CHF',
    decisionRef: input.decisionRef,
    approvedOn: input.approvedOn,
    membershipDate: input.membershipDate ?? defaultMembershipDate(input.year),
    cutoffDate: input.cutoffDate,
    scaleCode: input.scaleCode,
    scheme: storedScheme(input.scheme),
    createdAt: '',
    updatedAt: '',
  };
  try {
    return assessmentDocument(row, assessBudgetRow(ctx.db, row));
  } catch (e) {
    if (e instanceof AssessmentError) throw assessmentProblem(e, input.year);
    throw e;
  }
}

// ---------------------------------------------------------------- one budget

const REVISE_FIELDS = ['amount', 'scaleCode', 'decisionRef', 'approvedOn', 'reason', 'issueDate', 'cutoffDate', 'missingRate', ...catNames(CAT_MAX), ...lineNames(LINE_MAX)];

interface RevisionPreview {
  fingerprint: string;
  from: string;
  to: string;
  rows: { iso3: string; invoiced: string; revised: string; difference: string; outcome: string }[];
  supplementary: string;
  credited: string;
  notice?: string;
}

interface BudgetView {
  notice?: string;
  revise?: FormState;
  preview?: RevisionPreview;
  done?: number;
  correct?: FormState;
  correctPreview?: { assessment: AssessmentOut; fingerprint: string; notice?: string };
}

const CORRECT_FIELDS = ['amount', 'decisionRef', 'approvedOn', 'membershipDate', 'cutoffDate', 'scaleCode', 'missingRate', ...catNames(CAT_MAX)];

function correctDefaults(b: BudgetOut): Record<string, string> {
  return {
    amount: b.amount,
    decisionRef: b.decisionRef,
    approvedOn: b.approvedOn,
    membershipDate: b.membershipDate,
    cutoffDate: b.cutoffDate,
    scaleCode: b.scaleCode,
    ...schemeValues(b.scheme as StoredScheme),
    [IDEM_FIELD]: newIdem(),
  };
}

/** The correction form of a budget not yet invoiced (every figure, previewed), or of an invoiced one (its decision symbol only). */
function correctSection(ctx: Ctx, viewer: Viewer, lang: FormLang, b: BudgetOut, frozen: boolean, view: BudgetView): SafeHtml {
  const t = BUDGETS_TEXT[lang];
  const f = view.correct ?? formState(lang, correctDefaults(b), {}, 'cor');
  if (frozen)
    return html`<section class="panel" id="correct"><h2>${t.correctDecisionTitle}</h2><p class="explain">${t.correctDecisionLead}</p>${previewForm(f, {
      action: withLang(`/budgets/${b.year}/correct`, lang),
      viewer,
      fields: [textField(f, { name: 'decisionRef', label: t.fieldDecisionRef, hint: t.hintDecisionRef, required: true, maxlength: 200, spellcheck: false, autocomplete: 'off' })],
      previewLabel: t.submitSaveDecision,
      id: 'correct-budget',
    })}</section>`;
  const scales = listScales(ctx).map((s) => ({ value: s.code, label: s.code }));
  const fields = [
    moneyField(f, { name: 'amount', label: t.fieldAmount, required: true }),
    textField(f, { name: 'decisionRef', label: t.fieldDecisionRef, hint: t.hintDecisionRef, required: true, maxlength: 200, spellcheck: false, autocomplete: 'off' }),
    dateField(f, { name: 'approvedOn', label: t.fieldApprovedOn, required: true }),
    dateField(f, { name: 'cutoffDate', label: t.fieldCutoffDate, required: true }),
    dateField(f, { name: 'membershipDate', label: t.fieldMembershipDate, hint: t.hintMembershipDate }),
    selectField(f, { name: 'scaleCode', label: t.fieldScale, required: true, options: scales }),
    moneyField(f, { name: 'missingRate', label: t.fieldMissingRate, hint: t.hintMissingRate, maxlength: 12 }),
    schemeFields(f, t, rowsOf(f.values).cats),
  ];
  const p = view.correctPreview;
  const preview = p
    ? html`<section class="panel" id="preview" aria-labelledby="cpreview-title"><h2 id="cpreview-title">${t.previewTitle}</h2>
${p.notice ? html`<p class="info" role="status">${p.notice}</p>` : ''}
<p>${t.previewLead(p.assessment.states)}</p>${assessmentSummary(p.assessment, lang, t)}
${assessmentTable(p.assessment, lang, t, stateNames(ctx, lang), t.previewTitle)}</section>`
    : '';
  return html`${preview}<section class="panel" id="correct"><h2>${t.correctTitle}</h2><p class="explain">${t.correctLead}</p>${previewForm(f, {
    action: withLang(`/budgets/${b.year}/correct`, lang),
    viewer,
    fields,
    previewLabel: t.submitPreview,
    ...(p ? { confirmLabel: t.submitCorrect, previewed: p.fingerprint } : {}),
    id: 'correct-budget',
  })}</section>`;
}

function outcomeOf(s: { supplementary: unknown[]; credits: unknown[]; skipped: string | null }): string {
  if (s.skipped) return 'skipped';
  if (s.supplementary.length && s.credits.length) return 'both';
  if (s.supplementary.length) return 'supplementary';
  if (s.credits.length) return 'credited';
  return 'unchanged';
}

function reviseDefaults(b: BudgetOut): Record<string, string> {
  return { amount: b.amount, scaleCode: b.scaleCode, ...schemeValues(b.scheme as StoredScheme), ...linesValues(b.lines, true), [IDEM_FIELD]: newIdem() };
}

/** The documents a version issued: supplementary invoices and partial credit notes. */
function issuedBy(ctx: Ctx, year: number, version: number): { number: string; kind: 'supplementary' | 'credit'; iso3: string }[] {
  const sup = ctx.db
    .select({ number: invoices.number, iso3: invoices.stateIso3 })
    .from(invoices)
    .where(and(eq(invoices.year, year), eq(invoices.kind, 'supplementary'), eq(invoices.budgetVersion, version)))
    .orderBy(asc(invoices.number))
    .all()
    .map((r) => ({ ...r, kind: 'supplementary' as const }));
  const cn = ctx.db
    .select({ number: creditNotes.number, iso3: creditNotes.stateIso3 })
    .from(creditNotes)
    .where(and(eq(creditNotes.year, year), eq(creditNotes.kind, 'partial'), eq(creditNotes.budgetVersion, version)))
    .orderBy(asc(creditNotes.number))
    .all()
    .map((r) => ({ ...r, kind: 'credit' as const }));
  return [...sup, ...cn];
}

function renderBudget(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, b: BudgetOut, view: BudgetView = {}): string {
  const t = BUDGETS_TEXT[lang];
  const names = stateNames(ctx, lang);
  const frozen = isFrozen(ctx.db, b.year);
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const latest = b.versions[b.versions.length - 1]!;
  const facts = html`<dl class="facts">
${dl(t.dtAmount, chf(b.amount, lang))}
${dl(t.dtVersion, String(b.version))}
${dl(t.dtDecision, html`<span translate="no" class="mono">${latest.decisionRef}</span>`)}
${dl(t.dtApprovedOn, day(latest.approvedOn, lang))}
${dl(t.dtMembershipDate, day(b.membershipDate, lang))}
${dl(t.dtCutoff, day(b.cutoffDate, lang))}
${dl(t.dtScale, html`<span translate="no" class="mono">${b.scaleCode}</span>`)}
${dl(t.dtStatus, frozen ? html`<span class="badge good">${t.statusInvoiced}</span>` : html`<span class="badge">${t.statusDraft}</span>`)}
</dl>`;
  const labelIn = (c: BudgetOut['scheme']['categories'][number]) => (lang === 'en' ? c.label : (c.labels?.[lang] ?? c.label));
  const cats = scrollTable(
    t.schemeTitle,
    html`<table><thead><tr><th scope="col">${t.colCode}</th><th scope="col">${t.colLabel}</th><th scope="col" class="num">${t.colShare}</th><th scope="col">${t.colMethod}</th><th scope="col">${t.colBounds}</th></tr></thead>
<tbody>${b.scheme.categories.map(
      (c) => html`<tr><td><span translate="no" class="mono">${c.code}</span></td><td translate="no">${labelIn(c)}</td><td class="num">${sharePct(c.share, lang)}</td><td>${c.method === 'equal' ? t.methodEqual : t.methodScale}</td><td>${
        c.maxShare || c.minShare ? `${c.maxShare ? sharePct(c.maxShare, lang) : '—'} / ${c.minShare ? sharePct(c.minShare, lang) : '—'}` : '—'
      }</td></tr>`,
    )}</tbody></table>`,
  );
  const lines = b.lines.length
    ? scrollTable(
        t.linesTitle,
        html`<table class="narrow"><thead><tr><th scope="col">${t.colCode}</th><th scope="col">${t.colLabel}</th><th scope="col" class="num">${t.colAmount}</th></tr></thead>
<tbody>${b.lines.map((l) => html`<tr><td><span translate="no" class="mono">${l.code}</span></td><td translate="no">${l.label}</td><td class="num">${formatMoney(l.amount, lang)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row" colspan="2">${t.totalRow}</th><td class="num">${formatMoney(b.amount, lang)}</td></tr></tfoot></table>`,
      )
    : html`<p>${t.noLines}</p>`;
  const versions = scrollTable(
    t.versionsTitle,
    html`<table><thead><tr><th scope="col" class="num">${t.colVersion}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colDecision}</th><th scope="col">${t.colApprovedOn}</th><th scope="col">${t.colReason}</th></tr></thead>
<tbody>${b.versions.map(
      (v) => html`<tr><td class="num">${v.version}</td><td class="num">${formatMoney(v.amount, lang)}</td><td><span translate="no" class="mono">${v.decisionRef}</span></td><td>${day(v.approvedOn, lang)}</td><td>${
        v.reason === null ? t.versionAdopted : html`<span translate="no">${v.reason}</span>`
      }</td></tr>`,
    )}</tbody></table>`,
  );
  let assessment: SafeHtml;
  try {
    const a = assessBudget(ctx, b.year);
    assessment = html`${assessmentSummary(a, lang, t)}<details><summary>${t.assessmentShow(a.states)}</summary>${assessmentTable(a, lang, t, names, t.assessmentTitle)}</details>`;
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    assessment = html`<p>${t.assessmentUnavailable} <span translate="no">${serviceMessageIn(lang, e.message)}</span></p>`;
  }
  let execution: SafeHtml | string = '';
  if (b.lines.length) {
    try {
      const asOf = todayUtc();
      const x = budgetExecution(ctx, b.year, asOf);
      const pct = (v: string | null) => (v === null ? '—' : sharePct(new Dec(v).div(100).toFixed(), lang));
      const row = (r: { approved: string; revised: string; spent: string; remaining: string; percentSpent: string | null }) =>
        html`<td class="num">${formatMoney(r.approved, lang)}</td><td class="num">${formatMoney(r.revised, lang)}</td><td class="num">${formatMoney(r.spent, lang)}</td><td class="num">${formatMoney(r.remaining, lang)}</td><td class="num">${pct(r.percentSpent)}</td>`;
      execution = html`<section class="panel" id="execution"><h2>${t.executionTitle}</h2><p class="explain">${t.executionAsOf(day(x.asOf, lang))}</p>
${scrollTable(
  t.executionTitle,
  html`<table><thead><tr><th scope="col">${t.colLabel}</th><th scope="col" class="num">${t.colApproved}</th><th scope="col" class="num">${t.colRevisedLine}</th><th scope="col" class="num">${t.colSpent}</th><th scope="col" class="num">${t.colRemaining}</th><th scope="col" class="num">${t.colPctSpent}</th></tr></thead>
<tbody>${x.lines.map((l) => html`<tr><td>${l.code === null ? t.uncoded : html`<span translate="no">${l.label}</span>`}</td>${row(l)}</tr>`)}</tbody>
<tfoot><tr><th scope="row">${t.totalRow}</th>${row(x.totals)}</tr></tfoot></table>`,
)}
<p><a href="/api/v1/budgets/${b.year}/execution.pdf">${t.executionPdf}</a></p></section>`;
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
    }
  }
  let done: SafeHtml | string = '';
  if (view.done !== undefined) {
    const docs = issuedBy(ctx, b.year, view.done);
    done = html`<section class="panel" id="done"><h2>${t.doneTitle(view.done)}</h2>${
      docs.length
        ? scrollTable(
            t.doneTitle(view.done),
            html`<table class="narrow"><thead><tr><th scope="col">${t.colDocument}</th><th scope="col">${t.colState}</th><th scope="col">${t.colOutcome}</th></tr></thead>
<tbody>${docs.map((d) => html`<tr><td class="mono">${d.number}</td><td>${names.get(d.iso3) ?? d.iso3}</td><td>${d.kind === 'supplementary' ? t.kindSupplementary : t.kindCredit}</td></tr>`)}</tbody></table>`,
          )
        : html`<p>${t.noDocuments}</p>`
    }</section>`;
  }
  let revise: SafeHtml | string;
  if (viewer.role !== 'finance') revise = html`<p class="muted">${t.readOnly}</p>`;
  else if (!frozen) revise = html`${correctSection(ctx, viewer, lang, b, frozen, view)}<section class="panel"><h2>${t.reviseTitle}</h2><p>${t.reviseNotInvoiced}</p></section>`;
  else {
    const f = view.revise ?? formState(lang, reviseDefaults(b), {}, 'rev');
    const rows = rowsOf(f.values);
    const scales = listScales(ctx).map((s) => ({ value: s.code, label: s.code }));
    const fields = [
      moneyField(f, { name: 'amount', label: t.fieldAmount, required: true }),
      selectField(f, { name: 'scaleCode', label: t.fieldScale, required: true, options: scales }),
      textField(f, { name: 'decisionRef', label: t.fieldRevDecisionRef, hint: t.hintDecisionRef, required: true, maxlength: 200, spellcheck: false, autocomplete: 'off' }),
      dateField(f, { name: 'approvedOn', label: t.fieldRevApprovedOn, required: true, max: todayUtc() }),
      textareaField(f, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
      dateField(f, { name: 'issueDate', label: t.fieldIssueDate, hint: t.hintIssueDate, max: todayUtc() }),
      dateField(f, { name: 'cutoffDate', label: t.fieldRevCutoff, hint: t.hintRevCutoff }),
      moneyField(f, { name: 'missingRate', label: t.fieldMissingRate, hint: t.hintMissingRate, maxlength: 12 }),
      schemeFields(f, t, rows.cats),
      lineFields(f, t, rows.lines),
    ];
    const p = view.preview;
    const preview = p
      ? html`<section class="panel" id="preview" aria-labelledby="rpreview-title"><h2 id="rpreview-title">${t.revisePreviewTitle}</h2>
${p.notice ? html`<p class="info" role="status">${p.notice}</p>` : ''}
<p>${t.revisePreviewLead(chf(p.from, lang), chf(p.to, lang))}</p><p>${t.previewTotals(chf(p.supplementary, lang), chf(p.credited, lang))}</p>
${scrollTable(
  t.revisePreviewTitle,
  html`<table><thead><tr><th scope="col">${t.colState}</th><th scope="col" class="num">${t.colInvoiced}</th><th scope="col" class="num">${t.colRevised}</th><th scope="col" class="num">${t.colDifference}</th><th scope="col">${t.colOutcome}</th></tr></thead>
<tbody>${[...p.rows]
    .sort((x, y) => (names.get(x.iso3) ?? x.iso3).localeCompare(names.get(y.iso3) ?? y.iso3, lang))
    .map(
      (r) => html`<tr><td>${names.get(r.iso3) ?? r.iso3}</td><td class="num">${formatMoney(r.invoiced, lang)}</td><td class="num">${formatMoney(r.revised, lang)}</td><td class="num">${formatMoney(r.difference, lang)}</td><td>${t.outcome[r.outcome] ?? r.outcome}</td></tr>`,
    )}</tbody></table>`,
)}</section>`
      : '';
    revise = html`${correctSection(ctx, viewer, lang, b, frozen, view)}${preview}<section class="panel" id="revise"><h2>${t.reviseTitle}</h2><p class="explain">${t.reviseLead}</p>
${previewForm(f, {
  action: withLang(`/budgets/${b.year}/revise`, lang),
  viewer,
  fields,
  previewLabel: t.submitPreview,
  ...(p ? { confirmLabel: t.submitReviseConfirm, previewed: p.fingerprint } : {}),
  id: 'revise-budget',
})}</section>`;
  }
  const body = html`<p><a href="${withLang('/budgets', lang)}">${t.backToList}</a></p>
<h1>${t.budgetTitle(b.year)}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
${done}
<section class="panel">${facts}</section>
<section class="panel"><h2>${t.schemeTitle}</h2>${cats}</section>
<section class="panel"><h2>${t.linesTitle}</h2>${lines}</section>
${execution}
<section class="panel"><h2>${t.versionsTitle}</h2>${versions}</section>
<section class="panel"><h2>${t.assessmentTitle}</h2>${assessment}</section>
${revise}`;
  return page(request, lang, t.budgetTitle(b.year), viewer, body);
}

/** The revise form read into the API's revision, or the field messages. Only what changed is sent (scheme, scale, lines). */
function readRevision(ctx: Ctx, b: BudgetOut, values: Record<string, string>, lang: FormLang): { ok: true; input: ReturnType<typeof budgetRevisionCreate.parse> } | { ok: false; errors: FieldErrors } {
  const t = BUDGETS_TEXT[lang];
  const k = FORM_TEXT[lang];
  const errors: FieldErrors = {};
  const g = (n: string) => (values[n] ?? '').trim();
  const amount = g('amount') === '' ? null : normalizeAmount(g('amount'), lang, 2);
  if (amount === null) errors.amount = g('amount') === '' ? k.required : k.moneyInvalid;
  if (g('decisionRef') === '') errors.decisionRef = k.required;
  if (g('reason') === '') errors.reason = k.required;
  else if (g('reason').length > 500) errors.reason = k.tooLong(500);
  if (g('approvedOn') === '') errors.approvedOn = k.required;
  for (const d of ['approvedOn', 'issueDate', 'cutoffDate'] as const) if (g(d) !== '' && !isIsoDate(g(d))) errors[d] = k.dateInvalid;
  if (!new Set(listScales(ctx).map((s) => s.code)).has(g('scaleCode'))) errors.scaleCode = t.scaleUnknown;
  const scheme = readScheme(values, lang, t, errors);
  const lines = readLines(values, lang, t, errors, amount);
  if (Object.keys(errors).length || scheme === null || amount === null) return { ok: false, errors };
  const schemeChanged = JSON.stringify(storedScheme(scheme)) !== JSON.stringify(storedScheme(b.scheme as SchemeIn));
  const linesChanged = JSON.stringify(lines.map((l) => [l.code, l.label, parseMoney(l.amount).toString()])) !== JSON.stringify(b.lines.map((l) => [l.code, l.label, parseMoney(l.amount).toString()]));
  const amountChanged = parseMoney(amount) !== parseMoney(b.amount);
  const scaleChanged = g('scaleCode') !== b.scaleCode;
  if (!schemeChanged && !linesChanged && !amountChanged && !scaleChanged) return { ok: false, errors: { amount: t.nothingChanged } };
  const parsed = budgetRevisionCreate.safeParse({
    ...(amountChanged ? { amount } : {}),
    ...(schemeChanged ? { scheme } : {}),
    ...(scaleChanged ? { scaleCode: g('scaleCode') } : {}),
    ...(linesChanged && lines.length ? { lines } : {}),
    decisionRef: g('decisionRef'),
    approvedOn: g('approvedOn'),
    reason: g('reason'),
    ...(g('issueDate') ? { issueDate: g('issueDate') } : {}),
    ...(g('cutoffDate') ? { cutoffDate: g('cutoffDate') } : {}),
  });
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error.issues, lang) };
  return { ok: true, input: parsed.data };
}

/** What a revision would issue, State by State: the service's own computation and plan (assessBudgetRow, planRevision), nothing written. */
function previewRevision(ctx: Ctx, year: number, input: ReturnType<typeof budgetRevisionCreate.parse>): Omit<RevisionPreview, 'fingerprint'> {
  const inForce = findBudget(ctx.db, year)!;
  const revised: BudgetRow = {
    ...inForce,
    amountCentimes: input.amount !== undefined ? parseMoney(input.amount) : inForce.amountCentimes,
    scaleCode: input.scaleCode ?? inForce.scaleCode,
    scheme: input.scheme !== undefined ? storedScheme(input.scheme) : inForce.scheme,
  };
  let assessment: AssessmentOut;
  try {
    assessment = assessmentDocument(revised, assessBudgetRow(ctx.db, revised));
  } catch (e) {
    if (e instanceof AssessmentError) throw assessmentProblem(e, year);
    throw e;
  }
  const plan = planRevision(ctx.db, year, assessment, input.issueDate ?? todayUtc());
  let sup = 0n;
  let cred = 0n;
  const rows = plan.states.map((s) => {
    const supC = sumCentimes(s.supplementary.map((x) => parseMoney(x.amount)));
    const credC = sumCentimes(s.credits.map((x) => parseMoney(x.amount)));
    sup += supC;
    cred += credC;
    const diff = parseMoney(s.revised) - parseMoney(s.invoiced);
    return { iso3: s.iso3, invoiced: s.invoiced, revised: s.revised, difference: diff < 0n ? `-${formatCentimes(-diff)}` : formatCentimes(diff), outcome: outcomeOf(s) };
  });
  return { from: formatCentimes(inForce.amountCentimes), to: formatCentimes(revised.amountCentimes), rows, supplementary: formatCentimes(sup), credited: formatCentimes(cred) };
}

// ---------------------------------------------------------------- scales

function renderScales(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang): string {
  const t = BUDGETS_TEXT[lang];
  const all = listScales(ctx);
  const rate = (r: string) => (lang === 'en' ? r : r.replace('.', ','));
  const body = html`<p><a href="${withLang('/budgets', lang)}">${t.backToList}</a></p><h1>${t.scalesTitle}</h1><p class="lead">${t.scalesLead}</p>
${viewer.role === 'finance' ? html`<p><a class="button" href="${withLang('/scales/new', lang)}">${t.newScaleLink}</a></p>` : ''}
${
  all.length
    ? scrollTable(
        t.scalesTitle,
        html`<table><thead><tr><th scope="col">${t.colCode}</th><th scope="col">${t.colTitle}</th><th scope="col">${t.colSource}</th><th scope="col" class="num">${t.colRates}</th><th scope="col" class="num">${t.colSum}</th></tr></thead>
<tbody>${all.map(
          (x) => html`<tr><td><a href="${withLang(`/scales/${x.code}`, lang)}"><span translate="no" class="mono">${x.code}</span></a></td><td translate="no">${x.title}</td><td><span translate="no" class="mono">${x.source}</span></td><td class="num">${x.ratesCount}</td><td class="num">${rate(x.sumOfRates)}</td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noScales}</p>`
}`;
  return page(request, lang, t.scalesTitle, viewer, body);
}

function renderScale(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, code: string, notice?: string): string {
  const t = BUDGETS_TEXT[lang];
  const x = getScale(ctx, code);
  const names = stateNames(ctx, lang);
  const rate = (r: string) => (lang === 'en' ? r : r.replace('.', ','));
  const rows = [...x.rates].sort((a, b) => (names.get(a.iso3) ?? a.iso3).localeCompare(names.get(b.iso3) ?? b.iso3, lang));
  const body = html`<p><a href="${withLang('/scales', lang)}">${t.backToScales}</a></p><h1>${t.scaleTitle('')}<span translate="no">${x.code}</span></h1>
${notice ? html`<p class="info" role="status">${notice}</p>` : ''}
<section class="panel"><dl class="facts"><div><dt>${t.colTitle}</dt><dd><span translate="no">${x.title}</span></dd></div><div><dt>${t.colSource}</dt><dd><span translate="no" class="mono">${x.source}</span></dd></div>
<div><dt>${t.colRates}</dt><dd>${x.ratesCount}</dd></div><div><dt>${t.colSum}</dt><dd>${rate(x.sumOfRates)}</dd></div></dl></section>
${scrollTable(
  t.scaleTitle(x.code),
  html`<table class="narrow"><thead><tr><th scope="col">${t.colState}</th><th scope="col">${t.colCode}</th><th scope="col" class="num">${t.colRate}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${names.get(r.iso3) ?? r.iso3}</td><td class="mono">${r.iso3}</td><td class="num">${rate(r.rate)}</td></tr>`)}</tbody></table>`,
)}`;
  return page(request, lang, t.scaleTitle(x.code), viewer, body);
}

const SCALE_FIELDS = ['code', 'title', 'source', 'rates'] as const;

function renderNewScale(request: FastifyRequest, viewer: Viewer, lang: FormLang, f: FormState): string {
  const t = BUDGETS_TEXT[lang];
  const body = html`<p><a href="${withLang('/scales', lang)}">${t.backToScales}</a></p><h1>${t.newScaleTitle}</h1><p class="lead">${t.newScaleLead}</p>
<section class="panel">${postForm(f, {
    action: withLang('/scales/new', lang),
    viewer,
    submit: t.submitScale,
    idem: true,
    id: 'new-scale',
    fields: [
      textField(f, { name: 'code', label: t.fieldScaleCode, hint: t.hintScaleCode, required: true, maxlength: 64, spellcheck: false, autocomplete: 'off' }),
      textField(f, { name: 'title', label: t.fieldScaleTitle, required: true, maxlength: 200 }),
      textField(f, { name: 'source', label: t.fieldScaleSource, hint: t.hintScaleSource, required: true, maxlength: 200, spellcheck: false }),
      textareaField(f, { name: 'rates', label: t.fieldRates, hint: html`<code translate="no">iso3,rate</code>`, required: true, rows: 12 }),
    ],
  })}</section>`;
  return page(request, lang, t.newScaleTitle, viewer, body);
}

/** The new-scale form read into the API's scale creation, or the field messages (each bad rate named by its line). */
function readScale(ctx: Ctx, values: Record<string, string>, lang: FormLang): { ok: true; input: ReturnType<typeof scaleCreate.parse> } | { ok: false; errors: FieldErrors } {
  const t = BUDGETS_TEXT[lang];
  const k = FORM_TEXT[lang];
  const errors: FieldErrors = {};
  const g = (n: string) => (values[n] ?? '').trim();
  if (g('code') === '') errors.code = k.required;
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(g('code'))) errors.code = t.scaleCodeInvalid;
  else if (findScale(ctx.db, g('code'))) errors.code = t.scaleTaken;
  if (g('title') === '') errors.title = k.required;
  if (g('source') === '') errors.source = k.required;
  if (g('rates') === '') errors.rates = k.required;
  if (Object.keys(errors).length) return { ok: false, errors };
  const csv = parseScaleCsv(g('rates'));
  if (csv.errors.length) {
    const e = csv.errors[0]!;
    const line = /^line (\d+)$/.exec(e.field)?.[1];
    return { ok: false, errors: { rates: line ? t.ratesLine(Number.parseInt(line, 10), t.ratesCells) : t.ratesHeader } };
  }
  if (csv.rates.length === 0) return { ok: false, errors: { rates: t.ratesNone } };
  const parsed = scaleCreate.safeParse({ code: g('code'), title: g('title'), source: g('source'), rates: csv.rates });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.path[0] !== 'rates' || typeof issue.path[1] !== 'number') return { ok: false, errors: { [String(issue.path[0] ?? 'rates')]: serviceMessageIn(lang, issue.message) } };
    const what = issue.path[2] === 'iso3' ? (/appears more than once/.test(issue.message) ? t.ratesTwice : t.ratesIso3) : t.ratesRate;
    return { ok: false, errors: { rates: t.ratesLine(issue.path[1] + 2, what) } };
  }
  return { ok: true, input: parsed.data };
}

// ---------------------------------------------------------------- routes

const yearOf = (request: FastifyRequest): number | null => {
  const y = (request.params as { year?: string }).year ?? '';
  return /^[0-9]{4}$/.test(y) ? Number.parseInt(y, 10) : null;
};

export default async function budgetPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  const inFlight = new Map<string, Promise<string | null>>();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  const budgetOf = (year: number | null): BudgetOut | null => {
    if (year === null || !findBudgetAsAdopted(ctx.db, year)) return null;
    return getBudget(ctx, year);
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, BUDGETS_TEXT[lang].notFound, { href: withLang('/budgets', lang), text: BUDGETS_TEXT[lang].backToList }));

  app.get('/budgets', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_PAGE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderList(ctx, request, viewer, lang));
  });

  app.get('/budgets/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderNew(ctx, request, viewer, lang, { values: newDefaults(ctx), errors: {} }));
  });

  app.post('/budgets/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = BUDGETS_TEXT[lang];
    const values = posted(ok.body, NEW_FIELDS);
    const idem = postedIdem(ok.body);
    const again = (status: number, v: Omit<NewView, 'values'>) =>
      sendHtml(reply, status, renderNew(ctx, request, viewer, lang, { ...v, values: { ...values, [IDEM_FIELD]: idem ?? newIdem() } }));
    if (idem === null) return again(422, { errors: { '': FORM_TEXT[lang].expired } });
    // A replay of a form already confirmed (a double click): the first result, nothing recorded twice.
    const key = `budget-new:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const read = readNewBudget(ctx, values, lang);
    if (!read.ok) return again(422, { errors: read.errors });
    let assessment: AssessmentOut;
    try {
      assessment = previewAssessment(ctx, read.input);
    } catch (e) {
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, { errors: fields });
    }
    const print = fingerprint(read.input);
    const confirming = ok.body.confirm === '1';
    if (!confirming || values.previewed !== print) {
      const notice = confirming ? t.previewChanged : undefined;
      return again(200, { errors: {}, preview: { assessment, fingerprint: print, ...(notice ? { notice } : {}) } });
    }
    try {
      // Synchronous from the replay check to remember(): no other request runs in between.
      createBudget(ctx, actorOf(viewer, request, 'POST /budgets'), read.input);
    } catch (e) {
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, { errors: fields });
    }
    const location = withLang(`/budgets/${read.input.year}?created=1`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });

  app.get('/budgets/:year', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const b = budgetOf(yearOf(request));
    if (!b) return notFound(request, reply, viewer, lang);
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    const t = BUDGETS_TEXT[lang];
    const revised = q.revised !== undefined && /^[1-9][0-9]{0,3}$/.test(q.revised) ? Number.parseInt(q.revised, 10) : undefined;
    const notice = q.created === '1' ? t.created : q.corrected === '1' ? t.corrected : revised !== undefined ? t.revisedNotice(revised) : undefined;
    return sendHtml(reply, 200, renderBudget(ctx, request, viewer, lang, b, { ...(notice ? { notice } : {}), ...(revised !== undefined && revised <= b.version ? { done: revised } : {}) }));
  });

  app.get('/scales', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_PAGE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderScales(ctx, request, viewer, lang));
  });

  app.get('/scales/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderNewScale(request, viewer, lang, formState(lang, { rates: 'iso3,rate\n', [IDEM_FIELD]: newIdem() }, {}, 'scl')));
  });

  app.post('/scales/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const values = Object.fromEntries([...SCALE_FIELDS, IDEM_FIELD].map((n) => [n, (ok.body[n] ?? '').slice(0, n === 'rates' ? 60_000 : 1000)]));
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) => sendHtml(reply, status, renderNewScale(request, viewer, lang, formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'scl')));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `scale-new:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const read = readScale(ctx, values, lang);
    if (!read.ok) return again(422, read.errors);
    try {
      createScale(ctx, actorOf(viewer, request, 'POST /scales'), read.input);
    } catch (e) {
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    }
    const location = withLang(`/scales/${encodeURIComponent(read.input.code)}?created=1`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });

  app.get('/scales/:code', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: BUDGET_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const code = (request.params as { code?: string }).code ?? '';
    const t = BUDGETS_TEXT[lang];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(code) || !findScale(ctx.db, code))
      return sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, t.scaleNotFound, { href: withLang('/scales', lang), text: t.backToScales }));
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    return sendHtml(reply, 200, renderScale(ctx, request, viewer, lang, code, q.created === '1' ? t.scaleCreated : undefined));
  });

  app.post('/budgets/:year/correct', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const b = budgetOf(yearOf(request));
    if (!b) return notFound(request, reply, viewer, lang);
    const t = BUDGETS_TEXT[lang];
    const frozen = isFrozen(ctx.db, b.year);
    const values = posted(ok.body, frozen ? ['decisionRef'] : CORRECT_FIELDS);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors, correctPreview?: BudgetView['correctPreview']) =>
      sendHtml(
        reply,
        status,
        renderBudget(ctx, request, viewer, lang, getBudget(ctx, b.year), {
          correct: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'cor'),
          ...(correctPreview ? { correctPreview } : {}),
        }),
      );
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `budget-correct:${b.year}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const location = withLang(`/budgets/${b.year}?corrected=1`, lang);
    const run = (patch: Record<string, unknown>) => {
      try {
        // Synchronous from the replay check to remember(): no other request runs in between.
        updateBudget(ctx, actorOf(viewer, request, `PATCH /budgets/${b.year}`), b.year, budgetPatch.parse(patch));
      } catch (e) {
        const fields = serviceErrors(e, lang);
        if (!fields) throw e;
        return again(e instanceof ServiceError ? e.status : 422, fields);
      }
      replays.remember(request, key, location);
      return seeOther(reply, location);
    };
    if (frozen) {
      const ref = (values.decisionRef ?? '').trim();
      if (ref === '') return again(422, { decisionRef: FORM_TEXT[lang].required });
      if (ref === b.decisionRef) return again(422, { decisionRef: t.correctNothing });
      return run({ decisionRef: ref });
    }
    const read = readNewBudget(ctx, { ...values, year: String(b.year) }, lang, true);
    if (!read.ok) return again(422, read.errors);
    const i = read.input;
    const patch: Record<string, unknown> = {};
    if (parseMoney(i.amount) !== parseMoney(b.amount)) patch.amount = i.amount;
    for (const k of ['decisionRef', 'approvedOn', 'cutoffDate', 'scaleCode'] as const) if (i[k] !== b[k]) patch[k] = i[k];
    if ((i.membershipDate ?? defaultMembershipDate(b.year)) !== b.membershipDate) patch.membershipDate = i.membershipDate ?? defaultMembershipDate(b.year);
    if (JSON.stringify(storedScheme(i.scheme)) !== JSON.stringify(storedScheme(b.scheme as SchemeIn))) patch.scheme = i.scheme;
    if (Object.keys(patch).length === 0) return again(422, { amount: t.correctNothing });
    let assessment: AssessmentOut;
    try {
      assessment = previewAssessment(ctx, i);
    } catch (e) {
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    }
    const print = fingerprint(patch);
    const confirming = ok.body.confirm === '1';
    if (!confirming || values.previewed !== print) return again(200, {}, { assessment, fingerprint: print, ...(confirming ? { notice: t.previewChanged } : {}) });
    return run(patch);
  });

  app.post('/budgets/:year/revise', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: BUDGET_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const b = budgetOf(yearOf(request));
    if (!b) return notFound(request, reply, viewer, lang);
    const t = BUDGETS_TEXT[lang];
    const values = posted(ok.body, REVISE_FIELDS);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors, preview?: RevisionPreview) =>
      sendHtml(
        reply,
        status,
        renderBudget(ctx, request, viewer, lang, getBudget(ctx, b.year), {
          revise: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'rev'),
          ...(preview ? { preview } : {}),
        }),
      );
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `budget-revise:${b.year}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    // The same confirmation still running (a double click): wait for its result, never act twice.
    const running = inFlight.get(key);
    if (running !== undefined) return seeOther(reply, (await running) ?? withLang(`/budgets/${b.year}`, lang));
    if (!isFrozen(ctx.db, b.year)) return again(409, { '': t.reviseNotInvoiced });
    const read = readRevision(ctx, b, values, lang);
    if (!read.ok) return again(422, read.errors);
    let preview: Omit<RevisionPreview, 'fingerprint'>;
    try {
      preview = previewRevision(ctx, b.year, read.input);
    } catch (e) {
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    }
    const print = fingerprint(read.input);
    const confirming = ok.body.confirm === '1';
    if (!confirming || values.previewed !== print) return again(200, {}, { ...preview, fingerprint: print, ...(confirming ? { notice: t.previewChanged } : {}) });
    // The service is asynchronous (it writes the PDFs): while it runs, a second click with the same token is sent to the budget, never run twice.
    let settle: (location: string | null) => void = () => {};
    inFlight.set(key, new Promise<string | null>((resolve) => (settle = resolve)));
    try {
      const r = await reviseBudget(ctx, actorOf(viewer, request, `POST /budgets/${b.year}/revisions`), b.year, read.input);
      const location = withLang(`/budgets/${b.year}?revised=${r.version}`, lang);
      replays.remember(request, key, location);
      settle(location);
      return seeOther(reply, location);
    } catch (e) {
      settle(null);
      const fields = serviceErrors(e, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, fields);
    } finally {
      inFlight.delete(key);
    }
  });
}
