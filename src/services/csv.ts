/**
 * CSV out (SPEC 9.5): written by csv-stringify, never by hand. A cell a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) is neutralised with a leading apostrophe; a plain signed
 * amount ("-12.50") stays a number. Records end with CRLF (RFC 4180) and
 * cells holding a comma, a quote or a line break are quoted.
 */
import { stringify } from 'csv-stringify/sync';

const PLAIN_NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet will read it safely. */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A header row and records, each a list of cells, as CSV text. */
export function toCsv(header: readonly string[], records: readonly (readonly string[])[]): string {
  return stringify([header, ...records], {
    record_delimiter: 'windows',
    quoted_match: /\r|\n/,
    cast: { string: (value) => neutralise(value) },
  });
}
