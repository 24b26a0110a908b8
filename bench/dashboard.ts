/**
 * The dashboard page (SPEC 5): GET /dashboard on a listening server with the
 * demo data, logged in as the Presidency through the login form (its session
 * cookie), over real HTTP on loopback. Time to first byte with http.request
 * (from sending the request to its response's status line and headers, on a
 * kept-alive connection), many repeats; and the page's weight.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { buildApp } from '../src/http/app.js';
import { DEMO_LOGINS, seedDemo } from '../src/services/demo.js';
import { QUICK, actor, freshDb, median, nowMs, report, round, type Figure } from './lib.js';

const REPEATS = QUICK ? 60 : 400;
const WARMUP = 20;

const env = freshDb({ fast: true });
const t0 = nowMs();
await seedDemo(env.ctx, actor);
const setupMs = nowMs() - t0;
env.ctx.sqlite.pragma('synchronous = FULL'); // as served
const app = await buildApp(env.ctx);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = new URL(address);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ttfbMs: number;
  totalMs: number;
}

function request(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const ttfbMs = nowMs() - start;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ttfbMs, totalMs: nowMs() - start }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookieOf = (a: Answer, name: string) => {
  const set = ([] as string[]).concat(a.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  if (!set) throw new Error(`no ${name} cookie`);
  return set.split(';')[0]!;
};

// Logging in as the Presidency, as a browser does: the form (its CSRF token and cookie), then POST /login.
const login = DEMO_LOGINS.find((l) => l.role === 'presidency')!;
const form = await request('GET', '/login');
const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body.toString())?.[1];
if (form.status !== 200 || !csrf) throw new Error(`GET /login ${form.status}`);
const posted = await request(
  'POST',
  '/login',
  { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(form, 'isu_login_csrf'), origin: `http://127.0.0.1:${port}` },
  new URLSearchParams({ username: login.username, password: login.password, _csrf: csrf }).toString(),
);
if (posted.status !== 303) throw new Error(`POST /login ${posted.status}: ${posted.body.toString().slice(0, 300)}`);
const session = cookieOf(posted, 'isu_session');

const headers = { cookie: session, accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
let last: Answer | null = null;
for (let i = 0; i < WARMUP; i++) last = await request('GET', '/dashboard', headers);
if (last!.status !== 200 || !/<html/i.test(last!.body.toString())) throw new Error(`GET /dashboard ${last!.status}`);
const ttfb: number[] = [];
const total: number[] = [];
for (let i = 0; i < REPEATS; i++) {
  const a = await request('GET', '/dashboard', headers);
  if (a.status !== 200) throw new Error(`GET /dashboard ${a.status}`);
  ttfb.push(a.ttfbMs);
  total.push(a.totalMs);
  last = a;
}
const page = last!;
const encoding = page.headers['content-encoding'] ?? null;
const wire = page.body.length;
const html = encoding === 'gzip' ? zlib.gunzipSync(page.body) : encoding === 'br' ? zlib.brotliDecompressSync(page.body) : encoding === 'deflate' ? zlib.inflateSync(page.body) : page.body;
const gzipLocal = zlib.gzipSync(html).length;
agent.destroy();
await app.close();
env.close();

const sorted = [...ttfb].sort((a, b) => a - b);
const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))]!;
const figures: Figure[] = [
  {
    name: 'dashboard.ttfb',
    value: round(median(ttfb), 2),
    unit: 'ms',
    target: '< 50',
    note: `GET /dashboard as the Presidency (session cookie from POST /login), demo data, http.request on 127.0.0.1 with keep-alive, client and server in one process; median of ${REPEATS} after ${WARMUP} warm-up; p95 ${p95.toFixed(2)} ms, whole page ${median(total).toFixed(2)} ms`,
  },
  {
    name: 'dashboard.bytes',
    value: html.length,
    unit: 'B',
    target: null,
    note: encoding ? `HTML; sent ${encoding}-compressed as ${wire} B` : `HTML as sent: the server does not compress (no Content-Encoding for Accept-Encoding: gzip, deflate, br); gzip would make it ${gzipLocal} B`,
  },
  ...(encoding ? [{ name: `dashboard.bytes-${encoding}`, value: wire, unit: 'B', target: null }] : []),
  { name: 'dashboard.setup', value: round(setupMs, 0), unit: 'ms', target: null, note: 'seedDemo into a fresh DB (not part of the measurement)' },
];
report('dashboard', figures);
