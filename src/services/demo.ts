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
import { closeYear } from './closing.js';
import { ConflictError } from './errors.js';
import { createScale, parseScaleCsv } from './scales.js';
import { importStates, listStates, parseStatesAddressingCsv, parseStatesCsv } from './states.js';
import { addUser } from './users.js';
import { spendingPlanCentimes } from './cashflow.js';
import { addReserveContribution, drawDown, operatingCash, recordExpenditure, restore, setReserveTarget } from './reserve.js';
import { Dec, formatMoney, parseMoney } from '../domain/money.js';
import type { Decimal } from 'decimal.js';
import { listInvoices } from './invoices.js';
import { creditAvailableFrom, openLines } from './applications.js';
import { recordPayment, reclassifyCredit } from './payments.js';
import { issueInvoiceBatch } from './invoices.js';
import { issuerSettingsSchema, setIssuer } from './settings.js';
import { sendDocuments } from './delivery/index.js';
import { importBankFile } from './bank/import.js';

export const SEED_DIR = path.join(PROJECT_ROOT, 'db', 'seed');

/**
 * The demo's bank statement (SPEC 9.6): January 2019 of its operating account
 * (the issuer's IBAN), a camt.053.001.08 written once from the demo's
 * invoices by scripts/demo-camt053.ts and committed. Imported last: four
 * payments matched by their RF references (one sent in EUR), one credit
 * without a reference whose text names a State, one bank fee.
 */
export const DEMO_BANK_STATEMENT = path.join(SEED_DIR, 'demo-camt053.xml');

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
  translations: {
    fr: {
      name: 'Unité d’appui à l’application — Convention sur les armes à sous-munitions',
      addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', '1202 Genève', 'Suisse'],
    },
    es: {
      name: 'Dependencia de Apoyo a la Aplicación — Convención sobre Municiones en Racimo',
      addressLines: ['Maison de la paix, Chemin Eugène-Rigot 2C', '1202 Ginebra', 'Suiza'],
    },
  },
  invoicePrefix: 'ISU',
  creditNotePrefix: 'CN',
  bank: {
    accountHolder: 'ISU Convention on Cluster Munitions (illustrative account)',
    bankName: 'Example Bank Ltd (illustrative)',
    // A Swiss postal address reads the same in every language: the town's own name, the country as a prefix.
    bankAddressLines: ['CH-1204 Genève'],
    iban: 'CH56 0483 5012 3456 7800 9',
    bic: 'EXAMCHGGXXX',
  },
  qrCreditor: { name: 'ISU Convention on Cluster Munitions', address: 'Chemin Eugène-Rigot', buildingNumber: '2C', zip: '1202', city: 'Genève', country: 'CH' },
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

/**
 * The demo budgets' lines (SPEC 9.5), illustrative: each line a share of the
 * budget in percent, staff taking what rounding leaves, so that they sum
 * exactly to the amount.
 */
export const DEMO_LINE_SHARES = [
  { code: 'staff', label: 'Staff (illustrative)', percent: 56n },
  { code: 'travel', label: 'Travel (illustrative)', percent: 8n },
  { code: 'meetings', label: 'Meetings (illustrative)', percent: 8n },
  { code: 'communication', label: 'Communication (illustrative)', percent: 7n },
  { code: 'office-it', label: 'Office and IT (illustrative)', percent: 7n },
  { code: 'hosting', label: 'Hosting services (illustrative)', percent: 8n },
  { code: 'audit', label: 'Audit (illustrative)', percent: 6n },
] as const;

export function demoBudgetLines(amount: string): { code: string; label: string; amount: string }[] {
  const total = parseMoney(amount);
  const parts = DEMO_LINE_SHARES.map((l) => (total * l.percent) / 100n);
  parts[0] = total - parts.slice(1).reduce((a, b) => a + b, 0n);
  return DEMO_LINE_SHARES.map((l, i) => ({ code: l.code, label: l.label, amount: formatMoney(parts[i]!) }));
}

/** The line each month's demo expenditure is coded to (January first): staff most months, the meetings in September, the audit in December. */
export const DEMO_LINE_OF_MONTH = ['staff', 'staff', 'travel', 'staff', 'staff', 'communication', 'staff', 'office-it', 'meetings', 'staff', 'hosting', 'audit'] as const;

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

/** How a State pays its assessment of a year in the demo. */
type Behaviour =
  | { kind: 'full'; on: string }
  | { kind: 'part'; on: string }
  | { kind: 'excess'; on: string; extraCentimes: bigint }
  | { kind: 'none' };

/** States that pay more than assessed in the demo, and by how much (illustrative). */
const EXCESS: Record<string, { years: number[]; extraCentimes: bigint }> = {
  NOR: { years: [2016, 2017, 2018], extraCentimes: 2_500_000n },
  CHE: { years: [2016, 2018], extraCentimes: 1_500_000n },
  NLD: { years: [2017], extraCentimes: 2_000_000n },
  AUS: { years: [2016], extraCentimes: 1_000_000n },
  IRL: { years: [2017, 2018], extraCentimes: 500_000n },
};

/** Dates the story needs: France paid its 2016 invoice on 11 March 2016, Mexico its 2017 one on 21 February 2017. */
const FIXED_DATES: Record<string, string> = { 'FRA-2016': '2016-03-11', 'MEX-2017': '2017-02-21' };

/**
 * Who pays what and when (illustrative, deterministic). The States with the
 * largest rates pay in full, most by the cut-off date; a handful pay more
 * than assessed; among the others about one in three pays, a few only in
 * part: in 2016 about 39 States pay. Payments arrive from November before
 * the budget year to December of it.
 */
function behaviour(iso3: string, rate: Decimal, year: number, invoiceIssued: string): Behaviour {
  const draw = demoDraw(iso3, year);
  // By the cut-off: from 1 November before the year (in 2016, the first year the ISU invoiced this way, from late January) to 30 March.
  const early = year === 2016 ? addDays('2016-01-26', (draw * 37) % 64) : addDays(`${year - 1}-11-01`, (draw * 37) % 150);
  const late = addDays(`${year}-04-15`, (draw * 53) % 240); // mid-April – mid-December: after it
  const fixed = FIXED_DATES[`${iso3}-${year}`];
  const on = fixed ?? (draw % 4 === 0 ? late : early);
  const when = on < invoiceIssued ? addDays(invoiceIssued, 30) : on;
  const ex = EXCESS[iso3];
  if (ex?.years.includes(year)) return { kind: 'excess', on: when, extraCentimes: ex.extraCentimes };
  if (fixed || rate.gte('0.3') || iso3 === 'IRL' || iso3 === 'MEX') return { kind: 'full', on: when };
  const share = year === 2016 ? 18 : year === 2017 ? 28 : 33;
  if (draw < share) return { kind: 'full', on: when };
  if (draw < share + 4) return { kind: 'part', on: when };
  return { kind: 'none' };
}

/** One step of the demo's story, run in date order. */
interface DemoEvent {
  date: string;
  /** Order among events of the same date: batches, then money in, then money out. */
  rank: number;
  run: () => void | Promise<void>;
}

/**
 * The demo's 2016–2018, loaded in date order so that every document reads
 * as it would have on its date: each year's invoices when the budget was
 * approved (credit held then is applied at once), the payments as they
 * arrive, the ISU's monthly expenditure (illustrative: 80 % of the plan),
 * one drawdown from the reserve at the one month-end when operating cash ran
 * short, restored in full once cash allowed; the reserve's opening position
 * (the CHF 350,000.00 transfer and the CHF 15,714.00 dedicated
 * contributions), a donor's voluntary contribution, a State's direct
 * contribution to the reserve and an excess reclassified to the reserve.
 */
async function seedDemoStory(ctx: Ctx, actor: Actor): Promise<{ invoices2018: number }> {
  const events: DemoEvent[] = [];
  const at = (date: string, rank: number, run: DemoEvent['run']) => events.push({ date, rank, run });
  let invoices2018 = 0;
  const rates = new Map(
    (ctx.sqlite.prepare("SELECT iso3, rate FROM scale_rates WHERE scale_code = 'UN-2016-2018'").all() as { iso3: string; rate: string }[]).map((r) => [r.iso3, new Dec(r.rate)]),
  );

  for (const b of [...DEMO_EARLIER_BUDGETS, { budget: DEMO_BUDGET_2018, issueDate: DEMO_ISSUE_DATE_2018 }]) {
    const year = b.budget.year;
    at(b.issueDate, 0, async () => {
      const batch = await issueInvoiceBatch(ctx, actor, year, { issueDate: b.issueDate });
      if (year === 2018) invoices2018 = batch.issued.length;
    });
    for (const st of listStates(ctx, year).filter((s) => s.assessed)) {
      const how = behaviour(st.iso3, rates.get(st.iso3) ?? new Dec(0), year, b.issueDate);
      if (how.kind === 'none') continue;
      at(how.on, 1, () => {
        const inv = listInvoices(ctx, { year, state: st.iso3 }, null)[0];
        if (!inv) return;
        const net = parseMoney(inv.netPayable);
        const amount = how.kind === 'part' ? (net / 200n) * 100n : how.kind === 'excess' ? net + how.extraCentimes : net;
        if (amount <= 0n) return;
        recordPayment(ctx, actor, `demo-${inv.number}`, {
          iso3: st.iso3,
          amount: formatMoney(amount),
          receivedOn: how.on,
          // About half quote the invoice's creditor reference.
          ...(demoDraw(st.iso3, year) % 2 === 0 ? { reference: inv.creditorReference } : {}),
          bankReference: `DEMO-${year}-${st.iso3}`,
        });
      });
    }
  }
  // A State that had paid nothing settles 2016 and 2017 in one payment in 2018 (a payment that pays several years).
  at('2018-05-14', 1, () => {
    const open = openLines(ctx.db, 'BGR', { asOf: '2018-05-14' }).filter((l) => l.budgetYear < 2018);
    const amount = open.reduce((s, l) => s + (l.openCentimes > 0n ? l.openCentimes : 0n), 0n);
    if (amount > 0n) recordPayment(ctx, actor, 'demo-BGR-arrears', { iso3: 'BGR', amount: formatMoney(amount), receivedOn: '2018-05-14', bankReference: 'DEMO-2018-BGR-ARREARS' });
  });
  at('2017-06-01', 1, () => {
    recordPayment(ctx, actor, 'demo-donor-2017', {
      donor: 'Example Foundation (illustrative donor)',
      amount: '30000.00',
      receivedOn: '2017-06-01',
      purpose: 'voluntary',
      bankReference: 'DEMO-DONOR-2017',
    });
  });
  at('2016-06-30', 1, () => {
    recordPayment(ctx, actor, 'demo-reserve-dedicated', {
      donor: 'Dedicated contributions to the reserve since the First Review Conference',
      amount: '15714.00',
      receivedOn: '2016-06-30',
      purpose: 'reserve',
      bankReference: 'DEMO-RESERVE-1RC',
    });
  });
  // Switzerland contributes to the reserve directly; Norway's excess of 2017 goes to the reserve.
  at('2017-10-10', 1, () => {
    recordPayment(ctx, actor, 'demo-reserve-CHE-2017', { iso3: 'CHE', amount: '10000.00', receivedOn: '2017-10-10', purpose: 'reserve', bankReference: 'DEMO-2017-CHE-RESERVE' });
  });
  at('2017-12-15', 2, () => {
    const available = creditAvailableFrom(ctx, 'NOR', '2017-12-15');
    if (available > 0n) reclassifyCredit(ctx, actor, 'NOR', { amount: formatMoney((available / 200n) * 100n), to: 'reserve', date: '2017-12-15' });
  });

  at('2016-01-04', 1, () => {
    setReserveTarget(ctx, actor, { amount: '400000.00', decisionRef: 'CCM/MSP/2017/12 (7th MSP, Annex I)' });
    addReserveContribution(ctx, actor, {
      date: '2016-01-04',
      amount: '350000.00',
      kind: 'transfer',
      description: 'Unspent 2013–2015 contributions directed to the reserve by the 7th MSP',
    });
  });
  let drawdown: { id: number; amountCentimes: bigint } | null = null;
  let restored = false;
  for (const year of [2016, 2017, 2018])
    for (let month = 1; month <= 12; month++) {
      const mm = String(month).padStart(2, '0');
      const date = `${year}-${mm}-25`;
      at(date, 3, () => {
        const plan = spendingPlanCentimes(ctx, year)![month - 1]!;
        const line = DEMO_LINE_OF_MONTH[month - 1]!;
        recordExpenditure(ctx, actor, { date, amount: formatMoney((plan * 8n) / 10n), description: `ISU ${line} costs, ${year}-${mm} (illustrative)`, line });
        const cash = operatingCash(ctx, date);
        if (!drawdown && cash < 0n) {
          const d = drawDown(ctx, actor, { date, amount: formatMoney(-cash), reason: `Cash-flow shortfall at the end of ${year}-${mm}: salaries due before contributions arrive` });
          drawdown = { id: d.id, amountCentimes: -cash };
        } else if (drawdown && !restored && cash > drawdown.amountCentimes + plan) {
          restore(ctx, actor, { date: `${year}-${mm}-28`, amount: formatMoney(drawdown.amountCentimes), drawdown: drawdown.id });
          restored = true;
        }
      });
    }

  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank));
  for (const e of events) await e.run();
  return { invoices2018 };
}

/** The years the demo closes at the end of seeding (nothing it records afterwards is dated in them). */
export const DEMO_CLOSED_YEARS = [2015, 2016, 2017] as const;

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

/** The billing lines of a Mission the demo has no formal name nor structured address for (none, as the seed covers every State). */
const MISSION: Record<'en' | 'fr' | 'es', (name: string) => string[]> = {
  en: (name) => [`Permanent Mission of ${name}`, 'to the United Nations Office at Geneva', 'Geneva, Switzerland'],
  fr: (name) => [`Mission permanente — ${name}`, 'auprès de l’Office des Nations Unies à Genève', 'Genève, Suisse'],
  es: (name) => [`Misión Permanente — ${name}`, 'ante la Oficina de las Naciones Unidas en Ginebra', 'Ginebra, Suiza'],
};

export function isDemoLoaded(ctx: Ctx): boolean {
  return ctx.db.select().from(settings).all().some((s) => s.key === 'demo');
}

/** The demo's register (the States Parties of 2017, with their Missions' formal names, number locales and illustrative postal addresses) and the UN scale 2016–2018; returns the number of States. */
export function loadDemoRegister(ctx: Ctx, actor: Actor): number {
  const parsed = parseStatesCsv(fs.readFileSync(path.join(SEED_DIR, 'states-parties-2017.csv'), 'utf8'));
  if (parsed.errors.length) throw new Error(`seed file: ${JSON.stringify(parsed.errors)}`);
  // SPEC 9.10: formal names, number locales and (illustrative) postal addresses of the Missions.
  const addressing = parseStatesAddressingCsv(fs.readFileSync(path.join(SEED_DIR, 'states-formal-2017.csv'), 'utf8'));
  if (addressing.errors.length) throw new Error(`seed file: ${JSON.stringify(addressing.errors)}`);
  const withAddressing = (parsed.states as Record<string, unknown>[]).map((s) => ({ ...s, ...addressing.rows.get(String(s['iso3'])) }));
  const statesInput = stateImport.parse({ states: withAddressing }).states.map((s: StateCreate) => {
    const local = s.language === 'fr' ? (s.names?.fr ?? s.name) : s.language === 'es' ? (s.names?.es ?? s.name) : s.name;
    const emails = [`mission.${s.iso3.toLowerCase()}@example.org`];
    // The old free lines only for a State the addressing seed does not cover.
    const addressLines = s.formalNames || s.missionAddress ? [] : MISSION[s.language](local);
    return { ...s, billing: { addressLines, emails } };
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
  return statesInput.length;
}

/**
 * The demo's 2018 invoices e-mailed to the missions (SPEC 9.7): always as
 * .eml files in the outbox, never through SMTP — the addresses are
 * illustrative. Returns the number of messages written.
 */
export async function deliverDemoInvoices(ctx: Ctx, actor: Actor): Promise<number> {
  const run = await sendDocuments({ ...ctx, smtpUrl: null }, actor, { kind: 'invoices', year: 2018 });
  return run.written;
}

export async function seedDemo(
  ctx: Ctx,
  actor: Actor,
  opts: { bankStatement?: boolean } = {},
): Promise<{ states: number; assessed2018: number; invoices2018: number; invoices: number; payments: number; delivered: number }> {
  if (isDemoLoaded(ctx)) throw new ConflictError('the demo is already loaded in this database');
  if (listStates(ctx).length > 0) throw new ConflictError('this database already holds a register; the demo loads only into a new database');

  const statesCount = loadDemoRegister(ctx, actor);

  for (const b of DEMO_EARLIER_BUDGETS) createBudget(ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, ...b.budget, lines: demoBudgetLines(b.budget.amount) }));
  createBudget(ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, lines: demoBudgetLines(DEMO_BUDGET_2018.amount) }));

  for (const login of DEMO_LOGINS) addUser(ctx, actor, login);

  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  const { invoices2018 } = await seedDemoStory(ctx, actor);
  // The demo's bank account, January 2019: after the story, so that nothing it records is dated before the events it follows.
  if (opts.bankStatement !== false) importBankFile(ctx, actor, fs.readFileSync(DEMO_BANK_STATEMENT));
  const delivered = await deliverDemoInvoices(ctx, actor);
  // Year-end (SPEC 9.4): the years before 2018 are closed, in order — 2015 holds the 2016 invoices, issued in advance.
  for (const year of DEMO_CLOSED_YEARS) closeYear(ctx, actor, year, { reason: `Accounts of ${year} closed (illustrative)` });

  ctx.db
    .insert(settings)
    .values({ key: 'demo', value: { loadedAt: new Date().toISOString(), note: 'illustrative demo data' }, updatedAt: new Date().toISOString() })
    .run();
  const count = (table: string) => (ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    states: statesCount,
    assessed2018: listStates(ctx, 2018).filter((s) => s.assessed).length,
    invoices2018,
    invoices: count('invoices'),
    payments: count('payments'),
    delivered,
  };
}
