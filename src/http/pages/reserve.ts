/**
 * The working capital reserve page (SPEC 2.6, 9.9): the balance against its
 * target, the operating cash, the outstanding drawdowns and every movement,
 * as of a date in the query string; and, for finance, the drawdown and
 * restoration forms with their LIMITS SHOWN BEFORE SUBMIT, computed by the
 * service's own rules for that date: the operating-cash shortfall a drawdown
 * may cover, the reserve balance available, the most that may be drawn; what
 * is outstanding, the operating cash available and the most that may be
 * restored; and what would bring the reserve back to its target. Finance,
 * the Presidency and the auditors read it (as GET /reserve); only finance
 * draws or restores (as the API). A refusal of the service is said at the
 * field (422, nothing written); a double submit acts once.
 */
import { asc } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { states as statesTable } from '../../db/schema.js';
import { nameIn } from '../../services/states.js';
import { z } from 'zod';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { ACCOUNTS } from '../../domain/ledger.js';
import { formatMoney as formatCentimes, minCentimes, sumCentimes, parseMoney } from '../../domain/money.js';
import { shortfall } from '../../domain/reserve.js';
import { formatMoney } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import { cashflowOutlook, reserveWithProposal } from '../../services/cashflow.js';
import { findBudget } from '../../services/budgets.js';
import { reverseReserveMovement } from '../../services/corrections.js';
import type { Ctx } from '../../services/context.js';
import { addReserveContribution, setReserveTarget, availableFrom, drawDown, getReserve, listReserveMovements, operatingCash, restore } from '../../services/reserve.js';
import { ServiceError } from '../../services/errors.js';
import { actorOf, emptyToUndefined, localized, pageLang, posted } from './books-kit.js';
import { pageOf, sendHtml, viewerOf, type Viewer } from './guard.js';
import {
  csrfGuard,
  dateField,
  FORM_TEXT,
  formState,
  FormReplays,
  hiddenField,
  IDEM_FIELD,
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
  textareaField,
  textField,
  validateForm,
  withLang,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { chf, html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { RESERVE_TEXT, type ReserveText } from './reserve-text.js';
import { t as catalogue } from './i18n/index.js';
import { day } from './page-common.js';

const MONTHS = { en: catalogue('en').common.months, fr: catalogue('fr').common.months, es: catalogue('es').common.months } as const;

/** Who reads the reserve (GET /reserve: READERS) and who moves it (POST /reserve/drawdowns, /restorations: FINANCE). */
export const RESERVE_PAGE_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];
export const RESERVE_WRITE_ROLES: readonly Role[] = ['finance'];

registerPage({ path: '/reserve', key: 'reserve', roles: RESERVE_PAGE_ROLES });

const nonNeg = (c: bigint) => (c > 0n ? c : 0n);

/** The limits of a drawdown and of a restoration on a date, by the rules the service applies (src/services/reserve.ts, src/domain/reserve.ts). */
export interface ReserveLimits {
  date: string;
  operatingCash: string;
  /** How far operating cash is below zero on the date: what a drawdown may cover. */
  shortfall: string;
  /** The reserve balance that may be taken on the date without it going negative later. */
  reserveAvailable: string;
  maxDrawdown: string;
  /** The drawdowns dated on or before the date not yet restored. */
  outstanding: string;
  /** Operating cash that may go back on the date without it going negative later. */
  cashAvailable: string;
  maxRestoration: string;
  /** What brings the reserve back to its target (balance on the date). */
  toTarget: string;
}

export function reserveLimits(ctx: Ctx, date: string): ReserveLimits {
  const cash = operatingCash(ctx, date);
  const gap = shortfall(cash);
  const reserveAvailable = nonNeg(availableFrom(ctx, ACCOUNTS.reserveCash, date));
  const owed = sumCentimes(
    getReserve(ctx, todayUtc())
      .outstandingDrawdowns.filter((d) => d.date <= date)
      .map((d) => parseMoney(d.outstanding)),
  );
  const cashAvailable = nonNeg(availableFrom(ctx, ACCOUNTS.operatingCash, date));
  const r = getReserve(ctx, date);
  return {
    date,
    operatingCash: formatCentimes(cash),
    shortfall: formatCentimes(gap),
    reserveAvailable: formatCentimes(reserveAvailable),
    maxDrawdown: formatCentimes(minCentimes(gap, reserveAvailable)),
    outstanding: formatCentimes(owed),
    cashAvailable: formatCentimes(cashAvailable),
    maxRestoration: formatCentimes(minCentimes(owed, cashAvailable)),
    toTarget: r.shortfallToTarget,
  };
}

function stateChoices(ctx: Ctx, lang: FormLang): { iso3: string; name: string }[] {
  return ctx.db
    .select()
    .from(statesTable)
    .orderBy(asc(statesTable.iso3))
    .all()
    .map((x) => ({ iso3: x.iso3, name: nameIn(x, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/reserve', body });
}

const pageQuery = z.object({
  asOf: z.preprocess(emptyToUndefined, z.string().refine(isIsoDate).optional()),
  done: z.enum(['drawdown', 'restoration', 'reversal', 'contribution', 'target']).optional(),
  lang: z.string().optional(),
});
type PageQuery = z.infer<typeof pageQuery>;

type Which = 'drawdown' | 'restoration' | 'reversal' | 'contribution' | 'target';
const PREFIX: Record<Which, string> = { drawdown: 'draw', restoration: 'rest', reversal: 'rmv', contribution: 'contrib', target: 'tgt' };

interface ReserveView {
  notice?: string;
  drawdown?: FormState;
  restoration?: FormState;
  reverse?: FormState;
  contribution?: FormState;
  target?: FormState;
}

function limitList(items: [string, string, string][]): SafeHtml {
  return html`<dl class="facts limits">${items.map(([label, value, figure]) => html`<div><dt>${label}</dt><dd data-limit="${figure}">${value}</dd></div>`)}</dl>`;
}

function renderReserve(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: PageQuery, view: ReserveView = {}): string {
  const t = RESERVE_TEXT[lang];
  const asOf = q.asOf ?? todayUtc();
  const r = reserveWithProposal(ctx, asOf);
  const money = (a: string) => chf(a, lang);
  const filter = html`<form method="get" action="/reserve" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${dateField(formState(lang, { asOf: q.asOf ?? '' }, {}, 'flt'), { name: 'asOf', label: t.asOfLabel, hint: t.asOfHint, noOptionalMark: true })}
<div class="actions"><button type="submit" class="primary">${t.show}</button> <a href="${withLang('/reserve', lang)}">${t.today}</a></div>
</form>`;
  const fact = (label: string, figure: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd data-figure="${figure}">${value}</dd></div>`;
  const figures = html`<dl class="facts">
${fact(t.target, 'target', html`${money(r.target)}${r.targetDecisionRef ? html` <span class="muted" translate="no">(${r.targetDecisionRef})</span>` : ''}`)}
${fact(t.balance, 'balance', money(r.balance))}
${fact(t.toTarget, 'to-target', money(r.shortfallToTarget))}
${fact(t.operatingCash, 'operating-cash', money(r.operatingCash))}
${fact(t.totalOutstanding, 'outstanding', money(r.totalOutstanding))}
${r.proposedRestoration ? fact(t.proposed, 'proposed', money(r.proposedRestoration)) : ''}
</dl>`;
  const outstanding = r.outstandingDrawdowns.length
    ? scrollTable(
        t.outstandingTitle,
        html`<table><thead><tr><th scope="col">${t.colId}</th><th scope="col">${t.colDate}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col" class="num">${t.colRestored}</th><th scope="col" class="num">${t.colOutstanding}</th><th scope="col" class="num">${t.colDays}</th><th scope="col">${t.colReason}</th></tr></thead>
<tbody>${r.outstandingDrawdowns.map(
          (d) =>
            html`<tr><td>${d.id}</td><td class="mono">${day(d.date, lang)}</td><td class="num">${formatMoney(d.amount, lang)}</td><td class="num">${formatMoney(d.restored, lang)}</td><td class="num">${formatMoney(d.outstanding, lang)}</td><td class="num">${d.daysOutstanding}</td><td><span translate="no">${d.reason}</span></td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noneOutstanding}</p>`;
  const movements = listReserveMovements(ctx, { to: asOf });
  const moves = movements.length
    ? scrollTable(
        t.movementsTitle,
        html`<table><thead><tr><th scope="col">${t.colId}</th><th scope="col">${t.colDate}</th><th scope="col">${t.colKind}</th><th scope="col" class="num">${t.colAmount}</th><th scope="col">${t.colDescription}</th></tr></thead>
<tbody>${[...movements].reverse().map(
          (m) =>
            html`<tr${m.reversal ? html` class="muted"` : ''}><td>${m.id}</td><td class="mono">${day(m.date, lang)}</td><td>${t.kind[m.kind]}${m.drawdown !== null ? html` (${t.ofDrawdown(m.drawdown)})` : ''}${
              m.reversal ? html` <span class="badge bad">${t.reversedOn(day(m.reversal.date, lang))}</span>` : ''
            }</td><td class="num">${m.kind === 'drawdown' ? '−' : '+'}${formatMoney(m.amount, lang)}</td><td><span translate="no">${m.description}</span></td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${t.noMovements}</p>`;

  let forms: SafeHtml | string = '';
  if (RESERVE_WRITE_ROLES.includes(viewer.role)) {
    const today = todayUtc();
    const limitDate = asOf > today ? today : asOf;
    const l = reserveLimits(ctx, limitDate);
    const dr = view.drawdown ?? formState(lang, { date: limitDate, [IDEM_FIELD]: newIdem() }, {}, 'draw');
    const rs = view.restoration ?? formState(lang, { date: limitDate, [IDEM_FIELD]: newIdem() }, {}, 'rest');
    const drawLimits = limitList([
      [t.limitOperatingCash(day(l.date, lang)), money(l.operatingCash), 'operating-cash'],
      [t.limitShortfall, money(l.shortfall), 'shortfall'],
      [t.limitReserveAvailable, money(l.reserveAvailable), 'reserve-available'],
      [t.limitMaxDrawdown, money(l.maxDrawdown), 'max-drawdown'],
    ]);
    const restLimits = limitList([
      [t.limitOutstanding(day(l.date, lang)), money(l.outstanding), 'outstanding'],
      [t.limitCashAvailable, money(l.cashAvailable), 'cash-available'],
      [t.limitMaxRestoration, money(l.maxRestoration), 'max-restoration'],
      [t.limitToTarget, money(l.toTarget), 'to-target'],
    ]);
    const open = getReserve(ctx, todayUtc()).outstandingDrawdowns;
    forms = html`<section class="panel" id="drawdown"><h2>${t.drawTitle}</h2><p class="explain">${t.drawLead}</p>
<h3>${t.limitsOn(day(l.date, lang))}</h3>${drawLimits}<p class="hint">${t.limitsHint}</p>
${postForm(dr, {
  action: withLang('/reserve/drawdowns', lang),
  viewer,
  submit: t.submitDraw,
  idem: true,
  id: 'drawdown-form',
  fields: [
    dateField(dr, { name: 'date', label: t.fieldDate, required: true, max: today }),
    moneyField(dr, { name: 'amount', label: t.fieldAmount, hint: t.hintDrawAmount(money(l.maxDrawdown)), required: true }),
    textareaField(dr, { name: 'reason', label: t.fieldReason, hint: t.hintReason, required: true, maxlength: 500 }),
  ],
})}</section>
<section class="panel" id="restoration"><h2>${t.restoreTitle}</h2><p class="explain">${t.restoreLead}</p>
<h3>${t.limitsOn(day(l.date, lang))}</h3>${restLimits}<p class="hint">${t.limitsHint}</p>
${postForm(rs, {
  action: withLang('/reserve/restorations', lang),
  viewer,
  submit: t.submitRestore,
  idem: true,
  id: 'restoration-form',
  fields: [
    dateField(rs, { name: 'date', label: t.fieldDate, required: true, max: today }),
    moneyField(rs, { name: 'amount', label: t.fieldAmount, hint: t.hintRestoreAmount(money(l.maxRestoration)), required: true }),
    selectField(rs, {
      name: 'drawdown',
      label: t.fieldDrawdown,
      options: [{ value: '', label: t.oldestFirst }, ...open.map((d) => ({ value: String(d.id), label: t.drawdownOption(d.id, day(d.date, lang), money(d.outstanding)) }))],
    }),
  ],
})}</section>`;
  } else forms = html`<p class="muted">${t.financeOnly}</p>`;

  // The cash-flow outlook of the as-of year (SPEC 2.7): the first month of shortfall and the drawdown it would need.
  const year = Number.parseInt(asOf.slice(0, 4), 10);
  let outlook: SafeHtml | string = '';
  if (findBudget(ctx.db, year)) {
    const o = cashflowOutlook(ctx, year, asOf);
    const month = (m: string) => `${MONTHS[lang][Number.parseInt(m.slice(5, 7), 10) - 1]}\u00a0${m.slice(0, 4)}`;
    outlook = html`<section class="panel" id="outlook"><h2>${t.outlookTitle(year)}</h2><p class="explain">${t.outlookLead}</p>
${o.firstShortfall ? html`<p class="notice" data-figure="first-shortfall">${t.firstShortfall(month(o.firstShortfall.month), money(o.firstShortfall.drawdownNeeded))}</p>` : html`<p>${t.noShortfall}</p>`}
${o.proposedRestoration ? html`<p class="info">${t.proposedIn(month(o.proposedRestoration.month), money(o.proposedRestoration.amount))}</p>` : ''}
${scrollTable(
  t.outlookTitle(year),
  html`<table><thead><tr><th scope="col">${t.colMonth}</th><th scope="col">${t.colBasis}</th><th scope="col" class="num">${t.colReceipts}</th><th scope="col" class="num">${t.colSpending}</th><th scope="col" class="num">${t.colReserveMoves}</th><th scope="col" class="num">${t.colClosing}</th></tr></thead>
<tbody>${o.months.map(
    (m) =>
      html`<tr><td>${month(m.month)}</td><td>${t.basis[m.basis]}</td><td class="num">${formatMoney(m.receipts, lang)}</td><td class="num">${formatMoney(m.basis === 'actual' ? m.actualSpending : m.plannedSpending, lang)}</td><td class="num">${formatMoney(m.reserveMovements, lang)}</td><td class="num">${formatMoney(m.closingCash, lang)}</td></tr>`,
  )}</tbody></table>`,
)}</section>`;
  }
  let reverseForm: SafeHtml | string = '';
  if (RESERVE_WRITE_ROLES.includes(viewer.role)) {
    const live = movements.filter((m) => m.reversal === null);
    if (live.length) {
      const rv = view.reverse ?? formState(lang, { movement: '', reason: '', date: '', [IDEM_FIELD]: newIdem() }, {}, 'rmv');
      reverseForm = html`<section class="panel" id="reverse"><h2>${t.reverseTitle}</h2><p class="explain">${t.reverseLead}</p>
${postForm(rv, {
  action: withLang('/reserve/reversals', lang),
  viewer,
  submit: t.submitReverse,
  idem: true,
  id: 'reverse-form',
  fields: [
    selectField(rv, {
      name: 'movement',
      label: t.fieldMovement,
      required: true,
      options: [{ value: '', label: t.chooseMovement }, ...[...live].reverse().map((m) => ({ value: String(m.id), label: t.movementOption(m.id, t.kind[m.kind], day(m.date, lang), money(m.amount)) }))],
    }),
    textareaField(rv, { name: 'reason', label: t.fieldReason, required: true, maxlength: 500 }),
    dateField(rv, { name: 'date', label: t.fieldReverseDate, hint: t.hintReverseDate, max: todayUtc() }),
  ],
})}</section>`;
    }
  }
  let moreForms: SafeHtml | string = '';
  if (RESERVE_WRITE_ROLES.includes(viewer.role)) {
    const cf = view.contribution ?? formState(lang, { date: todayUtc(), kind: 'contribution', [IDEM_FIELD]: newIdem() }, {}, 'contrib');
    const tf = view.target ?? formState(lang, { amount: r.target, decisionRef: r.targetDecisionRef ?? '', [IDEM_FIELD]: newIdem() }, {}, 'tgt');
    const states = stateChoices(ctx, lang);
    moreForms = html`<section class="panel" id="contribution"><h2>${t.contributionTitle}</h2><p class="explain">${t.contributionLead}</p>
${postForm(cf, {
  action: withLang('/reserve/contributions', lang),
  viewer,
  submit: t.submitContribution,
  idem: true,
  id: 'contribution-form',
  fields: [
    selectField(cf, { name: 'kind', label: t.fieldKind, required: true, options: [{ value: 'contribution', label: t.kind.contribution }, { value: 'transfer', label: t.kind.transfer }] }),
    dateField(cf, { name: 'date', label: t.fieldDate, required: true, max: todayUtc() }),
    moneyField(cf, { name: 'amount', label: t.fieldAmount, required: true }),
    selectField(cf, { name: 'iso3', label: t.fieldState, hint: t.hintContributor, options: [{ value: '', label: t.noState }, ...states.map((x) => ({ value: x.iso3, label: x.name }))] }),
    textField(cf, { name: 'donor', label: t.fieldDonor, maxlength: 200 }),
    textareaField(cf, { name: 'description', label: t.fieldDescription, hint: t.hintDescription, maxlength: 500 }),
  ],
})}</section>
<section class="panel" id="target"><h2>${t.targetTitle}</h2><p class="explain">${t.targetLead}</p>
${postForm(tf, {
  action: withLang('/reserve/target', lang),
  viewer,
  submit: t.submitTarget,
  idem: true,
  id: 'target-form',
  fields: [moneyField(tf, { name: 'amount', label: t.fieldTarget, required: true }), textField(tf, { name: 'decisionRef', label: t.fieldDecision, hint: t.hintDecision, required: true, maxlength: 200 })],
})}</section>`;
  }
  const body = html`<h1>${t.title}</h1><p class="lead">${t.lead}</p>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<section class="panel">${filter}</section>
<section class="panel"><h2>${t.positionOn(day(asOf, lang))}</h2>${figures}</section>
<section class="panel"><h2>${t.outstandingTitle}</h2>${outstanding}</section>
${forms}
${outlook}
<section class="panel"><h2>${t.movementsTitle}</h2>${moves}</section>
${reverseForm}
${moreForms}`;
  return page(request, lang, t.title, viewer, body);
}

// ---------------------------------------------------------------- routes

function amountSchema(lang: FormLang, t: ReserveText) {
  const k = FORM_TEXT[lang];
  return z
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
    .refine((s) => !/^0(\.0+)?$/.test(s), { message: t.amountZero });
}

const dateSchema = (lang: FormLang) =>
  z
    .string()
    .trim()
    .min(1, { message: FORM_TEXT[lang].required })
    .refine(isIsoDate, { message: FORM_TEXT[lang].dateInvalid });

const drawdownSchema = (lang: FormLang, t: ReserveText) =>
  z.object({
    date: dateSchema(lang),
    amount: amountSchema(lang, t),
    reason: z.string().trim().min(1, { message: FORM_TEXT[lang].required }).max(500, { message: FORM_TEXT[lang].tooLong(500) }),
  });

const restorationSchema = (lang: FormLang, t: ReserveText, open: Set<string>) =>
  z.object({
    date: dateSchema(lang),
    amount: amountSchema(lang, t),
    drawdown: z
      .string()
      .trim()
      .refine((s) => s === '' || open.has(s), { message: t.drawdownUnknown })
      .transform((s) => (s === '' ? undefined : Number.parseInt(s, 10))),
  });

export default async function reservePages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  const badQuery = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, RESERVE_TEXT[lang].badQuery, { href: withLang('/reserve', lang), text: RESERVE_TEXT[lang].today }));

  app.get('/reserve', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: RESERVE_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = pageQuery.safeParse(request.query ?? {});
    if (!q.success) return badQuery(request, reply, viewer, lang);
    const t = RESERVE_TEXT[lang];
    const notice = q.data.done === undefined ? undefined : { drawdown: t.drawnNotice, restoration: t.restoredNotice, reversal: t.reversedNotice, contribution: t.contributedNotice, target: t.targetNotice }[q.data.done];
    return sendHtml(reply, 200, renderReserve(ctx, request, viewer, lang, q.data, notice ? { notice } : {}));
  });

  /** The common course of the two forms: guard, replay, validate, call the service, answer (303, or the page again with the message at the field). */
  const moving = (which: Which, fields: readonly string[], run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; values: Record<string, string> }) => { ok: true } | { errors: FieldErrors; status: number }) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(ctx, request, viewerOf(request));
      const ok = postingViewer(request, reply, { roles: RESERVE_WRITE_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const values = posted(ok.body, fields);
      const idem = postedIdem(ok.body);
      const rerender = (status: number, errors: FieldErrors) => {
        const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, PREFIX[which]);
        const asOf = isIsoDate(values.date ?? '') && values.date! <= todayUtc() ? values.date : undefined;
        const key = which === 'reversal' ? 'reverse' : which;
        return sendHtml(reply, status, renderReserve(ctx, request, viewer, lang, { asOf }, { [key]: f }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      const r = run({ request, viewer, lang, values });
      if ('errors' in r) return rerender(r.status, r.errors);
      const location = withLang(`/reserve?done=${which}`, lang);
      replays.remember(request, key, location);
      return seeOther(reply, location);
    };

  const refusal = (e: unknown, lang: FormLang) => {
    const fields = localized(lang, serviceFieldErrors(e));
    if (!fields) throw e;
    return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
  };

  app.post(
    '/reserve/drawdowns',
    { schema: hide },
    moving('drawdown', ['date', 'amount', 'reason'], ({ request, viewer, lang, values }) => {
      const v = validateForm(drawdownSchema(lang, RESERVE_TEXT[lang]), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        drawDown(ctx, actorOf(viewer, request, 'POST /reserve/drawdowns'), v.data);
        return { ok: true };
      } catch (e) {
        return refusal(e, lang);
      }
    }),
  );

  app.post(
    '/reserve/restorations',
    { schema: hide },
    moving('restoration', ['date', 'amount', 'drawdown'], ({ request, viewer, lang, values }) => {
      const open = new Set(getReserve(ctx, todayUtc()).outstandingDrawdowns.map((d) => String(d.id)));
      const v = validateForm(restorationSchema(lang, RESERVE_TEXT[lang], open), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        restore(ctx, actorOf(viewer, request, 'POST /reserve/restorations'), v.data);
        return { ok: true };
      } catch (e) {
        return refusal(e, lang);
      }
    }),
  );

  app.post(
    '/reserve/reversals',
    { schema: hide },
    moving('reversal', ['movement', 'reason', 'date'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const t = RESERVE_TEXT[lang];
      const v = validateForm(
        z.object({
          movement: z.string().trim().regex(/^[1-9][0-9]{0,11}$/, { message: t.chooseFromList }),
          reason: z.string().trim().min(1, { message: k.required }).max(500, { message: k.tooLong(500) }),
          date: z
            .string()
            .trim()
            .refine((x) => x === '' || isIsoDate(x), { message: k.dateInvalid })
            .transform((x) => (x === '' ? undefined : x)),
        }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        const { movement, ...input } = v.data;
        reverseReserveMovement(ctx, actorOf(viewer, request, `POST /reserve/movements/${movement}/reverse`), Number.parseInt(movement, 10), input);
        return { ok: true };
      } catch (e) {
        const fields = localized(lang, serviceFieldErrors(e, { id: 'movement' }));
        if (!fields) throw e;
        return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
      }
    }),
  );

  app.post(
    '/reserve/contributions',
    { schema: hide },
    moving('contribution', ['kind', 'date', 'amount', 'iso3', 'donor', 'description'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const t = RESERVE_TEXT[lang];
      const codes = new Set(stateChoices(ctx, 'en').map((x) => x.iso3));
      const opt = (max: number) =>
        z
          .string()
          .trim()
          .max(max, { message: k.tooLong(max) })
          .transform((x) => (x === '' ? undefined : x));
      const v = validateForm(
        z
          .object({
            kind: z.enum(['contribution', 'transfer']).catch('contribution'),
            date: dateSchema(lang),
            amount: amountSchema(lang, t),
            iso3: opt(3).refine((x) => x === undefined || codes.has(x), { message: t.stateUnknown }),
            donor: opt(200),
            description: opt(500),
          })
          .superRefine((x, c) => {
            if (x.iso3 !== undefined && x.donor !== undefined) c.addIssue({ code: 'custom', path: ['donor'], message: t.stateOrDonor });
            if (x.kind === 'transfer' && x.description === undefined) c.addIssue({ code: 'custom', path: ['description'], message: t.transferNeedsDescription });
          }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        addReserveContribution(ctx, actorOf(viewer, request, 'POST /reserve/contributions'), v.data);
        return { ok: true };
      } catch (e) {
        const fields = localized(lang, serviceFieldErrors(e));
        if (!fields) throw e;
        return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
      }
    }),
  );

  app.post(
    '/reserve/target',
    { schema: hide },
    moving('target', ['amount', 'decisionRef'], ({ request, viewer, lang, values }) => {
      const k = FORM_TEXT[lang];
      const v = validateForm(
        z.object({
          amount: amountSchema(lang, RESERVE_TEXT[lang]),
          decisionRef: z.string().trim().min(1, { message: k.required }).max(200, { message: k.tooLong(200) }),
        }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        setReserveTarget(ctx, actorOf(viewer, request, 'PUT /reserve/target'), v.data);
        return { ok: true };
      } catch (e) {
        const fields = localized(lang, serviceFieldErrors(e));
        if (!fields) throw e;
        return { errors: fields, status: e instanceof ServiceError ? e.status : 422 };
      }
    }),
  );
}
