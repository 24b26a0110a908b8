/** Response entries of the answers that are not JSON: PDF documents, CSV text, XML documents and XLSX workbooks. */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/** An XML document (UTF-8): a string in the OpenAPI document. */
export const xmlBody = z.string().meta({ description: 'An XML document (UTF-8)' });
export const XML_MEDIA_TYPE = 'application/xml';

/** A 200 answer that is an XML document, e.g. an EN 16931 e-invoice (CII). */
export function xmlResponse(description: string) {
  return { description, content: { [XML_MEDIA_TYPE]: { schema: xmlBody.meta({ description }) } } };
}

/** Sends an XML document inline, named `name`.xml. */
export function sendXml(reply: FastifyReply, name: string, xml: string): FastifyReply {
  return reply.type(`${XML_MEDIA_TYPE}; charset=utf-8`).header('content-disposition', `inline; filename="${name}.xml"`).send(xml);
}

/** A 200 answer that is an XLSX workbook. */
export function xlsxResponse(description: string) {
  return { description, content: { [XLSX_MEDIA_TYPE]: { schema: xlsxBody } } };
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

/**
 * The 200 answer of a report that content negotiation serves in several media
 * types: JSON (`json`, the default), and CSV, PDF and XLSX where given. The
 * order of `content` is the order the negotiation offers them in.
 */
export function reportResponse(description: string, json: z.ZodType, alt: { csv?: string; pdf?: boolean; xlsx?: boolean }) {
  return {
    description: `${description}, in the media type the Accept header chose`,
    content: {
      'application/json': { schema: json },
      ...(alt.csv !== undefined ? { 'text/csv': { schema: csvText.meta({ description: alt.csv }) } } : {}),
      ...(alt.pdf ? { 'application/pdf': { schema: pdfBody } } : {}),
      ...(alt.xlsx ? { [XLSX_MEDIA_TYPE]: { schema: xlsxBody } } : {}),
    },
  };
}

/** The renderings of a report: JSON always; CSV, PDF and XLSX where the route offers them. `name` is the file name without extension. */
export interface ReportRenderings<T> {
  name: string;
  json: () => T;
  csv?: () => string;
  pdf?: () => Promise<Buffer>;
  xlsx?: () => Promise<Buffer>;
}

/** Answers a report in the media type the Accept header chose (with `Vary: Accept`); a download for CSV and XLSX, inline for PDF. */
export async function sendReport<T>(request: FastifyRequest, reply: FastifyReply, r: ReportRenderings<T>): Promise<T | FastifyReply> {
  reply.header('vary', 'Accept');
  if (request.negotiated === 'text/csv' && r.csv)
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.name}.csv"`).send(r.csv());
  if (request.negotiated === 'application/pdf' && r.pdf) return sendPdf(reply, r.name, await r.pdf());
  if (request.negotiated === XLSX_MEDIA_TYPE && r.xlsx) return sendXlsx(reply, r.name, await r.xlsx());
  return r.json();
}

/** Sends a rendered PDF inline, named `name`.pdf. */
export function sendPdf(reply: FastifyReply, name: string, bytes: Buffer): FastifyReply {
  return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(bytes);
}
