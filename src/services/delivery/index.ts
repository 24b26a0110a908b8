/**
 * E-mail delivery of invoices, credit notes, reminders and statements to the
 * State's billing e-mails (SPEC 9.7). One message per document and address,
 * the PDF attached; every attempt is logged (`deliveries`, append-only) and
 * audited right after its message left — never inside a transaction held
 * across the network. A document delivered to an address (sent, or written
 * to the outbox) is not sent to it again unless `resend`; failures wait for a
 * retry, which tries each once. A State with no billing e-mail gets a failed
 * attempt to the empty recipient, "no billing e-mail", logged once.
 */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { addressKey, latestByRecipient, NO_RECIPIENT, pendingFailures, planRetry, planSend, type Attempt, type Step } from '../../domain/deliveries.js';
import { writeAudit } from '../../db/repositories/audit.js';
import { deliveries, states } from '../../db/schema.js';
import type { DeliveryAttemptOut, DeliveryCreate, DeliveryKind, DeliveryLogOut, DeliveryRunOut } from '../../schemas/deliveries.js';
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import { ServiceError } from '../errors.js';
import { requireIssuer } from '../settings.js';
import { DOCUMENT_LOADERS, documentById, type AttachedPdf, type DeliverableDocument } from './documents.js';
import { composeMessage } from './messages.js';
import { mailSettings, openMailer, type Mailer, type MailSettings, type OutgoingMessage } from './transport.js';

type DeliveryRow = typeof deliveries.$inferSelect;

/** The log's kind of a document (singular), by the API's kind (plural). */
const LOG_KIND = { invoices: 'invoice', 'credit-notes': 'credit-note', reminders: 'reminder', statements: 'statement' } as const satisfies Record<DeliveryKind, DeliveryRow['kind']>;
const API_KIND = Object.fromEntries(Object.entries(LOG_KIND).map(([api, log]) => [log, api])) as Record<DeliveryRow['kind'], DeliveryKind>;

export const NO_ADDRESS_RESPONSE = 'no billing e-mail: the State has no billing e-mail address in the register';

function toAttemptOut(r: DeliveryRow): DeliveryAttemptOut {
  return {
    id: r.id,
    kind: API_KIND[r.kind],
    document: r.document,
    iso3: r.stateIso3,
    recipient: r.recipient,
    transport: r.transport,
    status: r.status,
    messageId: r.messageId,
    response: r.response,
    attachmentSha256: r.attachmentSha256,
    resend: r.resend,
    retryOf: r.retryOf,
    actor: r.actor,
    createdAt: r.createdAt,
  };
}

function attemptsOf(ctx: Ctx, kind: DeliveryKind, document: string): Attempt[] {
  return ctx.db
    .select({ id: deliveries.id, recipient: deliveries.recipient, status: deliveries.status })
    .from(deliveries)
    .where(and(eq(deliveries.kind, LOG_KIND[kind]), eq(deliveries.document, document)))
    .orderBy(asc(deliveries.id))
    .all();
}

/** The attempts of many documents of a kind, by document. */
function attemptsByDocument(ctx: Ctx, kind: DeliveryKind, documents: string[]): Map<string, Attempt[]> {
  const out = new Map<string, Attempt[]>();
  for (let i = 0; i < documents.length; i += 500)
    for (const r of ctx.db
      .select({ id: deliveries.id, document: deliveries.document, recipient: deliveries.recipient, status: deliveries.status })
      .from(deliveries)
      .where(and(eq(deliveries.kind, LOG_KIND[kind]), inArray(deliveries.document, documents.slice(i, i + 500))))
      .orderBy(asc(deliveries.id))
      .all())
      out.set(r.document, [...(out.get(r.document) ?? []), { id: r.id, recipient: r.recipient, status: r.status }]);
  return out;
}

function billingEmails(ctx: Ctx, iso3: string): string[] {
  return ctx.db.select({ e: states.billingEmails }).from(states).where(eq(states.iso3, iso3)).get()?.e ?? [];
}

/** Runs are one at a time in this process, so that two never send the same document to the same address. */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

interface Work {
  doc: DeliverableDocument;
  steps: Step[];
}

/** Whether a planned send is still to be made, against the log as it is now (another run may have made it meanwhile). */
function stillDue(step: { recipient: string; retryOf: number | null }, attempts: Attempt[], resend: boolean): boolean {
  if (resend) return true;
  const last = latestByRecipient(attempts).get(addressKey(step.recipient));
  return last === undefined || (last.id === step.retryOf && last.status === 'failed');
}

/** Sends what the plan says and logs each attempt as it happens. */
async function execute(ctx: Ctx, actor: Actor, settings: MailSettings, work: Work[], resend: boolean): Promise<DeliveryRunOut> {
  const out: DeliveryRunOut = { transport: settings.transport, sent: 0, written: 0, failed: 0, skipped: 0, deliveries: [], skips: [] };
  const active = work.filter((w) => w.steps.some((s) => s.action !== 'skip'));
  const issuer = active.length ? requireIssuer(ctx.db) : null;
  // Connected (and the credentials checked) before anything is logged: a server that cannot be used leaves nothing written.
  const mailer: Mailer | null = work.some((w) => w.steps.some((s) => s.action === 'send')) ? await openMailer(settings) : null;
  try {
    for (const { doc, steps } of work) {
      let pdf: AttachedPdf | null = null;
      for (const step of steps) {
        if (step.action === 'skip') {
          out.skips.push({ kind: doc.kind, document: doc.id, iso3: doc.iso3, recipient: step.recipient, reason: step.reason });
          continue;
        }
        pdf ??= await DOCUMENT_LOADERS[doc.kind].pdf(ctx, doc);
        const base = {
          kind: LOG_KIND[doc.kind],
          document: doc.id,
          stateIso3: doc.iso3,
          recipient: step.recipient,
          attachmentSha256: pdf.sha256,
          resend,
          retryOf: step.retryOf,
          actor: actor.username,
        };
        if (step.action === 'no-address') {
          out.deliveries.push(logAttempt(ctx, actor, { ...base, transport: settings.transport, status: 'failed', messageId: null, response: NO_ADDRESS_RESPONSE }));
          continue;
        }
        if (!stillDue(step, attemptsOf(ctx, doc.kind, doc.id), resend)) {
          out.skips.push({ kind: doc.kind, document: doc.id, iso3: doc.iso3, recipient: step.recipient, reason: 'delivered meanwhile by another run' });
          continue;
        }
        const message: OutgoingMessage = {
          from: settings.from ?? { name: issuer!.name, address: issuer!.email },
          to: step.recipient,
          ...composeMessage(doc, { name: issuer!.name, email: issuer!.email, website: issuer!.website }),
          language: doc.language,
          attachment: { filename: doc.filename, content: pdf.content },
        };
        const result = await mailer!.send(message, { kind: doc.kind, document: doc.id });
        out.deliveries.push(logAttempt(ctx, actor, { ...base, transport: mailer!.transport, status: result.status, messageId: result.messageId, response: result.response }));
      }
    }
  } finally {
    mailer?.close();
  }
  for (const d of out.deliveries) out[d.status]++;
  out.skipped = out.skips.length;
  return out;
}

function logAttempt(ctx: Ctx, actor: Actor, values: typeof deliveries.$inferInsert): DeliveryAttemptOut {
  return ctx.db.transaction(
    (tx) => {
      const row = tx.insert(deliveries).values(values).returning().get();
      writeAudit(tx, actor, 'delivery', String(row.id), {
        kind: row.kind,
        document: row.document,
        recipient: row.recipient,
        status: row.status,
        transport: row.transport,
        messageId: row.messageId,
        ...(row.resend ? { resend: true } : {}),
        ...(row.retryOf !== null ? { retryOf: row.retryOf } : {}),
      });
      return toAttemptOut(row);
    },
    { behavior: 'immediate' },
  );
}

/** POST /deliveries: sends the documents selected to every billing e-mail of their State that has not had them (all, with `resend`). */
export function sendDocuments(ctx: Ctx, actor: Actor, input: DeliveryCreate): Promise<DeliveryRunOut> {
  return oneAtATime(async () => {
    const docs = DOCUMENT_LOADERS[input.kind].list(ctx, input);
    const settings = mailSettings(ctx);
    const resend = input.resend === true;
    const attempts = attemptsByDocument(
      ctx,
      input.kind,
      docs.map((d) => d.id),
    );
    const work = docs.map((doc) => ({ doc, steps: planSend(billingEmails(ctx, doc.iso3), attempts.get(doc.id) ?? [], resend) }));
    return execute(ctx, actor, settings, work, resend);
  });
}

/** POST /deliveries/retry: every failure still pending (see pendingFailures), tried once. */
export function retryDeliveries(ctx: Ctx, actor: Actor, input: { kind?: DeliveryKind | undefined }): Promise<DeliveryRunOut> {
  return oneAtATime(async () => {
    const settings = mailSettings(ctx);
    const failed = ctx.db
      .selectDistinct({ kind: deliveries.kind, document: deliveries.document, iso3: deliveries.stateIso3 })
      .from(deliveries)
      .where(and(eq(deliveries.status, 'failed'), input.kind ? eq(deliveries.kind, LOG_KIND[input.kind]) : undefined))
      .orderBy(asc(deliveries.kind), asc(deliveries.document))
      .all();
    const work: Work[] = [];
    const gone: DeliveryRunOut['skips'] = [];
    for (const f of failed) {
      const kind = API_KIND[f.kind];
      const attempts = attemptsOf(ctx, kind, f.document);
      const pending = pendingFailures(attempts);
      if (pending.length === 0) continue;
      let doc: DeliverableDocument | undefined;
      let why = 'the document is no longer there';
      try {
        doc = documentById(ctx, kind, f.document);
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        why = e.errors.map((x) => x.message).join('; ') || e.message;
      }
      if (!doc) gone.push(...pending.map((p) => ({ kind, document: f.document, iso3: f.iso3, recipient: p.recipient, reason: why })));
      else work.push({ doc, steps: planRetry(billingEmails(ctx, doc.iso3), attempts) });
    }
    const out = await execute(ctx, actor, settings, work, false);
    out.skips.push(...gone);
    out.skipped = out.skips.length;
    return out;
  });
}

/** GET /deliveries: the log, one entry per document and address with its attempts; filtered by the latest attempt's status. */
export function listDeliveries(
  ctx: Ctx,
  query: { status?: DeliveryRow['status'] | undefined; kind?: DeliveryKind | undefined; state?: string | undefined; document?: string | undefined },
): DeliveryLogOut[] {
  const conds: SQL[] = [
    ...(query.kind ? [eq(deliveries.kind, LOG_KIND[query.kind])] : []),
    ...(query.state ? [eq(deliveries.stateIso3, query.state)] : []),
    ...(query.document ? [eq(deliveries.document, query.document)] : []),
  ];
  const rows = ctx.db
    .select()
    .from(deliveries)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(deliveries.id))
    .all();
  const byDocument = new Map<string, DeliveryRow[]>();
  for (const r of rows) byDocument.set(`${r.kind}\u0000${r.document}`, [...(byDocument.get(`${r.kind}\u0000${r.document}`) ?? []), r]);
  const out: DeliveryLogOut[] = [];
  for (const docRows of byDocument.values()) {
    const retryable = new Set(pendingFailures(docRows).map((a) => a.id));
    const byRecipient = new Map<string, DeliveryRow[]>();
    for (const r of docRows) byRecipient.set(addressKey(r.recipient), [...(byRecipient.get(addressKey(r.recipient)) ?? []), r]);
    for (const attempts of byRecipient.values()) {
      const last = attempts.at(-1)!;
      if (query.status && last.status !== query.status) continue;
      out.push({
        kind: API_KIND[last.kind],
        document: last.document,
        iso3: last.stateIso3,
        recipient: last.recipient,
        status: last.status,
        retryable: retryable.has(last.id),
        attempts: attempts.map(toAttemptOut),
      });
    }
  }
  return out;
}

export { NO_RECIPIENT };
