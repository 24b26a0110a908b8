/**
 * The States Parties pages (SPEC 2.1, 9.9, 9.10): the register (searched by
 * name or code and filtered by status through the query string), one State
 * Party with its register data, the form that changes what the API lets
 * finance change (names, invoice language, membership dates, number style,
 * the Mission's formal names and address, billing), and adding a late
 * joiner through the API's State creation. The readers of the API (finance,
 * Presidency, auditors) see the register; a State user sees its own State
 * only (anything else is 404); only finance changes it, as on the API.
 * Every form posts with the session's CSRF token and a one-time `_idem`
 * token, is validated on the server (422, nothing written, the message at
 * the field) and answers 303.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ARTICLES, NUMBER_LOCALE_TAGS } from '../../domain/addressee.js';
import { isIsoDate, todayUtc } from '../../domain/dates.js';
import { states } from '../../db/schema.js';
import { formatShortDate } from '../../pdf/i18n.js';
import type { Role } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { createState, findState, getState, listStates, nameIn, updateState } from '../../services/states.js';
import { INSTRUMENTS, LANGUAGES, stateCreate, statePatch, type StateOut } from '../../schemas/states.js';
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
  textField,
  withLang,
  FormReplays,
  type FieldErrors,
  type FormLang,
  type FormState,
} from './forms.js';
import { html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';
import { serviceMessageIn } from './service-messages.js';
import { STATES_TEXT, type StatesText } from './states-text.js';
import { pageLang } from './page-common.js';

/** Who reads the register (the API's readers), who changes it (finance, as on the API). */
export const STATE_PAGE_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];
export const STATE_WRITE_ROLES: readonly Role[] = ['finance'];

registerPage({ path: '/states', key: 'states', roles: STATE_PAGE_ROLES });

const STATUSES = ['inForce', 'notYet', 'withdrawn'] as const;
type Status = (typeof STATUSES)[number];
const ADDRESS_LINES = 4;

const day = (iso: string | null, lang: FormLang) => (iso ? formatShortDate(iso, lang) : '—');

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/states', body });
}

function statusOf(s: Pick<StateOut, 'entryIntoForce' | 'withdrawalEffective'>, today: string): Status {
  if (s.withdrawalEffective && s.withdrawalEffective <= today) return 'withdrawn';
  if (!s.entryIntoForce || s.entryIntoForce > today) return 'notYet';
  return 'inForce';
}

const nameOf = (s: StateOut, lang: FormLang) => nameIn({ nameEn: s.names.en, nameFr: s.names.fr, nameEs: s.names.es }, lang);

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

// ---------------------------------------------------------------- the register

const listQuery = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(['', ...STATUSES]).optional(),
  lang: z.string().optional(),
});

function renderList(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: z.infer<typeof listQuery>): string {
  const t = STATES_TEXT[lang];
  const today = todayUtc();
  const all = listStates(ctx);
  const needle = fold((q.q ?? '').trim());
  const shown = all
    .filter((s) => !q.status || statusOf(s, today) === q.status)
    .filter((s) => needle === '' || s.iso3.toLowerCase() === needle || [s.names.en, s.names.fr ?? '', s.names.es ?? ''].some((n) => fold(n).includes(needle)))
    .sort((a, b) => nameOf(a, lang).localeCompare(nameOf(b, lang), lang));
  const f = formState(lang, { q: q.q ?? '', status: q.status ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/states" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${textField(f, { name: 'q', label: t.filterName, type: 'search', maxlength: 100, noOptionalMark: true, autocomplete: 'off' })}
${selectField(f, { name: 'status', label: t.filterStatus, noOptionalMark: true, options: [{ value: '', label: t.filterAll }, ...STATUSES.map((s) => ({ value: s, label: t.status[s] }))] })}
<div class="actions"><button type="submit" class="primary">${t.filterApply}</button> <a href="${withLang('/states', lang)}">${t.filterClear}</a></div>
</form>`;
  const rows = shown.map((s) => {
    const st = statusOf(s, today);
    return html`<tr><td><a href="${withLang(`/states/${s.iso3}`, lang)}">${nameOf(s, lang)}</a></td><td class="mono">${s.iso3}</td><td>${day(s.entryIntoForce, lang)}</td><td>${t.languages[s.language]}</td>
<td><span class="badge${st === 'inForce' ? ' good' : st === 'withdrawn' ? ' bad' : ''}">${t.status[st]}</span></td><td><a href="${withLang(`/account?state=${s.iso3}`, lang)}">${t.accountLink}<span class="vh"> ${s.iso3}</span></a></td></tr>`;
  });
  const body = html`<h1>${t.listTitle}</h1><p class="lead">${t.listLead}</p>
${viewer.role === 'finance' ? html`<p><a class="button" href="${withLang('/states/new', lang)}">${t.newLink}</a></p>` : ''}
<section class="panel">${filter}</section>
<p role="status">${t.count(shown.length, all.length)}</p>
${
  shown.length
    ? scrollTable(
        t.listTitle,
        html`<table><thead><tr><th scope="col">${t.colName}</th><th scope="col">${t.colIso3}</th><th scope="col">${t.colEntry}</th><th scope="col">${t.colLanguage}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colAccount}</th></tr></thead><tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.none}</p>`
}`;
  return page(request, lang, t.listTitle, viewer, body);
}

// ---------------------------------------------------------------- the form of one State

const EDIT_FIELDS = [
  'name',
  'nameFr',
  'nameEs',
  'unMember',
  'language',
  'instrument',
  'signatureDate',
  'depositDate',
  'entryIntoForce',
  'withdrawalEffective',
  'numberLocale',
  ...LANGUAGES.flatMap((l) => [`article_${l}`, `formal_${l}`]),
  'mission_street',
  'mission_building',
  'mission_postcode',
  'mission_city',
  'mission_country',
  ...Array.from({ length: ADDRESS_LINES }, (_, i) => `addr${i}`),
  'emails',
] as const;

function editValues(s: StateOut): Record<string, string> {
  const v: Record<string, string> = {
    name: s.names.en,
    nameFr: s.names.fr ?? '',
    nameEs: s.names.es ?? '',
    unMember: s.unMember ? '1' : '',
    language: s.language,
    instrument: s.instrument ?? '',
    signatureDate: s.signatureDate ?? '',
    depositDate: s.depositDate ?? '',
    entryIntoForce: s.entryIntoForceSource === 'explicit' ? (s.entryIntoForce ?? '') : '',
    withdrawalEffective: s.withdrawalEffective ?? '',
    numberLocale: s.numberLocale ?? '',
    mission_street: s.missionAddress?.street ?? '',
    mission_building: s.missionAddress?.buildingNumber ?? '',
    mission_postcode: s.missionAddress?.postalCode ?? '',
    mission_city: s.missionAddress?.city ?? '',
    mission_country: s.missionAddress?.countryCode ?? '',
    emails: s.billing.emails.join(', '),
  };
  for (const l of LANGUAGES) {
    v[`article_${l}`] = s.formalNames?.[l]?.article ?? '';
    v[`formal_${l}`] = s.formalNames?.[l]?.name ?? '';
  }
  s.billing.addressLines.slice(0, ADDRESS_LINES).forEach((line, i) => (v[`addr${i}`] = line));
  return v;
}

const LANGUAGE_NAMES: Record<FormLang, Record<'en' | 'fr' | 'es', string>> = {
  en: { en: 'English', fr: 'French', es: 'Spanish' },
  fr: { en: 'anglais', fr: 'français', es: 'espagnol' },
  es: { en: 'inglés', fr: 'francés', es: 'español' },
};

function registerFields(f: FormState, t: StatesText, lang: FormLang): SafeHtml[] {
  return [
    textField(f, { name: 'name', label: t.fieldName, required: true, maxlength: 200 }),
    textField(f, { name: 'nameFr', label: t.fieldNameFr, maxlength: 200 }),
    textField(f, { name: 'nameEs', label: t.fieldNameEs, maxlength: 200 }),
    checkboxField(f, { name: 'unMember', label: t.fieldUnMember }),
    selectField(f, { name: 'language', label: t.fieldLanguage, required: true, options: LANGUAGES.map((l) => ({ value: l, label: t.languages[l] })) }),
    selectField(f, { name: 'instrument', label: t.fieldInstrument, options: [{ value: '', label: '—' }, ...INSTRUMENTS.map((i) => ({ value: i, label: t.instruments[i] }))] }),
    dateField(f, { name: 'signatureDate', label: t.fieldSignature }),
    dateField(f, { name: 'depositDate', label: t.fieldDeposit }),
    dateField(f, { name: 'entryIntoForce', label: t.fieldEntry, hint: t.hintEntry }),
    dateField(f, { name: 'withdrawalEffective', label: t.fieldWithdrawal }),
  ];
}

function addressingFields(f: FormState, t: StatesText, lang: FormLang): SafeHtml[] {
  const names = LANGUAGE_NAMES[lang];
  return [
    selectField(f, { name: 'numberLocale', label: t.fieldNumberLocale, options: [{ value: '', label: t.defaultLocale }, ...NUMBER_LOCALE_TAGS.map((x) => ({ value: x, label: x }))] }),
    html`<h3>${t.formalTitle}</h3>`,
    ...LANGUAGES.flatMap((l) => [
      textField(f, {
        name: `article_${l}`,
        label: t.fieldArticle(names[l]),
        hint: html`${ARTICLES[l].filter((a) => a !== '').map((a, i) => html`${i ? ', ' : ''}<code translate="no">${a}</code>`)}`,
        maxlength: 4,
        spellcheck: false,
        autocomplete: 'off',
      }),
      textField(f, { name: `formal_${l}`, label: t.fieldFormal(names[l]), maxlength: 200 }),
    ]),
    html`<h3>${t.missionTitle}</h3>`,
    textField(f, { name: 'mission_street', label: t.fieldStreet, maxlength: 70 }),
    textField(f, { name: 'mission_building', label: t.fieldBuilding, maxlength: 16 }),
    textField(f, { name: 'mission_postcode', label: t.fieldPostcode, maxlength: 16 }),
    textField(f, { name: 'mission_city', label: t.fieldCity, maxlength: 35 }),
    textField(f, { name: 'mission_country', label: t.fieldCountry, maxlength: 2, spellcheck: false, autocomplete: 'off' }),
    html`<h3>${t.billingTitle}</h3>`,
    ...Array.from({ length: ADDRESS_LINES }, (_, i) => textField(f, { name: `addr${i}`, label: t.fieldAddressLine(i + 1), maxlength: 200 })),
    textField(f, { name: 'emails', label: t.fieldEmails, hint: t.hintEmails, type: 'email', maxlength: 1000, spellcheck: false, autocomplete: 'off' }),
  ];
}

/** A zod or service path as the form's field. */
function fieldOf(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  if (p[0] === 'names') return p[1] === 'es' ? 'nameEs' : 'nameFr';
  if (p[0] === 'formalNames') return p[2] === 'article' ? `article_${p[1] ?? 'en'}` : `formal_${p[1] ?? 'en'}`;
  if (p[0] === 'missionAddress')
    return `mission_${{ street: 'street', buildingNumber: 'building', postalCode: 'postcode', city: 'city', countryCode: 'country' }[p[1] ?? 'street'] ?? 'street'}`;
  if (p[0] === 'billing') return p[1] === 'emails' ? 'emails' : `addr${Math.min(Number(p[2] ?? 0), ADDRESS_LINES - 1)}`;
  if (p[0] === 'name') return 'name';
  return p[0] ?? '';
}

const zodErrors = (issues: readonly { path: readonly PropertyKey[]; message: string }[], lang: FormLang): FieldErrors => {
  const out: FieldErrors = {};
  for (const i of issues) {
    const f = fieldOf(i.path);
    if (out[f] === undefined) out[f] = serviceMessageIn(lang, i.message);
  }
  return out;
};

/** The register's fields of a form, as the API's body (everything given; the caller keeps what changed). */
function readRegister(values: Record<string, string>, lang: FormLang, t: StatesText, errors: FieldErrors, withAddressing: boolean): Record<string, unknown> {
  const k = FORM_TEXT[lang];
  const g = (n: string) => (values[n] ?? '').trim();
  const date = (n: string) => {
    if (g(n) === '') return null;
    if (!isIsoDate(g(n))) errors[n] = k.dateInvalid;
    return g(n);
  };
  if (g('name') === '') errors.name = k.required;
  const body: Record<string, unknown> = {
    name: g('name'),
    names: { ...(g('nameFr') ? { fr: g('nameFr') } : {}), ...(g('nameEs') ? { es: g('nameEs') } : {}) },
    unMember: g('unMember') === '1',
    language: (LANGUAGES as readonly string[]).includes(g('language')) ? g('language') : 'en',
    instrument: (INSTRUMENTS as readonly string[]).includes(g('instrument')) ? g('instrument') : null,
    signatureDate: date('signatureDate'),
    depositDate: date('depositDate'),
    entryIntoForce: date('entryIntoForce'),
    withdrawalEffective: date('withdrawalEffective'),
  };
  if (!withAddressing) return body;
  body.numberLocale = NUMBER_LOCALE_TAGS.includes(g('numberLocale')) ? g('numberLocale') : null;
  const formal: Record<string, { article: string; name: string }> = {};
  for (const l of LANGUAGES) if (g(`formal_${l}`) !== '' || g(`article_${l}`) !== '') formal[l] = { article: g(`article_${l}`), name: g(`formal_${l}`) };
  body.formalNames = Object.keys(formal).length ? formal : null;
  const m = ['street', 'building', 'postcode', 'city', 'country'].map((x) => g(`mission_${x}`));
  if (m.every((x) => x === '')) body.missionAddress = null;
  else {
    if (m[0] === '' || m[2] === '' || m[3] === '' || m[4] === '') errors[m[0] === '' ? 'mission_street' : m[2] === '' ? 'mission_postcode' : m[3] === '' ? 'mission_city' : 'mission_country'] = t.missionIncomplete;
    else if (!/^[A-Z]{2}$/.test(m[4]!)) errors.mission_country = t.countryInvalid;
    body.missionAddress = { street: m[0], ...(m[1] ? { buildingNumber: m[1] } : {}), postalCode: m[2], city: m[3], countryCode: m[4] };
  }
  const emails = g('emails') === '' ? [] : g('emails').split(/[,;\s]+/).filter(Boolean);
  if (emails.some((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e))) errors.emails = t.emailInvalid;
  body.billing = { addressLines: Array.from({ length: ADDRESS_LINES }, (_, i) => g(`addr${i}`)).filter(Boolean), emails };
  return body;
}

/** What of the form differs from the State as it is: the API's patch. */
function patchOf(current: StateOut, body: Record<string, unknown>): Record<string, unknown> {
  const now: Record<string, unknown> = {
    name: current.names.en,
    names: { ...(current.names.fr ? { fr: current.names.fr } : {}), ...(current.names.es ? { es: current.names.es } : {}) },
    unMember: current.unMember,
    language: current.language,
    instrument: current.instrument,
    signatureDate: current.signatureDate,
    depositDate: current.depositDate,
    entryIntoForce: current.entryIntoForceSource === 'explicit' ? current.entryIntoForce : null,
    withdrawalEffective: current.withdrawalEffective,
    numberLocale: current.numberLocale,
    formalNames: current.formalNames && Object.keys(current.formalNames).length ? current.formalNames : null,
    missionAddress: current.missionAddress,
    billing: { addressLines: current.billing.addressLines.slice(0, ADDRESS_LINES), emails: current.billing.emails },
  };
  const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (canon(v) !== canon(now[k] ?? null)) patch[k] = v;
  // Billing lines beyond those the form shows are kept.
  if (patch.billing && current.billing.addressLines.length > ADDRESS_LINES) {
    const b = patch.billing as { addressLines: string[]; emails: string[] };
    patch.billing = { ...b, addressLines: [...b.addressLines, ...current.billing.addressLines.slice(ADDRESS_LINES)] };
  }
  return patch;
}

interface StateView {
  notice?: string;
  edit?: FormState;
}

function renderState(request: FastifyRequest, viewer: Viewer, lang: FormLang, s: StateOut, view: StateView = {}): string {
  const t = STATES_TEXT[lang];
  const dl = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const st = statusOf(s, todayUtc());
  const formal = s.formalNames
    ? html`${LANGUAGES.filter((l) => s.formalNames?.[l]).map((l) => html`<span translate="no">${`${s.formalNames![l]!.article}${s.formalNames![l]!.article.endsWith('’') || !s.formalNames![l]!.article ? '' : ' '}${s.formalNames![l]!.name}`}</span><br>`)}`
    : t.notGiven;
  const m = s.missionAddress;
  const facts = html`<dl class="facts">
${dl(t.dtIso3, html`<span class="mono">${s.iso3}</span>`)}
${dl(t.dtNames, html`<span translate="no">${[s.names.en, s.names.fr ?? '—', s.names.es ?? '—'].join(' · ')}</span>`)}
${dl(t.dtStatus, t.status[st])}
${dl(t.dtUnMember, s.unMember ? t.yes : t.no)}
${dl(t.dtLanguage, t.languages[s.language])}
${dl(t.dtInstrument, s.instrument ? t.instruments[s.instrument] : t.notGiven)}
${dl(t.dtSignature, day(s.signatureDate, lang))}
${dl(t.dtDeposit, day(s.depositDate, lang))}
${dl(t.dtEntry, s.entryIntoForce ? `${day(s.entryIntoForce, lang)} (${s.entryIntoForceSource === 'explicit' ? t.entryExplicit : t.entryComputed})` : t.notGiven)}
${s.withdrawalEffective ? dl(t.dtWithdrawal, day(s.withdrawalEffective, lang)) : ''}
${dl(t.dtNumberLocale, s.numberLocale ? html`<span class="mono">${s.numberLocale}</span>` : t.defaultLocale)}
${dl(t.dtFormal, formal)}
${dl(t.dtMission, m ? html`<span translate="no">${`${m.street}${m.buildingNumber ? ` ${m.buildingNumber}` : ''}, ${m.postalCode} ${m.city}, ${m.countryCode}`}</span>` : t.notGiven)}
${dl(t.dtBilling, s.billing.addressLines.length || s.billing.emails.length ? html`${s.billing.addressLines.map((l) => html`<span translate="no">${l}</span><br>`)}${s.billing.emails.map((e) => html`<span class="mono" translate="no">${e}</span><br>`)}` : t.notGiven)}
</dl>`;
  let edit: SafeHtml;
  if (viewer.role === 'finance') {
    const f = view.edit ?? formState(lang, { ...editValues(s), [IDEM_FIELD]: newIdem() }, {}, 'st');
    edit = html`<section class="panel" id="edit"><h2>${t.editTitle}</h2><p class="explain">${t.editLead}</p>${postForm(f, {
      action: withLang(`/states/${s.iso3}`, lang),
      viewer,
      submit: t.submitSave,
      idem: true,
      id: 'edit-state',
      fields: [...registerFields(f, t, lang), ...addressingFields(f, t, lang)],
    })}</section>`;
  } else edit = html`<p class="muted">${t.readOnly}</p>`;
  const title = nameOf(s, lang);
  const body = html`${viewer.role !== 'state' ? html`<p><a href="${withLang('/states', lang)}">${t.backToList}</a></p>` : ''}
<h1>${title}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
<p><a href="${withLang(viewer.role === 'state' ? '/account' : `/account?state=${s.iso3}`, lang)}">${t.accountLink}</a></p>
<section class="panel">${facts}</section>
${edit}`;
  return page(request, lang, title, viewer, body);
}

// ---------------------------------------------------------------- a new State

const NEW_FIELDS = ['iso3', ...EDIT_FIELDS.slice(0, 10)] as const;

function renderNew(request: FastifyRequest, viewer: Viewer, lang: FormLang, f: FormState): string {
  const t = STATES_TEXT[lang];
  const body = html`<p><a href="${withLang('/states', lang)}">${t.backToList}</a></p><h1>${t.newTitle}</h1><p class="lead">${t.newLead}</p>
<section class="panel">${postForm(f, {
    action: withLang('/states/new', lang),
    viewer,
    submit: t.submitCreate,
    idem: true,
    id: 'new-state',
    fields: [
      textField(f, { name: 'iso3', label: t.fieldIso3, hint: t.hintIso3, required: true, maxlength: 3, spellcheck: false, autocomplete: 'off' }),
      ...registerFields(f, t, lang).slice(0, 9),
    ],
  })}</section>`;
  return page(request, lang, t.newTitle, viewer, body);
}

// ---------------------------------------------------------------- routes

export default async function statePages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  app.addHook('preHandler', csrfGuard((request) => pageLang(ctx, request, viewerOf(request))));

  const iso3Of = (request: FastifyRequest): string | null => {
    const p = (request.params as { iso3?: string }).iso3 ?? '';
    return /^[A-Z]{3}$/.test(p) && findState(ctx.db, p) ? p : null;
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(reply, 404, messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, STATES_TEXT[lang].notFound, { href: withLang('/states', lang), text: STATES_TEXT[lang].backToList }));
  const posted = (body: Record<string, string>, names: readonly string[]) => Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));

  app.get('/states', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: STATE_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = listQuery.safeParse(request.query ?? {});
    return sendHtml(reply, 200, renderList(ctx, request, viewer, lang, q.success ? q.data : {}));
  });

  app.get('/states/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const viewer = pageViewer(request, reply, { roles: STATE_WRITE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderNew(request, viewer, lang, formState(lang, { language: 'en', unMember: '1', instrument: 'accession', [IDEM_FIELD]: newIdem() }, {}, 'st')));
  });

  app.post('/states/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    const ok = postingViewer(request, reply, { roles: STATE_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = STATES_TEXT[lang];
    const values = posted(ok.body, NEW_FIELDS);
    values.iso3 = (values.iso3 ?? '').trim().toUpperCase();
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) => sendHtml(reply, status, renderNew(request, viewer, lang, formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'st')));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `state-new:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const errors: FieldErrors = {};
    if (!/^[A-Z]{3}$/.test(values.iso3!)) errors.iso3 = values.iso3 === '' ? FORM_TEXT[lang].required : t.iso3Invalid;
    else if (findState(ctx.db, values.iso3!)) errors.iso3 = t.iso3Taken;
    const body = readRegister(values, lang, t, errors, false);
    if (Object.keys(errors).length) return again(422, errors);
    const input: Record<string, unknown> = Object.fromEntries(Object.entries({ iso3: values.iso3, ...body } as Record<string, unknown>).filter(([, v]) => v !== null));
    if (input.names && Object.keys(input.names as object).length === 0) delete input.names;
    const parsed = stateCreate.safeParse(input);
    if (!parsed.success) return again(422, zodErrors(parsed.error.issues, lang));
    try {
      createState(ctx, actorOf(viewer, request, 'POST /states'), parsed.data);
    } catch (e) {
      const fields = serviceFieldErrors(e, {}, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, Object.fromEntries(Object.entries(fields).map(([k, m]) => [fieldOf(k.split('.')), m])));
    }
    const location = withLang(`/states/${values.iso3}?created=1`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });

  app.get('/states/:iso3', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    if (!viewerOf(request)) return reply.redirect('/login', 303);
    const iso3 = iso3Of(request);
    // A State user reads its own entry of the register (as on the API); anything else does not exist for it.
    const v = viewerOf(request)!;
    const viewer = v.role === 'state' && iso3 !== null && v.stateIso3 === iso3 ? v : pageViewer(request, reply, { roles: STATE_PAGE_ROLES, lang });
    if (!viewer) return reply;
    if (!iso3) return notFound(request, reply, viewer, lang);
    const q = (request.query ?? {}) as Record<string, string | undefined>;
    const t = STATES_TEXT[lang];
    const notice = q.created === '1' ? t.created : q.saved === '1' ? t.saved : q.saved === '0' ? t.nothingChanged : undefined;
    return sendHtml(reply, 200, renderState(request, viewer, lang, getState(ctx, iso3), notice ? { notice } : {}));
  });

  app.post('/states/:iso3', { schema: hide }, async (request, reply) => {
    const lang = pageLang(ctx, request, viewerOf(request));
    if (!viewerOf(request)) return reply.redirect('/login', 303);
    const iso3 = iso3Of(request);
    const ok = postingViewer(request, reply, { roles: STATE_WRITE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    if (!iso3) return notFound(request, reply, viewer, lang);
    const t = STATES_TEXT[lang];
    const values = posted(ok.body, EDIT_FIELDS);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderState(request, viewer, lang, getState(ctx, iso3), { edit: formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'st') }));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `state-edit:${iso3}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const errors: FieldErrors = {};
    const body = readRegister(values, lang, t, errors, true);
    if (Object.keys(errors).length) return again(422, errors);
    const patch = patchOf(getState(ctx, iso3), body);
    if (Object.keys(patch).length === 0) return seeOther(reply, withLang(`/states/${iso3}?saved=0`, lang));
    const parsed = statePatch.safeParse(patch);
    if (!parsed.success) return again(422, zodErrors(parsed.error.issues, lang));
    try {
      updateState(ctx, actorOf(viewer, request, `PATCH /states/${iso3}`), iso3, parsed.data);
    } catch (e) {
      const fields = serviceFieldErrors(e, {}, lang);
      if (!fields) throw e;
      return again(e instanceof ServiceError ? e.status : 422, Object.fromEntries(Object.entries(fields).map(([k, m]) => [fieldOf(k.split('.')), m])));
    }
    const location = withLang(`/states/${iso3}?saved=1`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });
}
