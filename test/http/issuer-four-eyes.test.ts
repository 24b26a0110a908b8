/**
 * Issue 16, findings 1, 2, 3 and 11 (SPEC 9.8 "four eyes on money's
 * destination"): a change of the bank details waits for a second admin; every
 * issued document keeps the bank details it printed and re-renders to the
 * same bytes after any settings change; an IBAN the QR-bill cannot carry is
 * refused when set; a PDF that could not be written after its document was
 * committed is reported truthfully and rendered on first read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { approveIssuerChange, issuerDiff, issuerSettingsSchema, pendingIssuerChange, rejectIssuerChange, setIssuer } from '../../src/services/settings.js';
import { addUser } from '../../src/services/users.js';
import { parseCookies } from '../../src/http/plugins/session.js';
import { pdfText } from '../pdf-text.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeIssued2018Env, rowCounts, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const req = (method: 'GET' | 'POST' | 'PUT', url: string, user: string, payload?: unknown) =>
  env.app.inject({ method, url, headers: auth(env.tokens[user]), ...(payload !== undefined ? { payload: payload as object } : {}) });

beforeAll(async () => {
  env = await makeIssued2018Env();
  // A second admin, for approvals; a finance user who logs in to the web pages.
  env.tokens.admin2 = addUser(env.ctx, actor, { username: 'admin2', role: 'admin', state: null }).token;
  addUser(env.ctx, actor, { username: 'fin-web', role: 'finance', state: null, password: FIN_PASSWORD });
});
const FIN_PASSWORD = 'fin-web-password-1';
const NEW_IBAN = 'CH93 0076 2011 6238 5295 7';
const OLD_IBAN = 'CH5604835012345678009';
const auditCount = (entityType: string, entityId?: string) =>
  (env.ctx.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE entity_type = ?${entityId ? ' AND entity_id = ?' : ''}`).get(...[entityType, ...(entityId ? [entityId] : [])]) as { n: number }).n;
const compact = (t: string) => t.replace(/\s+/g, '');

/** A finance session on the web pages (login form, CSRF cookie). */
async function webSession(username: string, password: string): Promise<string> {
  const form = await env.app.inject({ url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const setCookie = [form.headers['set-cookie']].flat().find((c) => c?.startsWith('isu_login_csrf='))!;
  const res = await env.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: '10.9.9.9',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `isu_login_csrf=${parseCookies(setCookie.split(';')[0]!).get('isu_login_csrf')}`, host: 'localhost:80', origin: 'http://localhost' },
    payload: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  expect(res.statusCode, res.body).toBe(303);
  const session = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('isu_session='))!;
  return `isu_session=${parseCookies(session.split(';')[0]!).get('isu_session')}`;
}
afterAll(() => env.close());

describe('issue 16: the bank details', () => {
  it('finding 3: a foreign IBAN is refused when set (422 naming bank.iban, with the reason), writing nothing', async () => {
    const before = rowCounts(env.ctx);
    for (const iban of ['GB82 WEST 1234 5698 7654 32', 'DE89 3704 0044 0532 0130 00']) {
      const res = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban } });
      expect(res.statusCode, iban).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.errors).toEqual([{ field: 'bank.iban', message: expect.stringMatching(/Swiss QR-bill.*CH or LI/) }]);
    }
    expect(rowCounts(env.ctx)).toEqual(before);
    expect(() => issuerSettingsSchema.parse({ ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban: 'GB82WEST12345698765432' } })).toThrow(/CH or LI/);
    // A batch still works: nothing foreign reached the settings.
    expect((await req('GET', '/api/v1/settings/issuer', 'admin')).json().bank.iban).toBe('CH5604835012345678009');
  });

  it('finding 2: a lost invoice or credit-note PDF is rendered again to the same bytes after the settings changed', async () => {
    const cancel = await req('POST', '/api/v1/invoices/ISU-2018-0001/cancel', 'finance', { reason: 'finding 2', date: '2017-10-01' });
    expect(cancel.statusCode, cancel.body).toBe(201);
    const cn = cancel.json();
    const inv = (await req('GET', '/api/v1/invoices/ISU-2018-0002', 'finance')).json();
    // A change of a field that is not a bank detail (the sender's name) takes effect at once.
    const put = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...DEMO_ISSUER, name: 'ISU of the CCM (renamed)' });
    expect(put.statusCode, put.body).toBe(200);
    for (const [number, year, url, recorded] of [
      [inv.number, 2018, inv.pdfUrl, inv.pdfSha256],
      [cn.number, 2018, cn.pdfUrl, cn.pdfSha256],
    ] as const) {
      fs.rmSync(path.join(env.ctx.invoiceDir, String(year), `${number}.pdf`));
      const res = await req('GET', url, 'finance');
      expect(res.statusCode, `${number}: ${res.body.slice(0, 200)}`).toBe(200);
      expect(sha(res.rawPayload)).toBe(recorded);
    }
  });

  it('finding 11: a credit note committed but whose PDF could not be written is reported truthfully (not "nothing was recorded") and its PDF is rendered on first read', async () => {
    // Something in the way of the PDF file (a directory where the file goes): the write after the commit fails, even for root.
    const blocked = path.join(env.ctx.invoiceDir, '2018', 'CN-2018-0002.pdf');
    fs.mkdirSync(blocked, { recursive: true });
    const before = rowCounts(env.ctx);
    const res = await req('POST', '/api/v1/invoices/ISU-2018-0002/cancel', 'finance', { reason: 'finding 11', date: '2017-10-02' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.detail).not.toMatch(/nothing was recorded/);
    expect(body.detail).toMatch(/credit note CN-2018-0002 was recorded/);
    expect(body.detail).toMatch(/rendered .*on first read/);
    expect(body.recorded).toEqual({ type: 'credit-note', number: 'CN-2018-0002' });
    const after = rowCounts(env.ctx);
    expect(after.credit_notes).toBe(before.credit_notes! + 1);
    expect(env.ctx.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE entity_type = 'credit-note' AND entity_id = 'CN-2018-0002'").get()).toEqual({ n: 1 });
    // Asking again does not cancel twice.
    expect((await req('POST', '/api/v1/invoices/ISU-2018-0002/cancel', 'finance', { reason: 'again', date: '2017-10-02' })).statusCode).toBe(409);
    // Once the obstacle is gone, the first read renders the PDF of record.
    fs.rmdirSync(blocked);
    const cn = (await req('GET', '/api/v1/credit-notes/CN-2018-0002', 'finance')).json();
    const pdf = await req('GET', '/api/v1/credit-notes/CN-2018-0002/pdf', 'finance');
    expect(pdf.statusCode).toBe(200);
    expect(sha(pdf.rawPayload)).toBe(cn.pdfSha256);
    expect(sha(fs.readFileSync(blocked))).toBe(cn.pdfSha256);
  });

  it('finding 11: an invoice batch whose PDF could not be written says which invoice was recorded and stops; run again, it issues the rest and writes the missing PDF', async () => {
    createBudget(env.ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year: 2019, approvedOn: '2018-09-05', cutoffDate: '2019-03-31' }));
    const blocked = path.join(env.ctx.invoiceDir, '2019', 'ISU-2019-0001.pdf');
    fs.mkdirSync(blocked, { recursive: true });
    const before = rowCounts(env.ctx);
    const res = await req('POST', '/api/v1/budgets/2019/invoices', 'finance', { issueDate: '2018-09-10' });
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toMatch(/^the invoice ISU-2019-0001 was recorded .*rendered from the stored document, to the same bytes, on first read.*The batch stopped there: run it again/);
    expect(res.json().recorded).toEqual({ type: 'invoice', number: 'ISU-2019-0001' });
    expect(rowCounts(env.ctx).invoices).toBe(before.invoices! + 1);
    fs.rmdirSync(blocked);
    const again = await req('POST', '/api/v1/budgets/2019/invoices', 'finance', { issueDate: '2018-09-10' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ alreadyIssued: 1, pdfsRestored: 1, issued: [{ number: 'ISU-2019-0002', iso3: 'MEX' }] });
    const inv = (await req('GET', '/api/v1/invoices/ISU-2019-0001', 'finance')).json();
    expect(sha(fs.readFileSync(blocked))).toBe(inv.pdfSha256);
  });

  it('finding 1: a change of the IBAN by one admin is pending (202) and changes nothing until a second admin approves it; the proposer cannot approve', async () => {
    const inForce = (await req('GET', '/api/v1/settings/issuer', 'admin')).json();
    const before = rowCounts(env.ctx);
    expect((await req('PUT', '/api/v1/settings/issuer?colour=red', 'admin', { ...inForce, bank: { ...inForce.bank, iban: NEW_IBAN } })).statusCode).toBe(400);
    expect(rowCounts(env.ctx)).toEqual(before);
    const put = await req('PUT', '/api/v1/settings/issuer?reason=bank%20moved%20the%20account', 'admin', { ...inForce, bank: { ...inForce.bank, iban: NEW_IBAN } });
    expect(put.statusCode, put.body).toBe(202);
    expect(put.headers.location).toBe('/api/v1/settings/issuer/pending');
    const change = put.json();
    expect(change).toMatchObject({ status: 'pending', proposedBy: 'admin', reason: 'bank moved the account', decision: null, appliedNow: [] });
    expect(change.changes).toEqual([{ field: 'bank.iban', from: OLD_IBAN, to: 'CH9300762011623852957' }]);
    let after = rowCounts(env.ctx);
    expect(after.issuer_changes).toBe(before.issuer_changes! + 1);
    expect(after.issuer_change_decisions).toBe(before.issuer_change_decisions);
    expect(after.audit_log).toBe(before.audit_log! + 1);
    expect(auditCount('issuer-change', String(change.id))).toBe(1);
    // Nothing in force changed: the settings, and what a document issued now would print.
    expect((await req('GET', '/api/v1/settings/issuer', 'finance')).json().bank.iban).toBe(OLD_IBAN);
    const pending = await req('GET', '/api/v1/settings/issuer/pending', 'finance');
    expect(pending.statusCode).toBe(200);
    expect(pending.json()).toMatchObject({ id: change.id, status: 'pending', changes: change.changes });
    for (const user of ['presidency', 'auditor', 'fra']) expect((await req('GET', '/api/v1/settings/issuer/pending', user)).statusCode, user).toBe(403);

    // The proposer cannot approve (403, saying why); finance may not; nothing is written.
    const mid = rowCounts(env.ctx);
    const self = await req('POST', `/api/v1/settings/issuer/changes/${change.id}/approve`, 'admin', {});
    expect(self.statusCode).toBe(403);
    expect(self.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(self.json().detail).toMatch(/you proposed issuer change \d+: a second admin must approve it/);
    expect((await req('POST', `/api/v1/settings/issuer/changes/${change.id}/approve`, 'finance', {})).statusCode).toBe(403);
    expect((await req('POST', '/api/v1/settings/issuer/changes/999/approve', 'admin2', {})).statusCode).toBe(404);
    expect(rowCounts(env.ctx)).toEqual(mid);

    // A second admin approves: decision, settings and audit rows in one go.
    const ok = await req('POST', `/api/v1/settings/issuer/changes/${change.id}/approve`, 'admin2', { reason: 'new account confirmed by phone with the bank' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id: change.id, status: 'approved', decision: { decision: 'approved', decidedBy: 'admin2', reason: 'new account confirmed by phone with the bank' } });
    after = rowCounts(env.ctx);
    expect(after.issuer_change_decisions).toBe(mid.issuer_change_decisions! + 1);
    expect(after.audit_log).toBe(mid.audit_log! + 2);
    expect((await req('GET', '/api/v1/settings/issuer', 'admin')).json().bank.iban).toBe('CH9300762011623852957');
    expect((await req('GET', '/api/v1/settings/issuer/pending', 'admin')).statusCode).toBe(404);
    // Once decided, it cannot be decided again.
    const again = await req('POST', `/api/v1/settings/issuer/changes/${change.id}/approve`, 'admin2', {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/no longer pending: approved by admin2/);
    expect((await req('GET', '/api/v1/settings/issuer/changes', 'finance')).json().map((c: { id: number; status: string }) => [c.id, c.status])).toContainEqual([change.id, 'approved']);
  });

  it('finding 1: every issued document keeps the bank details it printed: the new IBAN appears only on documents issued after approval, and older ones re-render to their bytes', async () => {
    // ISU-2018-0001 was cancelled above: re-issued now, it prints the approved IBAN.
    const re = await req('POST', '/api/v1/invoices/ISU-2018-0001/reissue', 'finance', { reason: 'cancelled by mistake', date: '2017-10-03' });
    expect(re.statusCode, re.body).toBe(201);
    const fresh = await req('GET', re.json().pdfUrl, 'finance');
    expect(compact(await pdfText(fresh.rawPayload))).toContain('CH9300762011623852957');
    expect(compact(await pdfText(fresh.rawPayload))).not.toContain(OLD_IBAN);
    // An invoice and a credit note issued before: the file lost, re-rendered to the recorded bytes, still with the IBAN they carried.
    for (const [url, file] of [
      ['/api/v1/invoices/ISU-2018-0002', 'ISU-2018-0002.pdf'],
      ['/api/v1/credit-notes/CN-2018-0001', 'CN-2018-0001.pdf'],
    ] as const) {
      const doc = (await req('GET', url, 'finance')).json();
      fs.rmSync(path.join(env.ctx.invoiceDir, '2018', file));
      const pdf = await req('GET', doc.pdfUrl, 'finance');
      expect(pdf.statusCode).toBe(200);
      expect(sha(pdf.rawPayload)).toBe(doc.pdfSha256);
      if (file.startsWith('ISU')) {
        expect(compact(await pdfText(pdf.rawPayload))).toContain(OLD_IBAN);
        expect(compact(await pdfText(pdf.rawPayload))).not.toContain('CH9300762011623852957');
      }
    }
    const stored = env.ctx.sqlite.prepare("SELECT json_extract(document, '$.issuer.bank.iban') AS iban FROM invoices WHERE year = 2018 ORDER BY number").all();
    expect(stored).toEqual([{ iban: OLD_IBAN }, { iban: OLD_IBAN }, { iban: 'CH9300762011623852957' }]);
  });

  it('finding 1: fields that are not bank details take effect at once; a PUT mixing both applies those and leaves the bank details pending; a newer proposal supersedes the pending one; a rejection changes nothing', async () => {
    const inForce = (await req('GET', '/api/v1/settings/issuer', 'admin')).json();
    const before = rowCounts(env.ctx);
    const mixed = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...inForce, email: 'finance@isu.example.org', qrCreditor: { ...inForce.qrCreditor, city: 'Lancy' } });
    expect(mixed.statusCode, mixed.body).toBe(202);
    const first = mixed.json();
    expect(first.appliedNow).toEqual([{ field: 'email', from: inForce.email, to: 'finance@isu.example.org' }]);
    expect(first.changes).toEqual([{ field: 'qrCreditor.city', from: 'Genève', to: 'Lancy' }]);
    const now = (await req('GET', '/api/v1/settings/issuer', 'admin')).json();
    expect(now.email).toBe('finance@isu.example.org');
    expect(now.qrCreditor.city).toBe('Genève');
    // A newer proposal (by the second admin) supersedes it.
    const second = await req('PUT', '/api/v1/settings/issuer', 'admin2', { ...now, bank: { ...now.bank, accountHolder: 'Someone Else' } });
    expect(second.statusCode).toBe(202);
    const secondId = second.json().id;
    const list = (await req('GET', '/api/v1/settings/issuer/changes', 'admin')).json();
    expect(list.find((c: { id: number }) => c.id === first.id)).toMatchObject({ status: 'superseded', decision: { decidedBy: 'admin2', reason: `superseded by change ${secondId}` } });
    expect((await req('POST', `/api/v1/settings/issuer/changes/${first.id}/approve`, 'admin2', {})).statusCode).toBe(409);
    // Rejected with a reason: nothing in force changes; a rejection needs its reason.
    expect((await req('POST', `/api/v1/settings/issuer/changes/${secondId}/reject`, 'admin', {})).statusCode).toBe(422);
    const rej = await req('POST', `/api/v1/settings/issuer/changes/${secondId}/reject`, 'admin', { reason: 'not our account holder' });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', decision: { decidedBy: 'admin', reason: 'not our account holder' } });
    expect((await req('GET', '/api/v1/settings/issuer', 'admin')).json()).toEqual(now);
    const after = rowCounts(env.ctx);
    expect(after.issuer_changes).toBe(before.issuer_changes! + 2);
    expect(after.issuer_change_decisions).toBe(before.issuer_change_decisions! + 2);
    expect(after.settings).toBe(before.settings);
    // audit: the email at once, the first proposal, its supersession and the second, the rejection.
    expect(after.audit_log).toBe(before.audit_log! + 5);
    // A foreign IBAN is refused before anything is proposed.
    const foreign = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...now, bank: { ...now.bank, iban: 'GB82 WEST 1234 5698 7654 32' } });
    expect(foreign.statusCode).toBe(422);
    expect(rowCounts(env.ctx)).toEqual(after);
  });

  it('finding 1: the dashboard shows a notice while a change of the bank details is pending (what, by whom, when)', async () => {
    const cookie = await webSession('fin-web', FIN_PASSWORD);
    const quiet = await env.app.inject({ url: '/dashboard', headers: { cookie } });
    expect(quiet.statusCode).toBe(200);
    expect(quiet.body).not.toContain('data-notice="issuer-change"');
    const inForce = (await req('GET', '/api/v1/settings/issuer', 'admin')).json();
    const put = await req('PUT', '/api/v1/settings/issuer', 'admin', { ...inForce, bank: { ...inForce.bank, iban: 'CH56 0483 5012 3456 7800 9' } });
    expect(put.statusCode).toBe(202);
    const page = await env.app.inject({ url: '/dashboard', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const notice = /<[^>]*data-notice="issuer-change"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    expect(notice).toContain('bank.iban');
    expect(notice).toContain('CH93 0076 2011 6238 5295 7');
    expect(notice).toContain('CH56 0483 5012 3456 7800 9');
    expect(notice).toContain('admin');
    expect(notice).toContain(put.json().proposedAt.slice(0, 10));
    rejectIssuerChange(env.ctx, cliActor('test'), put.json().id, { reason: 'test over' });
    expect((await env.app.inject({ url: '/dashboard', headers: { cookie } })).body).not.toContain('data-notice="issuer-change"');
  });

  it('finding 1: from the command line the same rules hold: the operator who proposed cannot approve; another operator can', () => {
    const alice = { ...cliActor('settings issuer'), username: 'cli:alice' };
    const bob = { ...cliActor('settings approve'), username: 'cli:bob' };
    expect(pendingIssuerChange(env.ctx.db)).toBeNull();
    const inForce = JSON.parse((env.ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'issuer'").get() as { value: string }).value);
    const r = setIssuer(env.ctx, alice, issuerSettingsSchema.parse({ ...inForce, bank: { ...inForce.bank, bic: 'UBSWCHZH80A' } }));
    expect(r.status).toBe('pending');
    const id = r.status === 'pending' ? r.change.id : 0;
    expect(() => approveIssuerChange(env.ctx, { ...alice, action: 'cli: settings approve' }, id)).toThrow(/you proposed issuer change/);
    // Meanwhile another field changes at once; the approval applies the bank details onto it, undoing nothing.
    expect(setIssuer(env.ctx, bob, issuerSettingsSchema.parse({ ...inForce, website: 'www.isu.example.org' })).status).toBe('applied');
    expect(approveIssuerChange(env.ctx, bob, id)).toMatchObject({ status: 'approved', decision: { decidedBy: 'cli:bob' } });
    expect(pendingIssuerChange(env.ctx.db)).toBeNull();
    const now = JSON.parse((env.ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'issuer'").get() as { value: string }).value);
    expect(now).toEqual({ ...inForce, website: 'www.isu.example.org', bank: { ...inForce.bank, bic: 'UBSWCHZH80A' } });
  });

  it('finding 1: the README example of a change of the bank details is the demo issuer with another Swiss IBAN', () => {
    const example = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'issuer-new-iban.json'), 'utf8'));
    expect(example).toEqual({ ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban: NEW_IBAN } });
    expect(issuerDiff(issuerSettingsSchema.parse(DEMO_ISSUER), issuerSettingsSchema.parse(example), true)).toEqual([{ field: 'bank.iban', from: OLD_IBAN, to: 'CH9300762011623852957' }]);
  });

  it('finding 11: a reminder letter committed but whose PDF could not be written is reported as recorded, and served on first read', async () => {
    const blocked = path.join(env.ctx.invoiceDir, 'reminders', '2018', 'REM-2018-0001.pdf');
    fs.mkdirSync(blocked, { recursive: true });
    const before = rowCounts(env.ctx);
    const res = await req('POST', '/api/v1/reminders', 'finance', { asOf: '2018-04-01', date: '2018-04-03' });
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toMatch(/^the reminder letter REM-2018-0001 was recorded .*on first read/);
    expect(res.json().recorded).toEqual({ type: 'reminder', number: 'REM-2018-0001' });
    expect(rowCounts(env.ctx).reminders).toBe(before.reminders! + 1);
    fs.rmdirSync(blocked);
    const letter = (await req('GET', '/api/v1/reminders/letters/REM-2018-0001', 'finance')).json();
    const pdf = await req('GET', '/api/v1/reminders/letters/REM-2018-0001/pdf', 'finance');
    expect(pdf.statusCode).toBe(200);
    expect(sha(pdf.rawPayload)).toBe(letter.pdfSha256);
  });
});
