/**
 * GET /api/v1/invoices/{number}/xml and /credit-notes/{number}/xml (issue 17):
 * the EN 16931 CII XML of the stored document with the issuer it printed, the
 * same every call, scoped like the PDF (a State user: its own only, else 404).
 */
import { eq } from 'drizzle-orm';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditNotes, invoices } from '../../src/db/schema.js';
import { creditNoteCii, invoiceCii } from '../../src/einvoice/cii.js';
import type { CreditNoteDocument, InvoiceDocument } from '../../src/pdf/types.js';
import { cliActor } from '../../src/services/actor.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { cancelInvoice, invoiceXml, listInvoices } from '../../src/services/invoices.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { auth, makeIssued2018Env, rowCounts, type TestEnv } from '../helpers.js';

let env: TestEnv;
let fra: string;
let mex: string;
let creditNote: string;

const get = (url: string, user: string | null = 'finance') => env.app.inject({ method: 'GET', url, headers: user ? auth(env.tokens[user]) : {} });

beforeAll(async () => {
  env = await makeIssued2018Env();
  const byState = Object.fromEntries(listInvoices(env.ctx, {}, null).map((i) => [i.iso3, i.number]));
  fra = byState.FRA!;
  mex = byState.MEX!;
  creditNote = (await cancelInvoice(env.ctx, cliActor('test'), mex, { reason: 'Issued with the wrong scale & <rate>', date: '2017-10-02' })).number;
});
afterAll(() => env.close());

describe('GET /api/v1/invoices/{number}/xml', () => {
  it('answers 200 application/xml: the CII of the stored document with the issuer it printed, the same every call', async () => {
    const res = await get(`/api/v1/invoices/${fra}/xml`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['content-disposition']).toBe(`inline; filename="${fra}.xml"`);
    const doc = env.ctx.db.select().from(invoices).where(eq(invoices.number, fra)).get()!.document as InvoiceDocument;
    expect(doc.issuer).toBeDefined();
    expect(res.body).toBe(invoiceCii(doc, doc.issuer!));
    expect(XMLValidator.validate(res.body)).toBe(true);
    expect(res.body).toContain(`<ram:ID>${fra}</ram:ID>`);
    expect(res.body).toContain('<ram:BuyerReference>FRA</ram:BuyerReference>');
    expect(res.body).toContain(`<ram:IBANID>${DEMO_ISSUER.bank.iban.replace(/\s+/g, '')}</ram:IBANID>`);
    expect((await get(`/api/v1/invoices/${fra}/xml`)).body).toBe(res.body);
    expect(invoiceXml(env.ctx, fra, null)).toBe(res.body);
  });

  it('keeps the bank details printed on the invoice when the settings change later (SPEC 9.8)', async () => {
    const before = (await get(`/api/v1/invoices/${fra}/xml`)).body;
    setIssuer(env.ctx, cliActor('test'), issuerSettingsSchema.parse({ ...DEMO_ISSUER, name: 'Another name & sender' }));
    expect((await get(`/api/v1/invoices/${fra}/xml`)).body).toBe(before);
  });

  it('a State user gets its own invoice, 404 for another State’s; an unknown number is 404 problem+json; nothing is written', async () => {
    const counts = rowCounts(env.ctx);
    const own = await get(`/api/v1/invoices/${fra}/xml`, 'fra');
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/xml/);
    const other = await get(`/api/v1/invoices/${mex}/xml`, 'fra');
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await get('/api/v1/invoices/ISU-2018-0999/xml');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ status: 404 });
    expect((await get(`/api/v1/invoices/${fra}/xml`, null)).statusCode).toBe(401);
    // Who reads it is who reads the PDF: finance, presidency, auditor (admin does not, as for the PDF).
    for (const user of ['presidency', 'auditor', 'admin']) {
      const xml = (await get(`/api/v1/invoices/${fra}/xml`, user)).statusCode;
      expect(xml, user).toBe((await get(`/api/v1/invoices/${fra}/pdf`, user)).statusCode);
      expect(xml, user).toBe(user === 'admin' ? 403 : 200);
    }
    expect(rowCounts(env.ctx)).toEqual(counts);
  });

  it('is in the OpenAPI document as getInvoiceXml, producing application/xml', async () => {
    const doc = (await get('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>> };
    for (const [path, id] of [
      ['/api/v1/invoices/{number}/xml', 'getInvoiceXml'],
      ['/api/v1/credit-notes/{number}/xml', 'getCreditNoteXml'],
    ] as const) {
      const op = doc.paths[path]!.get!;
      expect(op.operationId).toBe(id);
      expect(Object.keys(op.responses['200']!.content!)).toEqual(['application/xml']);
      expect(Object.keys(op.responses['404']!.content!)).toEqual(['application/problem+json']);
    }
  });
});

describe('GET /api/v1/credit-notes/{number}/xml', () => {
  it('answers the credit note as CII type 381 referencing the cancelled invoice; its State only', async () => {
    const res = await get(`/api/v1/credit-notes/${creditNote}/xml`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const doc = env.ctx.db.select().from(creditNotes).where(eq(creditNotes.number, creditNote)).get()!.document as CreditNoteDocument;
    expect(res.body).toBe(creditNoteCii(doc, doc.issuer!));
    expect(res.body).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect(res.body).toContain(`<ram:IssuerAssignedID>${mex}</ram:IssuerAssignedID>`);
    expect(res.body).toContain('Issued with the wrong scale &amp; &lt;rate&gt;');
    expect(XMLValidator.validate(res.body)).toBe(true);
    expect((await get(`/api/v1/credit-notes/${creditNote}/xml`, 'mex')).statusCode).toBe(200);
    expect((await get(`/api/v1/credit-notes/${creditNote}/xml`, 'fra')).statusCode).toBe(404);
    expect((await get('/api/v1/credit-notes/CN-2018-0999/xml')).statusCode).toBe(404);
  });
});
