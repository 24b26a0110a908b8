/** The letter that carries a document (SPEC 9.7): every kind in every language, escaped in HTML, the same words in both parts. */
import { describe, expect, it } from 'vitest';
import { composeMessage, escapeHtml } from '../../src/services/delivery/messages.js';
import type { DeliverableDocument } from '../../src/services/delivery/documents.js';
import { LANGS } from '../../src/pdf/i18n.js';

const SENDER = { name: 'ISU <Finance> & Co', email: 'isu@example.org', website: 'www.example.org' };

function doc(over: Partial<DeliverableDocument>): DeliverableDocument {
  return {
    kind: 'invoices',
    id: 'ISU-2018-0007',
    iso3: 'BIH',
    stateName: 'Bosnia & <Herzegovina>',
    language: 'en',
    issueDate: '2017-09-15',
    amount: '1234567.80',
    dueDate: '2018-03-31',
    reference: 'RF18ISU20180007',
    year: 2018,
    period: null,
    filename: 'ISU-2018-0007.pdf',
    ...over,
  };
}

/** The text of an HTML part without its tags, entities decoded. */
const textOf = (html: string) =>
  html
    .replace(/<title>.*?<\/title>/s, '')
    .replace(/<br>\n/g, '\n')
    .replace(/<\/p>\n<p>/g, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

describe('composeMessage', () => {
  it('escapes what it interpolates in HTML, and says the same as the text part', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    for (const kind of ['invoices', 'credit-notes', 'reminders', 'statements'] as const)
      for (const language of LANGS) {
        const m = composeMessage(doc({ kind, language, ...(kind === 'statements' ? { period: { from: '2018-01-01', to: '2018-06-30' }, reference: null, dueDate: null } : {}) }), SENDER);
        const where = `${kind} ${language}`;
        expect(m.html, where).not.toMatch(/<Herzegovina>|<Finance>|& /);
        expect(m.html, where).toContain('Bosnia &amp; &lt;Herzegovina&gt;');
        expect(m.html, where).toContain(`<html lang="${language}">`);
        expect(m.text, where).toContain('Bosnia & <Herzegovina>');
        expect(m.subject, where).toContain('Bosnia & <Herzegovina>');
        expect(textOf(m.html.slice(m.html.indexOf('<body>'))), where).toBe(m.text.trim());
      }
  });

  it('an invoice: amount, due date and reference in the language; nothing to pay when credit covers it', () => {
    const en = composeMessage(doc({}), SENDER);
    expect(en.subject).toBe('Invoice ISU-2018-0007: 2018 contribution — Bosnia & <Herzegovina>');
    expect(en.text).toContain('Amount due: CHF 1,234,567.80\nPayable by: 31 March 2018\nReference to quote with the payment: RF18 ISU2 0180 007');
    const es = composeMessage(doc({ language: 'es' }), SENDER);
    expect(es.text).toContain('Importe adeudado: CHF 1.234.567,80\nFecha límite de pago: 31 de marzo de 2018');
    const fr = composeMessage(doc({ language: 'fr', amount: '0.00' }), SENDER);
    expect(fr.text).toContain('Il ne reste rien à payer : votre crédit couvre cette facture.');
    expect(fr.text).not.toContain('Montant dû');
  });

  it('a credit note names the invoice it credits; a reminder the overdue amount; a statement the balance either way', () => {
    expect(composeMessage(doc({ kind: 'credit-notes', id: 'CN-2018-0002', reference: 'ISU-2018-0007', dueDate: null, amount: '10.00' }), SENDER).text).toContain(
      'Please find attached credit note CN-2018-0002 of 15 September 2017, which credits CHF 10.00 on invoice ISU-2018-0007. It calls for no payment.',
    );
    const rem = composeMessage(doc({ kind: 'reminders', id: 'REM-2018-0001', language: 'fr', dueDate: null, issueDate: '2018-05-01' }), SENDER);
    expect(rem.subject).toBe('Rappel REM-2018-0001\u00a0: contributions échues — Bosnia & <Herzegovina>');
    expect(rem.text).toContain('Veuillez trouver ci-joint le rappel REM-2018-0001 du 1er mai 2018.');
    expect(rem.text).toContain('Montant dû\u00a0: CHF 1\u00a0234\u00a0567,80\nRéférence à indiquer avec le paiement\u00a0: RF18 ISU2 0180 007');
    const statement = (amount: string) =>
      composeMessage(doc({ kind: 'statements', amount, period: { from: '2018-01-01', to: '2018-06-30' }, reference: null, dueDate: null }), SENDER).text;
    expect(statement('250.00')).toContain('Balance due: CHF 250.00');
    expect(statement('-250.00')).toContain('Balance in your favour: CHF 250.00');
    expect(statement('0.00')).toContain('Nothing is due.');
    expect(statement('0.00')).toContain('Please find attached your statement of account from 1 January 2018 to 30 June 2018.');
  });
});
