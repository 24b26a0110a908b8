/**
 * The Swiss QR-bill's QR code carries the invoice's own creditor reference,
 * amount and IBAN: the PDF is rasterised with pdftoppm (poppler-utils, which
 * .ci/run installs) and the code decoded with jsQR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { getInvoice, invoicePdf, issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { decodeQrOnLastPage as decodeIn, hasPdftoppm } from './qr.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(
    (ctx) => {
      importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
      createScale(ctx, cliActor('test'), SCALE_SMALL);
      createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
      setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
    },
    { users: false },
  );
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());
const decodeQrOnLastPage = (pdfFile: string) => decodeIn(env.dir, pdfFile);

describe.skipIf(!hasPdftoppm && !process.env.CI)('the Swiss QR-bill', () => {
  it("encodes the invoice's creditor reference (SCOR), amount in CHF, IBAN and number", async () => {
    for (const number of ['ISU-2018-0001', 'ISU-2018-0002', 'ISU-2018-0003']) {
      const inv = getInvoice(env.ctx, number, null);
      const { file } = await invoicePdf(env.ctx, number, null);
      const lines = decodeQrOnLastPage(file).split(/\r?\n/);
      expect(lines[0]).toBe('SPC'); // Swiss Payments Code
      expect(lines).toContain('CH5604835012345678009');
      expect(lines).toContain('CHF');
      expect(lines).toContain(inv.total);
      const scor = lines.indexOf('SCOR');
      expect(scor, 'reference type SCOR').toBeGreaterThan(0);
      expect(lines[scor + 1]).toBe(inv.creditorReference);
      expect(lines).toContain(number);
    }
  });
});
