/**
 * CSV out (SPEC 9.5): written by csv-stringify; a cell a spreadsheet would run
 * as a formula is neutralised; a bare carriage return never splits a record;
 * a plain signed amount stays a number. Parsed back with csv-parse.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralise, toCsv } from '../../src/services/csv.js';

describe('CSV', () => {
  it('neutralises cells starting with = + - @ tab or CR, and leaves amounts and plain text alone', () => {
    expect(neutralise('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(neutralise('+41 22 000 00 00')).toBe(`'+41 22 000 00 00`);
    expect(neutralise('-1+2')).toBe(`'-1+2`);
    expect(neutralise('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(neutralise('\tx')).toBe(`'\tx`);
    expect(neutralise('\rx')).toBe(`'\rx`);
    expect(neutralise('-1234.50')).toBe('-1234.50');
    expect(neutralise('0.00')).toBe('0.00');
    expect(neutralise('Côte d’Ivoire')).toBe('Côte d’Ivoire');
    expect(neutralise('')).toBe('');
  });

  it('writes CRLF records that parse back to the same cells, a hostile donor name included', () => {
    const records = [
      ['FRA', 'France', '42638.64', 'Paid in full'],
      ['=cmd|\' /C calc\'!A0', 'Donor, "quoted"', '-0.05', 'line\rbreak'],
      ['MEX', 'México', '13803.34', 'multi\nline'],
    ];
    const csv = toCsv(['iso3', 'name', 'amount', 'status'], records);
    expect(csv.startsWith('iso3,name,amount,status\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const back = parse(csv, { relax_quotes: false }) as string[][];
    expect(back).toEqual([
      ['iso3', 'name', 'amount', 'status'],
      ['FRA', 'France', '42638.64', 'Paid in full'],
      [`'=cmd|' /C calc'!A0`, 'Donor, "quoted"', '-0.05', 'line\rbreak'],
      ['MEX', 'México', '13803.34', 'multi\nline'],
    ]);
  });
});
