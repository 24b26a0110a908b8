/**
 * The XMP a Factur-X PDF (PDF/A-3 with the CII XML attached as
 * `factur-x.xml`) carries in its metadata, Factur-X 1.0 (issue 17): the PDF/A
 * extension schema declaring the `fx` namespace and its four properties, and
 * the `fx:` values. Both are `<rdf:Description>` blocks, to be placed inside
 * the document's `<rdf:RDF>` beside its other descriptions (dc, pdf, xmp,
 * pdfaid). Pure text, no I/O.
 */

/** The Factur-X 1.0 namespace of the fx: properties (PDF/A extension schema). */
export const FACTURX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
/** The name the CII XML is attached under in the PDF. */
export const FACTURX_FILE_NAME = 'factur-x.xml';

/** Factur-X 1.0 conformance levels (profiles); this application writes EN 16931. */
export type FacturxConformanceLevel = 'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PROPERTIES: [name: string, description: string][] = [
  ['DocumentFileName', 'The name of the embedded XML document'],
  ['DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER'],
  ['Version', 'The actual version of the standard applying to the embedded XML document'],
  ['ConformanceLevel', 'The conformance level of the embedded XML document'],
];

/**
 * The two `<rdf:Description rdf:about="">` blocks of a Factur-X PDF's XMP:
 * the `pdfaExtension:schemas` description declaring the fx namespace (prefix
 * `fx`, properties DocumentFileName, DocumentType, Version and
 * ConformanceLevel, all external Text), then the description with the fx:
 * values. A credit note is also of document type INVOICE in Factur-X 1.0.
 */
export function facturxXmp(
  documentType: 'INVOICE' = 'INVOICE',
  version: '1.0' = '1.0',
  conformanceLevel: FacturxConformanceLevel = 'EN 16931',
  fileName: string = FACTURX_FILE_NAME,
): string {
  const property = ([name, description]: [string, string]) =>
    [
      '            <rdf:li rdf:parseType="Resource">',
      `              <pdfaProperty:name>${name}</pdfaProperty:name>`,
      '              <pdfaProperty:valueType>Text</pdfaProperty:valueType>',
      '              <pdfaProperty:category>external</pdfaProperty:category>',
      `              <pdfaProperty:description>${escape(description)}</pdfaProperty:description>`,
      '            </rdf:li>',
    ].join('\n');
  return [
    '<rdf:Description rdf:about=""',
    '    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
    '    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
    '    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    '  <pdfaExtension:schemas>',
    '    <rdf:Bag>',
    '      <rdf:li rdf:parseType="Resource">',
    '        <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>',
    `        <pdfaSchema:namespaceURI>${FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>`,
    '        <pdfaSchema:prefix>fx</pdfaSchema:prefix>',
    '        <pdfaSchema:property>',
    '          <rdf:Seq>',
    ...PROPERTIES.map(property),
    '          </rdf:Seq>',
    '        </pdfaSchema:property>',
    '      </rdf:li>',
    '    </rdf:Bag>',
    '  </pdfaExtension:schemas>',
    '</rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:fx="${FACTURX_NAMESPACE}">`,
    `  <fx:DocumentType>${escape(documentType)}</fx:DocumentType>`,
    `  <fx:DocumentFileName>${escape(fileName)}</fx:DocumentFileName>`,
    `  <fx:Version>${escape(version)}</fx:Version>`,
    `  <fx:ConformanceLevel>${escape(conformanceLevel)}</fx:ConformanceLevel>`,
    '</rdf:Description>',
  ].join('\n');
}
