/**
 * The audit log (SPEC 7, 9.8): every change, newest first, a hundred to a
 * page (?before=ID for older ones, as the API's /audit). For the auditor and
 * the admin, as the API; any other role gets the 403 page, a State user the
 * 404 page. Read only. Reached from the reports page (auditor) and the users
 * page (admin): the navigation has no entry of its own for it.
 */
import { desc, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { auditLog } from '../../db/schema.js';
import type { Role } from '../../services/actor.js';
import type { Ctx } from '../../services/context.js';
import { ADMIN_TEXT } from './admin-text.js';
import { pageLang } from './admin.js';
import { FORM_TEXT, pageViewer, withLang, type FormLang } from './forms.js';
import { pageOf, sendHtml, type Viewer } from './guard.js';
import { html, layout, messagePage, scrollTable } from './html.js';

export const AUDIT_ROLES: readonly Role[] = ['auditor', 'admin'];
const PAGE = 100;
const query = z.object({ before: z.string().regex(/^[1-9][0-9]{0,11}$/).optional(), lang: z.string().optional() });

function renderAudit(ctx: Ctx, request: FastifyRequest, viewer: Viewer, lang: FormLang, before: number | undefined): string {
  const t = ADMIN_TEXT[lang];
  const q = ctx.db.select().from(auditLog);
  const rows = (before === undefined ? q : q.where(lt(auditLog.id, before))).orderBy(desc(auditLog.id)).limit(PAGE + 1).all();
  const shown = rows.slice(0, PAGE);
  const more = rows.length > PAGE;
  const details = (d: unknown) => (d === null || d === undefined ? '' : JSON.stringify(d)).slice(0, 400);
  const table = html`<table id="audit"><caption>${t.auditCaption(shown.length)}</caption><thead><tr><th scope="col">${t.colAt}</th><th scope="col">${t.colWho}</th><th scope="col">${t.colWhat}</th><th scope="col">${t.colEntity}</th><th scope="col">${t.colDetails}</th></tr></thead>
<tbody>${shown.map(
    (r) => html`<tr data-audit="${r.id}"><td class="mono">${r.at.replace('T', ' ').slice(0, 19)}</td><td><span translate="no">${r.username}</span></td><td><code translate="no">${r.action}</code></td><td><span translate="no">${r.entityType} ${r.entityId}</span></td><td><code translate="no" class="details">${details(r.details)}</code></td></tr>`,
  )}</tbody></table>`;
  const nav = html`<nav class="pager" aria-label="${t.auditTitle}">${before !== undefined ? html`<a href="${withLang('/audit', lang)}">${t.newest}</a>` : ''}${
    more ? html`<a rel="next" href="${withLang(`/audit?before=${shown[shown.length - 1]!.id}`, lang)}">${t.older}</a>` : ''
  }</nav>`;
  const body = html`<h1>${t.auditTitle}</h1><p class="lead">${t.auditLead}</p>
${shown.length ? scrollTable(t.auditTitle, table) : html`<p>${t.noEntries}</p>`}
${nav}`;
  return layout({ lang, url: request.url, user: viewer }, { title: t.auditTitle, active: viewer.role === 'admin' ? '/admin/users' : '/reports', body });
}

export default async function auditPages(app: FastifyInstance, { ctx }: { ctx: Ctx }) {
  app.get('/audit', { schema: { hide: true } }, async (request, reply) => {
    const lang = pageLang(request);
    const viewer = pageViewer(request, reply, { roles: AUDIT_ROLES, lang });
    if (!viewer) return reply;
    const q = query.safeParse(request.query ?? {});
    if (!q.success) return sendHtml(reply, 400, messagePage(pageOf(request, viewer), FORM_TEXT[lang].refusedTitle, ADMIN_TEXT[lang].badQuery, { href: withLang('/audit', lang), text: ADMIN_TEXT[lang].newest }));
    return sendHtml(reply, 200, renderAudit(ctx, request, viewer, lang, q.data.before === undefined ? undefined : Number.parseInt(q.data.before, 10)));
  });
}
