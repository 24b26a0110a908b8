/**
 * The form kit of the web pages (SPEC 9.9): plain HTML forms that work
 * without script, accessible (every field has its <label for>, an error is
 * said at the field with aria-invalid and aria-describedby, and listed in a
 * summary at the top of the form linking to the field), the session's CSRF
 * token on every POST, a one-time `_idem` token so that a double submit never
 * records twice, zod validation mapped to field messages (422, nothing
 * written), and Post/Redirect/Get (303 to a page whose URL holds the state).
 *
 * Labels and messages are passed in by the caller, already translated; the
 * kit's own few words are in FORM_TEXT (one object, to be merged into the
 * pages' catalogue).
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodError, ZodType } from 'zod';
import type { Role } from '../../services/actor.js';
import { ServiceError } from '../../services/errors.js';
import { CSRF_FIELD, csrfValid, SAFE_METHODS, sameOrigin, sessionUser } from '../plugins/session.js';
import { homeOf, pageOf, sendHtml, viewerOf, type Viewer } from './guard.js';
import { html, messagePage, type SafeHtml } from './html.js';
import { serviceMessageIn } from './service-messages.js';
import { colon } from './i18n/index.js';

export type FormLang = 'en' | 'fr' | 'es';
export const FORM_LANGS: readonly FormLang[] = ['en', 'fr', 'es'];

/** The kit's own words, by language. */
export const FORM_TEXT = {
  en: {
    problem: 'There is a problem',
    required: 'Required.',
    invalid: 'This value is not valid.',
    expired: 'This form has expired or was damaged: check the values and submit it again.',
    moneyInvalid: 'Enter an amount in CHF with at most 2 decimals, e.g. 42638.64.',
    dateInvalid: 'Enter a date as YYYY-MM-DD.',
    tooLong: (max: number) => `At most ${max} characters.`,
    optional: 'optional',
    refusedTitle: 'Request refused',
    csrfRefused: 'This form did not carry this session’s token or was posted from another site. Nothing was changed. Open the page again and retry.',
    roleTitle: 'Not available to your role',
    roleRefused: (role: string) => `This page is not available to the ${role} role.`,
    notFoundTitle: 'Not found',
    notFound: 'There is no such page.',
    back: 'Back to the start page',
  },
  fr: {
    problem: 'Il y a un problème',
    required: 'Obligatoire.',
    invalid: 'Cette valeur n’est pas valable.',
    expired: 'Ce formulaire a expiré ou a été altéré : vérifiez les valeurs et envoyez-le à nouveau.',
    moneyInvalid: 'Saisissez un montant en CHF avec au plus 2 décimales, p. ex. 42638,64.',
    dateInvalid: 'Saisissez une date au format AAAA-MM-JJ.',
    tooLong: (max: number) => `${max} caractères au plus.`,
    optional: 'facultatif',
    refusedTitle: 'Demande refusée',
    csrfRefused:
      'Ce formulaire ne portait pas le jeton de cette session ou a été envoyé depuis un autre site. Rien n’a été modifié. Rouvrez la page et réessayez.',
    roleTitle: 'Non disponible pour votre rôle',
    roleRefused: (role: string) => `Cette page n’est pas disponible pour le rôle ${role}.`,
    notFoundTitle: 'Introuvable',
    notFound: 'Cette page n’existe pas.',
    back: 'Retour à la page d’accueil',
  },
  es: {
    problem: 'Hay un problema',
    required: 'Obligatorio.',
    invalid: 'Este valor no es válido.',
    expired: 'Este formulario ha caducado o se ha alterado: compruebe los valores y envíelo de nuevo.',
    moneyInvalid: 'Introduzca un importe en CHF con 2 decimales como máximo, p. ej. 42638,64.',
    dateInvalid: 'Introduzca una fecha con el formato AAAA-MM-DD.',
    tooLong: (max: number) => `${max} caracteres como máximo.`,
    optional: 'opcional',
    refusedTitle: 'Solicitud rechazada',
    csrfRefused:
      'Este formulario no llevaba el token de esta sesión o se envió desde otro sitio. No se ha modificado nada. Vuelva a abrir la página e inténtelo de nuevo.',
    roleTitle: 'No disponible para su función',
    roleRefused: (role: string) => `Esta página no está disponible para la función ${role}.`,
    notFoundTitle: 'No encontrado',
    notFound: 'Esta página no existe.',
    back: 'Volver a la página de inicio',
  },
} as const satisfies Record<FormLang, Record<string, unknown>>;

export type FormText = (typeof FORM_TEXT)[FormLang];

/** The language of a page: `?lang=` when it names one, else the given default (the user's State's language), else English. */
export function langOf(request: FastifyRequest, fallback?: string | null): FormLang {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const asked = typeof q.lang === 'string' ? q.lang : undefined;
  if (asked && (FORM_LANGS as readonly string[]).includes(asked)) return asked as FormLang;
  if (fallback && (FORM_LANGS as readonly string[]).includes(fallback)) return fallback as FormLang;
  return 'en';
}

/** Adds `lang=` to a URL of the pages when the page is not in English (the language stays while one works). */
export function withLang(url: string, lang: FormLang): string {
  if (lang === 'en') return url;
  return `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
}

// ---------------------------------------------------------------- form state and fields

/** Field name → its message. */
export type FieldErrors = Record<string, string>;

/** What a form is rendered from: the values posted (or the defaults), the errors, the language, and an id prefix (two forms on one page). */
export interface FormState {
  lang: FormLang;
  values: Record<string, string>;
  errors: FieldErrors;
  /** Prefix of the element ids, so that two forms of a page never share one ("rev" → "rev-reason"). */
  prefix?: string;
  /** Labels of the fields rendered so far (filled by the field helpers; the error summary reads them). */
  labels?: Map<string, string>;
}

export function formState(lang: FormLang, values: Record<string, string> = {}, errors: FieldErrors = {}, prefix?: string): FormState {
  return { lang, values, errors, ...(prefix ? { prefix } : {}), labels: new Map() };
}

export function fieldId(f: FormState, name: string): string {
  return `${f.prefix ? `${f.prefix}-` : 'f-'}${name}`;
}

export interface FieldSpec {
  name: string;
  label: string;
  /** A hint under the label (or an answer beside the field, e.g. what an RF reference names). */
  hint?: string | SafeHtml | undefined;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  /** Extra class on the field's wrapper. */
  className?: string;
  /** No "(optional)" beside the label of a field that is not required (a filter, where every field is). */
  noOptionalMark?: boolean;
}

function describedBy(f: FormState, name: string, hint: boolean): { attr: SafeHtml | string; error: SafeHtml | string; hint: string } {
  const id = fieldId(f, name);
  const ids = [...(hint ? [`${id}-hint`] : []), ...(f.errors[name] ? [`${id}-error`] : [])];
  return {
    attr: ids.length ? html` aria-describedby="${ids.join(' ')}"` : '',
    error: f.errors[name] ? html`<p class="field-error" id="${id}-error"><span class="vh">${FORM_TEXT[f.lang].problem}: </span>${f.errors[name]}</p>` : '',
    hint: `${id}-hint`,
  };
}

function wrap(f: FormState, o: FieldSpec, control: (common: SafeHtml) => SafeHtml): SafeHtml {
  f.labels?.set(o.name, o.label);
  const id = fieldId(f, o.name);
  const d = describedBy(f, o.name, o.hint !== undefined && o.hint !== '');
  const invalid = f.errors[o.name] ? html` aria-invalid="true"` : '';
  const req = o.required ? html` required aria-required="true"` : '';
  const common = html`id="${id}" name="${o.name}"${invalid}${d.attr}${req}`;
  const optional = o.required || o.noOptionalMark ? '' : html` <span class="muted">(${FORM_TEXT[f.lang].optional})</span>`;
  return html`<div class="field${f.errors[o.name] ? ' has-error' : ''}${o.className ? ` ${o.className}` : ''}"><label for="${id}">${o.label}${optional}</label>${
    o.hint !== undefined && o.hint !== '' ? html`<p class="hint" id="${d.hint}">${o.hint}</p>` : ''
  }${d.error}${control(common)}</div>`;
}

const valueOf = (f: FormState, name: string) => f.values[name] ?? '';

export function textField(f: FormState, o: FieldSpec & { type?: 'text' | 'email' | 'search'; inputmode?: string; spellcheck?: boolean }): SafeHtml {
  return wrap(
    f,
    o,
    (common) =>
      html`<input ${common} type="${o.type ?? 'text'}" value="${valueOf(f, o.name)}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${
        o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
      }${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.spellcheck === false ? html` spellcheck="false" autocapitalize="none"` : ''}>`,
  );
}

/** A money (or other decimal) field: text with inputmode="decimal", never type=number (no rounding by the browser, the language's decimal comma allowed). */
export function moneyField(f: FormState, o: FieldSpec): SafeHtml {
  return wrap(f, o, (common) => html`<input ${common} type="text" inputmode="decimal" autocomplete="off" value="${valueOf(f, o.name)}" maxlength="${o.maxlength ?? 24}">`);
}

export function numberField(f: FormState, o: FieldSpec & { pattern?: string }): SafeHtml {
  return wrap(
    f,
    o,
    (common) => html`<input ${common} type="text" inputmode="numeric" value="${valueOf(f, o.name)}"${o.pattern ? html` pattern="${o.pattern}"` : ''} maxlength="${o.maxlength ?? 12}">`,
  );
}

export function dateField(f: FormState, o: FieldSpec & { min?: string; max?: string }): SafeHtml {
  return wrap(
    f,
    o,
    (common) => html`<input ${common} type="date" value="${valueOf(f, o.name)}"${o.min ? html` min="${o.min}"` : ''}${o.max ? html` max="${o.max}"` : ''}>`,
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export function selectField(f: FormState, o: FieldSpec & { options: readonly SelectOption[] }): SafeHtml {
  const current = valueOf(f, o.name);
  return wrap(f, o, (common) => html`<select ${common}>${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === current ? html` selected` : ''}>${opt.label}</option>`)}</select>`);
}

export function textareaField(f: FormState, o: FieldSpec & { rows?: number }): SafeHtml {
  return wrap(f, o, (common) => html`<textarea ${common} rows="${o.rows ?? 3}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}>${valueOf(f, o.name)}</textarea>`);
}

/** A checkbox (value "1" when ticked); its label follows it. */
export function checkboxField(f: FormState, o: FieldSpec): SafeHtml {
  f.labels?.set(o.name, o.label);
  const id = fieldId(f, o.name);
  const d = describedBy(f, o.name, o.hint !== undefined && o.hint !== '');
  const checked = valueOf(f, o.name) === '1' ? html` checked` : '';
  return html`<div class="field check${f.errors[o.name] ? ' has-error' : ''}">${d.error}<input type="checkbox" id="${id}" name="${o.name}" value="1"${checked}${
    f.errors[o.name] ? html` aria-invalid="true"` : ''
  }${d.attr}> <label for="${id}">${o.label}</label>${o.hint !== undefined && o.hint !== '' ? html`<p class="hint" id="${d.hint}">${o.hint}</p>` : ''}</div>`;
}

export function hiddenField(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** The session's CSRF token, as the hidden field every POST form carries. */
export function csrfField(viewer: Pick<Viewer, 'csrf'>): SafeHtml {
  return hiddenField(CSRF_FIELD, viewer.csrf);
}

export const IDEM_FIELD = '_idem';
const IDEM_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh one-time token for a form that records something. */
export function newIdem(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** The hidden `_idem` field: the token posted before (a re-rendered form keeps it: nothing was recorded) or a fresh one. */
export function idemField(token?: string): SafeHtml {
  return hiddenField(IDEM_FIELD, token && IDEM_PATTERN.test(token) ? token : newIdem());
}

/** The `_idem` token of a posted form, or null when missing or malformed. */
export function postedIdem(body: Record<string, string>): string | null {
  const t = body[IDEM_FIELD];
  return t !== undefined && IDEM_PATTERN.test(t) ? t : null;
}

/** The error summary at the top of a form: a heading and a list of links to the fields (errors of no field listed as text). Empty without errors. */
export function errorSummary(f: FormState): SafeHtml | string {
  const entries = Object.entries(f.errors);
  if (entries.length === 0) return '';
  const id = `${f.prefix ?? 'f'}-summary`;
  return html`<div class="error-summary" role="alert" aria-labelledby="${id}" tabindex="-1"><h2 id="${id}">${FORM_TEXT[f.lang].problem}</h2><ul>${entries.map(([name, message]) => {
    const label = f.labels?.get(name);
    return label ? html`<li><a href="#${fieldId(f, name)}">${label}${colon(f.lang)}${message}</a></li>` : html`<li>${message}</li>`;
  })}</ul></div>`;
}

export function submitButton(label: string, o: { name?: string; className?: string } = {}): SafeHtml {
  return html`<button type="submit" class="${o.className ?? 'primary'}"${o.name ? html` name="${o.name}" value="1"` : ''}>${label}</button>`;
}

/**
 * A whole POST form: the error summary, the CSRF token, the `_idem` token
 * when it records something, the fields (already rendered with the same
 * FormState, so the summary knows their labels), and the submit button.
 */
export function postForm(
  f: FormState,
  o: { action: string; viewer: Pick<Viewer, 'csrf'>; submit: string; fields: readonly SafeHtml[]; idem?: boolean; id?: string; intro?: SafeHtml | string },
): SafeHtml {
  return html`<form method="post" action="${o.action}" class="kit" novalidate${o.id ? html` id="${o.id}"` : ''}>
${errorSummary(f)}${o.intro ?? ''}
${csrfField(o.viewer)}${o.idem ? idemField(f.values[IDEM_FIELD]) : ''}
${o.fields}
<div class="actions">${submitButton(o.submit)}</div>
</form>`;
}

// ---------------------------------------------------------------- posting

/** The posted form as strings (anything else dropped: a urlencoded form holds only strings). */
export function formBody(request: FastifyRequest): Record<string, string> {
  const b = request.body;
  if (!b || typeof b !== 'object') return {};
  return Object.fromEntries(Object.entries(b as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export interface GuardOptions {
  roles: readonly Role[];
  lang: FormLang;
  /**
   * For a State user: does the resource belong to the user's State? true → the role refusal (403);
   * false or undefined → 404, as if it did not exist (a State must not learn what exists).
   */
  ownState?: (iso3: string) => boolean;
}

/**
 * The viewer of a page when allowed; otherwise the answer is sent and null
 * returned: 303 to /login without a session, 404 for a State user (anything
 * not its own does not exist for it), 403 for another role.
 */
export function pageViewer(request: FastifyRequest, reply: FastifyReply, o: GuardOptions): Viewer | null {
  const viewer = viewerOf(request);
  if (!viewer) {
    void reply.redirect('/login', 303);
    return null;
  }
  if (o.roles.includes(viewer.role)) return viewer;
  const t = FORM_TEXT[o.lang];
  if (viewer.role === 'state' && !(viewer.stateIso3 && o.ownState?.(viewer.stateIso3))) {
    void sendHtml(reply, 404, messagePage(pageOf(request, viewer), t.notFoundTitle, t.notFound, { href: homeOf(viewer.role), text: t.back }));
    return null;
  }
  void sendHtml(reply, 403, messagePage(pageOf(request, viewer), t.roleTitle, t.roleRefused(viewer.role), { href: homeOf(viewer.role), text: t.back }));
  return null;
}

/** Where a refused form sends the user back: the page it came from when that is one of ours, else the user's start page. */
function backLink(request: FastifyRequest, viewer: Viewer | null): string {
  const referer = request.headers.referer;
  if (referer && sameOrigin(request)) {
    try {
      const u = new URL(referer);
      if (u.host === request.headers.host) return `${u.pathname}${u.search}`;
    } catch {
      // not a URL: the start page
    }
  }
  return viewer ? homeOf(viewer.role) : '/login';
}

/**
 * The CSRF guard of every POST of the pages: the session's token in the
 * `_csrf` field and a same-site origin, as /logout. False (and a 403 page
 * sent, nothing written) when it does not match.
 */
export function checkCsrf(request: FastifyRequest, reply: FastifyReply, lang: FormLang): boolean {
  const u = sessionUser(request);
  const token = formBody(request)[CSRF_FIELD];
  if (u && token !== undefined && csrfValid(request, u.session, token)) return true;
  const t = FORM_TEXT[lang];
  const viewer = viewerOf(request);
  void sendHtml(reply, 403, messagePage(pageOf(request, viewer), t.refusedTitle, t.csrfRefused, { href: backLink(request, viewer), text: t.back }));
  return false;
}

/** A page POST: the viewer allowed by role and carrying the session's CSRF token, with its form; otherwise the answer is sent and null returned. */
export function postingViewer(request: FastifyRequest, reply: FastifyReply, o: GuardOptions): { viewer: Viewer; body: Record<string, string> } | null {
  const viewer = pageViewer(request, reply, o);
  if (!viewer) return null;
  if (!checkCsrf(request, reply, o.lang)) return null;
  return { viewer, body: formBody(request) };
}

/**
 * A preHandler for a plugin of pages: every POST (any method but GET, HEAD,
 * OPTIONS) from a session must carry the session's CSRF token, or a 403 page
 * is sent and the handler never runs. Visitors without a session pass on to
 * the handler (which sends them to /login).
 */
export function csrfGuard(lang: (request: FastifyRequest) => FormLang = (r) => langOf(r)) {
  return async function csrfPreHandler(request: FastifyRequest, reply: FastifyReply) {
    if (SAFE_METHODS.has(request.method) || !sessionUser(request)) return;
    if (!checkCsrf(request, reply, lang(request))) return reply;
  };
}

/** Post/Redirect/Get: 303 to the page of the result. */
export function seeOther(reply: FastifyReply, url: string) {
  return reply.redirect(url, 303);
}

// ---------------------------------------------------------------- validation

/** Zod issues as field messages (the first per field; an issue without a path under ""). */
export function zodFieldErrors(error: ZodError, rename: Record<string, string> = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const field = rename[path] ?? path;
    if (out[field] === undefined) out[field] = issue.message;
  }
  return out;
}

/**
 * A service's refusal as field messages, when it names fields: a
 * ValidationError's errors, or a conflict's `field`. Null for any other error
 * (the caller rethrows it). `rename` maps a service field to the form's.
 */
export function serviceFieldErrors(error: unknown, rename: Record<string, string> = {}, lang: FormLang = 'en'): FieldErrors | null {
  if (!(error instanceof ServiceError)) return null;
  const say = (message: string) => serviceMessageIn(lang, message);
  if (error.errors.length) {
    const out: FieldErrors = {};
    for (const e of error.errors) {
      const field = rename[e.field] ?? e.field;
      if (out[field] === undefined) out[field] = say(e.message);
    }
    return out;
  }
  const field = typeof error.extra.field === 'string' ? error.extra.field : undefined;
  if (field !== undefined && error.status < 500) return { [rename[field] ?? field]: say(error.message) };
  if (error.status === 422 || error.status === 409) return { '': say(error.message) };
  return null;
}

/** Parses a posted form with a zod schema: the data, or the field messages (the caller re-renders with 422 and writes nothing). */
export function validateForm<T>(schema: ZodType<T>, body: Record<string, string>, rename: Record<string, string> = {}): { ok: true; data: T } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: zodFieldErrors(r.error, rename) };
}

/**
 * An amount as typed in the language's style ("42,638.64", "42 638,64",
 * "42.638,64", "42'638.64") as a plain decimal string ("42638.64"), or null
 * when it is not one. Text only: never through a JS number.
 */
export function normalizeAmount(input: string, lang: FormLang, decimals = 2): string | null {
  let s = input.trim().replace(/^CHF\s*/i, '').replace(/[\s\u00a0\u202f'’]/g, '');
  if (s === '') return null;
  const comma = s.lastIndexOf(',');
  const dot = s.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    s = comma > dot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (comma >= 0) {
    s = lang === 'en' && /^[0-9]{1,3}(,[0-9]{3})+$/.test(s) ? s.replace(/,/g, '') : /^[0-9]+,[0-9]*$/.test(s) ? s.replace(',', '.') : s;
  } else if (dot >= 0 && lang === 'es' && /^[0-9]{1,3}(\.[0-9]{3})+$/.test(s)) {
    s = s.replace(/\./g, '');
  }
  if (s.endsWith('.')) s = s.slice(0, -1);
  return new RegExp(`^[0-9]{1,15}(\\.[0-9]{1,${decimals}})?$`).test(s) ? s.replace(/^0+(?=[0-9])/, '') : null;
}

// ---------------------------------------------------------------- replays

/**
 * The answers of forms already posted, for services without an idempotency
 * key of their own: session + form token → the URL of the first result. A
 * replay (a double click, a reload of the POST) is sent to the same result,
 * nothing is done twice. Kept a day, at most `max` entries (oldest dropped).
 */
export class FormReplays {
  private readonly done = new Map<string, { location: string; at: number }>();
  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly max = 10_000,
  ) {}

  private key(request: FastifyRequest, token: string): string | null {
    const u = sessionUser(request);
    return u ? `${u.session.id}\u0000${token}` : null;
  }

  /** The result URL of a form already posted with this token in this session, if any. */
  get(request: FastifyRequest, token: string): string | undefined {
    const k = this.key(request, token);
    if (k === null) return undefined;
    const hit = this.done.get(k);
    if (!hit) return undefined;
    if (Date.now() - hit.at > this.ttlMs) {
      this.done.delete(k);
      return undefined;
    }
    return hit.location;
  }

  remember(request: FastifyRequest, token: string, location: string): void {
    const k = this.key(request, token);
    if (k === null) return;
    this.done.set(k, { location, at: Date.now() });
    while (this.done.size > this.max) this.done.delete(this.done.keys().next().value!);
  }
}
