/**
 * XLSX documents (SPEC 9.5, issue 15), written by a kept library (exceljs):
 * a small generic writer the reports describe their sheets to. Each sheet
 * has a title row, an "As of D" row, a bold header row frozen under them,
 * the rows, a bold totals row, and summary lines below (label, value).
 *
 * Money stays exact up to the cell: a row carries 2-decimal strings (as the
 * JSON), and the cell gets the Number of that string, formatted `#,##0.00`,
 * after checking that it reads back as the same string (it always does
 * below 2^53 centimes; anything else is refused, never rounded). Dates are
 * ISO text (YYYY-MM-DD), the same as the JSON.
 *
 * Deterministic: the same sheets give the same bytes. The document's
 * created/modified dates are the as-of date, and the zip entries' DOS
 * timestamps (JSZip stamps them with the time of writing, with no option to
 * set them) are rewritten to the as-of date too.
 *
 * exceljs is loaded on the first workbook, not when the server starts: it is
 * a fifth of the started server's memory and of its start time, for a
 * download few sessions ask for (issue 19).
 */
import type ExcelJS from 'exceljs';

export type ColumnKind = 'text' | 'money' | 'percent' | 'integer' | 'date';

export interface SheetColumn {
  header: string;
  /** The row property the column shows. */
  key: string;
  /** money: a 2-decimal string ("1234.50", may be negative; "" or null is an empty cell); percent: a decimal string in percent ("45.3"); integer: a number; date: "YYYY-MM-DD"; text: a string. */
  kind: ColumnKind;
  /** Width in characters; default fits the header and the cells. */
  width?: number;
}

export type CellInput = string | number | null | undefined;
export type SheetRow = Record<string, CellInput>;

export interface SheetSpec {
  /** At most 31 characters (longer is cut); the characters []:*?/\ are replaced. */
  name: string;
  columns: SheetColumn[];
  rows: SheetRow[];
  /** A bold row after the rows (its label, e.g. "Total", under a text column's key). */
  totals?: SheetRow;
  /** Lines below the table, after an empty row: the label in the first column, the value in the second, written as `kind`. */
  summary?: { label: string; value: CellInput; kind: ColumnKind }[];
}

export interface WorkbookSpec {
  /** The title, on the first row of every sheet and in the document's properties. */
  title: string;
  /** The as-of date of the figures, YYYY-MM-DD: on the second row of every sheet; also the document's dates. */
  asOf: string;
  sheets: SheetSpec[];
}

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MONEY_FORMAT = '#,##0.00';
export const PERCENT_FORMAT = '0.0';
export const INTEGER_FORMAT = '0';
/** The rows above the table: title, as of, header (the header is the last frozen row). */
export const HEADER_ROW = 3;

const MONEY = /^-?\d+\.\d{2}$/;
const PERCENT = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A money string as the number of its cell; throws unless the number reads back as the same string. */
export function moneyCell(s: string): number {
  if (!MONEY.test(s)) throw new Error(`not a money amount with 2 decimals: ${JSON.stringify(s)}`);
  const n = Number(s);
  if (n.toFixed(2) !== s && !(n === 0 && s === '-0.00')) throw new Error(`the amount ${s} cannot be a number cell exactly`);
  return n === 0 ? 0 : n;
}

function percentCell(s: string): number {
  if (!PERCENT.test(s)) throw new Error(`not a percentage: ${JSON.stringify(s)}`);
  const n = Number(s);
  const decimals = s.split('.')[1]?.length ?? 0;
  if (n.toFixed(decimals) !== s) throw new Error(`the percentage ${s} cannot be a number cell exactly`);
  return n;
}

/** The value of a cell of `kind`, and its number format. */
function cell(kind: ColumnKind, v: CellInput): { value: string | number | null; numFmt?: string } {
  if (v === null || v === undefined || v === '') return { value: null };
  switch (kind) {
    case 'money':
      return { value: moneyCell(String(v)), numFmt: MONEY_FORMAT };
    case 'percent':
      return { value: percentCell(String(v)), numFmt: PERCENT_FORMAT };
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Error(`not an integer: ${JSON.stringify(v)}`);
      return { value: v, numFmt: INTEGER_FORMAT };
    case 'date':
      if (typeof v !== 'string' || !DATE.test(v)) throw new Error(`not a date YYYY-MM-DD: ${JSON.stringify(v)}`);
      return { value: v };
    case 'text':
      return { value: String(v) };
  }
}

/** How wide a cell shows: its text as formatted (money with thousands separators). */
function shownLength(kind: ColumnKind, v: CellInput): number {
  if (v === null || v === undefined || v === '') return 0;
  if (kind === 'money') return new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(Number(v)).length;
  return String(v).length;
}

/** A valid sheet name, unique in the workbook: ≤ 31 characters, none of []:*?/\. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Sheet';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(out.toLowerCase());
  return out;
}

function addSheet(wb: ExcelJS.Workbook, spec: WorkbookSpec, sheet: SheetSpec, taken: Set<string>): void {
  const ws = wb.addWorksheet(sheetName(sheet.name, taken), { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }] });
  ws.getCell(1, 1).value = spec.title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(2, 1).value = `As of ${spec.asOf}`;
  ws.getCell(2, 1).font = { italic: true };

  const header = ws.getRow(HEADER_ROW);
  sheet.columns.forEach((c, i) => {
    const h = header.getCell(i + 1);
    h.value = c.header;
    h.font = { bold: true };
    h.alignment = { vertical: 'bottom', horizontal: c.kind === 'text' || c.kind === 'date' ? 'left' : 'right', wrapText: false };
    h.border = { bottom: { style: 'thin' } };
  });

  const write = (rowNumber: number, values: SheetRow, bold: boolean) => {
    const row = ws.getRow(rowNumber);
    sheet.columns.forEach((c, i) => {
      const { value, numFmt } = cell(c.kind, values[c.key]);
      const target = row.getCell(i + 1);
      target.value = value;
      if (numFmt) target.numFmt = numFmt;
      if (bold) target.font = { bold: true };
    });
  };
  let r = HEADER_ROW + 1;
  for (const row of sheet.rows) write(r++, row, false);
  if (sheet.totals) {
    write(r, sheet.totals, true);
    sheet.columns.forEach((_, i) => (ws.getRow(r).getCell(i + 1).border = { top: { style: 'thin' } }));
    r++;
  }
  if (sheet.summary && sheet.summary.length > 0) {
    r++;
    for (const s of sheet.summary) {
      const row = ws.getRow(r++);
      row.getCell(1).value = s.label;
      const { value, numFmt } = cell(s.kind, s.value);
      row.getCell(2).value = value;
      if (numFmt) row.getCell(2).numFmt = numFmt;
    }
  }

  sheet.columns.forEach((c, i) => {
    const fit = Math.max(c.header.length, ...sheet.rows.map((x) => shownLength(c.kind, x[c.key])), sheet.totals ? shownLength(c.kind, sheet.totals[c.key]) : 0);
    ws.getColumn(i + 1).width = c.width ?? Math.min(60, Math.max(8, fit + 2));
  });
}

/** The workbook of the sheets, as the bytes of an .xlsx file; the same spec gives the same bytes. */
export async function renderWorkbook(spec: WorkbookSpec): Promise<Buffer> {
  if (!DATE.test(spec.asOf)) throw new Error(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(spec.asOf)}`);
  if (spec.sheets.length === 0) throw new Error('a workbook needs a sheet');
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const at = new Date(`${spec.asOf}T00:00:00Z`);
  wb.creator = 'ISU-CCM contributions tracker';
  wb.lastModifiedBy = 'ISU-CCM contributions tracker';
  wb.created = at;
  wb.modified = at;
  wb.title = spec.title;
  const taken = new Set<string>();
  for (const s of spec.sheets) addSheet(wb, spec, s, taken);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return stampZipEntries(bytes, spec.asOf);
}

/**
 * Sets the DOS modification time and date of every entry of a zip (in its
 * local header and in the central directory) to midnight of `date`, so that
 * the bytes do not depend on when they were written. The zip is otherwise
 * unchanged (the timestamps are outside the CRC).
 */
export function stampZipEntries(zip: Buffer, date: string): Buffer {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dosDate = ((Math.max(y, 1980) - 1980) << 9) | (m << 5) | d;
  const dosTime = 0;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let e = 0; e < entries; e++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('not a zip: a central directory entry expected');
    zip.writeUInt16LE(dosTime, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('not a zip: a local header expected');
    zip.writeUInt16LE(dosTime, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}
