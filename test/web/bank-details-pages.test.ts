/**
 * The bank-details page without a browser (inject): who sees it (admin only),
 * proposing new bank details (a bad IBAN refused at the field, nothing
 * written; a double submit proposes once), four eyes (the proposer's own
 * approval refused and shown, nothing in force changed; a second admin's
 * approval applies it), rejecting (a reason required), the CSRF guard, and
 * the refusals in French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.js';
import { ADMIN_TEXT } from '../../src/http/pages/admin-text.js';
import { fmt } from '../../src/http/pages/i18n/index.js';
import { getLimits } from '../../src/services/limits.js';
import { getIssuer, listIssuerChanges, pendingIssuerChange } from '../../src/services/settings.js';
import { rowCounts } from '../helpers.js';
import { pagesEnv, type PagesEnv } from './admin-env.js';

let p: PagesEnv;
const t = ADMIN_TEXT.en;
const OLD_IBAN = 'CH5604835012345678009';
const NEW_IBAN = 'CH9300762011623852957';

beforeAll(async () => {
  p = await pagesEnv();
}, 60_000);
afterAll(() => p.env.close());

const iban = () => getIssuer(p.env.ctx.db)!.bank.iban.replace(/\s+/g, '');
const proposal = async (who: string, values: Record<string, string>) => ({
  ...(await p.formTokens(who, '/admin/bank-details', '/admin/bank-details')),
  accountHolder: 'ISU Convention on Cluster Munitions',
  bankName: 'Another Bank AG',
  bankAddressLines: 'Bahnhofstrasse 1\n8001 Zürich',
  bic: 'UBSWCHZH80A',
  reason: 'The ISU moved its account',
  qrName: 'ISU Convention on Cluster Munitions',
  qrAddress: 'Chemin Eugène-Rigot',
  qrBuildingNumber: '2C',
  qrZip: '1202',
  qrCity: 'Genève',
  qrCountry: 'CH',
  ...values,
});

describe('who sees the bank details', () => {
  it('the admin: the bank details in force, no pending change, the form to propose', async () => {
    const res = await p.get('adm', '/admin/bank-details');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('CH56 0483 5012 3456 7800 9');
    expect(res.body).toContain(t.pendingNone);
    expect(res.body).toContain('action="/admin/bank-details"');
    expect(res.body).toContain('<a href="/admin/bank-details" aria-current="page">');
  });

  it.each(['fin', 'pres', 'aud'])('%s: the 403 page', async (who) => {
    expect((await p.get(who, '/admin/bank-details')).statusCode).toBe(403);
  });

  it('a State user: 404', async () => {
    expect((await p.get('fra', '/admin/bank-details')).statusCode).toBe(404);
  });
});

describe('four eyes on the bank details', () => {
  let changeId: number;
  let fields: Record<string, string>;

  it('a bad IBAN or BIC is refused at the field (422), nothing written', async () => {
    const counts = rowCounts(p.env.ctx);
    const bad = await p.post('adm', '/admin/bank-details', await proposal('adm', { iban: 'CH93 0076 2011 6238 5295 8' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="pr-iban-error"');
    expect(bad.body).toContain('is not a valid IBAN (checksum)');
    const foreign = await p.post('adm', '/admin/bank-details', await proposal('adm', { iban: 'DE89370400440532013000' }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('cannot be carried by the Swiss QR-bill');
    const bic = await p.post('adm', '/admin/bank-details', await proposal('adm', { iban: NEW_IBAN, bic: 'nope' }));
    expect(bic.statusCode).toBe(422);
    expect(bic.body).toContain('id="pr-bic-error"');
    const country = await p.post('adm', '/admin/bank-details', await proposal('adm', { iban: NEW_IBAN, qrCountry: 'Suisse' }));
    expect(country.statusCode).toBe(422);
    expect(country.body).toContain('id="pr-qrCountry-error"');
    const noReason = await p.post('adm', '/admin/bank-details', await proposal('adm', { iban: NEW_IBAN, reason: '' }));
    expect(noReason.statusCode).toBe(422);
    expect(noReason.body).toContain('id="pr-reason-error"');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('the same bank details as in force: nothing to propose (422, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const i = getIssuer(p.env.ctx.db)!;
    const res = await p.post(
      'adm',
      '/admin/bank-details',
      await proposal('adm', { iban: OLD_IBAN, accountHolder: i.bank.accountHolder, bankName: i.bank.bankName, bankAddressLines: i.bank.bankAddressLines.join('\n'), bic: i.bank.bic }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(t.unchanged);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('a proposal: 303 to the page showing it pending; nothing in force changes', async () => {
    fields = await proposal('adm', { iban: 'CH93 0076 2011 6238 5295 7' });
    const res = await p.post('adm', '/admin/bank-details', fields);
    expect(res.statusCode, res.body).toBe(303);
    const m = /^\/admin\/bank-details\?proposed=(\d+)$/.exec(res.headers.location as string);
    expect(m).not.toBeNull();
    changeId = Number(m![1]);
    expect(pendingIssuerChange(p.env.ctx.db)?.id).toBe(changeId);
    expect(iban()).toBe(OLD_IBAN);
    const page = await p.get('adm', res.headers.location as string);
    expect(page.body).toContain(t.proposedNotice(changeId));
    expect(page.body).toContain('CH93 0076 2011 6238 5295 7');
    expect(page.body).toContain(t.ownProposal);
  });

  it('a double submit proposes once', async () => {
    const counts = rowCounts(p.env.ctx);
    const again = await p.post('adm', '/admin/bank-details', fields);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/admin/bank-details?proposed=${changeId}`);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('the proposer’s own approval is refused (403, shown at the form), nothing in force changes', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', `/admin/bank-details/changes/${changeId}/approve`, { ...(await p.formTokens('adm', '/admin/bank-details', `/admin/bank-details/changes/${changeId}/approve`)), reason: '' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(`you proposed issuer change ${changeId}: a second admin must approve it`);
    expect(res.body).toContain('class="error-summary"');
    expect(iban()).toBe(OLD_IBAN);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('says the refusal in French', async () => {
    const res = await p.post('adm', `/admin/bank-details/changes/${changeId}/approve?lang=fr`, {
      ...(await p.formTokens('adm', '/admin/bank-details?lang=fr', `/admin/bank-details/changes/${changeId}/approve?lang=fr`)),
      reason: '',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(`Vous avez proposé la modification ${changeId}`);
    await p.get('adm', '/admin/bank-details?lang=en');
  });

  it('refuses a form without the CSRF token (403, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const { _idem } = await p.formTokens('adm2', '/admin/bank-details', `/admin/bank-details/changes/${changeId}/approve`);
    const res = await p.post('adm2', `/admin/bank-details/changes/${changeId}/approve`, { _idem, reason: '' });
    expect(res.statusCode).toBe(403);
    expect(iban()).toBe(OLD_IBAN);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('finance cannot approve (403, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('fin', `/admin/bank-details/changes/${changeId}/approve`, { _csrf: p.sessions.fin!.csrf, _idem: 'y'.repeat(20), reason: '' });
    expect(res.statusCode).toBe(403);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('a second admin approves: the new IBAN is in force; approving again is refused', async () => {
    const page = await p.get('adm2', '/admin/bank-details');
    expect(page.body).not.toContain(t.ownProposal);
    const res = await p.post('adm2', `/admin/bank-details/changes/${changeId}/approve`, { ...(await p.formTokens('adm2', '/admin/bank-details', `/admin/bank-details/changes/${changeId}/approve`)), reason: 'Checked with the bank' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/admin/bank-details?approved=${changeId}`);
    expect(iban()).toBe(NEW_IBAN);
    const after = await p.get('adm2', res.headers.location as string);
    expect(after.body).toContain(t.approvedNotice(changeId));
    expect(after.body).toContain(t.pendingNone);
    expect(listIssuerChanges(p.env.ctx.db)[0]).toMatchObject({ id: changeId, status: 'approved', proposedBy: 'adm', decision: { decidedBy: 'adm2' } });
  });

  it('a change of the QR-bill creditor alone is a change of the bank details: it waits for approval', async () => {
    const i = getIssuer(p.env.ctx.db)!;
    const res = await p.post(
      'adm',
      '/admin/bank-details',
      await proposal('adm', { iban: i.bank.iban, accountHolder: i.bank.accountHolder, bankName: i.bank.bankName, bankAddressLines: i.bank.bankAddressLines.join('\n'), bic: i.bank.bic, qrCity: 'Genf' }),
    );
    expect(res.statusCode).toBe(303);
    const change = pendingIssuerChange(p.env.ctx.db)!;
    expect(change.changes).toEqual([{ field: 'qrCreditor.city', from: 'Genève', to: 'Genf' }]);
    expect(getIssuer(p.env.ctx.db)!.qrCreditor.city).toBe('Genève');
    const rejected = await p.post('adm', `/admin/bank-details/changes/${change.id}/reject`, { ...(await p.formTokens('adm', '/admin/bank-details', `/admin/bank-details/changes/${change.id}/reject`)), reason: 'Withdrawn' });
    expect(rejected.statusCode).toBe(303);
  });

  it('a rejection needs a reason; then nothing in force changes', async () => {
    const proposed = await p.post('adm2', '/admin/bank-details', await proposal('adm2', { iban: OLD_IBAN, reason: 'Back to the old account' }));
    expect(proposed.statusCode).toBe(303);
    const id = Number(/proposed=(\d+)/.exec(proposed.headers.location as string)![1]);
    const counts = rowCounts(p.env.ctx);
    const bad = await p.post('adm', `/admin/bank-details/changes/${id}/reject`, { ...(await p.formTokens('adm', '/admin/bank-details', `/admin/bank-details/changes/${id}/reject`)), reason: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="rj-reason-error"');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
    const ok = await p.post('adm', `/admin/bank-details/changes/${id}/reject`, { ...(await p.formTokens('adm', '/admin/bank-details', `/admin/bank-details/changes/${id}/reject`)), reason: 'Not agreed' });
    expect(ok.statusCode).toBe(303);
    expect(iban()).toBe(NEW_IBAN);
    expect(pendingIssuerChange(p.env.ctx.db)).toBeNull();
  });
});

describe('how to pay, on the State’s account', () => {
  it('the State user sees the IBAN in force, and each open invoice with its RF reference, amount due and cut-off date', async () => {
    const res = await p.get('fra', '/account?lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="how-to-pay"');
    expect(res.body).toContain('CH93 0076 2011 6238 5295 7');
    expect(res.body).toContain('UBSWCHZH80A');
    const inv = p.env.ctx.sqlite.prepare("SELECT number, creditor_reference AS ref, total_centimes AS total FROM invoices WHERE state_iso3 = 'FRA'").get() as { number: string; ref: string; total: number };
    const row = new RegExp(`<tr data-due="${inv.number}">[\\s\\S]*?</tr>`).exec(res.body)![0];
    expect(row.replace(/\s/g, '')).toContain(inv.ref);
    expect(row).toContain(fmt('en').money(formatMoney(BigInt(inv.total))));
    expect(row).toContain(fmt('en').shortDate('2018-03-31'));
  });
});

describe('the plausibility limits', () => {
  const form = async (values: Record<string, string>, lang = 'en') => ({
    ...(await p.formTokens('adm', `/admin/limits${lang === 'en' ? '' : `?lang=${lang}`}`, `/admin/limits${lang === 'en' ? '' : `?lang=${lang}`}`)),
    earliestDate: '2010-01-01',
    futureDays: '366',
    largestAmount: '10000000.00',
    largePayment: '',
    ...values,
  });

  it('admin only: 403 for the other roles, 404 for a State user; linked from the bank details', async () => {
    expect((await p.get('adm', '/admin/limits')).statusCode).toBe(200);
    expect((await p.get('adm', '/admin/bank-details')).body).toContain('href="/admin/limits"');
    for (const who of ['fin', 'pres', 'aud']) expect((await p.get(who, '/admin/limits')).statusCode).toBe(403);
    expect((await p.get('fra', '/admin/limits')).statusCode).toBe(404);
  });

  it('the limits in force again: nothing to save (422, nothing written)', async () => {
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', '/admin/limits', await form({}));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(t.limitsUnchanged);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it.each(['fr', 'es'])('the form as shown in %s (amounts in its style) posts back unchanged', async (lang) => {
    const page = await p.get('adm', `/admin/limits?lang=${lang}`);
    const shown = /id="lim-largestAmount" name="largestAmount"[^>]*value="([^"]+)"/.exec(page.body)![1]!;
    expect(shown).not.toBe('10000000.00');
    const counts = rowCounts(p.env.ctx);
    const res = await p.post('adm', `/admin/limits?lang=${lang}`, await form({ largestAmount: shown }, lang));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(ADMIN_TEXT[lang as 'fr' | 'es'].limitsUnchanged);
    expect(rowCounts(p.env.ctx)).toEqual(counts);
    await p.get('adm', '/admin/limits?lang=en');
  });

  it('bad values are refused at their fields (422, nothing written), the service’s rules too', async () => {
    const counts = rowCounts(p.env.ctx);
    const a = await p.post('adm', '/admin/limits', await form({ futureDays: '9999', largestAmount: '12,34.5x' }));
    expect(a.statusCode).toBe(422);
    expect(a.body).toContain('id="lim-futureDays-error"');
    expect(a.body).toContain('id="lim-largestAmount-error"');
    const b = await p.post('adm', '/admin/limits', await form({ largestAmount: '1000.00', largePayment: '2000.00' }));
    expect(b.statusCode).toBe(422);
    expect(b.body).toContain('id="lim-largePayment-error"');
    expect(b.body).toContain('must not exceed largestAmount (1000.00)');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
  });

  it('saves amounts typed in French style; a double submit saves once', async () => {
    const fields = await form({ largestAmount: '2 000 000,00', largePayment: '150 000' }, 'fr');
    const res = await p.post('adm', '/admin/limits?lang=fr', fields);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/limits?saved=1&lang=fr');
    expect(getLimits(p.env.ctx.db)).toMatchObject({ largestAmount: '2000000.00', largePayment: '150000.00', futureDays: 366 });
    const counts = rowCounts(p.env.ctx);
    expect((await p.post('adm', '/admin/limits?lang=fr', fields)).headers.location).toBe('/admin/limits?saved=1&lang=fr');
    expect(rowCounts(p.env.ctx)).toEqual(counts);
    expect((await p.get('adm', '/admin/limits?saved=1&lang=fr')).body).toContain(ADMIN_TEXT.fr.limitsSaved);
    await p.get('adm', '/admin/limits?lang=en');
  });
});
