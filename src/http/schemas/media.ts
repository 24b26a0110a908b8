/** Response entries of the answers that are not JSON: PDF documents, CSV text and XLSX workbooks. */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { XLSX_MEDIA_TYPE } from '../../xlsx/workbook.js';

/**
 * A PDF document: a binary string in the OpenAPI document. The route sends a
 * Buffer or a file stream, which Fastify never serializes, so the schema is
 * typed as what the handler sends.
 */
export const pdfBody = z.string().meta({ format: 'binary', description: 'A PDF document (starts with %PDF-)' }) as unknown as z.ZodType<Buffer | Readable>;
/** An XLSX workbook (Office Open XML spreadsheet): a binary string in the OpenAPI document; the route sends a Buffer. */
export const xlsxBody = z
  .string()
  .meta({ format: 'binary', description: 'An XLSX workbook (a zip, starts with PK): the title and the as-of date above a frozen header row; amounts are number cells formatted #,##0.00' }) as unknown as z.ZodType<Buffer>;
export const csvText = z.string().meta({ description: 'CSV text (UTF-8) with a header row' });

/** Whether a request body is CSV (text/csv, or text/plain as curl --data-binary sends it). */
export const isCsv = (contentType: string | undefined) => /^text\/(csv|plain)\b/.test(contentType ?? '');

/** A 200 answer that is a PDF document. */
export function pdfResponse(description: string) {
  return { description, content: { 'application/pdf': { schema: pdfBody } } };
}

/** Sends an XLSX workbook as a download named `name`.xlsx. */
export function sendXlsx(reply: FastifyReply, name: string, bytes: Buffer): FastifyReply {
  return reply.type(XLSX_MEDIA_TYPE).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(bytes);
}

/** Sends a document's PDF of record from its file: inline, named, with its SHA-256 as the ETag. */
export function sendPdfFile(reply: FastifyReply, name: string, pdf: { file: string; sha256: string }): FastifyReply {
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${name}.pdf"`)
    .header('etag', `"${pdf.sha256}"`)
    .header('cache-control', 'private, no-cache')
    .send(fs.createReadStream(pdf.file));
}
