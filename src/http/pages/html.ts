/**
 * Server-rendered HTML: an escaping template tag, the page layout with its
 * one inline stylesheet (allowed by its hash in the Content-Security-Policy,
 * no script at all), and the figure formatting shared by the pages.
 */
import crypto from 'node:crypto';
import { Dec, percentOneDecimal } from '../../domain/money.js';
import { formatMoney, formatPercent, NBSP } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import { PAGE_LANGS, t } from './i18n/index.js';
import { navFor } from './registry.js';

/** HTML that is already safe to send: produced by `html` or by `raw` on a constant. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function renderPart(p: Part): string {
  if (p === null || p === undefined || p === false || p === true) return '';
  if (p instanceof SafeHtml) return p.value;
  if (Array.isArray(p)) return p.map(renderPart).join('');
  return escapeHtml(String(p));
}

/** Template tag: every interpolated value is escaped unless it is SafeHtml (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += renderPart(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks a constant string as HTML. Never call it on anything that came from a request or the database. */
export const raw = (s: string) => new SafeHtml(s);

// ---------------------------------------------------------------- figures

/** "CHF 590,000.00" in the language's number style. */
export function chf(amount: string, lang: Lang = 'en'): string {
  return `CHF${NBSP}${formatMoney(amount, lang)}`;
}

/** part ÷ whole in percent, one decimal, half-even (like the status report's shares): "84.3"; "0.0" when whole is zero. */
export function percentOf(part: string, whole: string): string {
  return percentOneDecimal(part, whole);
}

export function pct(value: string, lang: Lang = 'en'): string {
  return formatPercent(value, lang);
}

/** Sum of money strings, as a money string with two decimals. */
export function addMoney(...amounts: string[]): string {
  return amounts.reduce((acc, a) => acc.plus(new Dec(a)), new Dec(0)).toFixed(2);
}

export function subMoney(a: string, b: string): string {
  return new Dec(a).minus(new Dec(b)).toFixed(2);
}

// ---------------------------------------------------------------- layout

export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6675; --line: #d5dae1; --bg: #f5f6f8; --card: #fff; --accent: #1f4e79; --warn: #a4262c; --ok: #2e6b3f; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { overflow-wrap: break-word; margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.45; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #f2b705; outline-offset: 1px; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header.site { background: var(--accent); color: #fff; }
header.site .wrap { display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap; padding-top: .6rem; padding-bottom: .6rem; }
header.site .brand { font-weight: 600; font-size: 1.05rem; }
header.site .brand small { display: block; font-weight: 400; opacity: .85; font-size: .8rem; }
header.site nav { flex: 1; }
header.site nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; flex-wrap: wrap; }
header.site nav a { color: #fff; text-decoration: none; padding: .2rem .1rem; border-bottom: 2px solid transparent; }
header.site nav a[aria-current="page"], header.site nav.langs a[aria-current="true"] { border-bottom-color: #fff; }
header.site nav.langs { flex: 0 0 auto; font-size: .9rem; }
header.site nav.langs ul { gap: .6rem; }
header.site .who { display: flex; align-items: center; gap: .75rem; font-size: .9rem; }
header.site .who form { margin: 0; }
header.site .who button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.7); border-radius: 4px; padding: .25rem .7rem; cursor: pointer; font: inherit; }
.wrap { max-width: 82rem; margin: 0 auto; padding: 0 1.25rem; }
main { padding-top: 1.25rem; padding-bottom: 2.5rem; }
h1 { font-size: 1.55rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
h3 { font-size: 1rem; margin: .8rem 0 .4rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; align-items: flex-end; margin: .8rem 0 1.2rem; }
.toolbar form { display: flex; gap: .6rem; align-items: flex-end; flex-wrap: wrap; margin: 0; }
label { display: block; font-size: .85rem; color: var(--muted); margin-bottom: .15rem; }
input, select, button { font: inherit; }
input, select { padding: .3rem .45rem; border: 1px solid #9aa4b1; border-radius: 4px; background: #fff; color: var(--ink); }
button.primary { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .4rem 1rem; cursor: pointer; }
.downloads { display: flex; gap: .8rem; flex-wrap: wrap; font-size: .92rem; }
.downloads a { border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: .3rem .7rem; text-decoration: none; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(13.5rem, 100%), 1fr)); gap: .75rem; margin: 0 0 1.25rem; padding: 0; list-style: none; }
.kpis.compact { grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
.kpi .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.kpi .value { font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kpi .note { font-size: .8rem; color: var(--muted); }
.kpi.key { border-left: 4px solid var(--accent); }
.kpi.warn .value { color: var(--warn); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(34rem, 100%), 1fr)); gap: 1rem; }
.grid > *, .side > * { min-width: 0; }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.1rem; margin-bottom: 1rem; break-inside: avoid; }
section.panel.wide { grid-column: 1 / -1; }
.panel .explain { color: var(--muted); font-size: .88rem; margin: 0 0 .6rem; }
figure { margin: 0 0 .6rem; }
figure svg { width: 100%; height: auto; display: block; }
.side { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
.side.halves { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 .35rem; color: var(--ink); }
th, td { padding: .3rem .45rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #aab3bf; font-size: .8rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot th, tfoot td { border-top: 2px solid #aab3bf; font-weight: 600; border-bottom: 0; }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
.scroll td.text { min-width: 13rem; }
.scroll td.nowrap { white-space: nowrap; }
.scroll:focus-visible { outline: 3px solid #f2b705; outline-offset: 1px; }
.chart-note { display: none; color: var(--muted); font-size: .85rem; margin: 0 0 .4rem; }
table.narrow { max-width: 36rem; }
.badge { display: inline-block; font-size: .75rem; padding: .05rem .45rem; border-radius: 999px; border: 1px solid var(--line); white-space: nowrap; }
.badge.bad { color: var(--warn); border-color: #e3b5b7; background: #fbeeee; }
.badge.good { color: var(--ok); border-color: #b7d6c0; background: #eef7f0; }
.notice { border-left: 4px solid var(--warn); background: #fbeeee; padding: .6rem .8rem; margin: .5rem 0 1rem; }
.info { border-left: 4px solid var(--accent); background: #eef3f8; padding: .6rem .8rem; margin: .5rem 0 1rem; }
.login { max-width: 24rem; margin: 3rem auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1.5rem; }
.login .field { margin-bottom: .9rem; }
.login input { width: 100%; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82rem; white-space: nowrap; }
footer.site { color: var(--muted); font-size: .8rem; padding: 1rem 0 2rem; }
@media (max-width: 60rem) { .side { grid-template-columns: 1fr; } .grid { grid-template-columns: 1fr; } figure.chart.wide-chart { display: none; } .chart-note.for-wide { display: block; } }
@media (max-width: 40rem) {
  .wrap { padding: 0 .75rem; }
  header.site .wrap { gap: .4rem 1rem; }
  header.site nav { flex: 1 1 100%; }
  header.site nav ul { gap: .1rem .9rem; font-size: .93rem; }
  header.site nav a { display: inline-block; padding: .15rem 0; }
  header.site nav.langs { flex: 1 1 auto; }
  header.site .brand small { display: none; }
  header.site .who { font-size: .85rem; gap: .5rem; }
  header.site .who button { padding: .15rem .5rem; }
  h1 { font-size: 1.3rem; }
  section.panel { padding: .8rem .7rem; }
  figure.chart { display: none; }
  .chart-note { display: block; }
  .kpis, .kpis.compact { grid-template-columns: 1fr 1fr; gap: .5rem; }
  .kpi { padding: .5rem .6rem; }
  .kpi .value { font-size: 1.05rem; white-space: normal; }
  .kpi .label { font-size: .75rem; letter-spacing: 0; }
  .toolbar form > div { flex: 1 1 8rem; }
  .login { margin: 1rem auto; padding: 1rem; }
}
@media (max-width: 22rem) { .kpis, .kpis.compact { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html { font-size: 11px; }
  body { background: #fff; }
  header.site { background: #fff; color: #000; border-bottom: 2px solid #000; }
  header.site nav, header.site .who form, .chart-note, .toolbar form, .skip, .no-print { display: none !important; }
  header.site .who { color: #000; }
  .kpi, section.panel { border-color: #999; break-inside: avoid; }
  .grid { grid-template-columns: 1fr 1fr; }
  a { color: #000; text-decoration: none; }
  .downloads { display: none; }
}
/* Forms (src/http/pages/forms.ts) */
form.kit .field, form.filters .field { margin-bottom: .9rem; max-width: 36rem; }
form.kit input:not([type=checkbox]), form.kit select, form.kit textarea { width: 100%; max-width: 36rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: flex-end; }
form.filters .field { flex: 1 1 10rem; }
form.filters input, form.filters select { width: 100%; }
textarea { font: inherit; padding: .3rem .45rem; border: 1px solid #9aa4b1; border-radius: 4px; background: #fff; color: var(--ink); }
textarea:focus-visible { outline: 3px solid #f2b705; outline-offset: 1px; }
.hint { font-size: .82rem; color: var(--muted); margin: 0 0 .2rem; overflow-wrap: anywhere; }
.hint .found { color: var(--ink); }
.field-error { color: var(--warn); font-weight: 600; margin: 0 0 .2rem; font-size: .88rem; }
.has-error input, .has-error select, .has-error textarea { border: 2px solid var(--warn); }
.field.check label { display: inline; color: var(--ink); font-size: .92rem; }
.error-summary { border: 3px solid var(--warn); border-radius: 4px; padding: .6rem .9rem; margin: 0 0 1rem; background: #fff; }
.error-summary h2 { color: var(--warn); }
.error-summary ul { margin: 0; padding-left: 1.1rem; }
.actions { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin-bottom: .9rem; }
a.button { display: inline-block; background: var(--accent); color: #fff; border-radius: 4px; padding: .4rem 1rem; text-decoration: none; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .5rem 1rem; margin: 0; }
dl.facts dt { font-size: .8rem; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.pager { display: flex; gap: 1rem; flex-wrap: wrap; align-items: baseline; }
@media print { form.kit, form.filters, a.button { display: none !important; } }
`;

/** The CSP hash of the stylesheet: the only inline content the pages carry. */
export const STYLE_HASH = `sha256-${crypto.createHash('sha256').update(STYLE, 'utf8').digest('base64')}`;

export interface PageUser {
  username: string;
  role: string;
  stateIso3: string | null;
  csrf: string;
}

/** What every page needs to be drawn: its language, its URL (for the language switch) and its viewer. */
export interface PageCtx {
  lang: Lang;
  /** The request's URL, path and query ("/dashboard?year=2018"). */
  url: string;
  user: PageUser | null;
}

export interface LayoutOptions {
  title: string;
  /** The path of the navigation entry to mark as the current page ("/dashboard"). */
  active?: string;
  body: SafeHtml;
  /** Seconds after which a page that follows work in progress reloads itself (a <meta> refresh: the pages run no script); offer a way to stop it (WCAG 2.2.1). */
  refreshSeconds?: number;
}

/** The URL of this page in another language: the same path and query, with lang= set. */
export function urlInLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}`;
}

function languageSwitch(p: PageCtx): SafeHtml {
  const m = t(p.lang);
  return html`<nav class="langs" aria-label="${m.site.languageNav}"><ul>${PAGE_LANGS.map(
    (l) => html`<li><a href="${urlInLang(p.url, l)}" hreflang="${l}" lang="${l}"${l === p.lang ? raw(' aria-current="true"') : ''}>${t(l).languageName}</a></li>`,
  )}</ul></nav>`;
}

function nav(p: PageCtx, user: PageUser, active: string | undefined): SafeHtml {
  const m = t(p.lang);
  const links = navFor(user.role).map(
    (e) => html`<li><a href="${e.path}"${e.path === active ? raw(' aria-current="page"') : ''}>${m.nav[e.key]}</a></li>`,
  );
  const role = (m.site.roles as Record<string, string>)[user.role] ?? user.role;
  return html`<nav aria-label="${m.site.mainNav}"><ul>${links}</ul></nav>
    <div class="who"><span>${m.site.signedInAs} <strong>${user.username}</strong> (${role}${user.stateIso3 ? ` · ${user.stateIso3}` : ''})</span>
      <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${user.csrf}"><button type="submit">${m.site.logout}</button></form></div>`;
}

export function layout(p: PageCtx, o: LayoutOptions): string {
  const m = t(p.lang);
  return `<!doctype html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshSeconds === undefined ? '' : html`<meta http-equiv="refresh" content="${String(o.refreshSeconds)}">
`}<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${o.title} · ${m.site.titleSuffix}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">${m.site.skip}</a>
<header class="site"><div class="wrap">
  <div class="brand">${m.site.brand}<small>${m.site.tagline}</small></div>
  ${p.user ? nav(p, p.user, o.active) : ''}
  ${languageSwitch(p)}
</div></header>
<main id="main" class="wrap">
${o.body}
</main>
<footer class="site"><div class="wrap">${m.site.footer}</div></footer>
</body>
</html>`.value}`;
}

/** A short page for errors and refusals (403, 404, 429, 500): a title, a sentence, a link (default: back to the start page). */
export function messagePage(p: PageCtx, title: string, message: string, link?: { href: string; text: string }): string {
  const back = link ?? { href: '/', text: t(p.lang).errors.back };
  // The language switch of an error page keeps the path, not the query: a refusal says nothing about what was asked.
  return layout({ ...p, url: p.url.split('?')[0] ?? '/' }, {
    title,
    body: html`<h1>${title}</h1><p>${message}</p><p><a href="${back.href}">${back.text}</a></p>`,
  });
}

/**
 * A table that may be wider than the screen: in a scroll box that the
 * keyboard reaches (tabindex=0) and a screen reader names (role=region).
 */
export function scrollTable(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}
