/**
 * The periods page (SPEC 9.4, 9.9): the lock in force, the history of
 * closings and reopenings, and the forms of the API: close a period (finance
 * and admin, with a confirmation), reopen one (admin only), close a year
 * (finance and admin). The readers of the API (finance, Presidency,
 * auditors) and admin see it. Every form posts with the session's CSRF token
 * and a one-time `_idem` token (a double submit acts once), is validated on
 * the server (422, nothing written, the message at the field) and answers 303.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import type { Role } from '../../services/actor.js';
import { closedYears, closeYear } from '../../services/closing.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { closePeriod, listPeriods, reopenPeriod } from '../../services/periods.js';
import { sendHtml, viewerOf, actorOf, type Viewer } from './guard.js';
import {
  checkboxField,
  csrfGuard,
  dateField,
  FORM_TEXT,
  formState,
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
import { html, layout, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { PERIODS_TEXT } from './periods-text.js';
import { day, pageLang } from './page-common.js';

/** Who sees the periods (the API's readers and admin), who closes (finance and admin) and who reopens (admin), as on the API. */
export const PERIOD_PAGE_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor', 'admin'];
export const PERIOD_CLOSE_ROLES: readonly Role[] = ['finance', 'admin'];
export const PERIOD_REOPEN_ROLES: readonly Role[] = ['admin'];

registerPage({ path: '/periods', key: 'periods', roles: PERIOD_PAGE_ROLES });

interface PeriodsView {
  notice?: string;
  close?: FormState;
  reopen?: FormState;
  year?: FormState;
}

/** The years that may be closed: from the earliest budget year to last year. */
function closableYears(ctx: Ctx): string[] {
  const last = Number.parseInt(todayUtc().slice(0, 4), 10) - 1;
  const first = (ctx.sqlite.prepare('SELECT MIN(year) AS y FROM budgets').get() as { y: number | null }).y ?? last;
  const closed = new Set(closedYears(ctx.db));
  const out: string[] = [];
  for (let y = first; y <= last; y++) if (!closed.has(y)) out.push(String(y));
  return out;
}

function render(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, view: PeriodsView = {}): string {
  const t = PERIODS_TEXT[lang];
  const p = listPeriods(ctx);
  const years = closedYears(ctx.db);
  const state = p.lockedThrough
    ? html`<p><strong>${t.lockedThrough(day(p.lockedThrough, lang))}</strong></p><p>${t.firstOpen(day(p.firstOpenDate!, lang))}</p>`
    : html`<p><strong>${t.nothingLocked}</strong></p>`;
  const history = p.history.length
    ? scrollTable(
        t.historyTitle,
        html`<table><thead><tr><th scope="col">${t.colAction}</th><th scope="col">${t.colThrough}</th><th scope="col">${t.colReason}</th><th scope="col">${t.colBy}</th><th scope="col">${t.colAt}</th></tr></thead>
<tbody>${p.history.map(
          (h) => html`<tr><td>${h.action === 'close' ? t.actionClose : t.actionReopen}</td><td>${h.through ? day(h.through, lang) : t.noneLocked}</td><td translate="no">${h.reason}</td><td class="mono">${h.actor}</td><td class="mono">${h.at.slice(0, 16).replace('T', ' ')}</td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noHistory}</p>`;
  let forms: SafeHtml | string = '';
  if (PERIOD_CLOSE_ROLES.includes(viewer.role)) {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const c = view.close ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'close');
    const closeForm = postForm(c, {
      action: withLang('/periods/close', lang),
      viewer,
      submit: t.submitClose,
      idem: true,
      id: 'close-period',
      fields: [
        dateField(c, { name: 'through', label: t.fieldThrough, required: true, max: yesterday, ...(p.firstOpenDate ? { min: p.firstOpenDate } : {}) }),
        textareaField(c, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
        checkboxField(c, { name: 'confirm', label: t.fieldConfirm }),
      ],
    });
    const yearOptions = closableYears(ctx);
    const y = view.year ?? formState(lang, { year: yearOptions[0] ?? '', [IDEM_FIELD]: newIdem() }, {}, 'year');
    const yearForm = yearOptions.length
      ? postForm(y, {
          action: withLang('/periods/close-year', lang),
          viewer,
          submit: t.submitYear,
          idem: true,
          id: 'close-year',
          fields: [
            selectField(y, { name: 'year', label: t.fieldYear, required: true, options: yearOptions.map((x) => ({ value: x, label: x })) }),
            textareaField(y, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
            checkboxField(y, { name: 'confirm', label: t.fieldYearConfirm }),
          ],
        })
      : '';
    let reopen: SafeHtml | string = '';
    if (PERIOD_REOPEN_ROLES.includes(viewer.role) && p.lockedThrough) {
      const r = view.reopen ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'reopen');
      reopen = html`<section class="panel" id="reopen"><h2>${t.reopenTitle}</h2><p class="explain">${t.reopenLead}</p>${postForm(r, {
        action: withLang('/periods/reopen', lang),
        viewer,
        submit: t.submitReopen,
        idem: true,
        id: 'reopen-period',
        fields: [
          dateField(r, { name: 'through', label: t.fieldReopenThrough, hint: t.hintReopenThrough }),
          textareaField(r, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
        ],
      })}</section>`;
    }
    forms = html`<section class="panel" id="close"><h2>${t.closeTitle}</h2><p class="explain">${t.closeLead}</p>${closeForm}</section>
${reopen}
<section class="panel" id="year"><h2>${t.yearTitle}</h2><p class="explain">${t.yearLead}</p>${years.length ? html`<p>${t.closedYears(years.join(', '))}</p>` : ''}${yearForm}</section>`;
  } else forms = html`<p class="muted">${t.readOnly}</p>`;
  const body = html`<h1>${t.title}</h1><p class="lead">${t.lead}</p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${state}</section>
<section class="panel"><h2>${t.historyTitle}</h2>${history}</section>
${forms}`;
  return layout({ lang, url: request.url, user: viewer }, { title: t.title, active: '/periods', body });
}

const reasonField = (lang: FormLang) => z.string().trim().min(1, { message: FORM_TEXT[lang].required }).max(500, { message: FORM_TEXT[lang].tooLong(500) });
const confirmField = (lang: FormLang) => z.string().refine((s) => s === '1', { message: PERIODS_TEXT[lang].confirmRequired });

export default async function periodPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  app.get('/periods', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: PERIOD_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    const t = PERIODS_TEXT[lang];
    const locked = listPeriods(ctx).lockedThrough;
    const notice =
      q.closed === '1' && locked
        ? t.closed(day(locked, lang))
        : q.reopened === '1'
          ? t.reopened
          : q.year !== undefined && /^[0-9]{4}$/.test(q.year)
            ? t.yearClosed(Number.parseInt(q.year, 10))
            : undefined;
    return sendHtml(reply, 200, render(ctx, request, viewer, lang, notice ? { notice } : {}));
  });

  /** The common course of the forms: guard, replay, validate, call, answer. */
  const acting = (
    which: 'close' | 'reopen' | 'year',
    roles: readonly Role[],
    fields: readonly string[],
    run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; values: Record<string, string> }) => { location: string } | { errors: FieldErrors; status: number },
  ) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(ctx, request, viewerOf(request));
      const ok = postingViewer(request, reply, { roles, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const values = Object.fromEntries([...fields, IDEM_FIELD].map((n) => [n, (ok.body[n] ?? '').slice(0, 1000)]));
      const idem = postedIdem(ok.body);
      const rerender = (status: number, errors: FieldErrors) =>
        sendHtml(reply, status, render(ctx, request, viewer, lang, { [which]: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, which === 'year' ? 'year' : which) }));
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      // Synchronous from here to remember(): no other request runs in between.
      const r = run({ request, viewer, lang, values });
      if ('errors' in r) return rerender(r.status, r.errors);
      replays.remember(request, key, r.location);
      return seeOther(reply, r.location);
    };

  const failed = (e: unknown, lang: FormLang) => {
    const fields = serviceFieldErrors(e, {}, lang);
    if (!fields) throw e;
    return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
  };

  app.post(
    '/periods/close',
    { schema: hide },
    acting('close', PERIOD_CLOSE_ROLES, ['through', 'reason', 'confirm'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const v = validateForm(
        z.object({
          through: z.string().trim().min(1, { message: k.required }).refine(isIsoDate, { message: k.dateInvalid }),
          reason: reasonField(lang),
          confirm: confirmField(lang),
        }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        closePeriod(ctx, actorOf(viewer, request, 'POST /periods/close'), { through: v.data.through, reason: v.data.reason });
        return { location: withLang('/periods?closed=1', lang) };
      } catch (e) {
        return failed(e, lang);
      }
    }),
  );

  app.post(
    '/periods/reopen',
    { schema: hide },
    acting('reopen', PERIOD_REOPEN_ROLES, ['through', 'reason'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const v = validateForm(
        z.object({
          through: z
            .string()
            .trim()
            .refine((s) => s === '' || isIsoDate(s), { message: k.dateInvalid })
            .transform((s) => (s === '' ? null : s)),
          reason: reasonField(lang),
        }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        reopenPeriod(ctx, actorOf(viewer, request, 'POST /periods/reopen'), v.data);
        return { location: withLang('/periods?reopened=1', lang) };
      } catch (e) {
        return failed(e, lang);
      }
    }),
  );

  app.post(
    '/periods/close-year',
    { schema: hide },
    acting('year', PERIOD_CLOSE_ROLES, ['year', 'reason', 'confirm'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const v = validateForm(
        z.object({ year: z.string().regex(/^[0-9]{4}$/, { message: k.invalid }), reason: reasonField(lang), confirm: confirmField(lang) }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      const year = Number.parseInt(v.data.year, 10);
      try {
        closeYear(ctx, actorOf(viewer, request, `POST /years/${year}/close`), year, { reason: v.data.reason });
        return { location: withLang(`/periods?year=${year}`, lang) };
      } catch (e) {
        return failed(e, lang);
      }
    }),
  );
}
