/**
 * The embedded demo (SPEC 8). The States Parties and the UN scale are the
 * transcribed seed files in db/seed/; the budget amount, its 7(a)/7(b) split,
 * the cut-off date, the addresses and the logins are illustrative.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { settings } from '../db/schema.js';
import { budgetCreate } from '../http/schemas/budgets.js';
import { scaleCreate } from '../http/schemas/scales.js';
import { stateImport, type StateCreate } from '../http/schemas/states.js';
import type { Actor, Role } from './actor.js';
import { createBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { ConflictError } from './errors.js';
import { createScale, parseScaleCsv } from './scales.js';
import { importStates, listStates, parseStatesCsv } from './states.js';
import { addUser } from './users.js';
import { issueInvoiceBatch } from './invoices.js';
import { issuerSettingsSchema, setIssuer } from './settings.js';

export const SEED_DIR = path.join(PROJECT_ROOT, 'db', 'seed');

/** The demo budget for 2018. Amount and split are illustrative: set the real ones in a budget of your own (README). */
export const DEMO_BUDGET_2018 = {
  year: 2018,
  amount: '590000.00',
  decisionRef: 'CCM/MSP/2017/2',
  approvedOn: '2017-09-06',
  cutoffDate: '2018-03-31',
  scaleCode: 'UN-2016-2018',
  scheme: {
    categories: [
      {
        code: '7(a)',
        label: 'Equal share of every State Party',
        labels: { fr: 'Part égale de chaque État partie', es: 'Cuota igual de cada Estado parte' },
        share: '0.3',
        method: 'equal',
      },
      {
        code: '7(b)',
        label: 'Share by the UN scale of assessments, rebased to the States Parties',
        labels: {
          fr: 'Quote-part selon le barème des Nations Unies, recalculée pour les États parties',
          es: 'Cuota según la escala de las Naciones Unidas, recalculada para los Estados partes',
        },
        share: '0.7',
        method: 'scale',
      },
    ],
  },
} as const;

/** The demo's invoice issuer: the ISU's address; the bank, IBAN (CH56 0483 5012 3456 7800 9, the SIX sample) and e-mail are illustrative. */
export const DEMO_ISSUER = {
  name: 'Implementation Support Unit — Convention on Cluster Munitions',
  addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', '1202 Geneva', 'Switzerland'],
  email: 'isu-finance@example.org',
  website: 'www.clusterconvention.org',
  invoicePrefix: 'ISU',
  creditNotePrefix: 'CN',
  bank: {
    accountHolder: 'ISU Convention on Cluster Munitions (illustrative account)',
    bankName: 'Example Bank Ltd (illustrative)',
    bankAddressLines: ['1204 Geneva, Switzerland'],
    iban: 'CH56 0483 5012 3456 7800 9',
    bic: 'EXAMCHGGXXX',
  },
  qrCreditor: { name: 'ISU Convention on Cluster Munitions', address: 'Chemin Eugène-Rigot', buildingNumber: '2C', zip: '1202', city: 'Geneva', country: 'CH' },
};

/** The demo issues the 2018 invoices on this date, just after the 7th MSP approved the budget. */
export const DEMO_ISSUE_DATE_2018 = '2017-09-15';

export interface DemoLogin {
  username: string;
  role: Role;
  state: string | null;
  password: string;
  token: string;
}

/** Demo logins: fixed, documented, for the demo database only. */
export const DEMO_LOGINS: DemoLogin[] = [
  { username: 'admin', role: 'admin', state: null, password: 'admin-demo', token: 'demo-token-admin' },
  { username: 'finance', role: 'finance', state: null, password: 'finance-demo', token: 'demo-token-finance' },
  { username: 'presidency', role: 'presidency', state: null, password: 'presidency-demo', token: 'demo-token-presidency' },
  { username: 'auditor', role: 'auditor', state: null, password: 'auditor-demo', token: 'demo-token-auditor' },
  { username: 'france', role: 'state', state: 'FRA', password: 'france-demo', token: 'demo-token-france' },
  { username: 'mexico', role: 'state', state: 'MEX', password: 'mexico-demo', token: 'demo-token-mexico' },
  { username: 'ireland', role: 'state', state: 'IRL', password: 'ireland-demo', token: 'demo-token-ireland' },
];

const MISSION: Record<'en' | 'fr' | 'es', (name: string) => string[]> = {
  en: (name) => [`Permanent Mission of ${name}`, 'to the United Nations Office at Geneva', 'Geneva, Switzerland'],
  fr: (name) => [`Mission permanente — ${name}`, 'auprès de l’Office des Nations Unies à Genève', 'Genève, Suisse'],
  es: (name) => [`Misión Permanente — ${name}`, 'ante la Oficina de las Naciones Unidas en Ginebra', 'Ginebra, Suiza'],
};

export function isDemoLoaded(ctx: Ctx): boolean {
  return ctx.db.select().from(settings).all().some((s) => s.key === 'demo');
}

export async function seedDemo(ctx: Ctx, actor: Actor): Promise<{ states: number; assessed2018: number; invoices2018: number }> {
  if (isDemoLoaded(ctx)) throw new ConflictError('the demo is already loaded in this database');
  if (listStates(ctx).length > 0) throw new ConflictError('this database already holds a register; the demo loads only into a new database');

  const parsed = parseStatesCsv(fs.readFileSync(path.join(SEED_DIR, 'states-parties-2017.csv'), 'utf8'));
  if (parsed.errors.length) throw new Error(`seed file: ${JSON.stringify(parsed.errors)}`);
  const statesInput = stateImport.parse({ states: parsed.states }).states.map((s: StateCreate) => {
    const local = s.language === 'fr' ? (s.names?.fr ?? s.name) : s.language === 'es' ? (s.names?.es ?? s.name) : s.name;
    return { ...s, billing: { addressLines: MISSION[s.language](local), emails: [`mission.${s.iso3.toLowerCase()}@example.org`] } };
  });
  importStates(ctx, actor, statesInput);

  const rates = parseScaleCsv(fs.readFileSync(path.join(SEED_DIR, 'un-scale-2016-2018.csv'), 'utf8'));
  if (rates.errors.length) throw new Error(`seed file: ${JSON.stringify(rates.errors)}`);
  createScale(
    ctx,
    actor,
    scaleCreate.parse({
      code: 'UN-2016-2018',
      title: 'United Nations regular budget scale of assessments 2016–2018',
      source: 'A/RES/70/245',
      rates: rates.rates,
    }),
  );

  createBudget(ctx, actor, budgetCreate.parse(DEMO_BUDGET_2018));

  for (const login of DEMO_LOGINS) addUser(ctx, actor, login);

  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  const batch = await issueInvoiceBatch(ctx, actor, 2018, { issueDate: DEMO_ISSUE_DATE_2018 });

  ctx.db
    .insert(settings)
    .values({ key: 'demo', value: { loadedAt: new Date().toISOString(), note: 'illustrative demo data' }, updatedAt: new Date().toISOString() })
    .run();
  return { states: statesInput.length, assessed2018: listStates(ctx, 2018).filter((s) => s.assessed).length, invoices2018: batch.issued.length };
}
