/**
 * What the bank, reserve and expenditures page tests share: the demo
 * database and app (no port), each demo user logged in through /login, GET
 * and POST (urlencoded or multipart/form-data) with a user's session, the
 * hidden tokens of a form, a camt.053 file for the ISU's operating account,
 * and dates relative to today.
 */
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { camt053, type WriterEntry } from '../../scripts/camt-writer.js';
import { openDatabase } from '../../src/db/client.js';
import { addDays, todayUtc } from '../../src/domain/dates.js';
import { buildApp } from '../../src/http/app.js';
import { cliActor } from '../../src/services/actor.js';
import { getBankAccounts } from '../../src/services/bank/accounts.js';
import type { Ctx } from '../../src/services/context.js';
import { DEMO_LOGINS, seedDemo } from '../../src/services/demo.js';
import { tempDir } from '../helpers.js';

export interface DemoEnv {
  ctx: Ctx;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function demoEnv(prefix: string): Promise<DemoEnv> {
  const dir = tempDir(prefix);
  const opened = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
  const ctx = { db: opened.db, sqlite: opened.sqlite, invoiceDir: path.join(dir, 'invoices') };
  await seedDemo(ctx, cliActor('test'));
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    async close() {
      await app.close();
      opened.close();
    },
  };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:80', origin: 'http://localhost' };

export class Sessions {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  async loginAll(users: readonly string[] = DEMO_LOGINS.map((l) => l.username)): Promise<void> {
    let i = 1;
    for (const u of users) {
      const login = DEMO_LOGINS.find((l) => l.username === u)!;
      const form = await this.app.inject({ url: '/login' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const loginCookie = ([] as string[]).concat(form.headers['set-cookie'] ?? []).find((c) => c.startsWith('isu_login_csrf='))!.split(';')[0]!;
      const res = await this.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: `10.9.0.${i++}`,
        headers: { ...FORM, cookie: loginCookie },
        payload: new URLSearchParams({ username: u, password: login.password, _csrf: csrf }).toString(),
      });
      expect(res.statusCode, res.body).toBe(303);
      this.cookies.set(u, ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('isu_session='))!.split(';')[0]!);
    }
  }

  cookie(user: string): string {
    return this.cookies.get(user)!;
  }

  get(user: string, url: string): Promise<LightMyRequestResponse> {
    return this.app.inject({ url, headers: user ? { cookie: this.cookie(user) } : {} });
  }

  post(user: string, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: this.cookie(user) }, payload: new URLSearchParams(fields).toString() });
  }

  /** A multipart/form-data POST: the fields, and one file under `file`. */
  upload(user: string, url: string, fields: Record<string, string>, file: { name: string; type: string; content: string | Buffer } | null): Promise<LightMyRequestResponse> {
    const boundary = '----isuTestBoundary7MA4YWxkTrZu0gW';
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    if (file)
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
        Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, host: 'localhost:80', origin: 'http://localhost', cookie: this.cookie(user) },
      payload: Buffer.concat(parts),
    });
  }
}

/** The hidden `_csrf` and `_idem` of the form whose action starts with `action` on a page. */
export function tokensOf(body: string, action: string): { _csrf: string; _idem: string } {
  const at = [`method="post" action="${action}"`, `method="post" action="${action}?`].map((a) => body.indexOf(a)).filter((x) => x >= 0);
  expect(at.length, `a form posting to ${action}`).toBeGreaterThan(0);
  const i = Math.min(...at);
  const form = body.slice(i, body.indexOf('</form>', i));
  return { _csrf: /name="_csrf" value="([^"]+)"/.exec(form)![1]!, _idem: /name="_idem" value="([^"]+)"/.exec(form)![1]! };
}

export const today = () => todayUtc();
export const daysAgo = (n: number) => addDays(todayUtc(), -n);

/** A camt.053 statement of the ISU's operating account with these entries. */
export function statementFor(ctx: Ctx, id: string, entries: WriterEntry[], iban = getBankAccounts(ctx.db).operating!.iban): string {
  return camt053({
    messageId: `MSG-${id}`,
    createdAt: `${today()}T18:00:00`,
    statements: [{ id, sequence: 1, iban, from: daysAgo(1), to: today(), opening: '0.00', entries }],
  });
}

export const count = (ctx: Ctx, table: string) => (ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** The text of an element with a data attribute (data-figure="…", data-limit="…", data-count="…") on a page, tags removed. */
export function dataText(body: string, attr: string, value: string): string | undefined {
  const m = new RegExp(`${attr}="${value}"[^>]*>([\\s\\S]*?)</(dd|td|div|strong)>`).exec(body);
  return m?.[1]?.replace(/<[^>]*>/g, '').trim();
}
