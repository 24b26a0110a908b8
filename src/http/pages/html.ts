/**
 * Server-rendered HTML: an escaping template tag, the page layout with its
 * one inline stylesheet (allowed by its hash in the Content-Security-Policy,
 * no script at all), and the figure formatting shared by the pages.
 */
import crypto from 'node:crypto';
import { Dec, percentOneDecimal } from '../../domain/money.js';
import { formatMoney, formatPercent, NBSP } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';

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
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.45; }
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
header.site nav a[aria-current="page"] { border-bottom-color: #fff; }
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
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(13.5rem, 1fr)); gap: .75rem; margin: 0 0 1.25rem; padding: 0; list-style: none; }
.kpis.compact { grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
.kpi .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.kpi .value { font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kpi .note { font-size: .8rem; color: var(--muted); }
.kpi.key { border-left: 4px solid var(--accent); }
.kpi.warn .value { color: var(--warn); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(34rem, 1fr)); gap: 1rem; }
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
.table-scroll { overflow-x: auto; }
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
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .82rem; white-space: nowrap; }
footer.site { color: var(--muted); font-size: .8rem; padding: 1rem 0 2rem; }
@media (max-width: 60rem) { .side { grid-template-columns: 1fr; } .grid { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html { font-size: 11px; }
  body { background: #fff; }
  header.site { background: #fff; color: #000; border-bottom: 2px solid #000; }
  header.site nav, header.site .who form, .toolbar form, .skip, .no-print { display: none !important; }
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

export interface LayoutOptions {
  title: string;
  user?: PageUser | null;
  active?: 'dashboard' | 'account' | 'login';
  body: SafeHtml;
}

function nav(user: PageUser, active: LayoutOptions['active']): SafeHtml {
  const cur = (page: LayoutOptions['active']) => (page === active ? raw(' aria-current="page"') : '');
  const links =
    user.role === 'state'
      ? html`<li><a href="/account"${cur('account')}>Our account</a></li>`
      : html`<li><a href="/dashboard"${cur('dashboard')}>Dashboard</a></li><li><a href="/docs/">API documentation</a></li>`;
  return html`<nav aria-label="Main"><ul>${links}</ul></nav>
    <div class="who"><span>Signed in as <strong>${user.username}</strong> (${user.role}${user.stateIso3 ? ` · ${user.stateIso3}` : ''})</span>
      <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${user.csrf}"><button type="submit">Log out</button></form></div>`;
}

export function layout(o: LayoutOptions): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${o.title} · ISU CCM contributions</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="wrap">
  <div class="brand">ISU · Convention on Cluster Munitions<small>Contributions and budget tracker</small></div>
  ${o.user ? nav(o.user, o.active) : ''}
</div></header>
<main id="main" class="wrap">
${o.body}
</main>
<footer class="site"><div class="wrap">Implementation Support Unit of the Convention on Cluster Munitions · amounts in Swiss francs (CHF)</div></footer>
</body>
</html>`.value}`;
}

/** A short page for errors and refusals (403, 404, 429, 500). */
export function messagePage(title: string, message: string, user?: PageUser | null, link: { href: string; text: string } = { href: '/', text: 'Back to the start page' }): string {
  return layout({
    title,
    user: user ?? null,
    body: html`<h1>${title}</h1><p>${message}</p><p><a href="${link.href}">${link.text}</a></p>`,
  });
}
