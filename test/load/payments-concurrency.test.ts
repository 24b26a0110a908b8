/**
 * Exactly-once money under load: 50 concurrent clients post 1,000 payments
 * over loopback to a real server process, every request replayed with its
 * Idempotency-Key (half of the replays racing the original). Afterwards
 * exactly 1,000 payments exist, each State received exactly what was sent,
 * and `isu verify` passes.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { formatMoney } from '../../src/domain/money.js';
import { startServerProcess, tempDir } from '../helpers.js';

const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
const PAYMENTS = Number.parseInt(process.env.LOAD_PAYMENTS ?? '', 10) || 1000;
const CLIENTS = 50;

describe('concurrent payments against a real server', () => {
  const children: import('node:child_process').ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

  it(`records ${PAYMENTS} payments exactly once from ${CLIENTS} clients replaying every request`, async () => {
    const dir = tempDir();
    const env = { ...process.env, ISU_DB: path.join(dir, 'load.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const { base, child: server } = await startServerProcess(env);
    children.push(server);
    const headers = { authorization: 'Bearer demo-token-finance', 'content-type': 'application/json' };
    const states = ((await (await fetch(`${base}/api/v1/states`, { headers })).json()) as { iso3: string }[]).map((s) => s.iso3);
    const receivedBefore = new Map<string, bigint>();
    const received = async (iso3: string) => {
      const b = (await (await fetch(`${base}/api/v1/states/${iso3}/balance`, { headers })).json()) as { received: string; unappliedCredit: string };
      return BigInt(b.received.replace('.', ''));
    };
    for (const s of states) receivedBefore.set(s, await received(s));

    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const jobs = Array.from({ length: PAYMENTS }, (_, i) => ({
      key: `load-${i}`,
      iso3: states[random(states.length)]!,
      amountCentimes: BigInt(100 + random(500_000)),
      day: 1 + random(28),
      race: i % 2 === 0,
    }));
    const sent = new Map<string, bigint>();
    for (const j of jobs) sent.set(j.iso3, (sent.get(j.iso3) ?? 0n) + j.amountCentimes);

    const statuses = new Map<number, number>();
    let requests = 0;
    const post = async (j: (typeof jobs)[number]) => {
      const res = await fetch(`${base}/api/v1/payments`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': j.key },
        body: JSON.stringify({ iso3: j.iso3, amount: formatMoney(j.amountCentimes), receivedOn: `2019-05-${String(j.day).padStart(2, '0')}`, bankReference: j.key }),
      });
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      return (await res.json()) as { id: number };
    };
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < jobs.length) {
          const j = jobs[next++]!;
          if (j.race) {
            const [a, b] = await Promise.all([post(j), post(j)]);
            expect(a.id).toBe(b.id);
          } else {
            const a = await post(j);
            const b = await post(j);
            expect(a.id).toBe(b.id);
          }
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(Object.fromEntries(statuses)).toEqual({ 201: PAYMENTS * 2 });

    const { sqlite, close } = openDatabase(env.ISU_DB, { readonly: true });
    const n = (sqlite.prepare("SELECT count(*) AS n FROM payments WHERE idempotency_key LIKE 'load-%'").get() as { n: number }).n;
    close();
    expect(n).toBe(PAYMENTS);
    for (const s of states) expect((await received(s)) - receivedBefore.get(s)!, s).toBe(sent.get(s) ?? 0n);
    const verify = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'verify'], { env, cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(verify.status, verify.stdout).toBe(0);
    console.log(`load: ${requests} requests (${PAYMENTS} payments, each replayed) from ${CLIENTS} clients in ${seconds.toFixed(1)} s; ${n} payments recorded; verify ok`);
  }, 300_000);
});
