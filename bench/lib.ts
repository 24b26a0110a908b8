/** Shared helpers for the benchmarks: timing, medians, result reporting, fixture databases. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { budgetCreate } from '../src/schemas/budgets.js';
import { scaleCreate } from '../src/schemas/scales.js';
import { stateImport, type StateCreate } from '../src/schemas/states.js';
import { cliActor } from '../src/services/actor.js';
import { createBudget } from '../src/services/budgets.js';
import type { Ctx } from '../src/services/context.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, SEED_DIR } from '../src/services/demo.js';
import { createScale, parseScaleCsv } from '../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { importStates, parseStatesCsv } from '../src/services/states.js';

export const QUICK = process.env.BENCH_QUICK === '1';
export const actor = cliActor('bench');

/** One measured figure, as it goes into results.json (met is computed by run.ts from value and target). */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** e.g. "< 20" or ">= 5"; null for figures reported without a target. */
  target: string | null;
  baseline?: number;
  ratio?: number;
  note?: string;
}

export interface ChildReport {
  bench: string;
  figures: Figure[];
  maxRssMiB: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function timeSync(fn: () => unknown): number {
  const t = nowMs();
  fn();
  return nowMs() - t;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = nowMs();
  await fn();
  return nowMs() - t;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Sends the figures to run.ts (IPC) with this process's own peak RSS. */
export function report(bench: string, figures: Figure[]): void {
  const maxRssMiB = round(process.resourceUsage().maxRSS / 1024, 1); // maxRSS is in KiB
  const msg: ChildReport = { bench, figures, maxRssMiB };
  if (process.send) process.send(msg);
  else console.log(JSON.stringify(msg, null, 2));
}

export function tempDir(prefix = 'isu-bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface BenchEnv {
  dir: string;
  ctx: Ctx;
  close(): void;
}

/** A fresh migrated database in a temporary folder. `fast` turns fsync off (setup only: the bench DB is thrown away). */
export function freshDb({ fast = false } = {}): BenchEnv {
  const dir = tempDir();
  const { db, sqlite, close } = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
  if (fast) sqlite.pragma('synchronous = OFF');
  return {
    dir,
    ctx: { db, sqlite, invoiceDir: path.join(dir, 'invoices') },
    close() {
      close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo's 103 States Parties (seed CSV) with simple mission addresses. */
export function demoStates(): StateCreate[] {
  const parsed = parseStatesCsv(fs.readFileSync(path.join(SEED_DIR, 'states-parties-2017.csv'), 'utf8'));
  if (parsed.errors.length) throw new Error(`seed file: ${JSON.stringify(parsed.errors)}`);
  return stateImport.parse({ states: parsed.states }).states.map((s: StateCreate) => ({
    ...s,
    billing: { addressLines: [`Permanent Mission of ${s.name}`, 'to the United Nations Office at Geneva', 'Geneva, Switzerland'], emails: [`mission.${s.iso3.toLowerCase()}@example.org`] },
  }));
}

/** The demo's UN scale 2016–2018 as {iso3, rate} strings. */
export function demoRates(): { iso3: string; rate: string }[] {
  const rates = parseScaleCsv(fs.readFileSync(path.join(SEED_DIR, 'un-scale-2016-2018.csv'), 'utf8'));
  if (rates.errors.length) throw new Error(`seed file: ${JSON.stringify(rates.errors)}`);
  return rates.rates as { iso3: string; rate: string }[];
}

/** Synthetic three-letter codes that are not ISO 3166 codes in use (X?? and Q??). */
export function syntheticCodes(n: number, taken: Set<string>): string[] {
  const out: string[] = [];
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of ['X', 'Q'])
    for (const b of A)
      for (const c of A) {
        const code = first + b + c;
        if (!taken.has(code) && out.length < n) out.push(code);
      }
  if (out.length < n) throw new Error(`only ${out.length} synthetic codes`);
  return out;
}

/** A deterministic synthetic scale rate (percent, 3 decimals) as a string. */
export function syntheticRate(i: number): string {
  const milli = 1 + ((i * 7919) % 997); // 0.001 .. 0.997
  return `${Math.floor(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;
}

/** A register at scale: the demo's States and synthetic ones up to `count` (deposited on `depositDate`), with scale rates for all. */
export function registerAtScale(count: number, depositDate: string): { states: StateCreate[]; rates: { iso3: string; rate: string }[] } {
  const demo = demoStates();
  const synth = syntheticCodes(count - demo.length, new Set(demo.map((s) => s.iso3)));
  const states: StateCreate[] = [
    ...demo,
    ...synth.map((iso3) => ({
      iso3,
      name: `Synthetic State ${iso3}`,
      unMember: true,
      language: 'en' as const,
      instrument: 'ratification' as const,
      depositDate,
      billing: { addressLines: [`Permanent Mission ${iso3}`, 'Geneva, Switzerland'], emails: [`mission.${iso3.toLowerCase()}@example.org`] },
    })),
  ];
  return { states, rates: [...demoRates(), ...synth.map((iso3, i) => ({ iso3, rate: syntheticRate(i) }))] };
}

/** States, the demo scale, the 2018 budget and the issuer: what the demo has before it issues invoices. */
export function prepareDemo2018(ctx: Ctx): void {
  importStates(ctx, actor, demoStates());
  createScale(ctx, actor, scaleCreate.parse({ code: 'UN-2016-2018', title: 'UN scale 2016–2018', source: 'A/RES/70/245', rates: demoRates() }));
  createBudget(ctx, actor, budgetCreate.parse(DEMO_BUDGET_2018));
  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
}
