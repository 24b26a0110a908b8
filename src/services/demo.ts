/**
 * The embedded demo (SPEC 8). The States Parties and the UN scale are the
 * transcribed seed files in db/seed/; the budget amount, its 7(a)/7(b) split,
 * the cut-off date, the addresses and the logins are illustrative.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { settings } from '../db/schema.js';
import { budgetCreate } from '../schemas/budgets.js';
import { scaleCreate } from '../schemas/scales.js';
import { stateImport, type StateCreate } from '../schemas/states.js';
import type { Actor, Role } from './actor.js';
import { createBudget } from './budgets.js';
import type { Ctx } from './context.js';
import { ConflictError } from './errors.js';
import { createScale, parseScaleCsv } from './scales.js';
import { importStates, listStates, parseStatesCsv } from './states.js';
import { addUser } from './users.js';
import { spendingPlanCentimes } from './cashflow.js';
import { addReserveContribution, drawDown, operatingCash, recordExpenditure, restore, setReserveTarget } from './reserve.js';
import { formatMoney, parseMoney } from '../domain/money.js';
import { listInvoices } from './invoices.js';
import { creditAvailableFrom, recordPayment, reclassifyCredit, unappliedCredit } from './payments.js';
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

/** Earlier budgets of the demo, with the same illustrative scheme and the 2016–2018 scale; amounts and decisions illustrative. */
export const DEMO_EARLIER_BUDGETS = [
  {
    budget: { year: 2016, amount: '550000.00', decisionRef: 'CCM/CONF/2015/7', approvedOn: '2015-09-11', cutoffDate: '2016-03-31' },
    issueDate: '2015-09-21',
  },
  {
    budget: { year: 2017, amount: '570000.00', decisionRef: 'CCM/MSP/2016/9', approvedOn: '2016-09-07', cutoffDate: '2017-03-31' },
    issueDate: '2016-09-19',
  },
] as const;

/** A small deterministic number per State and year, to vary the demo's payers. */
function demoDraw(iso3: string, year: number): number {
  let h = year;
  for (const ch of iso3) h = (h * 31 + ch.charCodeAt(0)) % 9973;
  return h % 100;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Illustrative payments 2016–2018: most States pay in full (many by the
 * cut-off date), some in part, a few far more than assessed, many nothing
 * (in 2016 about 39 of the States Parties contributed); one donor's
 * voluntary contribution; the reserve's dedicated contributions; an excess
 * reclassified as voluntary.
 */
function seedDemoPayments(ctx: Ctx, actor: Actor): void {
  const invoices = listInvoices(ctx, {}, null);
  const thresholds: Record<number, { full: number; partial: number; excess: number }> = {
    2016: { full: 30, partial: 36, excess: 39 },
    2017: { full: 40, partial: 48, excess: 52 },
    2018: { full: 48, partial: 56, excess: 60 },
  };
  for (const inv of invoices) {
    const t = thresholds[inv.year];
    if (!t) continue;
    const draw = demoDraw(inv.iso3, inv.year);
    if (draw >= t.excess) continue;
    const totalCentimes = parseMoney(inv.total);
    const amountCentimes =
      draw < t.full ? totalCentimes : draw < t.partial ? (totalCentimes / 200n) * 100n : totalCentimes + 2_500_000n + BigInt(draw) * 50_000n;
    // Some pay before the cut-off date, some after; about half quote the invoice's creditor reference.
    const receivedOn = addDays(inv.issueDate, 60 + ((draw * 7) % (draw % 3 === 0 ? 300 : 150)));
    recordPayment(ctx, actor, `demo-${inv.number}`, {
      iso3: inv.iso3,
      amount: formatMoney(amountCentimes),
      receivedOn,
      ...(draw % 2 === 0 ? { reference: inv.creditorReference } : {}),
      bankReference: `DEMO-${inv.year}-${inv.iso3}`,
    });
  }
  recordPayment(ctx, actor, 'demo-donor-2017', {
    donor: 'Example Foundation (illustrative donor)',
    amount: '30000.00',
    receivedOn: '2017-06-01',
    purpose: 'voluntary',
    bankReference: 'DEMO-DONOR-2017',
  });
  recordPayment(ctx, actor, 'demo-reserve-dedicated', {
    donor: 'Dedicated contributions to the reserve since the First Review Conference',
    amount: '15714.00',
    receivedOn: '2016-06-30',
    purpose: 'reserve',
    bankReference: 'DEMO-RESERVE-1RC',
  });
  // One State's excess of 2017 is reclassified as a voluntary contribution to the core budget.
  const inExcess = listStates(ctx)
    .map((st) => st.iso3)
    .find((iso3) => unappliedCredit(ctx, iso3, '2017-12-31') > 0n);
  if (inExcess)
    reclassifyCredit(ctx, actor, inExcess, {
      amount: formatMoney((creditAvailableFrom(ctx, inExcess, '2017-12-15') / 200n) * 100n),
      to: 'voluntary',
      date: '2017-12-15',
    });
}

/**
 * The reserve's opening position of SPEC 2.6 (the CHF 15,714.00 dedicated
 * contributions arrive as a reserve payment in seedDemoPayments), the ISU's
 * monthly expenditure 2016–2018 (illustrative: 80 % of the plan), one
 * drawdown at the first month-end shortfall and a partial restoration once
 * cash allows.
 */
function seedDemoReserve(ctx: Ctx, actor: Actor): void {
  setReserveTarget(ctx, actor, { amount: '400000.00', decisionRef: 'CCM/MSP/2017/12 (7th MSP, Annex I)' });
  addReserveContribution(ctx, actor, {
    date: '2016-01-15',
    amount: '350000.00',
    kind: 'transfer',
    description: 'Unspent 2013–2015 contributions directed to the reserve by the 7th MSP',
  });
  let drawdown: { id: number; amountCentimes: bigint } | null = null;
  let restored = false;
  for (const year of [2016, 2017, 2018])
    for (let month = 1; month <= 12; month++) {
      const plan = spendingPlanCentimes(ctx, year)![month - 1]!;
      const mm = String(month).padStart(2, '0');
      recordExpenditure(ctx, actor, { date: `${year}-${mm}-25`, amount: formatMoney((plan * 8n) / 10n), description: `ISU staff and operating costs, ${year}-${mm} (illustrative)` });
      const cash = operatingCash(ctx, `${year}-${mm}-25`);
      if (!drawdown && cash < 0n) {
        const amountCentimes = -cash;
        const d = drawDown(ctx, actor, { date: `${year}-${mm}-25`, amount: formatMoney(amountCentimes), reason: `Cash-flow shortfall at the end of ${year}-${mm}: salaries due before contributions arrive` });
        drawdown = { id: d.id, amountCentimes };
      } else if (drawdown && !restored && cash > drawdown.amountCentimes) {
        restore(ctx, actor, { date: `${year}-${mm}-28`, amount: formatMoney((drawdown.amountCentimes / 200n) * 100n), drawdown: drawdown.id });
        restored = true;
      }
    }
}

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

  for (const b of DEMO_EARLIER_BUDGETS) createBudget(ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, ...b.budget }));
  createBudget(ctx, actor, budgetCreate.parse(DEMO_BUDGET_2018));

  for (const login of DEMO_LOGINS) addUser(ctx, actor, login);

  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  for (const b of DEMO_EARLIER_BUDGETS) await issueInvoiceBatch(ctx, actor, b.budget.year, { issueDate: b.issueDate });
  const batch = await issueInvoiceBatch(ctx, actor, 2018, { issueDate: DEMO_ISSUE_DATE_2018 });
  seedDemoPayments(ctx, actor);
  seedDemoReserve(ctx, actor);

  ctx.db
    .insert(settings)
    .values({ key: 'demo', value: { loadedAt: new Date().toISOString(), note: 'illustrative demo data' }, updatedAt: new Date().toISOString() })
    .run();
  return { states: statesInput.length, assessed2018: listStates(ctx, 2018).filter((s) => s.assessed).length, invoices2018: batch.issued.length };
}
