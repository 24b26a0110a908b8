/**
 * What the bank, reserve and expenditures pages share: the page's language,
 * the actor of a write, the posted fields, a service's field messages in the
 * page's language, and file uploads (multipart/form-data, registered only in
 * the scope of the page plugin that uploads, with tight limits). The CSRF
 * token and the `_idem` token of an upload form are ordinary form fields:
 * with `attachFieldsToBody: 'keyValues'` the multipart fields are strings on
 * `request.body` (the file a Buffer) before the page's csrfGuard runs, so the
 * kit's CSRF check reads them as it reads a urlencoded form.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IDEM_FIELD, type FieldErrors, type FormLang } from './forms.js';
import { sessionUser } from '../plugins/session.js';
import { serviceMessageIn } from './service-messages.js';

/** The API's body limit (src/http/app.ts): a bank statement or a CSV file may be as large through the pages. */
export const UPLOAD_LIMIT = 4 * 1024 * 1024;

/** Registers multipart/form-data for the routes of this plugin only: one file, a few short fields. */
export async function registerUploads(app: FastifyInstance): Promise<void> {
  // A file from a visitor without a session is not read at all: to the login page before its body.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'POST' && (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/') && !sessionUser(request)) return reply.redirect('/login', 303);
  });
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 1, fileSize: UPLOAD_LIMIT, fields: 12, fieldSize: 2000, parts: 13, headerPairs: 50 },
  });
}

/** The uploaded file of a multipart form (a Buffer under its field name), or null when none or empty. */
export function uploadedFile(request: FastifyRequest, field: string): Buffer | null {
  const b = request.body as Record<string, unknown> | undefined;
  const v = b?.[field];
  return Buffer.isBuffer(v) && v.length > 0 ? v : null;
}

/** The same helpers as the other areas', for the modules that import them from here. */
export { actorOf } from './guard.js';
export { pageLang } from './page-common.js';

/** The fields of a form, as posted (strings; missing ones empty), with its `_idem`. */
export function posted(body: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, IDEM_FIELD].map((n) => [n, (body[n] ?? '').slice(0, 1000)]));
}

/** A service's field messages in the page's language (those it knows). */
export function localized(lang: FormLang, errors: FieldErrors | null): FieldErrors | null {
  return errors === null ? null : Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, serviceMessageIn(lang, m)]));
}

export const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
