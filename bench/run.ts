/**
 * `npm run bench`: runs each benchmark in its own child process (so its peak
 * RSS is its own), prints a table and writes bench/results.json.
 * BENCH_QUICK=1 shortens the runs (autocannon 3 s instead of 10 s, fewer repetitions).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { QUICK, median, round, type ChildReport, type Figure } from './lib.js';
import { meets, metCell, resultEntry, type ResultRow } from './targets.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** A printed row: what results.json holds, and the note under the table. */
interface Row extends ResultRow {
  note?: string;
}

function spawnBench(file: string): ChildProcess {
  return fork(path.join(BENCH_DIR, file), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function runChild(file: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawnBench(file);
    let result: ChildReport | null = null;
    child.on('message', (m) => (result = m as ChildReport));
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${file} exited with ${code}`))));
  });
}

async function cannon(url: string, headers: Record<string, string>, duration: number, requests?: autocannon.Request[]) {
  const r = await autocannon({ url, connections: 10, duration, headers, ...(requests ? { requests } : {}) });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50 };
}

async function apiBench(): Promise<ChildReport> {
  const child = spawnBench('api-server.ts');
  try {
    return await apiRounds(child);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

async function apiRounds(child: ChildProcess): Promise<ChildReport> {
  const ready = await new Promise<{ address: string; token: string; setupMs: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { address: string; token: string; setupMs: number }));
    child.once('exit', (code) => reject(new Error(`api-server exited with ${code}`)));
  });
  const duration = QUICK ? 3 : 10;
  const rounds = 3;
  const balanceUrl = `${ready.address}/api/v1/states/FRA/balance`;
  const bareUrl = `${ready.address}/bench/constant`;
  const auth = { authorization: `Bearer ${ready.token}` };
  // The balance computed from the ledger on every request: a date never asked before each time, so the commit cache always misses.
  let day = 0;
  // Days of 1900–1999 in turn: never the future (refused with 400), and each date comes back only after more dates than the cache holds (10,000).
  const newDate = () => new Date(Date.UTC(1900, 0, 1 + (day++ % 36_524))).toISOString().slice(0, 10);
  const uncached: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, path: `/api/v1/states/FRA/balance?asOf=${newDate()}` }) }];
  // Warm-up the routes, then alternate them back to back.
  await cannon(balanceUrl, auth, 1);
  await cannon(balanceUrl, auth, 1, uncached);
  await cannon(bareUrl, {}, 1);
  const balance: { rps: number; p99: number; p50: number }[] = [];
  const cold: { rps: number; p99: number; p50: number }[] = [];
  const bare: { rps: number; p99: number; p50: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    balance.push(await cannon(balanceUrl, auth, duration));
    cold.push(await cannon(balanceUrl, auth, duration, uncached));
    bare.push(await cannon(bareUrl, {}, duration));
  }
  const report = await new Promise<ChildReport>((resolve) => {
    child.on('message', (m) => resolve(m as ChildReport));
    child.send({ type: 'stop' });
  });
  const bRps = median(balance.map((x) => x.rps));
  const uRps = median(cold.map((x) => x.rps));
  const cRps = median(bare.map((x) => x.rps));
  const figures: Figure[] = [
    { name: 'api.balance-rps', value: round(bRps, 0), unit: 'req/s', target: null, baseline: round(cRps, 0), ratio: round(bRps / cRps, 3), note: `GET /api/v1/states/FRA/balance, finance token, 10 connections, ${duration} s × ${rounds}` },
    { name: 'api.balance-vs-bare', value: round((100 * bRps) / cRps, 1), unit: '% of bare rps', target: '>= 50', baseline: round(cRps, 0) },
    { name: 'api.balance-p99', value: median(balance.map((x) => x.p99)), unit: 'ms', target: null, note: `p50 ${median(balance.map((x) => x.p50))} ms` },
    { name: 'api.balance-uncached-rps', value: round(uRps, 0), unit: 'req/s', target: null, baseline: round(cRps, 0), ratio: round(uRps / cRps, 3), note: 'the same route with a new asOf on every request: the balance is computed from the ledger each time (commit cache always misses)' },
    { name: 'api.balance-uncached-p99', value: median(cold.map((x) => x.p99)), unit: 'ms', target: null, note: `p50 ${median(cold.map((x) => x.p50))} ms` },
    { name: 'api.bare-rps', value: round(cRps, 0), unit: 'req/s', target: null, note: 'bare Fastify route returning a constant, same server (with the app-wide hooks: helmet, auth, request id)' },
    { name: 'api.bare-p99', value: median(bare.map((x) => x.p99)), unit: 'ms', target: null, note: `p50 ${median(bare.map((x) => x.p50))} ms` },
    { name: 'api.setup-demo', value: round(ready.setupMs, 0), unit: 'ms', target: null, note: 'seedDemo into a fresh DB (not part of the measurement)' },
  ];
  return { ...report, figures };
}

// `npm run bench -- api reports` runs only those; with --update their rows replace theirs in results.json (the others are kept).
const update = process.argv.includes('--update');
const only = process.argv.slice(2).filter((a) => a !== '--update');
const benches: [string, () => Promise<ChildReport>][] = [
  ['assessment', () => runChild('assessment.ts')],
  ['invoices', () => runChild('invoices.ts')],
  ['api', apiBench],
  ['reports', () => runChild('reports.ts')],
  ['statements', () => runChild('statements.ts')],
  ['bank', () => runChild('bank-import.ts')],
  ['reminders', () => runChild('reminders.ts')],
  ['email', () => runChild('email.ts')],
  ['dashboard', () => runChild('dashboard.ts')],
  ['start', () => runChild('start.ts')],
];

const rows: Row[] = [];
for (const [name, run] of benches) {
  if (only.length && !only.includes(name)) continue;
  console.error(`… ${name}`);
  const t = performance.now();
  let rep: ChildReport;
  try {
    rep = await run();
  } catch (e) {
    // One bench failing is reported as such; the others still run.
    console.error(`${name} failed: ${(e as Error).message}`);
    process.exitCode = 1;
    continue;
  }
  for (const f of rep.figures) rows.push({ ...f, met: meets(f.value, f.target) });
  rows.push({ name: `${name}.peak-rss`, value: rep.maxRssMiB, unit: 'MiB', target: null, met: null, note: `child process maxRSS; bench took ${((performance.now() - t) / 1000).toFixed(1)} s` });
}

const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}${QUICK ? ' (BENCH_QUICK=1)' : ''}`;
const results = {
  machine,
  date: new Date().toISOString(),
  benchmarks: rows.map(resultEntry),
};

const cols = ['name', 'value', 'unit', 'target', 'met', 'baseline', 'ratio'] as const;
const table = rows.map((r) => [r.name, String(r.value), r.unit, r.target ?? '—', metCell(r.met), r.baseline?.toString() ?? '', r.ratio?.toString() ?? '']);
const widths = cols.map((c, i) => Math.max(c.length, ...table.map((t) => t[i]!.length)));
const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(cols));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));
console.log('\nNotes:');
for (const r of rows) if (r.note) console.log(`  ${r.name}: ${r.note}`);
console.log(`\n${machine}`);
const resultsFile = path.join(BENCH_DIR, 'results.json');
if (only.length === 0) {
  fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${resultsFile}`);
} else if (update && rows.length) {
  // The rows of the benches run take the place of theirs, in the same order; the file notes when each part was measured.
  const old = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as typeof results & { updated?: Record<string, string> };
  const ran = new Set(only);
  const benchOf = (name: string) => name.split('.')[0]!;
  const merged: ReturnType<typeof resultEntry>[] = [];
  for (const b of old.benchmarks) {
    if (!ran.has(benchOf(b.name))) merged.push(b);
    else if (!merged.some((m) => benchOf(m.name) === benchOf(b.name))) merged.push(...results.benchmarks.filter((r) => benchOf(r.name) === benchOf(b.name)));
  }
  for (const r of results.benchmarks) if (!merged.some((m) => m.name === r.name)) merged.push(r);
  const updated = { ...(old.updated ?? {}), ...Object.fromEntries(only.map((n) => [n, results.date])) };
  fs.writeFileSync(resultsFile, `${JSON.stringify({ ...old, updated, benchmarks: merged }, null, 2)}\n`);
  console.log(`updated ${only.join(', ')} in ${resultsFile}`);
}
