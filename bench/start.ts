/**
 * The production start (SPEC: `npm start` runs the compiled program):
 * `npm run build` (timed, its own step), the demo seeded into a temporary
 * database by the built CLI, then launches of `node dist/cli/main.js start`
 * (no TypeScript loader) against `tsx src/cli/main.ts start` (the sources
 * through tsx, as tests and benches run them; node_modules/.bin/tsx, what
 * `npx tsx` runs, without npx's own start), alternated: the time from spawn
 * to the first 200 on GET /api/v1/health (polled every 5 ms), medians. Then
 * the built server's resident memory (VmRSS of /proc/<pid>/status) after
 * 1,000 GET /api/v1/states/FRA/balance (10 at a time, kept-alive).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { DEMO_LOGINS } from '../src/services/demo.js';
import { QUICK, median, nowMs, report, round, tempDir, type Figure } from './lib.js';

const LAUNCHES = QUICK ? 3 : 7;
const REQUESTS = 1000;
const CONCURRENCY = 10;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}, agent: http.Agent | false = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

// 1. The build, from scratch (dist/ removed first, so that tsc's incremental build info does not skip the work).
fs.rmSync(path.join(PROJECT_ROOT, 'dist'), { recursive: true, force: true });
const tb = nowMs();
await run('npm', ['run', '-s', 'build']);
const buildMs = nowMs() - tb;

// 2. A temporary demo database, seeded by the built CLI.
const dir = tempDir();
const env = { ...process.env, ISU_DB: path.join(dir, 'isu.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox'), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
const ts = nowMs();
await run(process.execPath, ['dist/cli/main.js', 'seed-demo'], env);
const seedMs = nowMs() - ts;

interface Launched {
  child: ChildProcess;
  port: number;
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawns a server (in its own process group: tsx runs the program in a child of its own) and waits for its first 200 on /api/v1/health. */
async function launch(cmd: string, args: string[]): Promise<Launched> {
  const port = await freePort();
  const t0 = nowMs();
  const child = spawn(cmd, args, { cwd: PROJECT_ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${cmd} ${args.join(' ')} exited before answering`);
    const status = await get(port, '/api/v1/health').catch(() => 0);
    if (status === 200) break;
    if (nowMs() - t0 > 60_000) throw new Error(`${cmd} ${args.join(' ')}: no 200 on /api/v1/health after 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = nowMs() - t0;
  return {
    child,
    port,
    readyMs,
    async stop() {
      if (!gone) process.kill(-child.pid!, 'SIGTERM'); // the group this spawn made: the server (and tsx's child)
      await exited;
    },
  };
}

const BUILT = [process.execPath, ['dist/cli/main.js', 'start']] as const;
const TSX = [path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli/main.ts', 'start']] as const;

// 3. Launches, alternated (one of each first, not counted: the files into the page cache).
for (const [cmd, args] of [BUILT, TSX]) await (await launch(cmd, [...args])).stop();
const built: number[] = [];
const viaTsx: number[] = [];
for (let i = 0; i < LAUNCHES; i++) {
  const b = await launch(BUILT[0], [...BUILT[1]]);
  built.push(b.readyMs);
  await b.stop();
  const t = await launch(TSX[0], [...TSX[1]]);
  viaTsx.push(t.readyMs);
  await t.stop();
}

// 4. The built server's memory after 1,000 balance requests; and the same with V8's young generation capped
// (--max-semi-space-size=4, in MiB), to show how much of the RSS is heap V8 reserves rather than objects in use.
const vm = (pid: number, key: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const auth = { authorization: `Bearer ${DEMO_LOGINS.find((l) => l.role === 'finance')!.token}` };
async function memoryAfterRequests(args: string[]): Promise<{ start: number; after: number; peak: number }> {
  const server = await launch(process.execPath, args);
  const pid = server.child.pid!;
  const start = vm(pid, 'VmRSS');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let bad = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        if ((await get(server.port, '/api/v1/states/FRA/balance', auth, agent)) !== 200) bad++;
      }
    }),
  );
  agent.destroy();
  if (bad) throw new Error(`${bad} of ${REQUESTS} balance requests did not answer 200`);
  const out = { start, after: vm(pid, 'VmRSS'), peak: vm(pid, 'VmHWM') };
  await server.stop();
  return out;
}
const mem = await memoryAfterRequests([...BUILT[1]]);
const memSmallYoung = await memoryAfterRequests(['--max-semi-space-size=4', ...BUILT[1]]);
fs.rmSync(dir, { recursive: true, force: true });

const b = median(built);
const t = median(viaTsx);
const figures: Figure[] = [
  {
    name: 'start.built',
    value: round(b, 0),
    unit: 'ms',
    target: '< 1000',
    baseline: round(t, 0),
    ratio: round(t / b, 2),
    note: `node dist/cli/main.js start on the seeded demo DB: spawn to the first 200 on /api/v1/health (polled every 5 ms), median of ${LAUNCHES} (${built.map((x) => x.toFixed(0)).join(', ')} ms); baseline: tsx src/cli/main.ts start, alternated (${viaTsx.map((x) => x.toFixed(0)).join(', ')} ms)`,
  },
  { name: 'start.tsx', value: round(t, 0), unit: 'ms', target: null, note: 'the sources through tsx (node_modules/.bin/tsx: what npx tsx runs, without npx)' },
  {
    name: 'start.rss-after-1000',
    value: round(mem.after, 1),
    unit: 'MiB',
    target: '< 120',
    note: `VmRSS of the built server after ${REQUESTS} GET /api/v1/states/FRA/balance (finance token, ${CONCURRENCY} at a time, kept-alive); ${mem.start.toFixed(1)} MiB once it answered, peak (VmHWM) ${mem.peak.toFixed(1)} MiB`,
  },
  {
    name: 'start.rss-after-1000-semi-space-4',
    value: round(memSmallYoung.after, 1),
    unit: 'MiB',
    target: null,
    note: `the same with node --max-semi-space-size=4 (V8's young generation capped at 4 MiB a semi-space instead of 16): ${memSmallYoung.start.toFixed(1)} MiB once it answered, peak ${memSmallYoung.peak.toFixed(1)} MiB — the difference is heap V8 reserves, not objects in use`,
  },
  { name: 'start.build', value: round(buildMs, 0), unit: 'ms', target: null, note: 'npm run build (tsc -p tsconfig.build.json) from an empty dist/' },
  { name: 'start.seed-demo', value: round(seedMs, 0), unit: 'ms', target: null, note: 'node dist/cli/main.js seed-demo into the temporary DB (not part of the measurement)' },
];
report('start', figures);
