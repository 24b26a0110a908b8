/**
 * Issue 16, findings 7 and 8 (SPEC 9.8): the server refuses requests for a
 * Host it does not serve (DNS rebinding) and closes connections that trickle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv();
});
afterAll(() => env.close());

describe('finding 8: Host header check (ALLOWED_HOSTS)', () => {
  it('finding 8: a request for a Host not in ALLOWED_HOSTS is refused (API: 421 problem+json)', async () => {
    for (const url of ['/api/v1/health', '/api/v1/states']) {
      const res = await env.app.inject({ url, headers: { host: 'evil.example', ...auth(env.tokens.finance) } });
      expect(res.statusCode, url).toBe(421);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const body = res.json<{ status: number; detail: string }>();
      expect(body.status).toBe(421);
      expect(body.detail).toContain('evil.example');
    }
    // A rebinding name with the listen port is refused as well.
    const withPort = await env.app.inject({ url: '/api/v1/states', headers: { host: 'evil.example:3000', ...auth(env.tokens.finance) } });
    expect(withPort.statusCode).toBe(421);
  });

  it('finding 8: the web pages refuse a foreign Host with a plain page, and a login there is not processed', async () => {
    const page = await env.app.inject({ url: '/login', headers: { host: 'evil.example' } });
    expect(page.statusCode).toBe(421);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).not.toContain('<form');
    const post = await env.app.inject({
      method: 'POST',
      url: '/login',
      headers: { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=finance&password=whatever',
    });
    expect(post.statusCode).toBe(421);
    expect(post.headers['set-cookie']).toBeUndefined();
    for (const url of ['/docs', '/dashboard', '/api/v1/openapi.json', '/no-such-page']) expect((await env.app.inject({ url, headers: { host: 'evil.example' } })).statusCode, url).toBe(421);
  });

  it('finding 8: localhost, 127.0.0.1 and [::1] (any port) are served by default', async () => {
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST']) {
      const res = await env.app.inject({ url: '/api/v1/health', headers: { host } });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it('finding 8: ALLOWED_HOSTS replaces the default; an entry with a port allows only that port', async () => {
    const { buildApp } = await import('../../src/http/app.js');
    const app = await buildApp(env.ctx, { allowedHosts: ['isu.example.org', 'intranet.example:8443'] });
    try {
      const status = async (host: string) => (await app.inject({ url: '/api/v1/health', headers: { host } })).statusCode;
      expect(await status('isu.example.org')).toBe(200);
      expect(await status('ISU.example.org:443')).toBe(200);
      expect(await status('intranet.example:8443')).toBe(200);
      expect(await status('intranet.example:8080')).toBe(421);
      expect(await status('intranet.example')).toBe(421);
      expect(await status('localhost')).toBe(421);
      expect(await status('isu.example.org.evil.example')).toBe(421);
    } finally {
      await app.close();
    }
  });

  it('finding 8: the configuration defaults to the listen address and localhost, and reads ALLOWED_HOSTS', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({ HOST: '10.0.0.5' }).allowedHosts).toEqual(['10.0.0.5', 'localhost', '127.0.0.1', '[::1]']);
    expect(loadConfig({}).allowedHosts).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(loadConfig({ HOST: '::1' }).allowedHosts).toEqual(['[::1]', 'localhost', '127.0.0.1']);
    expect(loadConfig({ ALLOWED_HOSTS: ' isu.example.org , intranet.example:8443 ' }).allowedHosts).toEqual(['isu.example.org', 'intranet.example:8443']);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'good.example,bad host' })).toThrow(/ALLOWED_HOSTS/);
    expect(() => loadConfig({ ALLOWED_HOSTS: ' , ' })).toThrow(/ALLOWED_HOSTS/);
  });
});

/** Opens a raw socket to `port`, writes `head`, then one byte of `trickle` every `everyMs`; resolves with what the server answered and when it closed, or `closed: false` after `giveUpMs`. */
async function trickle(port: number, head: string, trickleText: string, everyMs: number, giveUpMs: number) {
  const net = await import('node:net');
  return new Promise<{ closed: boolean; afterMs: number; answer: string }>((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closed, afterMs: Date.now() - started, answer });
    };
    const giveUp = setTimeout(() => done(false), giveUpMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (i < trickleText.length && !socket.destroyed) socket.write(trickleText[i++]!);
      }, everyMs);
    });
  });
}

describe('finding 7: request, header and keep-alive timeouts', () => {
  const timeouts = { requestMs: 1500, headersMs: 800, connectionMs: 3000, keepAliveMs: 600 };

  async function listening() {
    const { buildApp } = await import('../../src/http/app.js');
    const app = await buildApp(env.ctx, { timeouts });
    // An answer that takes longer than the request timeout (the request itself arrived at once).
    app.get('/test-slow-answer', { config: { access: { public: true } }, schema: { hide: true } }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return { ok: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return { app, port: typeof address === 'object' && address ? address.port : 0 };
  }

  it('finding 7: a body trickled one byte at a time is cut off at the request timeout (408, connection closed)', async () => {
    const { app, port } = await listening();
    try {
      const body = JSON.stringify({ iso3: 'XXX', name: 'x'.repeat(200) });
      const head = `POST /api/v1/states HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${env.tokens.finance}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      // One byte every 200 ms: the socket is never idle, the whole body would take 40 s.
      const r = await trickle(port, head, body, 200, 10_000);
      expect(r.closed).toBe(true);
      expect(r.afterMs).toBeLessThan(5_000);
      expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await app.close();
    }
  });

  it('finding 7: headers trickled one byte at a time are cut off at the header timeout', async () => {
    const { app, port } = await listening();
    try {
      const r = await trickle(port, 'GET /api/v1/health HTTP/1.1\r\n', `Host: 127.0.0.1\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`, 100, 10_000);
      expect(r.closed).toBe(true);
      expect(r.afterMs).toBeLessThan(5_000);
      expect(r.answer).not.toMatch(/200 OK/);
    } finally {
      await app.close();
    }
  });

  it('finding 7: an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const { app, port } = await listening();
    try {
      const r = await trickle(port, `GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, '', 1000, 10_000);
      expect(r.answer).toMatch(/^HTTP\/1\.1 200/);
      expect(r.closed).toBe(true);
      expect(r.afterMs).toBeLessThan(5_000);
    } finally {
      await app.close();
    }
  });

  it('finding 7: a request that arrived whole may take longer than the request timeout to answer', async () => {
    const { app, port } = await listening();
    try {
      const r = await trickle(port, `GET /test-slow-answer HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, '', 1000, 10_000);
      expect(r.answer).toMatch(/^HTTP\/1\.1 200/);
      expect(r.answer).toContain('{"ok":true}');
    } finally {
      await app.close();
    }
  });

  it('finding 7: the timeouts are read from the environment, with defaults, and checked', async () => {
    const { loadConfig } = await import('../../src/config.js');
    expect(loadConfig({}).timeouts).toEqual({ requestMs: 30_000, headersMs: 10_000, connectionMs: 120_000, keepAliveMs: 5_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '60000', HEADERS_TIMEOUT_MS: '20000', CONNECTION_TIMEOUT_MS: '15000', KEEP_ALIVE_TIMEOUT_MS: '1000' }).timeouts).toEqual({
      requestMs: 60_000,
      headersMs: 20_000,
      connectionMs: 15_000,
      keepAliveMs: 1_000,
    });
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: 'soon' })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' })).toThrow(/HEADERS_TIMEOUT_MS/);
  });
});

describe('findings 7 and 8 in the real server (`isu serve`)', () => {
  it('finding 7 and 8: the served process refuses a foreign Host and cuts off a trickled body, from its environment', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const http = await import('node:http');
    const { tempDir, startServerProcess } = await import('../helpers.js');
    const dir = tempDir();
    const { base, child } = await startServerProcess(
      { ISU_DB: path.join(dir, 'isu.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox'), ALLOWED_HOSTS: '127.0.0.1,isu.example.org', REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '500' },
      'serve',
    );
    try {
      const port = Number(new URL(base).port);
      const statusFor = (host: string) =>
        new Promise<number>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port, path: '/api/v1/health', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
      expect(await statusFor(`127.0.0.1:${port}`)).toBe(200);
      expect(await statusFor('isu.example.org')).toBe(200);
      expect(await statusFor(`localhost:${port}`)).toBe(421);
      expect(await statusFor('evil.example')).toBe(421);
      const r = await trickle(port, `POST /api/v1/states HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`, '{'.repeat(100), 100, 10_000);
      expect(r.closed).toBe(true);
      expect(r.afterMs).toBeLessThan(6_000);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
