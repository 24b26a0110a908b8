/**
 * Content negotiation (RFC 9110 §12.5.1) for the /api routes that declare the
 * media types they produce (`config.mediaTypes`, set from their response
 * schema by plugins/openapi.ts): the Accept header picks one, quality values
 * respected; no Accept or `*\/*` gives the first (JSON). An Accept that
 * allows none answers 406 as problem+json listing the acceptable types.
 * Routes that answer a PDF only, and the web pages, are not negotiated.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import Negotiator from 'negotiator';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The media type the Accept header chose among the route's; null for the route's default (the first). */
    negotiated: string | null;
  }
}

const withCharset = (type: string) => (type.startsWith('text/') || type.endsWith('json') ? `${type}; charset=utf-8` : type);

export default fp(async function negotiationPlugin(app: FastifyInstance) {
  app.decorateRequest('negotiated', null);
  app.addHook('onRequest', async (request, reply) => {
    const accept = request.headers.accept;
    // The common cases, without parsing: every route's default is JSON, or it is not negotiated.
    if (accept === undefined || accept === '' || accept === '*/*' || accept === 'application/json') return;
    const offered = request.routeOptions.config.mediaTypes;
    if (!offered || offered.length === 0) return;
    // Text and JSON leave in UTF-8: `application/json; charset=utf-8` in Accept is satisfied, another charset is not.
    const chosen = new Negotiator({ headers: { accept } }).mediaType(offered.map(withCharset));
    if (chosen) {
      request.negotiated = chosen.split(';')[0]!;
      return;
    }
    const acceptable = offered.filter((t) => t !== 'application/problem+json');
    return sendProblem(request, reply, 406, `the Accept header allows none of the media types this resource is available in: ${acceptable.join(', ')}`, undefined, {
      acceptable,
    });
  });
});
