/**
 * Charts as inline SVG, rendered on the server: no script, no external
 * asset, printable. Every chart has a <title> and a <desc> (role="img") and
 * text labels on its bars; the pages put the figures in a table beside it.
 *
 * Values arrive as decimal strings and are scaled with decimal.js: money
 * never becomes a JS number, not even to place a bar (coordinates are
 * written as decimal strings too).
 */
import { Decimal } from 'decimal.js';
import { Dec } from '../../domain/money.js';
import { formatDecimal } from '../../pdf/i18n.js';
import type { Lang } from '../../pdf/types.js';
import { html, raw, type SafeHtml } from './html.js';
import { colon } from './i18n/index.js';

export const COLORS = {
  budget: '#5b6675',
  assessed: '#8fb3d9',
  paid: '#1f4e79',
  excess: '#d08c00',
  gap: '#e3e6ea',
  partial: '#7da7d0',
  unpaid: '#c9ced6',
  arrears: '#a4262c',
  due: '#e0a3a6',
  reserve: '#2e6b3f',
  drawdown: '#d08c00',
  receipts: '#6fa77e',
  spending: '#b8bec7',
  cash: '#1f4e79',
  shortfall: '#a4262c',
} as const;

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';

/** A coordinate (pixels) as a string with at most one decimal. */
function px(d: Dec | number): string {
  return new Dec(d).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toString();
}

export interface Scale {
  min: Dec;
  max: Dec;
  step: Dec;
  ticks: Dec[];
}

/** A "nice" axis covering [lo, hi] and zero, with about `target` intervals of 1, 2, 2.5 or 5 × 10^n. */
export function niceScale(lo: Dec, hi: Dec, target = 5): Scale {
  const min = Dec.min(lo, 0);
  let max = Dec.max(hi, 0);
  if (max.eq(min)) max = min.plus(1);
  const rough = max.minus(min).div(target);
  const pow = new Dec(10).pow(rough.log(10).floor());
  const f = rough.div(pow);
  const nice = f.lte(1) ? 1 : f.lte(2) ? 2 : f.lte(2.5) ? 2.5 : f.lte(5) ? 5 : 10;
  const step = pow.mul(nice);
  const nmin = min.div(step).floor().mul(step);
  const nmax = max.div(step).ceil().mul(step);
  const ticks: Dec[] = [];
  for (let t = nmin; t.lte(nmax); t = t.plus(step)) ticks.push(t);
  return { min: nmin, max: nmax, step, ticks };
}

/** 590000 → "590k", 1250000 → "1.25M", 0 → "0". For axis ticks and bar labels (the tables carry the exact figures). */
export function shortAmount(d: Dec | string, lang: Lang = 'en'): string {
  const v = new Dec(d);
  const a = v.abs();
  const n = (x: Dec) => formatDecimal(x.toFixed(), lang); // the language's decimal sign: fr "1,25M"
  if (a.gte(1_000_000)) return `${n(v.div(1_000_000).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN))}M`;
  if (a.gte(1_000)) return `${n(v.div(1_000).toDecimalPlaces(a.gte(100_000) ? 0 : 1, Decimal.ROUND_HALF_EVEN))}k`;
  return n(v.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN));
}

function frame(id: string, title: string, desc: string, width: number, height: number, body: SafeHtml): SafeHtml {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}" font-size="12" data-chart="${id}">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${desc}</desc>
${body}
</svg>`;
}

function legend(items: { name: string; color: string; dashed?: boolean }[], x: number, y: number, maxWidth: number): SafeHtml {
  let cx = x;
  let cy = y;
  const parts: SafeHtml[] = [];
  for (const it of items) {
    const w = 18 + it.name.length * 6.4 + 14;
    if (cx + w > x + maxWidth && cx > x) {
      cx = x;
      cy += 16;
    }
    parts.push(
      it.dashed
        ? html`<line x1="${cx}" y1="${cy - 4}" x2="${cx + 12}" y2="${cy - 4}" stroke="${it.color}" stroke-width="2.5" stroke-dasharray="4 3"/>`
        : html`<rect x="${cx}" y="${cy - 10}" width="12" height="12" rx="2" fill="${it.color}"/>`,
      html`<text x="${cx + 17}" y="${cy}" fill="#1d2733">${it.name}</text>`,
    );
    cx += w;
  }
  return html`<g class="legend">${parts}</g>`;
}

function yAxis(scale: Scale, y: (v: Dec) => string, left: number, right: number, format: (d: Dec) => string): SafeHtml {
  return html`<g class="axis">${scale.ticks.map(
    (t) => html`<line x1="${left}" x2="${right}" y1="${y(t)}" y2="${y(t)}" stroke="${t.isZero() ? '#5b6675' : '#e3e6ea'}" stroke-width="1"/>
<text x="${left - 6}" y="${y(t)}" dy="4" text-anchor="end" fill="#5b6675" font-size="11">${format(t)}</text>`,
  )}</g>`;
}

export interface BarSeries {
  name: string;
  color: string;
  /** Decimal strings; null for no bar. */
  values: (string | null)[];
}

/** Vertical bars grouped by category (years), one bar per series, with value labels and a legend. */
export function barChart(o: {
  id: string;
  title: string;
  desc: string;
  categories: string[];
  series: BarSeries[];
  width?: number;
  height?: number;
  /** Label written above each bar (default: short amount). */
  label?: (value: string) => string;
  /** The language of the numbers on the axis and the bars. */
  lang?: Lang;
}): SafeHtml {
  const lang = o.lang ?? 'en';
  const width = o.width ?? 640;
  const height = o.height ?? 300;
  const left = 56;
  const right = width - 10;
  const top = 16 + Math.ceil(o.series.length / 4) * 16 + 8;
  const bottom = height - 28;
  const all = o.series.flatMap((s) => s.values.filter((v): v is string => v !== null).map((v) => new Dec(v)));
  const scale = niceScale(all.length ? Dec.min(...all) : new Dec(0), all.length ? Dec.max(...all) : new Dec(1), 5);
  const span = scale.max.minus(scale.min);
  const y = (v: Dec) => px(new Dec(bottom).minus(v.minus(scale.min).div(span).mul(bottom - top)));
  const groupW = new Dec(right - left).div(Math.max(o.categories.length, 1));
  const barW = groupW.mul(0.78).div(Math.max(o.series.length, 1));
  const label = o.label ?? ((v: string) => shortAmount(v, lang));
  const zero = y(new Dec(0));
  const bars = o.categories.map((cat, ci) => {
    const gx = groupW.mul(ci).plus(left).plus(groupW.mul(0.11));
    const cx = px(groupW.mul(ci).plus(left).plus(groupW.div(2)));
    return html`<g>${o.series.map((s, si) => {
      const v = s.values[ci];
      if (v === null || v === undefined) return '';
      const d = new Dec(v);
      const x = gx.plus(barW.mul(si));
      const yv = y(d);
      const [y0, y1] = d.gte(0) ? [yv, zero] : [zero, yv];
      const h = new Dec(y1).minus(y0);
      return html`<rect x="${px(x.plus(1))}" y="${y0}" width="${px(barW.minus(2))}" height="${px(h)}" fill="${s.color}"><title>${s.name}, ${cat}${colon(lang)}${formatDecimal(v, lang)}</title></rect>
<text x="${px(x.plus(barW.div(2)))}" y="${d.gte(0) ? px(new Dec(yv).minus(4)) : px(new Dec(yv).plus(12))}" text-anchor="middle" font-size="10.5" fill="#1d2733">${label(v)}</text>`;
    })}<text x="${cx}" y="${bottom + 18}" text-anchor="middle" fill="#1d2733" font-weight="600">${cat}</text></g>`;
  });
  return frame(
    o.id,
    o.title,
    o.desc,
    width,
    height,
    html`${legend(o.series, left, 16, right - left)}${yAxis(scale, y, left, right, (t) => shortAmount(t, lang))}${bars}`,
  );
}

export interface Segment {
  label: string;
  /** Decimal string (money or a count). */
  value: string;
  color: string;
  /** Text written in the legend after the label ("CHF 470,000.00 · 79.7 %"). */
  text: string;
}

/**
 * One horizontal bar split into segments (paid, excess, uncovered …) against
 * a reference (the budget, the target), with markers (100 %, target) and a legend.
 */
export function stackedBar(o: {
  id: string;
  title: string;
  desc: string;
  segments: Segment[];
  /** Scale maximum; default the sum of the segments. */
  max?: string;
  markers?: { value: string; label: string }[];
  width?: number;
  /** Short label inside each segment wide enough (default none). */
  inside?: (s: Segment) => string;
  lang?: Lang;
}): SafeHtml {
  const sep = colon(o.lang ?? 'en');
  const width = o.width ?? 640;
  const left = 8;
  const right = width - 8;
  const barTop = 26;
  const barH = 34;
  const sum = o.segments.reduce((a, s) => a.plus(new Dec(s.value)), new Dec(0));
  const candidates = [sum, ...(o.max ? [new Dec(o.max)] : []), ...(o.markers ?? []).map((m) => new Dec(m.value))];
  let max = Dec.max(...candidates);
  if (max.lte(0)) max = new Dec(1);
  const x = (v: Dec) => new Dec(left).plus(v.div(max).mul(right - left));
  let acc = new Dec(0);
  const rects = o.segments.map((s) => {
    const v = new Dec(s.value);
    if (v.lte(0)) return '';
    const x0 = x(acc);
    acc = acc.plus(v);
    const w = x(acc).minus(x0);
    const inside = o.inside?.(s) ?? '';
    const fits = inside !== '' && w.gte(inside.length * 6.6 + 10);
    const dark = ['#1f4e79', '#2e6b3f', '#a4262c', '#5b6675'].includes(s.color);
    return html`<rect x="${px(x0)}" y="${barTop}" width="${px(w)}" height="${barH}" fill="${s.color}" stroke="#fff" stroke-width="1"><title>${s.label}${sep}${s.text}</title></rect>
${fits ? html`<text x="${px(x0.plus(w.div(2)))}" y="${barTop + barH / 2 + 4}" text-anchor="middle" fill="${dark ? '#fff' : '#1d2733'}" font-weight="600">${inside}</text>` : ''}`;
  });
  const markers = (o.markers ?? []).map((m) => {
    const mx = px(x(new Dec(m.value)));
    const anchor = x(new Dec(m.value)).gt(right - 90) ? 'end' : 'middle';
    return html`<line x1="${mx}" x2="${mx}" y1="${barTop - 8}" y2="${barTop + barH + 6}" stroke="#1d2733" stroke-width="2"/>
<text x="${mx}" y="${barTop - 11}" text-anchor="${anchor}" font-size="11" fill="#1d2733">${m.label}</text>`;
  });
  const rows = o.segments.map(
    (s, i) => html`<g transform="translate(${left} ${barTop + barH + 24 + i * 18})"><rect x="0" y="-10" width="12" height="12" rx="2" fill="${s.color}"/><text x="18" y="0" fill="#1d2733">${s.label}${sep}${s.text}</text></g>`,
  );
  const height = barTop + barH + 24 + o.segments.length * 18;
  return frame(o.id, o.title, o.desc, width, height, html`${rects}${markers}${rows}`);
}

/** Horizontal bars, one per row (top contributors, …), with the label on the left and the value text on the right. */
export function hbarChart(o: {
  id: string;
  title: string;
  desc: string;
  rows: { label: string; value: string; text: string; color?: string }[];
  color?: string;
  width?: number;
  labelWidth?: number;
  lang?: Lang;
}): SafeHtml {
  const sep = colon(o.lang ?? 'en');
  const width = o.width ?? 640;
  const labelW = o.labelWidth ?? 170;
  const textW = 150;
  const left = labelW;
  const right = width - textW;
  const rowH = 26;
  const vals = o.rows.map((r) => new Dec(r.value));
  let max = vals.length ? Dec.max(...vals) : new Dec(1);
  if (max.lte(0)) max = new Dec(1);
  const bars = o.rows.map((r, i) => {
    const y = 6 + i * rowH;
    const w = new Dec(r.value).div(max).mul(right - left);
    return html`<g><text x="${labelW - 8}" y="${y + 14}" text-anchor="end" fill="#1d2733">${r.label}</text>
<rect x="${left}" y="${y}" width="${px(Dec.max(w, 0))}" height="${rowH - 8}" fill="${r.color ?? o.color ?? COLORS.paid}"><title>${r.label}${sep}${r.text}</title></rect>
<text x="${px(w.plus(left + 6))}" y="${y + 14}" fill="#1d2733" font-size="11.5">${r.text}</text></g>`;
  });
  return frame(o.id, o.title, o.desc, width, 8 + o.rows.length * rowH, html`${bars}`);
}

export interface CashPoint {
  label: string;
  closing: string;
  receipts: string;
  spending: string;
  projected: boolean;
}

/**
 * Cash-flow outlook: receipts (up) and spending (down) as bars per month and
 * the closing operating cash as a line — solid for actual months, dashed for
 * projected ones — with the zero line and the first month of shortfall marked.
 */
/** The words of the cash-flow chart, in the page's language. */
export interface CashflowLabels {
  receipts: string;
  spending: string;
  closing: string;
  projected: string;
  firstShortfall: string;
  closingCash: string;
}

const CASHFLOW_EN: CashflowLabels = {
  receipts: 'Receipts',
  spending: 'Spending',
  closing: 'Closing operating cash (actual)',
  projected: 'projected',
  firstShortfall: 'first shortfall',
  closingCash: 'closing cash',
};

export function cashflowChart(o: {
  id: string;
  title: string;
  desc: string;
  points: CashPoint[];
  shortfallIndex: number | null;
  width?: number;
  height?: number;
  labels?: CashflowLabels;
  lang?: Lang;
}): SafeHtml {
  const w = o.labels ?? CASHFLOW_EN;
  const lang = o.lang ?? 'en';
  const width = o.width ?? 900;
  const height = o.height ?? 320;
  const left = 60;
  const right = width - 12;
  const top = 34;
  const bottom = height - 30;
  const values = o.points.flatMap((p) => [new Dec(p.closing), new Dec(p.receipts), new Dec(p.spending).neg()]);
  const scale = niceScale(values.length ? Dec.min(...values) : new Dec(0), values.length ? Dec.max(...values) : new Dec(1), 6);
  const span = scale.max.minus(scale.min);
  const y = (v: Dec) => px(new Dec(bottom).minus(v.minus(scale.min).div(span).mul(bottom - top)));
  const n = Math.max(o.points.length, 1);
  const slot = new Dec(right - left).div(n);
  const cx = (i: number) => slot.mul(i).plus(left).plus(slot.div(2));
  const bw = slot.mul(0.28);
  const zero = y(new Dec(0));
  const bars = o.points.map((p, i) => {
    const r = new Dec(p.receipts);
    const s = new Dec(p.spending);
    const op = p.projected ? '0.45' : '1';
    return html`<g opacity="${op}">
<rect x="${px(cx(i).minus(bw))}" y="${y(r)}" width="${px(bw)}" height="${px(new Dec(zero).minus(y(r)))}" fill="${COLORS.receipts}"><title>${p.label} ${w.receipts}${colon(lang)}${formatDecimal(p.receipts, lang)}</title></rect>
<rect x="${px(cx(i))}" y="${zero}" width="${px(bw)}" height="${px(new Dec(y(s.neg())).minus(zero))}" fill="${COLORS.spending}"><title>${p.label} ${w.spending}${colon(lang)}${formatDecimal(p.spending, lang)}</title></rect>
</g>
<text x="${px(cx(i))}" y="${bottom + 18}" text-anchor="middle" fill="#1d2733">${p.label}</text>`;
  });
  const pts = o.points.map((p, i) => ({ x: px(cx(i)), y: y(new Dec(p.closing)), p }));
  const segs: SafeHtml[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    segs.push(html`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${COLORS.cash}" stroke-width="2.5"${b.p.projected ? raw(' stroke-dasharray="6 4"') : ''}/>`);
  }
  const dots = pts.map(
    (q, i) =>
      html`<circle cx="${q.x}" cy="${q.y}" r="${i === o.shortfallIndex ? 6 : 3.5}" fill="${new Dec(q.p.closing).lt(0) ? COLORS.shortfall : COLORS.cash}" stroke="#fff" stroke-width="1"><title>${q.p.label} ${w.closingCash}${colon(lang)}${formatDecimal(q.p.closing, lang)}${q.p.projected ? ` (${w.projected})` : ''}</title></circle>`,
  );
  const flag =
    o.shortfallIndex !== null && pts[o.shortfallIndex]
      ? html`<text x="${pts[o.shortfallIndex]!.x}" y="${px(new Dec(pts[o.shortfallIndex]!.y).plus(20))}" text-anchor="middle" fill="${COLORS.shortfall}" font-weight="600">${w.firstShortfall}</text>`
      : '';
  return frame(
    o.id,
    o.title,
    o.desc,
    width,
    height,
    html`${legend(
      [
        { name: w.receipts, color: COLORS.receipts },
        { name: w.spending, color: COLORS.spending },
        { name: w.closing, color: COLORS.cash },
        { name: w.projected, color: COLORS.cash, dashed: true },
      ],
      left,
      16,
      right - left,
    )}${yAxis(scale, y, left, right, (t) => shortAmount(t, lang))}${bars}${segs}${dots}${flag}`,
  );
}
