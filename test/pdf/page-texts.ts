/** Text of each page of a PDF, for assertions on what a reader sees. */
import { createHash } from 'node:crypto';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** No-break spaces (pdfjs reports U+00A0 as a plain space) and runs of white space folded to one space. */
export const fold = (s: string) => s.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');

export interface PdfPages {
  /** The text of each page, folded (see `fold`). */
  texts: string[];
  /** Width and height of each page, in points. */
  sizes: { width: number; height: number }[];
}

export async function pdfPages(pdf: Buffer): Promise<PdfPages> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  const texts: string[] = [];
  const sizes: { width: number; height: number }[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const { width, height } = page.getViewport({ scale: 1 });
    sizes.push({ width, height });
    const content = await page.getTextContent();
    texts.push(fold(content.items.map((it) => ('str' in it ? it.str : '')).join(' ')));
  }
  await doc.destroy();
  return { texts, sizes };
}
