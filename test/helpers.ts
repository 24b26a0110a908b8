/** Test fixtures: a migrated database in a temporary folder, the app, users and their tokens. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../src/db/client.js';
import { buildApp } from '../src/http/app.js';
import { cliActor, type Role } from '../src/services/actor.js';
import type { Ctx } from '../src/services/context.js';
import { addUser } from '../src/services/users.js';
import { createBudget } from '../src/services/budgets.js';
import { DEMO_ISSUER } from '../src/services/demo.js';
import { issueInvoiceBatch } from '../src/services/invoices.js';
import { createScale } from '../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { importStates } from '../src/services/states.js';
import { budgetCreate } from '../src/schemas/budgets.js';

export interface TestEnv {
  dir: string;
  dbPath: string;
  ctx: Ctx;
  app: FastifyInstance;
  tokens: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_USERS: { username: string; role: Role; state?: string }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'finance', role: 'finance' },
  { username: 'presidency', role: 'presidency' },
  { username: 'auditor', role: 'auditor' },
  { username: 'fra', role: 'state', state: 'FRA' },
  { username: 'mex', role: 'state', state: 'MEX' },
];

export function tempDir(prefix = 'isu-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh database; `setup` runs before the users are added (e.g. to create the States they belong to). */
export async function makeEnv(setup?: (ctx: Ctx) => void, { users = true } = {}): Promise<TestEnv> {
  const dir = tempDir();
  const dbPath = path.join(dir, 'isu.sqlite');
  const { db, sqlite, close } = openDatabase(dbPath, { migrate: true });
  const ctx: Ctx = { db, sqlite, invoiceDir: path.join(dir, 'invoices') };
  setup?.(ctx);
  const tokens: Record<string, string> = {};
  if (users)
    for (const u of TEST_USERS) {
      if (u.state && !sqlite.prepare('SELECT 1 FROM states WHERE iso3 = ?').get(u.state)) continue;
      tokens[u.username] = addUser(ctx, cliActor('test'), { username: u.username, role: u.role, state: u.state ?? null }).token;
    }
  const app = await buildApp(ctx);
  await app.ready();
  return {
    dir,
    dbPath,
    ctx,
    app,
    tokens,
    async close() {
      await app.close();
      close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table: compare before and after a refused request to show nothing was written. */
export function rowCounts(ctx: Ctx): Record<string, number> {
  const tables = ctx.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (ctx.sqlite.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

export function auth(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export const STATE_FRA = {
  iso3: 'FRA',
  name: 'France',
  names: { fr: 'France', es: 'Francia' },
  unMember: true,
  language: 'fr' as const,
  instrument: 'ratification' as const,
  depositDate: '2009-09-25',
};
export const STATE_MEX = {
  iso3: 'MEX',
  name: 'Mexico',
  names: { fr: 'Mexique', es: 'México' },
  unMember: true,
  language: 'es' as const,
  instrument: 'ratification' as const,
  depositDate: '2009-05-06',
};
export const STATE_BEN = {
  iso3: 'BEN',
  name: 'Benin',
  names: { fr: 'Bénin', es: 'Benin' },
  unMember: true,
  language: 'fr' as const,
  instrument: 'ratification' as const,
  depositDate: '2017-07-27',
};

export const SCALE_SMALL = {
  code: 'TEST-1',
  title: 'Test scale',
  source: 'test',
  rates: [
    { iso3: 'FRA', rate: '4.859' },
    { iso3: 'MEX', rate: '1.435' },
    { iso3: 'BEN', rate: '0.003' },
  ],
};

export const BUDGET_2018 = {
  year: 2018,
  amount: '590000.00',
  decisionRef: 'CCM/MSP/2017/2',
  approvedOn: '2017-09-06',
  cutoffDate: '2018-03-31',
  scaleCode: 'TEST-1',
  scheme: {
    categories: [
      { code: '7(a)', label: 'Equal', share: '0.3', method: 'equal' },
      { code: '7(b)', label: 'Scale', share: '0.7', method: 'scale' },
    ],
  },
};

/**
 * Starts `isu <command>` (start or serve) as a real server process (node with
 * the tsx loader, so signals reach it) and resolves with its base URL once it
 * prints its banner.
 */
export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  command: 'start' | 'serve' = 'start',
): Promise<{ base: string; child: import('node:child_process').ChildProcess; output: () => string }> {
  const { spawn } = await import('node:child_process');
  const { PROJECT_ROOT } = await import('../src/config.js');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), command], {
    env: { PORT: '0', HOST: '127.0.0.1', ...env },
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /health\s+(http:\/\/[^/\s]+)\/api\/v1\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { base, child, output: () => out };
}

/**
 * The common HTTP fixture: France and Mexico on the small scale, the 2018 budget, the demo issuer,
 * and the 2018 invoices issued on 2017-09-15 (so their income is recognised in 2017).
 */
export async function makeIssued2018Env(): Promise<TestEnv> {
  const actor = cliActor('test');
  const env = await makeEnv((ctx) => {
    importStates(ctx, actor, [STATE_FRA, STATE_MEX]);
    createScale(ctx, actor, SCALE_SMALL);
    createBudget(ctx, actor, budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, actor, 2018, { issueDate: '2017-09-15' });
  return env;
}
