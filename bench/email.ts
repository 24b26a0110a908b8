/**
 * E-mail delivery (SPEC 9.7) of the demo's 103 invoices of 2018 to a real
 * SMTP server on loopback (bench/smtp-sink.ts: smtp-server in a child
 * process, accepting everything), through the app's delivery service
 * (sendDocuments — what POST /api/v1/deliveries and `isu deliver` call) and its
 * SMTP transport (nodemailer, pooled, checked before the first message): each
 * message composed, the invoice's stored PDF attached, sent, and its attempt
 * logged and audited in its own transaction (synchronous=FULL, as served).
 * Each run into a fresh copy of the prepared database (nothing delivered yet).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/client.js';
import type { Ctx } from '../src/services/context.js';
import { sendDocuments } from '../src/services/delivery/index.js';
import { DEMO_ISSUE_DATE_2018 } from '../src/services/demo.js';
import { issueInvoiceBatch } from '../src/services/invoices.js';
import { QUICK, actor, freshDb, median, nowMs, prepareDemo2018, report, round, timeAsync, type Figure } from './lib.js';

const RUNS = QUICK ? 3 : 7;

const sink = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp-sink.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = <T>(type: string, msg: object = { type }) =>
  new Promise<T>((resolve, reject) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      sink.off('message', on);
      resolve(m as T);
    };
    sink.on('message', on);
    sink.once('exit', (code) => reject(new Error(`smtp-sink exited with ${code}`)));
    if (type !== 'ready') sink.send(msg);
  });
const { port } = await ask<{ port: number }>('ready');

const setup = freshDb({ fast: true });
const t0 = nowMs();
prepareDemo2018(setup.ctx);
const { issued } = await issueInvoiceBatch(setup.ctx, actor, 2018, { issueDate: DEMO_ISSUE_DATE_2018 });
setup.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const setupMs = nowMs() - t0;
const template = path.join(setup.dir, 'isu.sqlite');

/** A copy of the prepared database; the invoices' stored PDFs are the setup's (as the server has them on disk). */
function copy(n: number): { ctx: Ctx; close(): void } {
  const file = path.join(setup.dir, `run-${n}.sqlite`);
  fs.copyFileSync(template, file);
  const { db, sqlite, close } = openDatabase(file, { migrate: false });
  return {
    ctx: { db, sqlite, invoiceDir: setup.ctx.invoiceDir, smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'ISU <isu@example.org>', outboxDir: path.join(setup.dir, 'outbox') },
    close() {
      close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}

const walls: number[] = [];
let sent = 0;
for (let run = 0; run < RUNS; run++) {
  const c = copy(run);
  const before = await ask<{ messages: number; bytes: number }>('count');
  walls.push(await timeAsync(async () => (sent = (await sendDocuments(c.ctx, actor, { kind: 'invoices', year: 2018 })).sent)));
  const after = await ask<{ messages: number; bytes: number }>('count');
  if (sent !== issued.length || after.messages - before.messages !== sent) throw new Error(`${sent} sent, ${after.messages - before.messages} received, for ${issued.length} invoices`);
  c.close();
}
const { messages, bytes } = await ask<{ messages: number; bytes: number }>('count');
sink.send({ type: 'stop' });
setup.close();

const wall = median(walls);
const figures: Figure[] = [
  {
    name: 'email.send-103',
    value: round(wall, 0),
    unit: 'ms',
    target: '< 5000',
    note: `sendDocuments({kind: invoices, year: 2018}) over SMTP to smtp-server on 127.0.0.1 (child process): ${sent} messages, one per invoice, PDF attached (${(bytes / messages / 2 ** 10).toFixed(0)} KiB a message as received); median of ${RUNS} runs, each into a fresh copy of the database`,
  },
  { name: 'email.messages-per-second', value: round((sent * 1000) / wall, 1), unit: 'msg/s', target: null, note: 'messages / median wall time (connection and credentials check included)' },
  { name: 'email.setup', value: round(setupMs, 0), unit: 'ms', target: null, note: 'demo register, 2018 budget and its 103 invoices (not part of the measurement)' },
];
report('email', figures);
