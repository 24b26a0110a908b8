/**
 * The page furniture shared by invoices and credit notes: an A4 pdfkit
 * document set up for byte-identical output, the sender and address blocks,
 * tables with page breaks, "Page X of Y" footers, and the text helpers.
 *
 * Layout is done by hand (absolute positions, bottom margin 0) so pdfkit never
 * breaks a page on its own: every page break is decided here.
 *
 * Pages are A4 portrait (invoices, credit notes, statements) or A4 landscape
 * (the status report): the helpers take the width and height of the current
 * page, the PAGE_W/CONTENT_W/BODY_BOTTOM constants describe portrait pages.
 *
 * Fonts: Arimo regular and bold, embedded (see fonts.ts); every document is
 * PDF/A-2b (PDF/A-3b when it carries an attached file): XMP metadata and the
 * sRGB output intent come from pdfkit. Every string goes through `printable`
 * first, so a character the font lacks is printed as its closest unaccented
 * letter instead of as an empty box.
 */
import type PDFDocument from 'pdfkit';
import { BOLD, fontFaces, hasGlyph, loadFonts, REGULAR } from './fonts.js';
import { NBSP, type Labels } from './i18n.js';
import type { IssuerSettings, Lang, PartyBlock, PdfAttachment } from './types.js';

export type Doc = PDFKit.PDFDocument;

export const MM = 72 / 25.4;
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const MARGIN_X = 20 * MM;
export const CONTENT_W = PAGE_W - 2 * MARGIN_X;
export const TOP_Y = 40;
/** Baseline area of the "Page X of Y" footer on an ordinary page. */
export const FOOTER_Y = PAGE_H - 34;
/** Body content must end above this on an ordinary page. */
export const BODY_BOTTOM = PAGE_H - 52;

/** Width between the side margins of the current page (portrait: CONTENT_W). */
export function contentWidth(doc: Doc): number {
  return doc.page.width - 2 * MARGIN_X;
}

/** Body content must end above this on an ordinary page of this document (portrait: BODY_BOTTOM). */
export function bodyBottom(doc: Doc): number {
  return doc.page.height - 52;
}

/** Baseline area of the footer on an ordinary page of this document (portrait: FOOTER_Y). */
export function footerTop(doc: Doc): number {
  return doc.page.height - 34;
}

/**
 * The address field of a right-window envelope (C5, C5/6, DL with the window
 * on the right): 114 mm from the left, 50 mm from the top, up to the right
 * margin (76 mm), so that "ante la Oficina de las Naciones Unidas en Ginebra"
 * fits on one line at 9.5 pt.
 */
export const ADDRESS_X = 114 * MM;
export const ADDRESS_Y = 50 * MM;
export const ADDRESS_W = PAGE_W - MARGIN_X - ADDRESS_X;

export { BOLD, REGULAR };

export const INK = '#1a1a1a';
export const MUTED = '#595959';
export const RULE = '#bdbdbd';
export const ACCENT = '#1f3a5f';
export const ACCENT_BG = '#edf1f7';
export const ALERT = '#a4161a';

/** Characters the font may lack, and what to print instead; NFD takes care of the rest. */
const FALLBACK: Record<string, string> = {
  ı: 'i', İ: 'I', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ŋ: 'n', Ŋ: 'N', ŧ: 't', Ŧ: 'T', ƒ: 'f',
  '\u2010': '-', '\u2011': '-', '\u2012': '–', '\u2212': '-', '\u2032': '’', '\u02bc': '’',
  '\u202f': NBSP, '\u2007': NBSP, '\u2009': ' ', '\u2002': ' ', '\u2003': ' ', '\t': ' ',
};

function printsAsIs(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && hasGlyph(cp));
}

/** True when every character of `s` can be printed with the embedded font as is. */
export function isPrintable(s: string): boolean {
  for (const ch of s.normalize('NFC')) if (!printsAsIs(ch.codePointAt(0) ?? 0)) return false;
  return true;
}

/**
 * Makes a string printable with the embedded font: it is kept as is when it
 * can be; otherwise each missing character becomes its replacement above, its
 * base letter (ş → s when the font lacked ş), or "?" as a last resort.
 */
export function printable(s: string): string {
  const nfc = s.normalize('NFC');
  if (isPrintable(nfc)) return nfc;
  let out = '';
  for (const ch of nfc) {
    if (printsAsIs(ch.codePointAt(0) ?? 0)) {
      out += ch;
      continue;
    }
    const mapped = FALLBACK[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += base !== '' && [...base].every((c) => printsAsIs(c.codePointAt(0) ?? 0)) ? base : '?';
  }
  return out;
}

/**
 * A value for the document information dictionary and its XMP copy: pdfkit
 * writes the same string into both, unescaped in the XML, so the three
 * characters XML reserves are replaced by look-alikes.
 */
function infoText(s: string): string {
  return printable(s).replace(/&/g, '+').replace(/</g, '‹').replace(/>/g, '›');
}

/** The issue date at 00:00 UTC: the only "time" a document carries. */
export function creationDate(issueDate: string): Date {
  const d = new Date(`${issueDate.slice(0, 10)}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an ISO date: ${JSON.stringify(issueDate)}`);
  return d;
}

export interface DocMeta {
  lang: Lang;
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  issueDate: string;
  /** A4 landscape instead of portrait. */
  landscape?: boolean;
  /** A file the document carries (the e-invoice XML): the document is then PDF/A-3b, otherwise PDF/A-2b. */
  attachment?: PdfAttachment | undefined;
}

/** pdfkit's document class, once the first document has loaded it. */
let pdfkit: typeof PDFDocument | undefined;

/**
 * An A4 document whose bytes depend only on what is drawn and on `meta`:
 * CreationDate is the issue date, there is no ModDate, the trailer /ID is
 * pdfkit's MD5 of the info dictionary (so it is fixed too), the embedded font
 * subsets have tags derived from their resource names (not random), and there
 * is no encryption.
 */
export async function newDocument(meta: DocMeta): Promise<Doc> {
  // pdfkit and the fonts are loaded by the first document, not when the server starts (issue 19).
  pdfkit ??= (await import('pdfkit')).default;
  await loadFonts();
  const info: PDFKit.DocumentInfo = {
    Title: infoText(meta.title),
    Author: infoText(meta.author),
    Subject: infoText(meta.subject),
    Creator: 'ISU contributions tracker',
    Producer: 'PDFKit',
    CreationDate: creationDate(meta.issueDate),
  };
  if (meta.keywords !== undefined) info.Keywords = infoText(meta.keywords);
  const doc = new pdfkit({
    size: 'A4',
    ...(meta.landscape ? { layout: 'landscape' as const } : {}),
    margins: { top: TOP_Y, bottom: 0, left: MARGIN_X, right: MARGIN_X },
    bufferPages: true,
    autoFirstPage: true,
    compress: true,
    pdfVersion: '1.7',
    subset: meta.attachment !== undefined ? 'PDF/A-3b' : 'PDF/A-2b',
    // No default font: pdfkit would load the unembedded Helvetica. The first
    // font set is the registered regular face, so pdfkit caches it under its
    // registered name and opens each face once per document.
    font: null as unknown as string,
    lang: meta.lang,
    displayTitle: true,
    info,
  });
  const faces = fontFaces();
  // pdfkit takes a fontkit font where its types say a file or buffer.
  doc.registerFont(REGULAR, faces[REGULAR] as unknown as Buffer);
  doc.registerFont(BOLD, faces[BOLD] as unknown as Buffer);
  const a = meta.attachment;
  if (a !== undefined) {
    // Dated like the document, so the bytes stay the same; pdfkit's types lack the PDF/A-3 options.
    const at = creationDate(meta.issueDate);
    const pdfa3 = doc as unknown as {
      file(src: Buffer, o: { name: string; type: string; description: string; relationship: string; creationDate: Date; modifiedDate: Date }): void;
      appendXML(xml: string): void;
    };
    pdfa3.file(Buffer.from(a.data, 'utf8'), { name: a.name, type: a.mediaType, description: a.description, relationship: a.relationship, creationDate: at, modifiedDate: at });
    pdfa3.appendXML(a.xmp);
  }
  return doc.font(REGULAR);
}

/**
 * A report in English (no addressee): the document with the issuer as its
 * author, and the flow whose continuation pages repeat `running` (continued).
 */
export async function newReport(issuer: IssuerSettings, meta: Omit<DocMeta, 'lang' | 'author'> & { running: string }): Promise<{ doc: Doc; flow: Flow }> {
  const { running, ...rest } = meta;
  const doc = await newDocument({ ...rest, lang: 'en', author: issuer.name });
  return { doc, flow: new Flow(doc, () => drawContinuationHeader(doc, issuer, `${running} (continued)`)) };
}

/** Ends the document and collects its bytes. */
export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'right' | 'center';
  lineGap?: number;
}

function applyStyle(doc: Doc, st: TextStyle): void {
  doc
    .font(st.bold ? BOLD : REGULAR)
    .fontSize(st.size ?? 9)
    .fillColor(st.color ?? INK)
    .fillOpacity(1);
}

/**
 * A document symbol such as "CCM/MSP/2017/2" is never split at its slashes
 * (pdfkit's line breaker would): when it would not fit on the line where it
 * starts, the line is broken before it. Words are laid out as pdfkit does, at
 * their spaces, in the current font and size.
 */
const SYMBOL = /^[A-Z]{2,}(?:\/[A-Za-z0-9.-]+)+[.,;:)]?$/;
function keepSymbols(doc: Doc, s: string, width: number): string {
  if (!s.includes('/')) return s;
  return s
    .split('\n')
    .map((para) => {
      const words = para.split(' ');
      if (!words.some((w) => SYMBOL.test(w))) return para;
      const space = doc.widthOfString(' ');
      let lineW = -1; // no word on the line yet
      let out = '';
      for (const w of words) {
        const ww = doc.widthOfString(w);
        const fits = lineW < 0 || lineW + space + ww <= width;
        // Where the word does not fit, pdfkit starts a new line with it; a symbol gets that break written out.
        out += lineW < 0 ? '' : !fits && SYMBOL.test(w) ? '\n' : ' ';
        lineW = fits && lineW >= 0 ? lineW + space + ww : ww;
        out += w;
      }
      return out;
    })
    .join('\n');
}

/** Draws `s` in a box `width` wide at (x, y); returns the y below it. */
export function put(doc: Doc, s: string, x: number, y: number, width: number, st: TextStyle = {}): number {
  applyStyle(doc, st);
  doc.text(keepSymbols(doc, printable(s), width), x, y, { width, align: st.align ?? 'left', lineGap: st.lineGap ?? 1.5 });
  return doc.y;
}

/** The width of `s` on one line in the regular face at `size`. */
export function measureWidth(doc: Doc, s: string, size: number, bold = false): number {
  doc.font(bold ? BOLD : REGULAR).fontSize(size);
  return doc.widthOfString(printable(s));
}

/** The height `put` would take. */
export function measure(doc: Doc, s: string, width: number, st: TextStyle = {}): number {
  // Font and size only: setting a colour would write an operator into the page.
  doc.font(st.bold ? BOLD : REGULAR).fontSize(st.size ?? 9);
  return doc.heightOfString(keepSymbols(doc, printable(s), width), { width, lineGap: st.lineGap ?? 1.5 });
}

export function hrule(doc: Doc, x: number, y: number, width: number, color = RULE, lineWidth = 0.5): void {
  doc.save().undash().lineWidth(lineWidth).strokeColor(color).strokeOpacity(1).moveTo(x, y).lineTo(x + width, y).stroke().restore();
}

/** Decides page breaks: `ensure` gives a y where `height` fits, adding a continuation page if needed. */
export class Flow {
  constructor(
    private readonly doc: Doc,
    private readonly continuationHeader: () => number,
  ) {}

  /** Where body content must end on an ordinary page. */
  get bottom(): number {
    return bodyBottom(this.doc);
  }

  /** Returns `y` if `height` fits above `bottom`, else the top of a new page. */
  ensure(y: number, height: number, bottom = bodyBottom(this.doc)): number {
    return y + height <= bottom ? y : this.newPage();
  }

  newPage(): number {
    this.doc.addPage();
    return this.continuationHeader();
  }
}

/** The issuer as a document in `lang` prints it: its letterhead (name and address lines) in that language when translated. */
export function issuerIn(issuer: IssuerSettings, lang: Lang): IssuerSettings {
  const t = lang === 'en' ? undefined : issuer.translations?.[lang];
  return t === undefined ? issuer : { ...issuer, name: t.name, addressLines: t.addressLines };
}

/** Sender block, address window, title and the key/value block beside the window. Returns the y where the body starts. */
export function drawFirstPageHeader(
  doc: Doc,
  issuer: IssuerSettings,
  L: Labels,
  title: string,
  meta: [label: string, value: string, bold?: boolean][],
  recipient: PartyBlock,
  /** A paragraph under the reference block, left of the address window (the invoice's purpose and decision). */
  intro?: string,
): number {
  // Top rule and sender block: the name on one line across the page when it fits, the address on one line, the contact on the next.
  doc.save().rect(MARGIN_X, TOP_Y - 14, CONTENT_W, 2.2).fillColor(ACCENT).fill().restore();
  let sy = put(doc, issuer.name, MARGIN_X, TOP_Y, CONTENT_W, { size: 10, bold: true, color: ACCENT, lineGap: 1 }) + 1.5;
  sy = put(doc, issuer.addressLines.join(' · '), MARGIN_X, sy, CONTENT_W, { size: 8.5, color: MUTED, lineGap: 1 });
  const contact = [`${L.email}: ${issuer.email}`, ...(issuer.website ? [issuer.website] : [])].join('   ·   ');
  sy = put(doc, contact, MARGIN_X, sy, CONTENT_W, { size: 8.5, color: MUTED, lineGap: 1 });

  // Recipient in the envelope window: the Mission's formal name, then its postal lines.
  const lines = [...(recipient.addressee ?? []), ...recipient.addressLines];
  if (lines.length === 0) lines.push(recipient.name);
  let ay = ADDRESS_Y;
  for (const line of lines) ay = put(doc, line, ADDRESS_X, ay, ADDRESS_W, { size: 9, lineGap: 1.5 });

  // Title and reference block, left of the window.
  const metaX = MARGIN_X;
  const labelW = 114;
  const valueX = metaX + labelW;
  const valueW = ADDRESS_X - 12 - valueX;
  let my = sy + 12;
  my = put(doc, title.toUpperCase(), metaX, my, ADDRESS_X - 12 - metaX, { size: 16, bold: true, color: ACCENT, lineGap: 0 }) + 6;
  // First reference line level with the first address line when there is room for it.
  if (my < ADDRESS_Y && my > ADDRESS_Y - 16) my = ADDRESS_Y;
  for (const [label, value, bold] of meta) {
    put(doc, label, metaX, my + 0.6, labelW - 6, { size: 8.5, color: MUTED, lineGap: 1 });
    my = put(doc, value, valueX, my, valueW, { size: 9.5, bold: bold ?? false, lineGap: 1 }) + 2.5;
  }
  if (intro !== undefined) my = put(doc, intro, metaX, my + 6, ADDRESS_X - 12 - metaX, { size: 9, lineGap: 1.2 });
  return Math.max(my, ay, sy) + 12;
}

/**
 * The letterhead of a report (no addressee): the accent rule, the issuer's
 * name and address in a column `width` wide, and the contact line when
 * `contact` is given. Returns the y under it.
 */
export function drawReportLetterhead(doc: Doc, issuer: IssuerSettings, width: number, contact?: string): number {
  doc.save().rect(MARGIN_X, TOP_Y - 14, contentWidth(doc), 2.2).fillColor(ACCENT).fill().restore();
  let y = put(doc, issuer.name, MARGIN_X, TOP_Y, width, { size: 10, bold: true, color: ACCENT, lineGap: 1 }) + 2;
  for (const line of issuer.addressLines) y = put(doc, line, MARGIN_X, y, width, { size: 8.5, color: MUTED, lineGap: 1 });
  if (contact !== undefined) y = put(doc, contact, MARGIN_X, y, width, { size: 8.5, color: MUTED, lineGap: 1 });
  return y;
}

/** Running header of pages 2 and following. Returns the y where content continues. */
export function drawContinuationHeader(doc: Doc, issuer: IssuerSettings, right: string): number {
  const width = contentWidth(doc);
  doc.save().rect(MARGIN_X, TOP_Y - 14, width, 2.2).fillColor(ACCENT).fill().restore();
  const leftW = width * 0.58;
  const y1 = put(doc, issuer.name, MARGIN_X, TOP_Y, leftW, { size: 8, bold: true, color: ACCENT, lineGap: 1 });
  const y2 = put(doc, right, MARGIN_X + leftW, TOP_Y, width - leftW, { size: 8, color: MUTED, align: 'right', lineGap: 1 });
  const y = Math.max(y1, y2) + 6;
  hrule(doc, MARGIN_X, y, width);
  return y + 18;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
  /** A heading over a run of adjacent columns with the same group (e.g. "Years before 2018"). */
  group?: string;
  /** Header text size (default 8); a table's header takes the smallest of its columns'. */
  headerSize?: number;
}

export interface TableRow {
  cells: string[];
  bold?: boolean;
  /** How many columns each cell covers (default one each); a spanning cell takes the alignment of its first column. */
  spans?: number[];
  /** Text colour (default INK). */
  color?: string;
  /** Background colour of the row. */
  fill?: string;
}

export interface TableOptions {
  /** Body text size (default 9). */
  size?: number;
  /** Space above the text of a row (default 5). */
  padTop?: number;
  /** Space below the text of a row (default 4). */
  padBottom?: number;
  /**
   * Keeps the last `rows` rows on one page together with `tail` points that
   * follow the table (a total line): no row left alone on a page under its
   * header.
   */
  keepLast?: { rows: number; tail: number };
  /** Called after each row is drawn, on its page, with its index, top and height (for a drawing in a cell). */
  onRow?: (index: number, top: number, height: number) => void;
}

export const CELL_PAD = 4;

interface CellBox {
  x: number;
  width: number;
  align: 'left' | 'right';
}

function cellBoxes(cols: Column[], spans?: number[]): CellBox[] {
  const boxes: CellBox[] = [];
  let x = MARGIN_X;
  if (spans === undefined) {
    for (const c of cols) {
      boxes.push({ x, width: c.width, align: c.align ?? 'left' });
      x += c.width;
    }
    return boxes;
  }
  let i = 0;
  for (const n of spans) {
    const first = cols[i];
    if (first === undefined) break;
    let width = 0;
    for (const c of cols.slice(i, i + n)) width += c.width;
    boxes.push({ x, width, align: first.align ?? 'left' });
    x += width;
    i += n;
  }
  return boxes;
}

function rowHeight(doc: Doc, cols: Column[], cells: string[], st: TextStyle, spans?: number[]): number {
  let h = 0;
  cellBoxes(cols, spans).forEach((b, i) => {
    h = Math.max(h, measure(doc, cells[i] ?? '', b.width - 2 * CELL_PAD, st));
  });
  return h;
}

function drawRow(doc: Doc, cols: Column[], cells: string[], y: number, st: TextStyle, spans?: number[]): void {
  cellBoxes(cols, spans).forEach((b, i) => {
    put(doc, cells[i] ?? '', b.x + CELL_PAD, y, b.width - 2 * CELL_PAD, { ...st, align: b.align });
  });
}

const HEADER_STYLE: TextStyle = { size: 8, bold: true, color: MUTED, lineGap: 1 };

function headerStyle(cols: Column[]): TextStyle {
  const sizes = cols.map((c) => c.headerSize).filter((x): x is number => x !== undefined);
  return sizes.length ? { ...HEADER_STYLE, size: Math.min(...sizes) } : HEADER_STYLE;
}

/** Runs of adjacent columns sharing a group: their x, width and label. */
function groupRuns(cols: Column[]): { x: number; width: number; label: string }[] {
  const runs: { x: number; width: number; label: string }[] = [];
  let x = MARGIN_X;
  cols.forEach((c, i) => {
    const prev = runs[runs.length - 1];
    if (c.group && i > 0 && cols[i - 1]!.group === c.group && prev) prev.width += c.width;
    else if (c.group) runs.push({ x, width: c.width, label: c.group });
    x += c.width;
  });
  return runs;
}

function groupRowHeight(doc: Doc, cols: Column[]): number {
  const runs = groupRuns(cols);
  if (runs.length === 0) return 0;
  return Math.max(...runs.map((r) => measure(doc, r.label, r.width - 2 * CELL_PAD, headerStyle(cols)))) + 4;
}

function headerHeight(doc: Doc, cols: Column[]): number {
  return groupRowHeight(doc, cols) + rowHeight(doc, cols, cols.map((c) => c.header), headerStyle(cols)) + 3;
}

function drawHeader(doc: Doc, cols: Column[], y0: number): number {
  let y = y0;
  const groupH = groupRowHeight(doc, cols);
  if (groupH > 0) {
    for (const r of groupRuns(cols)) {
      put(doc, r.label, r.x + CELL_PAD, y, r.width - 2 * CELL_PAD, { ...headerStyle(cols), align: 'center' });
      hrule(doc, r.x + CELL_PAD, y + groupH - 2, r.width - 2 * CELL_PAD, MUTED, 0.5);
    }
    y += groupH;
  }
  const h = rowHeight(doc, cols, cols.map((c) => c.header), headerStyle(cols));
  drawRow(doc, cols, cols.map((c) => c.header), y, headerStyle(cols));
  hrule(doc, MARGIN_X, y + h + 3, contentWidth(doc), INK, 0.8);
  return y + h + 3;
}

/**
 * A table across the content width; the header is repeated on each new page.
 * Returns the y below the last row.
 */
export function drawTable(doc: Doc, flow: Flow, cols: Column[], rows: TableRow[], y0: number, opts: TableOptions = {}): number {
  const width = contentWidth(doc);
  const rowSt: TextStyle = { size: opts.size ?? 9, lineGap: 1.5 };
  const padTop = opts.padTop ?? 5;
  const pad = padTop + (opts.padBottom ?? 4);
  const headerH = headerHeight(doc, cols);
  const firstH = rows[0] ? rowHeight(doc, cols, rows[0].cells, rowSt, rows[0].spans) + pad : 0;
  let y = drawHeader(doc, cols, flow.ensure(y0, headerH + firstH));
  const styleOf = (row: TableRow): TextStyle => ({ ...rowSt, bold: row.bold ?? false, ...(row.color !== undefined ? { color: row.color } : {}) });
  const keepFrom = opts.keepLast ? Math.max(1, rows.length - opts.keepLast.rows) : rows.length;
  let keepH = 0;
  if (opts.keepLast) {
    keepH = opts.keepLast.tail;
    for (const row of rows.slice(keepFrom)) keepH += rowHeight(doc, cols, row.cells, styleOf(row), row.spans) + pad;
  }
  rows.forEach((row, k) => {
    const st = styleOf(row);
    const h = rowHeight(doc, cols, row.cells, st, row.spans) + pad;
    const ny = flow.ensure(y, k === keepFrom ? Math.max(h, keepH) : h);
    if (ny !== y) y = drawHeader(doc, cols, ny);
    if (row.fill !== undefined) doc.save().rect(MARGIN_X, y, width, h).fillColor(row.fill).fill().restore();
    drawRow(doc, cols, row.cells, y + padTop, st, row.spans);
    opts.onRow?.(k, y, h);
    y += h;
    hrule(doc, MARGIN_X, y, width);
  });
  return y;
}

/** The total line under a table: a strong rule, the label and the amount in bold. */
export function drawTotalRow(doc: Doc, flow: Flow, cols: Column[], label: string, amount: string, y0: number): number {
  const width = contentWidth(doc);
  const amountCol = cols[cols.length - 1];
  const amountW = amountCol ? amountCol.width : 120;
  const labelW = width - amountW;
  const st: TextStyle = { size: 10, bold: true, lineGap: 1 };
  const h = Math.max(measure(doc, label, labelW - 2 * CELL_PAD, st), measure(doc, amount, amountW - 2 * CELL_PAD, st)) + 12;
  const y = flow.ensure(y0, h);
  hrule(doc, MARGIN_X, y, width, INK, 1.2);
  put(doc, label, MARGIN_X + CELL_PAD, y + 6.5, labelW - 2 * CELL_PAD, st);
  put(doc, amount, MARGIN_X + labelW + CELL_PAD, y + 6.5, amountW - 2 * CELL_PAD, { ...st, align: 'right' });
  hrule(doc, MARGIN_X, y + h, width, INK, 0.6);
  hrule(doc, MARGIN_X, y + h + 1.8, width, INK, 0.6);
  return y + h + 2;
}

/**
 * A total line with several amounts, aligned on the table's columns: a strong
 * rule, the cells in bold (`spans` as in TableRow), a double rule. When it
 * does not fit, it goes to a new page under a repeated table header.
 */
export function drawTotalCells(doc: Doc, flow: Flow, cols: Column[], row: TableRow, y0: number, size = 10): number {
  const width = contentWidth(doc);
  const st: TextStyle = { size, bold: true, lineGap: 1 };
  const h = rowHeight(doc, cols, row.cells, st, row.spans) + 12;
  let y = flow.ensure(y0, h);
  if (y !== y0) y = drawHeader(doc, cols, y);
  if (row.fill !== undefined) doc.save().rect(MARGIN_X, y, width, h).fillColor(row.fill).fill().restore();
  hrule(doc, MARGIN_X, y, width, INK, 1.2);
  drawRow(doc, cols, row.cells, y + 6.5, st, row.spans);
  hrule(doc, MARGIN_X, y + h, width, INK, 0.6);
  hrule(doc, MARGIN_X, y + h + 1.8, width, INK, 0.6);
  return y + h + 2;
}

/**
 * "Page X of Y" (and a left-hand reminder of the document) on every page,
 * plus an optional diagonal watermark. `footerY` gives the footer's y per page
 * index (the QR-bill page has it above the payment part).
 */
export function drawFooters(
  doc: Doc,
  L: Labels,
  /** The reminder of the document on the left, or one per page index. */
  left: string | ((pageIndex: number) => string),
  footerY: (pageIndex: number) => number,
  watermark?: string,
): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (watermark !== undefined) {
      doc.save();
      const { width, height } = doc.page;
      doc.rotate(-35, { origin: [width / 2, height / 2] });
      doc.font(BOLD).fontSize(96).fillColor(ALERT).fillOpacity(0.1);
      doc.text(printable(watermark), 0, height / 2 - 48, { width, align: 'center', lineBreak: false });
      doc.restore();
      doc.fillOpacity(1);
    }
    const y = footerY(i);
    // "Página 10 de 12" takes about 60 pt: the reminder on the left gets the rest.
    const width = contentWidth(doc);
    const pageW = 100;
    put(doc, typeof left === 'string' ? left : left(i), MARGIN_X, y, width - pageW - 12, { size: 8, color: MUTED, lineGap: 0 });
    put(doc, L.page(i - range.start + 1, range.count), MARGIN_X + width - pageW, y, pageW, { size: 8, color: MUTED, align: 'right', lineGap: 0 });
  }
}
