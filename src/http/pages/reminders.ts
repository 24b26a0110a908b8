/**
 * The reminders pages (SPEC 9.2, 9.7, 9.9): who is overdue on a date (the
 * service's rule: invoices past their date payable by, net of the credit the
 * State Party holds — a State its credit covers is not listed), the form that
 * draws up the reminder letters (one per State per day), the letters of that
 * date with the form that e-mails them through the delivery service, and the
 * delivery log (by address: sent, written to the outbox, failed, with the
 * server's answer) with the form that retries the failures.
 *
 * Finance only (the Presidency and the auditors read the dashboard and the
 * reports). Every form posts with the session's CSRF token and a one-time
 * `_idem` token (a double submit acts once) and answers 303 to a page whose
 * address holds the result.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { daysBetween, isIsoDate, todayUtc } from '../../domain/dates.js';
import { states } from '../../db/schema.js';
import { formatMoney } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import { listDeliveries, retryDeliveries, sendDocuments } from '../../services/delivery/index.js';
import { ServiceError } from '../../services/errors.js';
import { issueReminders, listReminderLetters, remindersDue } from '../../services/reminders.js';
import { nameIn } from '../../services/states.js';
import { DELIVERY_KINDS, type DeliveryLogOut } from '../../schemas/deliveries.js';
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
  validateForm,
  withLang,
  FormReplays,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { REMINDERS_TEXT, type DeliveryStatusKey } from './reminders-text.js';
import { day, pageLang } from './page-common.js';

export const REMINDER_PAGE_ROLES: readonly Role[] = ['finance'];
const STATUSES: readonly DeliveryStatusKey[] = ['sent', 'written', 'failed'];
const LOG_PAGE_SIZE = 100;

registerPage({ path: '/reminders', key: 'reminders', roles: REMINDER_PAGE_ROLES });

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/reminders', body });
}

function stateNames(ctx: Ctx, lang: FormLang): Map<string, string> {
  return new Map(
    ctx.db
      .select()
      .from(states)
      .all()
      .map((s) => [s.iso3, nameIn(s, lang)]),
  );
}

const badge = (status: DeliveryStatusKey, text: string) => html`<span class="badge${status === 'failed' ? ' bad' : ' good'}">${text}</span>`;

// ---------------------------------------------------------------- who is overdue, the letters

const count = z.string().regex(/^[0-9]{1,6}$/).optional();
const remindersQuery = z.object({
  asOf: z.preprocess((v) => (v === '' ? undefined : v), z.string().refine(isIsoDate).optional()),
  issued: count,
  existing: count,
  lang: z.string().optional(),
});

interface RemindersView {
  generate?: FormState;
  send?: FormState;
  notice?: string;
}

function renderReminders(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, asOf: string, view: RemindersView = {}): string {
  const t = REMINDERS_TEXT[lang];
  const names = stateNames(ctx, lang);
  const due = remindersDue(ctx, asOf, null);
  const rows = [...due.states].sort((a, b) => (names.get(a.iso3) ?? a.iso3).localeCompare(names.get(b.iso3) ?? b.iso3, lang));
  const pick = formState(lang, { asOf }, {}, 'as');
  const chooser = html`<form method="get" action="/reminders" class="filters">${lang !== 'en' ? hiddenField('lang', lang) : ''}
${dateField(pick, { name: 'asOf', label: t.fieldAsOf, hint: t.hintAsOf, noOptionalMark: true, max: todayUtc() })}
<div class="actions"><button type="submit" class="primary">${t.show}</button></div></form>`;
  const kpis = html`<ul class="kpis compact">
<li class="kpi key"><div class="label">${t.kpiStates}</div><div class="value" id="remind-states">${due.totals.states}</div></li>
<li class="kpi warn"><div class="label">${t.kpiOverdue}</div><div class="value">${chf(due.totals.overdue, lang)}</div></li>
<li class="kpi"><div class="label">${t.kpiCredit}</div><div class="value">${chf(due.totals.credit, lang)}</div></li>
<li class="kpi key"><div class="label">${t.kpiToPay}</div><div class="value">${chf(due.totals.toPay, lang)}</div></li>
</ul>`;
  const table = rows.length
    ? html`${scrollTable(
        t.overdueTitle(day(asOf, lang)),
        html`<table id="overdue"><thead><tr><th scope="col">${t.colState}</th><th scope="col" class="num">${t.colToPay}</th><th scope="col" class="num">${t.colDays}</th><th scope="col">${t.colInvoices}</th><th scope="col" class="num">${t.colOverdue}</th><th scope="col" class="num">${t.colCredit}</th><th scope="col">${t.colLast}</th></tr></thead>
<tbody>${rows.map((r) => {
          const oldest = r.invoices.map((i) => i.dueDate).sort()[0] ?? asOf;
          return html`<tr><td>${names.get(r.iso3) ?? r.iso3}</td><td class="num"><strong>${formatMoney(r.toPay, lang)}</strong></td><td class="num">${daysBetween(oldest, asOf)}</td><td>${r.invoices.map(
            (i, n) =>
              html`${n ? html`<br>` : ''}<span class="nowrap"><a class="mono" href="${withLang(`/invoices/${i.number}`, lang)}">${i.number}</a> <span class="muted">${t.dueOn(day(i.dueDate, lang))} · ${t.left(formatMoney(i.left, lang))}</span></span>`,
          )}</td><td class="num">${formatMoney(r.overdue, lang)}</td><td class="num">${formatMoney(r.credit, lang)}</td>
<td>${r.lastReminder ? html`<span class="mono">${t.lastLetter(r.lastReminder.number, day(r.lastReminder.issueDate, lang), r.lastReminder.level)}</span>` : html`<span class="muted">${t.never}</span>`}</td></tr>`;
        })}</tbody></table>`,
      )}<p class="muted">${t.creditNote}</p>`
    : html`<p>${t.noneOverdue}</p>`;
  const g = view.generate ?? formState(lang, { asOf, [IDEM_FIELD]: newIdem() }, {}, 'gen');
  const generate = rows.length
    ? html`<section class="panel" id="generate"><h2>${t.generateTitle}</h2><p class="explain">${t.generateLead}</p>
${postForm(g, {
  action: withLang('/reminders', lang),
  viewer,
  submit: t.submitGenerate(rows.length),
  idem: true,
  id: 'generate-form',
  fields: [hiddenField('asOf', asOf), dateField(g, { name: 'date', label: t.fieldDate, hint: t.hintDate, min: asOf, max: todayUtc() })],
})}</section>`
    : '';
  // The letters of this date's figures, with what the delivery log says of each.
  const letters = listReminderLetters(ctx, { asOf }, null);
  const log = listDeliveries(ctx, { kind: 'reminders' });
  const byLetter = new Map<string, DeliveryLogOut[]>();
  for (const d of log) byLetter.set(d.document, [...(byLetter.get(d.document) ?? []), d]);
  const s = view.send ?? formState(lang, { asOf, [IDEM_FIELD]: newIdem() }, {}, 'snd');
  const lettersPanel = html`<section class="panel" id="letters"><h2>${t.lettersTitle(day(asOf, lang))}</h2>
${
  letters.length
    ? html`${scrollTable(
        t.lettersTitle(day(asOf, lang)),
        html`<table id="letters-table"><thead><tr><th scope="col">${t.colLetter}</th><th scope="col">${t.colState}</th><th scope="col">${t.colIssued}</th><th scope="col" class="num">${t.colLevel}</th><th scope="col" class="num">${t.colToPay}</th><th scope="col">${t.colDocuments}</th><th scope="col">${t.colDelivery}</th></tr></thead>
<tbody>${letters.map((l) => {
          const sent = byLetter.get(l.number) ?? [];
          return html`<tr><td class="mono">${l.number}</td><td>${names.get(l.iso3) ?? l.iso3}</td><td class="mono">${day(l.issueDate, lang)}</td><td class="num">${l.level}</td><td class="num">${formatMoney(l.toPay, lang)}</td>
<td><a href="/api/v1/reminders/letters/${l.number}/pdf">${t.pdf}<span class="vh">${t.pdfOf(l.number)}</span></a></td><td>${
            sent.length ? sent.map((d, n) => html`${n ? ' ' : ''}${badge(d.status, t.status[d.status])}`) : html`<span class="muted">${t.notSent}</span>`
          }</td></tr>`;
        })}</tbody></table>`,
      )}
<h3>${t.sendTitle}</h3><p class="explain">${t.sendLead}</p>
${postForm(s, {
  action: withLang('/reminders/send', lang),
  viewer,
  submit: t.submitSend(letters.length),
  idem: true,
  id: 'send-form',
  fields: [hiddenField('asOf', asOf), checkboxField(s, { name: 'resend', label: t.fieldResend })],
})}`
    : html`<p>${t.noLetters}</p>`
}</section>`;
  const body = html`<h1>${t.title}</h1><p class="lead">${t.lead}</p>
<p><a href="${withLang('/reminders/deliveries', lang)}">${t.logLink}</a></p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${chooser}</section>
${kpis}
<section class="panel"><h2>${t.overdueTitle(day(asOf, lang))}</h2>${table}</section>
${generate}
${lettersPanel}`;
  return page(request, lang, t.title, viewer, body);
}

// ---------------------------------------------------------------- the delivery log

const logQuery = z.object({
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['sent', 'written', 'failed']).optional()),
  kind: z.preprocess((v) => (v === '' ? undefined : v), z.enum(DELIVERY_KINDS).optional()),
  sent: count,
  written: count,
  failed: count,
  skipped: count,
  page: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[1-9][0-9]{0,5}$/).optional()),
  lang: z.string().optional(),
});
type LogQuery = z.infer<typeof logQuery>;

function renderLog(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: LogQuery, retry?: FormState): string {
  const t = REMINDERS_TEXT[lang];
  const names = stateNames(ctx, lang);
  const entries = listDeliveries(ctx, { status: q.status, kind: q.kind })
    .map((e) => ({ e, last: e.attempts.at(-1)! }))
    .sort((a, b) => (a.last.createdAt === b.last.createdAt ? b.last.id - a.last.id : a.last.createdAt < b.last.createdAt ? 1 : -1));
  const pages = Math.max(1, Math.ceil(entries.length / LOG_PAGE_SIZE));
  const pageNo = Math.min(pages, q.page === undefined ? 1 : Number.parseInt(q.page, 10));
  const shown = entries.slice((pageNo - 1) * LOG_PAGE_SIZE, pageNo * LOG_PAGE_SIZE);
  const pageUrl = (n: number) => {
    const p = new URLSearchParams();
    if (q.status) p.set('status', q.status);
    if (q.kind) p.set('kind', q.kind);
    if (n > 1) p.set('page', String(n));
    if (lang !== 'en') p.set('lang', lang);
    const str = p.toString();
    return `/reminders/deliveries${str ? `?${str}` : ''}`;
  };
  const pager = html`<nav aria-label="${t.pagination}" class="pager"><p>${t.pageOf(pageNo, pages, entries.length)}</p>${
    pageNo > 1 ? html`<a rel="prev" href="${pageUrl(pageNo - 1)}">${t.previous}</a> ` : ''
  }${pageNo < pages ? html`<a rel="next" href="${pageUrl(pageNo + 1)}">${t.next}</a>` : ''}</nav>`;
  const f = formState(lang, { status: q.status ?? '', kind: q.kind ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/reminders/deliveries" class="filters" role="search">${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'status', label: t.filterStatus, options: [{ value: '', label: t.filterAll }, ...STATUSES.map((s) => ({ value: s, label: t.status[s] }))], noOptionalMark: true })}
${selectField(f, { name: 'kind', label: t.filterKind, options: [{ value: '', label: t.filterAll }, ...DELIVERY_KINDS.map((k) => ({ value: k, label: t.kind[k] }))], noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.filterApply}</button> <a href="${withLang('/reminders/deliveries', lang)}">${t.filterClear}</a></div></form>`;
  const table = entries.length
    ? scrollTable(
        t.logTitle,
        html`<table id="deliveries"><thead><tr><th scope="col">${t.colDocument}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colState}</th><th scope="col">${t.colRecipient}</th><th scope="col">${t.colWhen}</th><th scope="col">${t.colKind}</th><th scope="col" class="num">${t.colAttempts}</th><th scope="col">${t.colMessage}</th></tr></thead>
<tbody>${shown.map(
          ({ e, last }) => html`<tr><td class="mono">${
            e.kind === 'invoices' ? html`<a href="${withLang(`/invoices/${e.document}`, lang)}">${e.document}</a>` : e.document
          }</td><td>${badge(e.status, t.status[e.status])}</td><td>${names.get(e.iso3) ?? e.iso3}</td>
<td>${e.recipient ? html`<span translate="no">${e.recipient}</span>` : html`<span class="muted">${t.noAddress}</span>`}</td><td class="mono">${last.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${t.kind[e.kind]}</td><td class="num">${e.attempts.length}</td><td><code translate="no">${last.response ?? ''}</code></td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noDeliveries}</p>`;
  const retryable = listDeliveries(ctx, {}).filter((e) => e.retryable).length;
  const r = retry ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'rty');
  const retryPanel =
    retryable > 0
      ? html`<section class="panel" id="retry"><h2>${t.retryTitle}</h2><p class="explain">${t.retryLead(retryable)}</p>
${postForm(r, { action: withLang('/reminders/deliveries/retry', lang), viewer, submit: t.submitRetry, idem: true, fields: [] })}</section>`
      : '';
  const n = (s: string | undefined) => (s === undefined ? 0 : Number.parseInt(s, 10));
  const result = q.sent !== undefined || q.written !== undefined || q.failed !== undefined || q.skipped !== undefined;
  const body = html`<p><a href="${withLang('/reminders', lang)}">${t.backToReminders}</a></p><h1>${t.logTitle}</h1><p class="lead">${t.logLead}</p>
${result ? html`<p class="info" role="status" id="run-result">${t.runResult(n(q.sent), n(q.written), n(q.failed), n(q.skipped))}</p>` : ''}
<section class="panel">${filter}</section>
${table}
${entries.length ? pager : ''}
${retryPanel}`;
  return page(request, lang, t.logTitle, viewer, body);
}

// ---------------------------------------------------------------- routes

const generateSchema = (lang: FormLang) => {
  const k = FORM_TEXT[lang];
  return z.object({
    asOf: z.string().refine(isIsoDate, { message: k.dateInvalid }),
    date: z
      .string()
      .trim()
      .refine((s) => s === '' || isIsoDate(s), { message: k.dateInvalid })
      .transform((s) => (s === '' ? undefined : s)),
  });
};

const sendSchema = (lang: FormLang) =>
  z.object({
    asOf: z.string().refine(isIsoDate, { message: FORM_TEXT[lang].dateInvalid }),
    resend: z.string().transform((s) => s === '1'),
  });

function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));
}

export default async function reminderPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  const inFlight = new Map<string, Promise<string | null>>();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  const badQuery = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang, back: string) =>
    sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, REMINDERS_TEXT[lang].badQuery, { href: withLang(back, lang), text: REMINDERS_TEXT[lang].backToReminders }));

  app.get('/reminders', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: REMINDER_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = remindersQuery.safeParse(request.query ?? {});
    if (!q.success) return badQuery(request, reply, viewer, lang, '/reminders');
    const notice = q.data.issued !== undefined ? REMINDERS_TEXT[lang].generated(Number.parseInt(q.data.issued, 10), Number.parseInt(q.data.existing ?? '0', 10)) : undefined;
    return sendHtml(reply, 200, renderReminders(ctx, request, viewer, lang, q.data.asOf ?? todayUtc(), notice ? { notice } : {}));
  });

  app.get('/reminders/deliveries', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: REMINDER_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = logQuery.safeParse(request.query ?? {});
    if (!q.success) return badQuery(request, reply, viewer, lang, '/reminders/deliveries');
    return sendHtml(reply, 200, renderLog(ctx, request, viewer, lang, q.data));
  });

  /**
   * The course of every form of these pages: guard, replay (the same form
   * posted again: the first answer), validate, act once, answer 303 (or the
   * page again with the message at the field).
   */
  const acting =
    (
      which: string,
      fields: readonly string[],
      rerender: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; values: Record<string, string>; errors: FieldErrors }) => string,
      run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; values: Record<string, string> }) => Promise<string | { errors: FieldErrors }>,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const lang = pageLang(ctx, request, viewerOf(request));
      const ok = postingViewer(request, reply, { roles: REMINDER_PAGE_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const values = posted(ok.body, fields);
      const idem = postedIdem(ok.body);
      const again = (status: number, errors: FieldErrors) =>
        sendHtml(reply, status, rerender({ request, viewer, lang, values: { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors }));
      if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${idem}`;
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
        const r = await run({ request, viewer, lang, values });
        if (typeof r !== 'string') {
          settle(null);
          return again(422, r.errors);
        }
        replays.remember(request, key, r);
        settle(r);
        return seeOther(reply, r);
      } catch (e) {
        settle(null);
        const errors = serviceFieldErrors(e, { 'states.0': '', states: '' }, lang);
        if (!errors) throw e;
        return again(e instanceof ServiceError ? e.status : 422, errors);
      } finally {
        inFlight.delete(key);
      }
    };

  const asOfOf = (values: Record<string, string>) => (isIsoDate(values.asOf ?? '') ? values.asOf! : todayUtc());

  app.post(
    '/reminders',
    { schema: hide },
    acting(
      'generate',
      ['asOf', 'date'],
      ({ request, viewer, lang, values, errors }) => renderReminders(ctx, request, viewer, lang, asOfOf(values), { generate: formState(lang, values, errors, 'gen') }),
      async ({ request, viewer, lang, values }) => {
        const v = validateForm(generateSchema(lang), values);
        if (!v.ok) return { errors: v.errors };
        const r = await issueReminders(ctx, actorOf(viewer, request, 'POST /reminders'), { asOf: v.data.asOf, date: v.data.date });
        return withLang(`/reminders?asOf=${v.data.asOf}&issued=${r.issued}&existing=${r.existing}`, lang);
      },
    ),
  );

  app.post(
    '/reminders/send',
    { schema: hide },
    acting(
      'send',
      ['asOf', 'resend'],
      ({ request, viewer, lang, values, errors }) => renderReminders(ctx, request, viewer, lang, asOfOf(values), { send: formState(lang, values, errors, 'snd') }),
      async ({ request, viewer, lang, values }) => {
        const v = validateForm(sendSchema(lang), values);
        if (!v.ok) return { errors: v.errors };
        const r = await sendDocuments(ctx, actorOf(viewer, request, 'POST /deliveries'), { kind: 'reminders', asOf: v.data.asOf, ...(v.data.resend ? { resend: true } : {}) });
        return withLang(`/reminders/deliveries?kind=reminders&sent=${r.sent}&written=${r.written}&failed=${r.failed}&skipped=${r.skipped}`, lang);
      },
    ),
  );

  app.post(
    '/reminders/deliveries/retry',
    { schema: hide },
    acting(
      'retry',
      [],
      ({ request, viewer, lang, values, errors }) => renderLog(ctx, request, viewer, lang, {}, formState(lang, values, errors, 'rty')),
      async ({ request, viewer, lang }) => {
        const r = await retryDeliveries(ctx, actorOf(viewer, request, 'POST /deliveries/retry'), {});
        return withLang(`/reminders/deliveries?sent=${r.sent}&written=${r.written}&failed=${r.failed}&skipped=${r.skipped}`, lang);
      },
    ),
  );
}
