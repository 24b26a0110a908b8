/**
 * How messages leave (SPEC 9.7). With an SMTP URL: one pooled nodemailer
 * transport per run (`smtp://user:pass@host:587` upgrades with STARTTLS when
 * the server offers it, `smtps://` is TLS from the start; any option
 * nodemailer reads from the URL's query applies), checked before the first
 * message and closed after the last. Without one (the demo): each message is
 * built by nodemailer's stream transport — the very bytes SMTP would carry,
 * CRLF line ends — and written as an .eml file to the outbox,
 * `{outbox}/{kind}/{document}--{recipient}.eml`; a later attempt for the same
 * document and address never overwrites an earlier file (`--2`, `--3`…).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files.js';
import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { DeliveryKind } from '../../schemas/deliveries.js';
import type { Ctx } from '../context.js';
import { ServiceError } from '../errors.js';

export type TransportKind = 'smtp' | 'file';

export interface OutgoingMessage {
  from: string | { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  attachment: { filename: string; content: Buffer };
}

export interface SendOutcome {
  status: 'sent' | 'written' | 'failed';
  messageId: string | null;
  /** The SMTP server's answer or the error; for a file, its path relative to the outbox. */
  response: string;
}

export interface Mailer {
  transport: TransportKind;
  send(message: OutgoingMessage, where: { kind: DeliveryKind; document: string }): Promise<SendOutcome>;
  close(): void;
}

export interface MailSettings {
  transport: TransportKind;
  /** The SMTP URL, with pool=true unless it says otherwise. */
  smtpUrl: URL | null;
  /** ISU_MAIL_FROM, if set. */
  from: string | null;
  outboxDir: string;
}

const configError = (variable: string, message: string) => new ServiceError(422, 'Unprocessable Content', `${variable} ${message}`, [{ field: variable, message }]);

/** One mailbox, e.g. `ISU <isu@example.org>`. */
function isMailbox(value: string): boolean {
  const parsed = addressparser(value);
  return parsed.length === 1 && /^[^@\s]+@[^@\s]+$/.test(parsed[0]!.address ?? '');
}

/** The transport the configuration asks for; 422 naming the variable when it is unusable (nothing is sent then). */
export function mailSettings(ctx: Ctx): MailSettings {
  const outboxDir = ctx.outboxDir ?? path.join(path.dirname(ctx.invoiceDir), 'outbox');
  if (ctx.mailFrom && !isMailbox(ctx.mailFrom)) throw configError('ISU_MAIL_FROM', 'must be one e-mail address, e.g. "ISU <isu@example.org>"');
  if (!ctx.smtpUrl) return { transport: 'file', smtpUrl: null, from: ctx.mailFrom ?? null, outboxDir };
  let url: URL;
  try {
    url = new URL(ctx.smtpUrl);
  } catch {
    throw configError('ISU_SMTP_URL', 'must be a URL like smtp://user:password@host:587 or smtps://host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw configError('ISU_SMTP_URL', 'must start with smtp:// or smtps://');
  if (!ctx.mailFrom) throw configError('ISU_MAIL_FROM', 'must be set to send through ISU_SMTP_URL: it is the From of every message');
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return { transport: 'smtp', smtpUrl: url, from: ctx.mailFrom, outboxDir };
}

function mailOf(m: OutgoingMessage) {
  return {
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: { 'Content-Language': m.language },
    attachments: [{ filename: m.attachment.filename, content: m.attachment.content, contentType: 'application/pdf' }],
  };
}

/** What went wrong, as the server said it when it did. */
function failureOf(e: unknown): SendOutcome {
  const err = e as { response?: unknown; message?: unknown };
  return { status: 'failed', messageId: null, response: typeof err.response === 'string' && err.response ? err.response : String(err.message ?? e) };
}

/** Opens the transport of a run: for SMTP, connects and checks the credentials first (502, nothing sent, when the server cannot be used). */
export async function openMailer(settings: MailSettings): Promise<Mailer> {
  if (settings.smtpUrl) {
    const url = settings.smtpUrl;
    const smtp = nodemailer.createTransport(url.toString());
    try {
      await smtp.verify();
    } catch (e) {
      smtp.close();
      const err = e as { response?: string; message?: string };
      throw new ServiceError(502, 'Bad Gateway', `the SMTP server ${url.protocol}//${url.host} could not be used: ${err.response || err.message}; nothing was sent`);
    }
    return {
      transport: 'smtp',
      async send(message) {
        try {
          const info = await smtp.sendMail(mailOf(message));
          return { status: 'sent', messageId: info.messageId, response: info.response };
        } catch (e) {
          return failureOf(e);
        }
      },
      close: () => smtp.close(),
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    transport: 'file',
    async send(message, where) {
      try {
        const info = await stream.sendMail(mailOf(message));
        const file = writeEml(settings.outboxDir, where.kind, `${where.document}--${message.to}`, info.message as Buffer);
        return { status: 'written', messageId: info.messageId, response: file };
      } catch (e) {
        return failureOf(e);
      }
    },
    close: () => stream.close(),
  };
}

/** A file name made of safe characters only, never too long. */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._@+-]/g, '_').replace(/^\.+/, '_');
  if (safe.length <= 180) return safe;
  return `${safe.slice(0, 160)}-${crypto.createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

/**
 * Writes the message as `{dir}/{kind}/{name}.eml`, or `{name}--N.eml` when
 * that file exists: complete (written and synced aside, then linked into
 * place, which never replaces a file). Returns the path relative to `dir`.
 */
function writeEml(dir: string, kind: string, name: string, message: Buffer): string {
  const folder = path.join(dir, kind);
  ensurePrivateDir(dir);
  ensurePrivateDir(folder);
  const base = safeFileName(name);
  const tmp = path.join(folder, `.${base}.${process.pid}.${crypto.randomUUID()}.tmp`);
  fs.writeFileSync(tmp, message, { flag: 'wx', flush: true, mode: PRIVATE_FILE_MODE });
  fs.chmodSync(tmp, PRIVATE_FILE_MODE);
  try {
    for (let n = 1; ; n++) {
      const file = `${base}${n === 1 ? '' : `--${n}`}.eml`;
      try {
        fs.linkSync(tmp, path.join(folder, file));
        return `${kind}/${file}`;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
