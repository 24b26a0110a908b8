/**
 * The admin's user pages (SPEC 7, 9.8, 9.9): the list of users (filtered by
 * role and status through the query string), adding a user, one user with
 * its API tokens, and the forms to disable or enable it, reset its password,
 * change its role, create a token and revoke one. For the admin role only,
 * as the API's /admin routes; any other role gets the 403 page (a State user
 * the 404 page). A password or a token given by these forms is shown once, on
 * the page the form redirects to, then forgotten (only its hash is stored).
 * Every form posts with the session's CSRF token and a one-time `_idem`
 * token (a double submit acts once), is validated on the server (422,
 * nothing written, the message at the field) and answers 303 to the result.
 */
import crypto from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES, type Role } from '../../domain/actor.js';
import { states } from '../../db/schema.js';
import { formatShortDate } from '../../pdf/i18n.js';
import type { Actor } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { nameIn } from '../../services/states.js';
import {
  addUser,
  checkNewPassword,
  createToken,
  disableUser,
  enableUser,
  generatePassword,
  getUser,
  listTokens,
  listUsers,
  revokeToken,
  setPassword,
  setRole,
} from '../../services/users.js';
import { USERNAME_PATTERN, type TokenOut, type UserOut } from '../../schemas/users.js';
import { ADMIN_TEXT, type AdminText } from './admin-text.js';
import {
  csrfField,
  csrfGuard,
  FORM_TEXT,
  formState,
  hiddenField,
  IDEM_FIELD,
  langOf,
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
import { pageOf, sendHtml, viewerOf, type Viewer } from './guard.js';
import { html, layout, messagePage, scrollTable, type SafeHtml } from './html.js';
import { registerPage } from './registry.js';

/** Who sees and uses the admin's pages: the admin role, as the API's /admin and /settings writes. */
export const ADMIN_PAGE_ROLES: readonly Role[] = ['admin'];

registerPage({ path: '/admin/users', key: 'users', roles: ADMIN_PAGE_ROLES });

// ---------------------------------------------------------------- shared helpers (also used by ./bank-details.ts)

/** The language of a page: the pages plugin's choice (?lang=, the user's, the State's, the cookie, Accept-Language). */
export function pageLang(request: FastifyRequest): FormLang {
  return request.pageLang ?? langOf(request, null);
}

export function actorOf(viewer: Viewer, request: FastifyRequest, action: string): Actor {
  return { userId: viewer.userId, username: viewer.username, role: viewer.role, stateIso3: viewer.stateIso3, requestId: request.id, action };
}

export function stateChoices(ctx: Ctx, lang: FormLang): { iso3: string; name: string }[] {
  return ctx.db
    .select()
    .from(states)
    .orderBy(asc(states.iso3))
    .all()
    .map((s) => ({ iso3: s.iso3, name: nameIn(s, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

/** The fields of a form, as posted (strings; missing ones empty), with its `_idem`. */
export function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 2000)]));
}

/** A service's field messages in the page's language. */
export function serviceErrors(e: unknown, lang: FormLang, rename: Record<string, string> = {}): { errors: FieldErrors; status: number } | null {
  const fields = serviceFieldErrors(e, rename, lang);
  if (!fields) return null;
  return { errors: fields, status: e instanceof ServiceError && e.status >= 400 && e.status < 500 ? e.status : 422 };
}

/** A date-time of the database ("2026-12-01 06:30:00" or ISO) as the language's short date. */
export function dayOf(stamp: string | null, lang: FormLang): string {
  return stamp ? formatShortDate(stamp.slice(0, 10), lang) : '';
}

/**
 * What a form gives once — a password, a token — kept for the page the form
 * redirects to, read once by that session, then forgotten (and after ten
 * minutes in any case). The URL carries only a random key.
 */
export class OneTimeSecrets {
  private readonly kept = new Map<string, { session: string; values: Record<string, string>; at: number }>();
  constructor(private readonly ttlMs = 10 * 60 * 1000) {}

  put(viewer: Viewer, values: Record<string, string>): string {
    const key = crypto.randomBytes(12).toString('base64url');
    const now = Date.now();
    for (const [k, v] of this.kept) if (now - v.at > this.ttlMs) this.kept.delete(k);
    this.kept.set(key, { session: viewer.csrf, values, at: now });
    return key;
  }

  take(viewer: Viewer, key: string): Record<string, string> | null {
    const hit = this.kept.get(key);
    if (!hit || hit.session !== viewer.csrf) return null;
    this.kept.delete(key);
    return Date.now() - hit.at > this.ttlMs ? null : hit.values;
  }
}

// ---------------------------------------------------------------- the list

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const listQuery = z.object({
  role: z.preprocess(emptyToUndefined, z.enum(ROLES).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(['active', 'disabled']).optional()),
  lang: z.string().optional(),
});

function page(request: FastifyRequest, lang: FormLang, title: string, viewer: Viewer, body: SafeHtml): string {
  return layout({ lang, url: request.url, user: viewer }, { title, active: '/admin/users', body });
}

function lastTokenUse(ctx: Ctx, username: string): string | null {
  return listTokens(ctx.db, username).reduce<string | null>((a, t) => (t.lastUsedAt !== null && (a === null || t.lastUsedAt > a) ? t.lastUsedAt : a), null);
}

function renderList(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, q: z.infer<typeof listQuery>): string {
  const t = ADMIN_TEXT[lang];
  const names = new Map(stateChoices(ctx, lang).map((s) => [s.iso3, s.name]));
  const users = listUsers(ctx.db).filter((u) => (q.role === undefined || u.role === q.role) && (q.status === undefined || u.status === q.status));
  const f = formState(lang, { role: q.role ?? '', status: q.status ?? '' }, {}, 'flt');
  const filter = html`<form method="get" action="/admin/users" class="filters" role="search">
${lang !== 'en' ? hiddenField('lang', lang) : ''}
${selectField(f, { name: 'role', label: t.filterRole, options: [{ value: '', label: t.filterAll }, ...ROLES.map((r) => ({ value: r, label: t.roleNames[r] }))], noOptionalMark: true })}
${selectField(f, {
  name: 'status',
  label: t.filterStatus,
  options: [{ value: '', label: t.filterAll }, { value: 'active', label: t.status.active }, { value: 'disabled', label: t.status.disabled }],
  noOptionalMark: true,
})}
<div class="actions"><button type="submit" class="primary">${t.filterApply}</button> <a href="${withLang('/admin/users', lang)}">${t.filterClear}</a></div>
</form>`;
  const rows = users.map(
    (u) => html`<tr${u.status === 'disabled' ? html` class="muted"` : ''}><th scope="row"><a href="${withLang(`/admin/users/${u.username}`, lang)}" translate="no">${u.username}</a></th>
<td>${t.roleNames[u.role]}</td><td>${u.state ? (names.get(u.state) ?? u.state) : ''}</td>
<td>${u.status === 'disabled' ? html`<span class="badge bad">${t.status.disabled}</span>` : html`<span class="badge good">${t.status.active}</span>`}</td>
<td class="mono">${dayOf(u.createdAt, lang)}</td><td class="num">${u.activeTokens}</td><td class="mono">${dayOf(lastTokenUse(ctx, u.username), lang)}</td></tr>`,
  );
  const body = html`<h1>${t.usersTitle}</h1><p class="lead">${t.usersLead}</p>
<p><a class="button" href="${withLang('/admin/users/new', lang)}">${t.newUserLink}</a> <a href="${withLang('/audit', lang)}">${t.auditLink}</a></p>
<section class="panel">${filter}</section>
${
  users.length
    ? scrollTable(
        t.usersTitle,
        html`<table id="users"><caption>${t.usersCount(users.length)}</caption><thead><tr><th scope="col">${t.colUsername}</th><th scope="col">${t.colRole}</th><th scope="col">${t.colState}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colCreated}</th><th scope="col" class="num">${t.colTokens}</th><th scope="col">${t.colLastUse}</th></tr></thead>
<tbody>${rows}</tbody></table>`,
      )
    : html`<p>${t.noUsers}</p>`
}`;
  return page(request, lang, t.usersTitle, viewer, body);
}

// ---------------------------------------------------------------- adding a user

const NEW_FIELDS = ['username', 'role', 'state', 'password'] as const;

function roleOptions(t: AdminText) {
  return ROLES.map((r) => ({ value: r, label: t.roleNames[r] }));
}

function stateOptions(ctx: Ctx, lang: FormLang, t: AdminText) {
  return [{ value: '', label: t.noState }, ...stateChoices(ctx, lang).map((s) => ({ value: s.iso3, label: s.name }))];
}

/** The role and State of a form, checked as the service will (the message at the field). */
function roleStateSchema(lang: FormLang, t: AdminText, stateCodes: Set<string>) {
  return z
    .object({
      role: z.enum(ROLES, { message: FORM_TEXT[lang].required }),
      state: z
        .string()
        .trim()
        .transform((s) => (s === '' ? null : s))
        .refine((s) => s === null || stateCodes.has(s), { message: t.stateUnknown }),
    })
    .superRefine((v, c) => {
      if (v.role === 'state' && v.state === null) c.addIssue({ code: 'custom', path: ['state'], message: t.stateNeeded });
      if (v.role !== 'state' && v.state !== null) c.addIssue({ code: 'custom', path: ['state'], message: t.stateRefused });
    });
}

function newUserSchema(lang: FormLang, t: AdminText, stateCodes: Set<string>) {
  return z
    .object({
      username: z.string().trim().min(1, { message: FORM_TEXT[lang].required }).regex(USERNAME_PATTERN, { message: t.usernameInvalid }),
      password: z.string().transform((s) => (s === '' ? undefined : s)),
    })
    .and(roleStateSchema(lang, t, stateCodes));
}

function renderNewUser(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, f: FormState): string {
  const t = ADMIN_TEXT[lang];
  const fields = [
    textField(f, { name: 'username', label: t.fieldUsername, hint: t.hintUsername, required: true, maxlength: 64, spellcheck: false, autocomplete: 'off' }),
    selectField(f, { name: 'role', label: t.fieldRole, required: true, options: roleOptions(t) }),
    selectField(f, { name: 'state', label: t.fieldState, hint: t.hintState, options: stateOptions(ctx, lang, t) }),
    html`${textField(f, { name: 'password', label: t.fieldPassword, hint: t.hintPassword, maxlength: 1024, spellcheck: false, autocomplete: 'new-password' })}`,
  ];
  const body = html`<p><a href="${withLang('/admin/users', lang)}">${t.backToUsers}</a></p>
<h1>${t.newTitle}</h1><p class="lead">${t.newLead}</p>
<section class="panel">${postForm(f, { action: withLang('/admin/users', lang), viewer, submit: t.submitCreate, fields, idem: true, id: 'new-user' })}</section>`;
  return page(request, lang, t.newTitle, viewer, body);
}

// ---------------------------------------------------------------- one user

type UserForm = 'status' | 'password' | 'role' | 'token' | 'revoke';

interface UserView {
  notice?: string;
  secret?: Record<string, string> | 'gone';
  forms?: Partial<Record<UserForm, FormState>>;
}

function renderUser(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, u: UserOut, tokens: TokenOut[], view: UserView): string {
  const t = ADMIN_TEXT[lang];
  const base = `/admin/users/${u.username}`;
  const stateName = u.state ? (stateChoices(ctx, lang).find((s) => s.iso3 === u.state)?.name ?? u.state) : '';
  const facts = html`<dl class="facts">
<div><dt>${t.factRole}</dt><dd>${t.roleNames[u.role]}</dd></div>
${u.state ? html`<div><dt>${t.factState}</dt><dd>${stateName}</dd></div>` : ''}
<div><dt>${t.factStatus}</dt><dd>${u.status === 'disabled' ? html`<span class="badge bad">${t.status.disabled}</span>` : html`<span class="badge good">${t.status.active}</span>`}</dd></div>
<div><dt>${t.factCreated}</dt><dd>${dayOf(u.createdAt, lang)}</dd></div>
${u.disabledAt ? html`<div><dt>${t.factDisabled}</dt><dd>${dayOf(u.disabledAt, lang)}</dd></div>` : ''}
</dl>`;
  const secret =
    view.secret === 'gone'
      ? html`<p class="info" role="status">${t.secretGone}</p>`
      : view.secret
        ? html`<section class="panel secret" aria-labelledby="h-secret"><h2 id="h-secret">${t.secretTitle}</h2><p class="notice">${t.secretLead}</p><dl class="facts">
${view.secret.password ? html`<div><dt>${t.secretPassword}</dt><dd><code translate="no" id="secret-password">${view.secret.password}</code></dd></div>` : ''}
${view.secret.token ? html`<div><dt>${t.secretToken}</dt><dd><code translate="no" id="secret-token">${view.secret.token}</code></dd></div>` : ''}
${view.secret.expires ? html`<div><dt>${t.secretExpires}</dt><dd>${dayOf(view.secret.expires, lang)}</dd></div>` : ''}
</dl></section>`
        : '';
  const fs = view.forms ?? {};
  const st = fs.status ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'st');
  const pw = fs.password ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'pw');
  const ro = fs.role ?? formState(lang, { role: u.role, state: u.state ?? '', [IDEM_FIELD]: newIdem() }, {}, 'ro');
  const tk = fs.token ?? formState(lang, { [IDEM_FIELD]: newIdem() }, {}, 'tk');
  const rv = fs.revoke ?? formState(lang, {}, {}, 'rv');
  const disabled = u.status === 'disabled';
  const statusForm = postForm(st, {
    action: withLang(`${base}/${disabled ? 'enable' : 'disable'}`, lang),
    viewer,
    submit: disabled ? t.submitEnable : t.submitDisable,
    fields: [textareaField(st, { name: 'reason', label: t.fieldReason, hint: t.hintReason, maxlength: 500, rows: 2 })],
    idem: true,
    id: 'status-form',
  });
  const passwordForm = postForm(pw, {
    action: withLang(`${base}/password`, lang),
    viewer,
    submit: t.submitPassword,
    fields: [textField(pw, { name: 'password', label: t.fieldNewPassword, hint: t.hintNewPassword, maxlength: 1024, spellcheck: false, autocomplete: 'new-password' })],
    idem: true,
    id: 'password-form',
  });
  const roleForm = postForm(ro, {
    action: withLang(`${base}/role`, lang),
    viewer,
    submit: t.submitRole,
    fields: [
      selectField(ro, { name: 'role', label: t.fieldRole, required: true, options: roleOptions(t) }),
      selectField(ro, { name: 'state', label: t.fieldState, hint: t.hintState, options: stateOptions(ctx, lang, t) }),
    ],
    idem: true,
    id: 'role-form',
  });
  const tokenForm = postForm(tk, {
    action: withLang(`${base}/tokens`, lang),
    viewer,
    submit: t.submitToken,
    fields: [
      textField(tk, { name: 'label', label: t.fieldLabel, hint: t.hintLabel, maxlength: 100, autocomplete: 'off' }),
      textField(tk, { name: 'days', label: t.fieldDays, hint: t.hintDays, maxlength: 4, inputmode: 'numeric', autocomplete: 'off' }),
    ],
    idem: true,
    id: 'token-form',
  });
  const revokeError = Object.values(rv.errors)[0];
  const tokenRows = tokens.map(
    (k) => html`<tr data-token="${k.id}"${k.status !== 'active' ? html` class="muted"` : ''}><th scope="row" translate="no">${k.label}</th>
<td>${k.status === 'active' ? html`<span class="badge good">${t.tokenStatus.active}</span>` : html`<span class="badge bad">${t.tokenStatus[k.status]}</span>`}</td>
<td class="mono">${dayOf(k.createdAt, lang)}</td><td class="mono">${dayOf(k.expiresAt, lang)}</td><td class="mono">${k.lastUsedAt ? dayOf(k.lastUsedAt, lang) : t.never}</td><td class="mono">${dayOf(k.revokedAt, lang)}</td>
<td>${
      k.status === 'active'
        ? html`<form method="post" action="${withLang(`/admin/tokens/${k.id}/revoke`, lang)}" class="inline">${csrfField(viewer)}${hiddenField(IDEM_FIELD, newIdem())}<button type="submit" aria-label="${t.revokeWhich(k.label, k.id)}">${t.submitRevoke}</button></form>`
        : ''
    }</td></tr>`,
  );
  const tokensTable = tokens.length
    ? scrollTable(
        `${t.tokensTitle} · ${u.username}`,
        html`<table id="tokens"><thead><tr><th scope="col">${t.colLabel}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colCreated}</th><th scope="col">${t.colExpires}</th><th scope="col">${t.colLastUsed}</th><th scope="col">${t.colRevoked}</th><th scope="col">${t.colAction}</th></tr></thead><tbody>${tokenRows}</tbody></table>`,
      )
    : html`<p>${t.noTokens}</p>`;
  const body = html`<p><a href="${withLang('/admin/users', lang)}">${t.backToUsers}</a></p>
<h1>${t.userTitle(u.username)}</h1>
${view.notice ? html`<p class="info" role="status">${view.notice}</p>` : ''}
${secret}
<section class="panel">${facts}</section>
<section class="panel" id="tokens-panel" aria-labelledby="h-tokens"><h2 id="h-tokens">${t.tokensTitle}</h2><p class="explain">${t.tokensLead}</p>
${revokeError ? html`<div class="error-summary" role="alert" tabindex="-1"><h3>${FORM_TEXT[lang].problem}</h3><p>${revokeError}</p></div>` : ''}${tokensTable}</section>
<section class="panel" id="token"><h2>${t.newTokenTitle}</h2>${tokenForm}</section>
<section class="panel" id="status"><h2>${t.statusTitle}</h2><p class="explain">${disabled ? t.enableLead : t.disableLead}</p>${statusForm}</section>
<section class="panel" id="password"><h2>${t.passwordTitle}</h2><p class="explain">${t.passwordLead}</p>${passwordForm}</section>
<section class="panel" id="role"><h2>${t.roleTitle}</h2><p class="explain">${t.roleLead}</p>${roleForm}</section>`;
  return page(request, lang, t.userTitle(u.username), viewer, body);
}

// ---------------------------------------------------------------- routes

const usernameParam = z.object({ username: z.string().regex(USERNAME_PATTERN) });
const tokenParam = z.object({ id: z.string().regex(/^[1-9][0-9]{0,11}$/) });
const resultQuery = z.object({
  created: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/).optional(),
  shown: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/).optional(),
  done: z.enum(['disabled', 'enabled', 'password', 'role', 'token']).optional(),
  revoked: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(),
});

const reasonSchema = (lang: FormLang) =>
  z.object({
    reason: z
      .string()
      .trim()
      .max(500, { message: FORM_TEXT[lang].tooLong(500) })
      .transform((s) => (s === '' ? undefined : s)),
  });

export default async function adminPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  const hide = { hide: true } as const;
  const replays = new FormReplays();
  const secrets = new OneTimeSecrets();
  app.addHook('preHandler', csrfGuard((request) => pageLang(request)));

  const userOf = (request: FastifyRequest): UserOut | null => {
    const p = usernameParam.safeParse(request.params);
    if (!p.success) return null;
    try {
      return getUser(ctx.db, p.data.username);
    } catch (e) {
      if (e instanceof ServiceError && e.status === 404) return null;
      throw e;
    }
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, lang: FormLang) =>
    sendHtml(
      reply,
      404,
      messagePage(pageOf(request, viewer), FORM_TEXT[lang].notFoundTitle, ADMIN_TEXT[lang].userNotFound, { href: withLang('/admin/users', lang), text: ADMIN_TEXT[lang].backToUsers }),
    );
  const stateCodes = () => new Set(stateChoices(ctx, 'en').map((s) => s.iso3));

  app.get('/admin/users', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const q = listQuery.safeParse(request.query ?? {});
    if (!q.success)
      return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, ADMIN_TEXT[lang].badQuery, { href: withLang('/admin/users', lang), text: ADMIN_TEXT[lang].filterClear }));
    return sendHtml(reply, 200, renderList(ctx, request, viewer, lang, q.data));
  });

  app.get('/admin/users/new', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!viewer) return reply;
    return sendHtml(reply, 200, renderNewUser(ctx, request, viewer, lang, formState(lang, { role: 'finance', [IDEM_FIELD]: newIdem() }, {}, 'nu')));
  });

  app.post('/admin/users', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const ok = postingViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const t = ADMIN_TEXT[lang];
    const values = posted(ok.body, NEW_FIELDS);
    const idem = postedIdem(ok.body);
    const again = (status: number, errors: FieldErrors) =>
      sendHtml(reply, status, renderNewUser(ctx, request, viewer, lang, formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, 'nu')));
    if (idem === null) return again(422, { '': FORM_TEXT[lang].expired });
    const key = `new-user:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    const v = validateForm(newUserSchema(lang, t, stateCodes()), values);
    if (!v.ok) return again(422, v.errors);
    try {
      if (v.data.password !== undefined) checkNewPassword(v.data.username, v.data.password);
      const r = addUser(ctx, actorOf(viewer, request, 'POST /admin/users'), {
        username: v.data.username,
        role: v.data.role,
        state: v.data.state,
        ...(v.data.password !== undefined ? { password: v.data.password } : {}),
      });
      const shown = secrets.put(viewer, { ...(v.data.password === undefined ? { password: r.password } : {}), token: r.token, expires: r.tokenExpiresAt });
      const location = withLang(`/admin/users/${r.username}?created=${shown}`, lang);
      replays.remember(request, key, withLang(`/admin/users/${r.username}`, lang));
      return seeOther(reply, location);
    } catch (e) {
      const s = serviceErrors(e, lang);
      if (!s) throw e;
      return again(s.status, s.errors);
    }
  });

  app.get('/admin/users/:username', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!viewer) return reply;
    const u = userOf(request);
    if (!u) return notFound(request, reply, viewer, lang);
    const t = ADMIN_TEXT[lang];
    const q = resultQuery.safeParse(request.query ?? {});
    const view: UserView = {};
    if (q.success) {
      const key = q.data.created ?? q.data.shown;
      if (key) view.secret = secrets.take(viewer, key) ?? 'gone';
      if (q.data.created) view.notice = t.createdNotice;
      const done = q.data.done;
      if (done)
        view.notice = { disabled: t.disabledNotice, enabled: t.enabledNotice, password: t.passwordNotice, role: t.roleNotice, token: t.tokenNotice }[done];
      if (q.data.revoked) view.notice = t.revokedNotice(Number.parseInt(q.data.revoked, 10));
    }
    return sendHtml(reply, 200, renderUser(ctx, request, viewer, lang, u, listTokens(ctx.db, u.username), view));
  });

  /** The common course of a user's forms: guard, replay, validate, call, answer 303 (or the page again with the message at the field). */
  const acting = (
    which: UserForm,
    fieldNames: readonly string[],
    run: (o: { request: FastifyRequest; viewer: Viewer; lang: FormLang; u: UserOut; values: Record<string, string> }) => { location: string } | { errors: FieldErrors; status: number },
  ) =>
    async function handler(request: FastifyRequest, reply: FastifyReply) {
      const lang = pageLang(request);
      const ok = postingViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
      if (!ok) return reply;
      const { viewer } = ok;
      const u = userOf(request);
      if (!u) return notFound(request, reply, viewer, lang);
      const values = posted(ok.body, fieldNames);
      const idem = postedIdem(ok.body);
      const rerender = (status: number, errors: FieldErrors) => {
        const prefix = { status: 'st', password: 'pw', role: 'ro', token: 'tk', revoke: 'rv' }[which];
        const f = formState(lang, { ...values, [IDEM_FIELD]: idem ?? newIdem() }, errors, prefix);
        return sendHtml(reply, status, renderUser(ctx, request, viewer, lang, getUser(ctx.db, u.username), listTokens(ctx.db, u.username), { forms: { [which]: f } }));
      };
      if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
      const key = `${which}:${u.username}:${idem}`;
      const done = replays.get(request, key);
      if (done !== undefined) return seeOther(reply, done);
      const r = run({ request, viewer, lang, u, values });
      if ('errors' in r) return rerender(r.status, r.errors);
      // A replay lands on the page without what was shown once.
      replays.remember(request, key, r.location.replace(/&shown=[^&]*/, ''));
      return seeOther(reply, r.location);
    };

  const statusChange = (disable: boolean) =>
    acting('status', ['reason'], ({ request, viewer, lang, u, values }) => {
      const v = validateForm(reasonSchema(lang), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        if (disable) {
          const { userId } = disableUser(ctx, actorOf(viewer, request, `POST /admin/users/${u.username}/disable`), u.username, v.data.reason);
          app.sessions.destroyUser(userId);
        } else enableUser(ctx, actorOf(viewer, request, `POST /admin/users/${u.username}/enable`), u.username, v.data.reason);
        return { location: withLang(`/admin/users/${u.username}?done=${disable ? 'disabled' : 'enabled'}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang, { username: '' });
        if (!s) throw e;
        return s;
      }
    });
  app.post('/admin/users/:username/disable', { schema: hide }, statusChange(true));
  app.post('/admin/users/:username/enable', { schema: hide }, statusChange(false));

  app.post(
    '/admin/users/:username/password',
    { schema: hide },
    acting('password', ['password'], ({ request, viewer, lang, u, values }) => {
      const typed = values.password ?? '';
      if (typed === '' && u.username === viewer.username) return { errors: { password: ADMIN_TEXT[lang].ownPasswordTyped }, status: 422 };
      const password = typed === '' ? generatePassword() : typed;
      try {
        const { userId } = setPassword(ctx, actorOf(viewer, request, `PUT /admin/users/${u.username}/password`), u.username, password);
        app.sessions.destroyUser(userId);
        if (userId === viewer.userId) return { location: '/login' };
        const shown = typed === '' ? secrets.put(viewer, { password }) : null;
        return { location: withLang(`/admin/users/${u.username}?done=password${shown ? `&shown=${shown}` : ''}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang);
        if (!s) throw e;
        return s;
      }
    }),
  );

  app.post(
    '/admin/users/:username/role',
    { schema: hide },
    acting('role', ['role', 'state'], ({ request, viewer, lang, u, values }) => {
      const v = validateForm(roleStateSchema(lang, ADMIN_TEXT[lang], stateCodes()), values);
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        setRole(ctx, actorOf(viewer, request, `PUT /admin/users/${u.username}/role`), u.username, { role: v.data.role, state: v.data.state });
        return { location: withLang(`/admin/users/${u.username}?done=role`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang, { username: 'role' });
        if (!s) throw e;
        return s;
      }
    }),
  );

  app.post(
    '/admin/users/:username/tokens',
    { schema: hide },
    acting('token', ['label', 'days'], ({ request, viewer, lang, u, values }) => {
      const t = ADMIN_TEXT[lang];
      const v = validateForm(
        z.object({
          label: z
            .string()
            .trim()
            .max(100, { message: FORM_TEXT[lang].tooLong(100) })
            .transform((s) => (s === '' ? undefined : s)),
          days: z
            .string()
            .trim()
            .refine((s) => s === '' || (/^[0-9]{1,4}$/.test(s) && Number.parseInt(s, 10) >= 1 && Number.parseInt(s, 10) <= 3650), { message: t.daysInvalid })
            .transform((s) => (s === '' ? undefined : Number.parseInt(s, 10))),
        }),
        values,
      );
      if (!v.ok) return { errors: v.errors, status: 422 };
      try {
        const tok = createToken(ctx, actorOf(viewer, request, `POST /admin/users/${u.username}/tokens`), u.username, {
          label: v.data.label,
          ...(v.data.days !== undefined ? { expiresInDays: v.data.days } : {}),
        });
        const shown = secrets.put(viewer, { token: tok.token, expires: tok.expiresAt });
        return { location: withLang(`/admin/users/${u.username}?done=token&shown=${shown}`, lang) };
      } catch (e) {
        const s = serviceErrors(e, lang, { username: '', expiresInDays: 'days' });
        if (!s) throw e;
        return s;
      }
    }),
  );

  app.post('/admin/tokens/:id/revoke', { schema: hide }, async (request, reply) => {
    const lang = pageLang(request);
    const ok = postingViewer(request, reply, { roles: ADMIN_PAGE_ROLES, lang });
    if (!ok) return reply;
    const { viewer } = ok;
    const p = tokenParam.safeParse(request.params);
    const id = p.success ? Number.parseInt(p.data.id, 10) : 0;
    const owner = id ? (ctx.sqlite.prepare('SELECT u.username FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?').get(id) as { username: string } | undefined) : undefined;
    if (!owner) return notFound(request, reply, viewer, lang);
    const idem = postedIdem(ok.body);
    const rerender = (status: number, errors: FieldErrors) =>
      sendHtml(
        reply,
        status,
        renderUser(ctx, request, viewer, lang, getUser(ctx.db, owner.username), listTokens(ctx.db, owner.username), { forms: { revoke: formState(lang, {}, errors, 'rv') } }),
      );
    if (idem === null) return rerender(422, { '': FORM_TEXT[lang].expired });
    const key = `revoke:${id}:${idem}`;
    const done = replays.get(request, key);
    if (done !== undefined) return seeOther(reply, done);
    try {
      revokeToken(ctx, actorOf(viewer, request, `POST /admin/tokens/${id}/revoke`), id);
    } catch (e) {
      const s = serviceErrors(e, lang, { id: '' });
      if (!s) throw e;
      return rerender(s.status, s.errors);
    }
    const location = withLang(`/admin/users/${owner.username}?revoked=${id}`, lang);
    replays.remember(request, key, location);
    return seeOther(reply, location);
  });
}
