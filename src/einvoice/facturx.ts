/**
 * The Factur-X attachment of an invoice or credit note PDF (issue 17): the
 * EN 16931 CII XML as `factur-x.xml`, related as its "Alternative", with the
 * XMP that declares it. The PDF renderer attaches it; a PDF/A-3b file results.
 */
import type { CreditNoteDocument, InvoiceDocument, IssuerSettings, PdfAttachment } from '../pdf/types.js';
import { creditNoteCii, invoiceCii } from './cii.js';
import { FACTURX_FILE_NAME, facturxXmp } from './xmp.js';

function attachment(xml: string, description: string): PdfAttachment {
  return { name: FACTURX_FILE_NAME, mediaType: 'text/xml', data: xml, description, relationship: 'Alternative', xmp: facturxXmp() };
}

export function invoiceAttachment(doc: InvoiceDocument, issuer: IssuerSettings): PdfAttachment {
  return attachment(invoiceCii(doc, issuer), `Factur-X EN 16931 e-invoice ${doc.number}`);
}

export function creditNoteAttachment(doc: CreditNoteDocument, issuer: IssuerSettings): PdfAttachment {
  return attachment(creditNoteCii(doc, issuer), `Factur-X EN 16931 credit note ${doc.number}`);
}
