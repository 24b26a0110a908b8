/**
 * The Fastify application: the OpenAPI document, external plugins, the app's
 * own plugins (problems, auth, content negotiation) and the routes, one
 * folder per resource. Routes are thin:
 * parse (zod), authorize (config.access), call a service, reply.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { loadConfig, type ServerTimeouts } from '../config.js';
import type { Ctx } from '../services/context.js';
import authPlugin from './plugins/auth.js';
import hostsPlugin from './plugins/hosts.js';
import negotiationPlugin from './plugins/negotiation.js';
import openapiPlugin from './plugins/openapi.js';
import sessionPlugin from './plugins/session.js';
import webPages from './pages/index.js';
import problemPlugin from './plugins/problem.js';
import adminRoutes from './routes/admin/index.js';
import auditRoutes from './routes/audit/index.js';
import bankRoutes from './routes/bank/index.js';
import periodRoutes from './routes/periods/index.js';
import yearRoutes from './routes/years/index.js';
import cashflowRoutes from './routes/cashflow/index.js';
import expenditureRoutes from './routes/expenditures/index.js';
import reserveRoutes from './routes/reserve/index.js';
import paymentRoutes from './routes/payments/index.js';
import reportRoutes from './routes/reports/index.js';
import creditNoteRoutes from './routes/credit-notes/index.js';
import deliveryRoutes from './routes/deliveries/index.js';
import invoiceRoutes from './routes/invoices/index.js';
import reminderRoutes from './routes/reminders/index.js';
import settingsRoutes from './routes/settings/index.js';
import budgetRoutes from './routes/budgets/index.js';
import healthRoutes from './routes/health/index.js';
import meRoutes from './routes/me/index.js';
import scaleRoutes from './routes/scales/index.js';
import stateRoutes from './routes/states/index.js';

export interface AppOptions {
  logger?: boolean;
  /** Where the JSON request log goes (default stdout); tests read it. */
  logStream?: NodeJS.WritableStream;
  /** Host names the server answers for (SPEC 9.8; `ALLOWED_HOSTS`); default the loopback names. */
  allowedHosts?: readonly string[];
  /** Request, header, idle-connection and keep-alive timeouts (SPEC 9.8); default as loadConfig's. */
  timeouts?: ServerTimeouts;
  /** Fastify's trustProxy, from TRUST_PROXY (src/config.ts); default false. */
  trustProxy?: boolean | number | string[];
}

export type App = FastifyInstance;

/** TRUST_PROXY as a hop count: the nearest `hops` peers are trusted proxies (Fastify's typings lack the number form). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp(ctx: Ctx, opts: AppOptions = {}): Promise<FastifyInstance> {
  const timeouts = opts.timeouts ?? loadConfig({}).timeouts;
  const app = Fastify({
    ...serverTimeouts(timeouts),
    logger: opts.logger
      ? {
          level: process.env.LOG_LEVEL ?? 'info',
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]'],
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    bodyLimit: 4 * 1024 * 1024,
    trustProxy: typeof opts.trustProxy === 'number' ? trustHops(opts.trustProxy) : (opts.trustProxy ?? false),
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // First: its onRoute hook documents every route registered after it.
  await app.register(openapiPlugin);
  // Security headers on every answer. The web pages set their own strict Content-Security-Policy;
  // the API answers JSON, CSV and PDF, where a CSP has nothing to govern.
  await app.register(helmet, { global: true, contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(problemPlugin);
  await app.register(hostsPlugin, { allowedHosts: opts.allowedHosts });
  await app.register(sessionPlugin, { ctx });
  await app.register(authPlugin, { ctx });
  await app.register(negotiationPlugin);

  await app.register(
    async (api) => {
      await api.register(healthRoutes, { ctx });
      await api.register(meRoutes, { ctx });
      await api.register(stateRoutes, { ctx, prefix: '/states' });
      await api.register(scaleRoutes, { ctx, prefix: '/scales' });
      await api.register(budgetRoutes, { ctx, prefix: '/budgets' });
      await api.register(invoiceRoutes, { ctx, prefix: '/invoices' });
      await api.register(creditNoteRoutes, { ctx, prefix: '/credit-notes' });
      await api.register(paymentRoutes, { ctx, prefix: '/payments' });
      await api.register(reminderRoutes, { ctx, prefix: '/reminders' });
      await api.register(reportRoutes, { ctx, prefix: '/reports' });
      await api.register(reserveRoutes, { ctx, prefix: '/reserve' });
      await api.register(expenditureRoutes, { ctx, prefix: '/expenditures' });
      await api.register(cashflowRoutes, { ctx, prefix: '/cashflow' });
      await api.register(settingsRoutes, { ctx, prefix: '/settings' });
      await api.register(auditRoutes, { ctx, prefix: '/audit' });
      await api.register(adminRoutes, { ctx, prefix: '/admin' });
      await api.register(periodRoutes, { ctx, prefix: '/periods' });
      await api.register(yearRoutes, { ctx, prefix: '/years' });
      await api.register(deliveryRoutes, { ctx, prefix: '/deliveries' });
      await api.register(bankRoutes, { ctx, prefix: '/bank' });
      api.get('/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  await app.register(webPages, { ctx });
  return app;
}

/**
 * Fastify's and Node's server timeouts: a request that trickles in (a slow
 * body or slow headers) is answered 408 and closed. Node checks the request and
 * header deadlines every `connectionsCheckingInterval`, here a fraction of the
 * shortest, so a connection never outlives its deadline by much.
 */
function serverTimeouts(t: ServerTimeouts) {
  const shortest = Math.min(t.requestMs, t.headersMs);
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.connectionMs,
    keepAliveTimeout: t.keepAliveMs,
    http: { headersTimeout: t.headersMs, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(shortest / 4))) },
  };
}
