/**
 * The bank details of the invoice issuer (SPEC 9.8, 9.9): what is in force,
 * the change waiting for approval, the form to propose new bank details, and
 * the forms to approve or reject a pending change. Four eyes: the services
 * refuse the proposer's own approval (403, shown at the form) and apply a
 * change when a second admin approves it; documents issued before keep the
 * bank details printed on them. For the admin role only (as PUT
 * /settings/issuer and the approve/reject routes); any other role gets the
 * 403 page, a State user the 404 page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates.js';
import { formatMoney, groupsOfFour } from '../../pdf/i18n.js';
import { getLimits, setLimits } from '../../services/limits.js';
import { limitsSettings, type LimitsSettings } from '../../schemas/limits.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import {
  approveIssuerChange,
  getIssuer,
  issuerDiff,
  issuerSettingsSchema,
  listIssuerChanges,
  pendingIssuerChange,
  rejectIssuerChange,
  setIssuer,
  type IssuerChangeOut,
  type IssuerConfig,
} from '../../services/settings.js';
import { ADMIN_TEXT, type AdminText } from './admin-text.js';
import { actorOf, ADMIN_PAGE_ROLES, dayOf, pageLang, posted, serviceErrors } from './admin.js';
import {
  csrfGuard,
  dateField,
  FORM_TEXT,
  moneyField,
  normalizeAmount,
  formState,
  IDEM_FIELD,
  newIdem,
  pageViewer,
  postedIdem,
  postForm,
  postingViewer,
  seeOther,
  textareaField,
  textField,
  validateForm,
  withLang,
  FormReplays,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { sendHtml, type Viewer } from './guard.js';
import { html, layout, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { serviceMessageIn } from './service-messages.js';

registerPage({ path: '/admin/bank-details', key: 'bankDetails', roles: ADMIN_PAGE_ROLES });

const QR_FIELDS = { qrName: 'name', qrAddress: 'address', qrBuildingNumber: 'buildingNumber', qrZip: 'zip', qrCity: 'city', qrCountry: 'country' } as const;
const PROPOSE_FIELDS = ['accountHolder', 'bankName', 'bankAddressLines', 'iban', 'bic', ...Object.keys(QR_FIELDS), 'reason'] as const;

type BankForm = 'propose' | 'approve' | 'reject';

interface BankView {
  notice?: string;
  forms?: Partial<Record<BankForm, FormState>>;
}

/** An IBAN as printed: in groups of four. */
const printedIban = (iban: string) => groupsOfFour(iban.replace(/\s+/g, ''));

function valueText(field: string, v: string | string[] | null): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(' / ');
  return field === 'bank.iban' ? printedIban(v) : v;
}

function changeTable(t: AdminText, c: IssuerChangeOut): SafeHtml {
  return scrollTable(
    t.changeTitle(c.id),
    html`<table class="changes"><thead><tr><th scope="col">${t.colField}</th><th scope="col">${t.colFrom}</th><th scope="col">${t.colTo}</th></tr></thead><tbody>${c.changes.map(
      (x) => html`<tr><th scope="row">${t.fieldNames[x.field] ?? x.field}</th><td translate="no">${valueText(x.field, x.from)}</td><td translate="no"><strong>${valueText(x.field, x.to)}</strong></td></tr>`,
    )}</tbody></table>`,
  );
}

function renderBank(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, view: BankView): string {
  const t = ADMIN_TEXT[lang];
  const issuer = getIssuer(ctx.db);
  const pending = pendingIssuerChange(ctx.db);
  const history = listIssuerChanges(ctx.db).filter((c) => c.status !== 'pending').slice(0, 20);
  const fs = view.forms ?? {};
  const b = issuer?.bank;
  const current = b
    ? html`<dl class="facts" id="bank-in-force">
<div><dt>${t.holder}</dt><dd><span translate="no">${b.accountHolder}</span></dd></div>
<div><dt>${t.iban}</dt><dd class="mono" id="iban-in-force">${printedIban(b.iban)}</dd></div>
<div><dt>${t.bic}</dt><dd class="mono">${b.bic}</dd></div>
<div><dt>${t.bankName}</dt><dd><span translate="no">${b.bankName}</span></dd></div>
${b.bankAddressLines.length ? html`<div><dt>${t.bankAddress}</dt><dd><span translate="no">${b.bankAddressLines.join(', ')}</span></dd></div>` : ''}
<div><dt>${t.qrCreditor}</dt><dd><span translate="no">${issuer.qrCreditor.name}, ${issuer.qrCreditor.address}${issuer.qrCreditor.buildingNumber ? ` ${issuer.qrCreditor.buildingNumber}` : ''}, ${issuer.qrCreditor.zip} ${issuer.qrCreditor.city}, ${issuer.qrCreditor.country}</span></dd></div>
</dl>`
    : html`<p>${t.noIssuer}</p>`;

  let pendingPanel: SafeHtml;
  if (!pending) pendingPanel = html`<p>${t.pendingNone}</p>`;
  else {
    const own = pending.proposedBy === viewer.username;
    const ap = fs.approve ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'ap');
    const rj = fs.reject ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'rj');
    pendingPanel = html`<h3>${t.changeTitle(pending.id)}</h3><p>${t.proposedBy(pending.proposedBy, dayOf(pending.proposedAt, lang))}</p>
${pending.reason ? html`<p>${t.reasonGiven}${lang === 'fr' ? '\u00a0: ' : ': '}<span translate="no">${pending.reason}</span></p>` : ''}
${changeTable(t, pending)}
${own ? html`<p class="notice">${t.ownProposal}</p>` : ''}
<div class="grid">
<div id="approve"><h3>${t.approveTitle}</h3><p class="explain">${t.approveLead}</p>
${postForm(ap, {
  action: withLang(`/admin/bank-details/changes/${pending.id}/approve`, lang),
  viewer,
  submit: t.submitApprove,
  fields: [textareaField(ap, { name: 'reason', label: t.fieldApproveReason, maxlength: 500, rows: 2 })],
  idem: true,
  id: 'approve-form',
})}</div>
<div id="reject"><h3>${t.rejectTitle}</h3><p class="explain">${t.rejectLead}</p>
${postForm(rj, {
  action: withLang(`/admin/bank-details/changes/${pending.id}/reject`, lang),
  viewer,
  submit: t.submitReject,
  fields: [textareaField(rj, { name: 'reason', label: t.fieldRejectReason, required: true, maxlength: 500, rows: 2 })],
  idem: true,
  id: 'reject-form',
})}</div>
</div>`;
  }

  const pr =
    fs.propose ??
    formState(
      lang,
      b && issuer
        ? {
            accountHolder: b.accountHolder,
            bankName: b.bankName,
            bankAddressLines: b.bankAddressLines.join('\n'),
            iban: printedIban(b.iban),
            bic: b.bic,
            ...Object.fromEntries(Object.entries(QR_FIELDS).map(([field, key]) => [field, issuer.qrCreditor[key] ?? ''])),
            [IDEM_FIELD]: newIdem(),
          }
        : { [IDEM_FIELD]: newIdem() },
      {},
      'pr',
    );
  const proposeForm = issuer
    ? postForm(pr, {
        action: withLang('/admin/bank-details', lang),
        viewer,
        submit: t.submitPropose,
        idem: true,
        id: 'propose-form',
        fields: [
          textField(pr, { name: 'accountHolder', label: t.fieldHolder, required: true, maxlength: 120 }),
          textField(pr, { name: 'iban', label: t.fieldIban, hint: t.hintIban, required: true, maxlength: 42, spellcheck: false, autocomplete: 'off' }),
          textField(pr, { name: 'bic', label: t.fieldBic, hint: t.hintBic, required: true, maxlength: 11, spellcheck: false, autocomplete: 'off' }),
          textField(pr, { name: 'bankName', label: t.fieldBankName, required: true, maxlength: 120 }),
          textareaField(pr, { name: 'bankAddressLines', label: t.fieldBankAddress, hint: t.hintBankAddress, rows: 2, maxlength: 500 }),
          html`<fieldset class="qr"><legend>${t.qrCreditor}</legend><p class="hint">${t.hintQrCreditor}</p>
${textField(pr, { name: 'qrName', label: t.fieldNames['qrCreditor.name']!, required: true, maxlength: 70 })}
${textField(pr, { name: 'qrAddress', label: t.fieldNames['qrCreditor.address']!, required: true, maxlength: 70 })}
${textField(pr, { name: 'qrBuildingNumber', label: t.fieldNames['qrCreditor.buildingNumber']!, maxlength: 16 })}
${textField(pr, { name: 'qrZip', label: t.fieldNames['qrCreditor.zip']!, required: true, maxlength: 16 })}
${textField(pr, { name: 'qrCity', label: t.fieldNames['qrCreditor.city']!, required: true, maxlength: 35 })}
${textField(pr, { name: 'qrCountry', label: t.fieldNames['qrCreditor.country']!, hint: t.hintQrCountry, required: true, maxlength: 2, autocomplete: 'off' })}</fieldset>`,
          textareaField(pr, { name: 'reason', label: t.fieldProposeReason, hint: t.hintProposeReason, required: true, maxlength: 500, rows: 2 }),
        ],
      })
    : html`<p>${t.noIssuer}</p>`;

  const historyRows = history.map(
    (c) => html`<tr><th scope="row">${c.id}</th><td>${c.changes.map((x, i) => html`${i ? ', ' : ''}${t.fieldNames[x.field] ?? x.field}`)}</td>
<td>${c.status === 'approved' ? html`<span class="badge good">${t.changeStatus.approved}</span>` : html`<span class="badge">${t.changeStatus[c.status]}</span>`}</td>
<td>${t.decidedBy(c.proposedBy, dayOf(c.proposedAt, lang))}</td><td>${c.decision ? t.decidedBy(c.decision.decidedBy, dayOf(c.decision.decidedAt, lang)) : ''}</td></tr>`,
  );
  const body = html`<h1>${t.bankTitle}</h1><p class="lead">${t.bankLead}</p>
<p><a href="${withLang('/admin/limits', lang)}">${t.limitsLink}</a></p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel" aria-labelledby="h-current"><h2 id="h-current">${t.currentTitle}</h2>${current}</section>
<section class="panel" id="pending" aria-labelledby="h-pending"><h2 id="h-pending">${t.pendingTitle}</h2>${pendingPanel}</section>
<section class="panel" id="propose" aria-labelledby="h-propose"><h2 id="h-propose">${t.proposeTitle}</h2><p class="explain">${t.proposeLead}</p>${proposeForm}</section>
<section class="panel" aria-labelledby="h-history"><h2 id="h-history">${t.historyTitle}</h2>${
    history.length
      ? scrollTable(
          `${t.historyTitle} (${history.length})`,
          html`<table><thead><tr><th scope="col">${t.colChange}</th><th scope="col">${t.colField}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colProposed}</th><th scope="col">${t.colDecided}</th></tr></thead><tbody>${historyRows}</tbody></table>`,
        )
      : html`<p>${t.noHistory}</p>`
  }</section>`;
  return layout({ lang, url: request.url, user: viewer }, { title: t.bankTitle, active: '/admin/bank-details', body });
}

function renderLimits(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, view: { notice?: string; form?: FormState }): string {
  const t = ADMIN_TEXT[lang];
  const l = getLimits(ctx.db);
  const f =
    view.form ??
    formState(
      lang,
      { earliestDate: l.earliestDate, futureDays: String(l.futureDays), largestAmount: formatMoney(l.largestAmount, lang), largePayment: l.largePayment === null ? '' : formatMoney(l.largePayment, lang), [IDEM_FIELD]: newIdem() },
      {},
      'lim',
    );
  const body = html`<p><a href="${withLang('/admin/bank-details', lang)}">${t.backToBank}</a></p>
<h1>${t.limitsTitle}</h1><p class="lead">${t.limitsLead}</p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${postForm(f, {
    action: withLang('/admin/limits', lang),
    viewer,
    submit: t.submitLimits,
    idem: true,
    id: 'limits-form',
    fields: [
      dateField(f, { name: 'earliestDate', label: t.fieldEarliest, hint: t.hintEarliest, required: true }),
      textField(f, { name: 'futureDays', label: t.fieldFutureDays, hint: t.hintFutureDays, required: true, maxlength: 4, inputmode: 'numeric', autocomplete: 'off' }),
      moneyField(f, { name: 'largestAmount', label: t.fieldLargest, hint: t.hintLargest, required: true }),
      moneyField(f, { name: 'largePayment', label: t.fieldLargePayment, hint: t.hintLargePayment }),
    ],
  })}</section>`;
  return layout({ lang, url: request.url, user: viewer }, { title: t.limitsTitle, active: '/admin/bank-details', body });
}

function limitsFormSchema(lang: FormLang, t: AdminText) {
  const k = FORM_TEXT[lang];
  const amount = z.string().transform((s, c) => {
    const n = normalizeAmount(s, lang, 2);
    if (n === null) {
      c.addIssue({ code: 'custom', message: k.moneyInvalid });
      return z.NEVER;
    }
    return n.includes('.') ? n.padEnd(n.indexOf('.') + 3, '0') : `${n}.00`;
  });
  return z.object({
    earliestDate: z.string().trim().min(1, { message: k.required }).refine(isIsoDate, { message: k.dateInvalid }),
    futureDays: z
      .string()
      .trim()
      .refine((s) => /^[0-9]{1,4}$/.test(s) && Number.parseInt(s, 10) <= 3660, { message: t.futureDaysInvalid })
      .transform((s) => Number.parseInt(s, 10)),
    largestAmount: z.string().trim().min(1, { message: k.required }).pipe(amount),
    largePayment: z.union([z.literal('').transform(() => null), z.string().trim().pipe(amount)]),
  });
}

const changeParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });
const resultQuery = z.object({
  proposed: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
  approved: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
  rejected: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
});

function proposeSchema(lang: FormLang, t: AdminText) {
  const k = FORM_TEXT[lang];
  const line = z.string().trim().min(1, { message: k.required }).max(120, { message: k.tooLong(120) });
  return z.object({
    accountHolder: line,
    bankName: line,
    bankAddressLines: z
      .string()
      .transform((s) => s.split(/\r?\n/).map((x) => x.trim()).filter((x) => x !== ''))
      .refine((a) => a.length <= 4 && a.every((x) => x.length <= 120), { message: t.addressTooLong }),
    iban: z.string().trim().min(1, { message: k.required }).max(42, { message: k.tooLong(42) }),
    bic: z
      .string()
      .trim()
      .toUpperCase()
      .min(1, { message: k.required }),
    qrName: z.string().trim().min(1, { message: k.required }).max(70, { message: k.tooLong(70) }),
    qrAddress: z.string().trim().min(1, { message: k.required }).max(70, { message: k.tooLong(70) }),
    qrBuildingNumber: z
      .string()
      .trim()
      .max(16, { message: k.tooLong(16) })
      .transform((s) => (s === '' ? undefined : s)),
    qrZip: z.string().trim().min(1, { message: k.required }).max(16, { message: k.tooLong(16) }),
    qrCity: z.string().trim().min(1, { message: k.required }).max(35, { message: k.tooLong(35) }),
    qrCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, { message: t.countryInvalid }),
    reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
  });
}

export default async function bankDetailsPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  app.addHook('preHandler', csrfGuard((request) => pageLang(request)));

  app.get('/admin/bank-details', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const t = ADMIN_TEXT[lang];
    const q = resultQuery.safeParse(request.query ?? {});
    const n = (s: string) => Number.parseInt(s, 10);
    const notice = !q.success
      ? undefined
      : q.data.proposed
        ? t.proposedNotice(n(q.data.proposed))
        : q.data.approved
          ? t.approvedNotice(n(q.data.approved))
          : q.data.rejected
            ? t.rejectedNotice(n(q.data.rejected))
            : undefined;
    return sendHtml(reply, 200, renderBank(ctx, request, viewer, lang, notice ? { notice } : {}));
  });

  /** The common course of the three forms: guard, replay, validate, call, answer 303 (or the page again, the message at the field). */
  const acting = (
    which: BankForm,
    fieldNames: readonly string[],
    run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; values: Record<string, string>; id: number | null }) => { location: string } | { errors: FieldErrors; status: number },
  ) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(request);
      const ok = postingViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const p = changeParam.safeParse(request.params ?? {});
      const id = p.success ? Number.parseInt(p.data.id, 10) : null;
      const values = posted(ok.body, fieldNames);
      const idem = postedIdem(ok.body);
      const rerender = (status: number, errors: FieldErrors) => {
        const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, { propose: 'pr', approve: 'ap', reject: 'rj' }[which]);
        return sendHtml(reply, status, renderBank(ctx, request, viewer, lang, { forms: { [which]: f } }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${id ?? ''}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      const r = run({ request, viewer, lang, values, id });
      if ('errors' in r) return rerender(r.status, r.errors);
      replays.remember(request, key, r.location);
      return seeOther(reply, r.location);
    };

  app.post(
    '/admin/bank-details',
    { schema: hide },
    acting('propose', PROPOSE_FIELDS, ({ request, viewer, lang, values }) => {
      const t = ADMIN_TEXT[lang];
      const v = validateForm(proposeSchema(lang, t), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      const current = getIssuer(ctx.db) as IssuerConfig | null;
      if (!current) return { errors: { '': t.noIssuer }, status: 409 };
      const { reason, qrName, qrAddress, qrBuildingNumber, qrZip, qrCity, qrCountry, ...bank } = v.data;
      const qrCreditor = { name: qrName, address: qrAddress, ...(qrBuildingNumber !== undefined ? { buildingNumber: qrBuildingNumber } : {}), zip: qrZip, city: qrCity, country: qrCountry };
      // The service's own rules (IBAN checksum, CH/LI, not a QR-IBAN; BIC), as field messages in the page's language.
      const parsed = issuerSettingsSchema.safeParse({ ...current, bank, qrCreditor });
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const i of parsed.error.issues) {
          const qrField = Object.entries(QR_FIELDS).find(([, key]) => key === i.path[1])?.[0];
          const field = i.path[0] === 'bank' ? String(i.path[1] ?? '') : i.path[0] === 'qrCreditor' ? (qrField ?? '') : '';
          if (errors[field] === undefined) errors[field] = serviceMessageIn(lang, i.message);
        }
        return { errors, status: 422 };
      }
      // The bank details in force again: nothing to propose (and nothing written).
      if (issuerDiff(current, parsed.data, true).length === 0) return { errors: { '': t.unchanged }, status: 422 };
      try {
        const r = setIssuer(ctx, actorOf(viewer, request, 'PUT /settings/issuer'), parsed.data, { reason });
        if (r.status === 'applied') return { errors: { '': t.unchanged }, status: 422 };
        return { location: withLang(`/admin/bank-details?proposed=${r.change.id}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang);
        if (!s) throw e;
        return s;
      }
    }),
  );

  app.post(
    '/admin/bank-details/changes/:id/approve',
    { schema: hide },
    acting('approve', ['reason'], ({ request, viewer, lang, values, id }) => {
      if (id === null) return { errors: { '': FORM_TEXT[lang].notFound }, status: 404 };
      const reason = (values.reason ?? '').trim();
      if (reason.length > 500) return { errors: { reason: FORM_TEXT[lang].tooLong(500) }, status: 422 };
      try {
        approveIssuerChange(ctx, actorOf(viewer, request, `POST /settings/issuer/changes/${id}/approve`), id, reason ? { reason } : {});
        return { location: withLang(`/admin/bank-details?approved=${id}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang, { id: '' });
        if (s) return s;
        // The proposer's own approval (403) names no field: said at the top of the form.
        if (e instanceof ServiceError && (e.status === 403 || e.status === 404)) return { errors: { '': serviceMessageIn(lang, e.message) }, status: e.status };
        throw e;
      }
    }),
  );

  app.post(
    '/admin/bank-details/changes/:id/reject',
    { schema: hide },
    acting('reject', ['reason'], ({ request, viewer, lang, values, id }) => {
      if (id === null) return { errors: { '': FORM_TEXT[lang].notFound }, status: 404 };
      const k = FORM_TEXT[lang];
      const v = validateForm(z.object({ reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }) }), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        rejectIssuerChange(ctx, actorOf(viewer, request, `POST /settings/issuer/changes/${id}/reject`), id, v.data);
        return { location: withLang(`/admin/bank-details?rejected=${id}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang, { id: '' });
        if (s) return s;
        if (e instanceof ServiceError && (e.status === 403 || e.status === 404)) return { errors: { '': serviceMessageIn(lang, e.message) }, status: e.status };
        throw e;
      }
    }),
  );

  app.get('/admin/limits', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const saved = (request.query as Record<string, unknown> | undefined)?.saved === '1';
    return sendHtml(reply, 200, renderLimits(ctx, request, viewer, lang, saved ? { notice: ADMIN_TEXT[lang].limitsSaved } : {}));
  });

  app.post('/admin/limits', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const ok = postingViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = ADMIN_TEXT[lang];
    const values = posted(ok.body, ['earliestDate', 'futureDays', 'largestAmount', 'largePayment']);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderLimits(ctx, request, viewer, lang, { form: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'lim') }));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `limits:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const v = validateForm(limitsFormSchema(lang, t), values);
    if (!v.ok) return again(422, v.errors);
    // The service's own rules (not after today, the threshold under the largest amount), as field messages in the page's language.
    const checked = limitsSettings.safeParse(v.data);
    if (!checked.success) {
      const errors: FieldErrors = {};
      for (const i of checked.error.issues) {
        const field = String(i.path[0] ?? '');
        if (errors[field] === undefined) errors[field] = serviceMessageIn(lang, i.message);
      }
      return again(422, errors);
    }
    const before: LimitsSettings = getLimits(ctx.db);
    if (JSON.stringify(before) === JSON.stringify({ ...before, ...checked.data })) return again(422, { '': t.limitsUnchanged });
    setLimits(ctx, actorOf(viewer, request, 'PUT /settings/limits'), checked.data);
    const location = withLang('/admin/limits?saved=1', lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });
}
