/**
 * The API server for the read benchmark: the demo database, the app, and a
 * bare constant route in the same server. run.ts drives autocannon against it
 * from its own process and then asks this process for its peak RSS.
 */
import { buildApp } from '../src/http/app.js';
import { DEMO_LOGINS, seedDemo } from '../src/services/demo.js';
import { actor, freshDb, nowMs, report } from './lib.js';

const env = freshDb({ fast: true });
const t0 = nowMs();
await seedDemo(env.ctx, actor);
const setupMs = nowMs() - t0;
const app = await buildApp(env.ctx);
app.get('/bench/constant', { config: { access: { public: true } } }, async () => ({ ok: true }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
const token = DEMO_LOGINS.find((l) => l.role === 'finance')!.token;

process.on('message', async (msg: { type: string; figures?: never }) => {
  if (msg.type !== 'stop') return;
  await app.close();
  env.close();
  report('api', []);
  process.disconnect?.();
});
process.send!({ type: 'ready', address, token, setupMs });
