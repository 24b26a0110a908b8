/** The Factur-X 1.0 XMP blocks (issue 17): well-formed inside an rdf:RDF, declaring the fx namespace and giving its four values. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { FACTURX_NAMESPACE, facturxXmp } from '../../src/einvoice/xmp.js';

type X = Record<string, any>;

const wrap = (inner: string) => `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n${inner}\n</rdf:RDF>`;

describe('facturxXmp', () => {
  const xmp = facturxXmp('INVOICE', '1.0', 'EN 16931', 'factur-x.xml');

  it('is well-formed XML when wrapped in an rdf:RDF element', () => {
    expect(XMLValidator.validate(wrap(xmp))).toBe(true);
    expect(facturxXmp()).toBe(xmp);
  });

  it('declares the fx extension schema with its four properties, then gives their values', () => {
    const rdf = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (n) => n === 'rdf:Description' }).parse(wrap(xmp))['rdf:RDF'] as X;
    const [schemaDesc, values] = rdf['rdf:Description'] as X[];
    expect(schemaDesc!['@_xmlns:pdfaExtension']).toBe('http://www.aiim.org/pdfa/ns/extension/');
    const schema = schemaDesc!['pdfaExtension:schemas']['rdf:Bag']['rdf:li'] as X;
    expect(schema['pdfaSchema:namespaceURI']).toBe(FACTURX_NAMESPACE);
    expect(FACTURX_NAMESPACE).toBe('urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#');
    expect(schema['pdfaSchema:prefix']).toBe('fx');
    const props = (schema['pdfaSchema:property']['rdf:Seq']['rdf:li'] as X[]).map((p) => [p['pdfaProperty:name'], p['pdfaProperty:valueType'], p['pdfaProperty:category']]);
    expect(props).toEqual([
      ['DocumentFileName', 'Text', 'external'],
      ['DocumentType', 'Text', 'external'],
      ['Version', 'Text', 'external'],
      ['ConformanceLevel', 'Text', 'external'],
    ]);
    expect(values!['@_xmlns:fx']).toBe(FACTURX_NAMESPACE);
    expect(values!['@_rdf:about']).toBe('');
    expect([values!['fx:DocumentType'], values!['fx:DocumentFileName'], values!['fx:Version'], values!['fx:ConformanceLevel']]).toEqual([
      'INVOICE',
      'factur-x.xml',
      '1.0',
      'EN 16931',
    ]);
  });
});
