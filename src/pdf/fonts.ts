/**
 * The fonts every document embeds (PDF/A): Arimo regular and bold, from the
 * `@expo-google-fonts/arimo` package that `npm ci` installs — never a system
 * font, so the bytes do not depend on the machine. Arimo has the metrics of
 * Arial (and so of the Helvetica the first documents used): layouts keep their
 * line breaks, and the Swiss QR-bill's payment part, which the standard sets in
 * Arial, Frutiger, Helvetica or Liberation Sans, keeps its measures.
 *
 * pdfkit embeds a subset of each font with a tag derived from the font's
 * resource name (not random), so two renderings stay byte-identical.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Font } from 'fontkit';

const require = createRequire(import.meta.url);

/** The name documents register the regular face under; `${FONT_FAMILY}-Bold` is the bold face (as swissqrbill expects). */
export const FONT_FAMILY = 'Arimo';
export const REGULAR = FONT_FAMILY;
export const BOLD = `${FONT_FAMILY}-Bold`;

export const FONT_FILES: Readonly<Record<typeof REGULAR | typeof BOLD, string>> = {
  [REGULAR]: require.resolve('@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf'),
  [BOLD]: require.resolve('@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf'),
};

let loaded: { regular: Font; bold: Font } | undefined;

/**
 * Loads fontkit and parses the two faces, once per process: on the first
 * document (newDocument awaits it), not when the server starts — fontkit and
 * the Unicode tables it inflates as it loads are a sixth of the started
 * server's memory (issue 19).
 */
export async function loadFonts(): Promise<void> {
  if (loaded !== undefined) return;
  const { create } = await import('fontkit');
  loaded ??= { regular: create(fs.readFileSync(FONT_FILES[REGULAR])), bold: create(fs.readFileSync(FONT_FILES[BOLD])) };
}

/**
 * The two faces, parsed once per process and shared by every document:
 * pdfkit takes a fontkit font as it is, and so decodes the kerning and
 * substitution tables once rather than for each of 103 invoices. Each
 * document still makes its own subset of the glyphs it uses.
 */
export function fontFaces(): Record<typeof REGULAR | typeof BOLD, Font> {
  const { regular, bold } = load();
  return { [REGULAR]: regular, [BOLD]: bold };
}

function load(): NonNullable<typeof loaded> {
  if (loaded === undefined) throw new Error('the fonts are not loaded yet: await loadFonts() first (newDocument does)');
  return loaded;
}

/** True when both faces have a glyph for the code point (so it prints in regular and bold alike); after loadFonts(). */
export function hasGlyph(codePoint: number): boolean {
  const { regular, bold } = load();
  return regular.hasGlyphForCodePoint(codePoint) && bold.hasGlyphForCodePoint(codePoint);
}
