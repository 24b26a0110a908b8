/** The embedded demo served on a loopback port, for the browser tests: its database, app and address, and how to stop it. */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { cliActor } from '../../src/services/actor.js';
import { seedDemo } from '../../src/services/demo.js';
import { tempDir } from '../helpers.js';

export interface DemoServer {
  dir: string;
  app: FastifyInstance;
  base: string;
  /** Closes the app and the database and removes the folder. */
  stop(): Promise<void>;
}

export async function startDemoServer(prefix: string): Promise<DemoServer> {
  const dir = tempDir(prefix);
  const { db, sqlite, close } = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
  const ctx = { db, sqlite, invoiceDir: path.join(dir, 'invoices') };
  await seedDemo(ctx, cliActor('test'));
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    dir,
    app,
    base,
    async stop() {
      await app.close();
      close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
