import { beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatShortDate, labels, LANGS, STATEMENT_LABELS, statementLabels } from '../../src/pdf/i18n.js';
import { loadFonts } from '../../src/pdf/fonts.js';
import { isPrintable } from '../../src/pdf/layout.js';
import { renderStatementPdf } from '../../src/pdf/statement.js';
import type { StatementDocument } from '../../src/pdf/types.js';
import { ISSUER } from './fixtures.js';
import { fold, pdfPages, sha256 } from './page-texts.js';
import {
  STATEMENT_CIV,
  STATEMENT_ESP,
  STATEMENT_IRL_40,
  STATEMENT_MEX_EMPTY_CREDIT,
  STATEMENT_STP_EMPTY,
  sumSigned,
} from './report-fixtures.js';

// isPrintable and printable read the embedded fonts: loaded by the first document, or here (issue 19).
beforeAll(loadFonts);

const money = (a: string, st: StatementDocument) => fold(formatMoney(a, st.language));

describe('statement labels and dates', () => {
  it('has every statement label printable with the standard fonts', () => {
    for (const lang of LANGS) {
      const S = STATEMENT_LABELS[lang];
      const strings = [
        ...Object.values(S).filter((v): v is string => typeof v === 'string'),
        ...Object.values(S.kinds),
        ...Object.values(S.reclassifiedTo),
        ...Object.values(S.otherKinds),
        S.due('2018-03-31'),
        S.receivedAs('EUR', '812,40'),
        ...S.notes,
        S.periodText('2018-01-01', '2018-12-31'),
        S.openingBalance('2018-01-01'),
        S.closingBalance('2018-12-31'),
        S.unappliedCredit('2018-12-31'),
        S.arrearsTitle('2018-12-31'),
        S.noArrears('2018-12-31'),
      ];
      for (const s of strings) expect(isPrintable(s), `${lang}: ${s}`).toBe(true);
    }
  });

  it('formats short dates per language, never wrapping', () => {
    expect(fold(formatShortDate('2018-01-15', 'en'))).toBe('15 Jan 2018');
    expect(fold(formatShortDate('2018-02-01', 'fr'))).toBe('1er févr. 2018');
    expect(fold(formatShortDate('2018-09-01', 'es'))).toBe('1 sept. 2018');
    expect(formatShortDate('2018-12-31', 'fr')).not.toContain(' ');
    expect(() => formatShortDate('2018-02-30', 'en')).toThrow(RangeError);
  });

  it('has fixtures whose balances add up', () => {
    for (const st of [STATEMENT_CIV, STATEMENT_ESP, STATEMENT_IRL_40]) {
      const moves = st.lines.flatMap((l) => [l.debit || '0', l.credit ? `-${l.credit}` : '0']);
      expect(sumSigned([st.openingBalance, ...moves])).toBe(st.closingBalance);
    }
    expect(sumSigned([STATEMENT_CIV.closingBalance])).toBe(sumSigned(STATEMENT_CIV.arrears.map((a) => a.amount)));
  });
});

describe('statement of account PDF', () => {
  const cases = [
    { name: 'Côte d’Ivoire', st: STATEMENT_CIV, title: 'RELEVÉ DE COMPTE', from: '1er janvier 2018', to: '31 décembre 2018' },
    { name: 'España', st: STATEMENT_ESP, title: 'ESTADO DE CUENTA', from: '1 de enero de 2018', to: '31 de diciembre de 2018' },
    { name: 'Ireland', st: STATEMENT_IRL_40, title: 'STATEMENT OF ACCOUNT', from: '1 January 2014', to: '31 December 2018' },
  ];

  for (const c of cases) {
    it(`prints everything a ${c.st.language} statement needs (${c.name}, ${c.st.lines.length} lines)`, async () => {
      const st = c.st;
      const S = statementLabels(st.language);
      const L = labels(st.language);
      const pdf = await renderStatementPdf(st, ISSUER);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { texts, sizes } = await pdfPages(pdf);
      const all = texts.join('\n');

      for (const s of sizes) expect([Math.round(s.width), Math.round(s.height)]).toEqual([595, 842]);
      expect(all).toContain(c.name);
      expect(all).toContain(c.title);
      expect(formatDate(st.from, st.language)).toBe(c.from);
      expect(formatDate(st.to, st.language)).toBe(c.to);
      expect(texts[0]).toContain(fold(`${S.period} ${S.periodText(st.from, st.to)}`));
      expect(all).toContain(fold(`${S.generatedOn} ${formatDate(st.generatedOn, st.language)}`));

      // Opening and closing balances, with their wording when in credit.
      const inCredit = (a: string) => (a.startsWith('-') ? ` ${S.inCredit}` : '');
      expect(texts[0]).toContain(fold(`${S.openingBalance(st.from)}${inCredit(st.openingBalance)} ${money(st.openingBalance, st)}`));
      expect(all).toContain(fold(`${S.closingBalance(st.to)}${inCredit(st.closingBalance)} ${money(st.closingBalance, st)}`));

      // Every line: date, kind, reference, years, amount and running balance, in this order; then what it paid, its due date, its currency.
      let at = 0;
      for (const l of st.lines) {
        const kind = l.kind === 'reclassification' && l.reclassifiedTo ? S.reclassifiedTo[l.reclassifiedTo] : S.kinds[l.kind];
        const cells = [formatShortDate(l.date, st.language), kind, l.reference, l.budgetYears.join(', ')].filter(Boolean).map(fold);
        const amounts = [l.debit, l.credit].filter(Boolean).map((a) => money(a, st));
        const row = fold([...cells, ...amounts, money(l.balance, st)].join(' '));
        const found = all.indexOf(row, at);
        expect(found, row).toBeGreaterThan(-1);
        at = found + row.length;
        const detail = [
          ...(l.dueDate ? [S.due(l.dueDate)] : []),
          ...(l.original ? [S.receivedAs(l.original.currency, formatMoney(l.original.amount, st.language))] : []),
          ...(l.applied.length ? [`${S.appliedTo}: ${l.applied.map((a) => `${a.invoice} (${a.year}) ${formatMoney(a.amount, st.language)}`).join('; ')}`] : []),
          ...(l.keptAsCredit ? [`${S.keptAsCredit}: ${formatMoney(l.keptAsCredit, st.language)}`] : []),
        ].join(' · ');
        if (detail) {
          const d = all.indexOf(fold(detail), at);
          expect(d, detail).toBe(at + 1);
          at = d + fold(detail).length;
        }
      }
      for (const c of st.otherContributions) {
        expect(all).toContain(fold(S.otherTitle));
        expect(all).toContain(fold(`${formatShortDate(c.date, st.language)} ${S.otherKinds[c.purpose]} ${c.reference} ${formatMoney(c.amount, st.language)}`));
      }

      // Unapplied credit and arrears.
      expect(all).toContain(fold(`${S.unappliedCredit(st.to)} CHF ${formatMoney(st.unappliedCredit, st.language)}`));
      if (st.arrears.length > 0) {
        expect(all).toContain(fold(S.arrearsTitle(st.to)));
        for (const a of st.arrears) expect(all).toContain(fold(`${L.budgetYear} ${a.year} CHF ${formatMoney(a.amount, st.language)}`));
        if (st.arrears.length > 1) {
          expect(all).toContain(fold(`${S.arrearsTotal} CHF ${formatMoney(sumSigned(st.arrears.map((a) => a.amount)), st.language)}`));
        }
      } else {
        expect(all).toContain(fold(S.noArrears(st.to)));
      }
      expect(all).toContain('(RF…)');
      for (const n of S.notes) expect(all).toContain(fold(n));

      texts.forEach((p, i) => expect(p).toContain(L.page(i + 1, texts.length)));
    });
  }

  it('runs a 40-line statement over pages with the table header repeated', async () => {
    const S = statementLabels('en');
    const { texts } = await pdfPages(await renderStatementPdf(STATEMENT_IRL_40, ISSUER));
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts[0]).toContain('Page 1 of ');
    for (const p of texts.slice(1)) {
      expect(p).toContain(`${S.continued} — Ireland`);
      expect(p).toContain(`${S.date} ${S.kind} ${S.reference} ${S.budgetYear} ${S.debit} ${S.credit} ${S.balance}`);
    }
    // The closing balance is not left alone under a repeated header.
    const last = texts[texts.length - 1]!;
    const lastLine = STATEMENT_IRL_40.lines[STATEMENT_IRL_40.lines.length - 1]!;
    expect(last).toContain(formatMoney(lastLine.balance, 'en'));
    expect(last).toContain(S.closingBalance(STATEMENT_IRL_40.to));
  });

  it('renders an empty period sensibly', async () => {
    const { texts } = await pdfPages(await renderStatementPdf(STATEMENT_STP_EMPTY, ISSUER));
    expect(texts).toHaveLength(1);
    const p = texts[0]!;
    expect(p).toContain('São Tomé and Príncipe');
    expect(p).toContain('1 April 2018 – 30 June 2018');
    expect(p).toContain('Opening balance at 1 April 2018 1,726.87');
    expect(p).toContain('No transactions in the period.');
    expect(p).toContain('Closing balance at 30 June 2018 1,726.87');
    expect(p).toContain('Unapplied credit held at 30 June 2018 CHF 0.00');
    expect(p).toContain('Budget year 2017 CHF 1,726.87');
    expect(p).toContain('Page 1 of 1');

    const es = (await pdfPages(await renderStatementPdf(STATEMENT_MEX_EMPTY_CREDIT, ISSUER))).texts.join('\n');
    expect(es).toContain('Saldo inicial al 1 de enero de 2018 (saldo acreedor) -150,00');
    expect(es).toContain('No hubo operaciones durante el período.');
    expect(es).toContain('Saldo final al 31 de marzo de 2018 (saldo acreedor) -150,00');
    expect(es).toContain('Crédito no aplicado al 31 de marzo de 2018 CHF 150,00');
    expect(es).toContain('No hay atrasos al 31 de marzo de 2018.');
    expect(es).toContain('Página 1 de 1');
  });

  it('gives the same bytes for the same input, dated by generatedOn', async () => {
    const a = await renderStatementPdf(STATEMENT_CIV, ISSUER);
    const b = await renderStatementPdf(structuredClone(STATEMENT_CIV), structuredClone(ISSUER));
    expect(sha256(b)).toBe(sha256(a));
    const raw = a.toString('latin1');
    expect(raw).toContain('(D:20190110000000Z)');
    expect(raw).not.toContain('/ModDate');
    expect(sha256(await renderStatementPdf({ ...STATEMENT_CIV, generatedOn: '2019-01-11' }, ISSUER))).not.toBe(sha256(a));
  });
});
