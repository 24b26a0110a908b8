/**
 * Reading the Swiss QR-bill back: the PDF is rasterised with pdftoppm
 * (poppler-utils, which .ci/run installs) and the code decoded with jsQR.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

export const hasPdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// jsqr is CommonJS with an ES-style default in its types: take the function whichever way it arrives.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** The text of the QR code on the last page of `pdfFile`; the page images are written under `dir`. */
export function decodeQrOnLastPage(dir: string, pdfFile: string): string {
  const out = path.join(dir, `page-${path.basename(pdfFile, '.pdf')}`);
  execFileSync('pdftoppm', ['-png', '-r', '150', pdfFile, out]);
  const pages = fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(out)) && f.endsWith('.png')).sort();
  const png = PNG.sync.read(fs.readFileSync(path.join(dir, pages.at(-1)!)));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  if (!code) throw new Error(`no QR code found on the last page of ${pdfFile}`);
  return code.data;
}

