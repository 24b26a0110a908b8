/**
 * ISO 20022 bank-to-customer messages (SPEC 9.6): camt.053 (statement) and
 * camt.054 (debit/credit notification), versions 001.02 to 001.08, told
 * apart by their namespace. Read with a kept XML parser (fast-xml-parser):
 * the file is validated first (a truncated or malformed file is refused),
 * every text stays a string (no number parsing), amounts are read exactly
 * into centimes. A refusal is a 422 naming the element.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isIsoDate } from '../../domain/dates.js';
import { isValidIban } from '../../domain/iban.js';
import { type Centimes } from '../../domain/money.js';
import { ValidationError } from '../errors.js';

export type CamtType = 'camt.053' | 'camt.054';

export interface CamtOriginal {
  /** The instructed amount's currency and amount (exact decimal text), when the bank converted. */
  currency: string;
  amount: string;
  /** CcyXchg/XchgRate as the bank gave it (exact decimal text), if it did. */
  rate: string | null;
}

/** One booked line: an entry, or one transaction of a batch entry. */
export interface CamtLine {
  /** Position of the entry in its statement (1-based) and, for a split batch, of the transaction in the entry. */
  entryIndex: number;
  txIndex: number | null;
  /** AcctSvcrRef (the transaction's for a split batch), else MsgId/StmtId/position: the same entry in two files is one line. */
  entryKey: string;
  direction: 'credit' | 'debit';
  amountCentimes: Centimes;
  currency: string;
  bookingDate: string;
  valueDate: string;
  acctSvcrRef: string | null;
  endToEndId: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  structuredReference: string | null;
  unstructured: string | null;
  original: CamtOriginal | null;
}

export interface CamtStatement {
  /** Stmt/Id or Ntfctn/Id. */
  statementId: string;
  iban: string;
  currency: string;
  openingBalance: { amountCentimes: Centimes; date: string } | null;
  /** Bal CLBD (a statement; a notification has none). */
  closingBalance: { amountCentimes: Centimes; date: string } | null;
  /** Every Ntry, booked or not. */
  entryCount: number;
  /** Entries not booked (pending, information): not lines. */
  notBooked: number;
  lines: CamtLine[];
}

export interface CamtMessage {
  type: CamtType;
  /** "001.02" … "001.08". */
  version: string;
  messageId: string;
  statements: CamtStatement[];
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.(001\.0[2-8])$/;
const MESSAGE: Record<CamtType, { root: string; item: string }> = {
  'camt.053': { root: 'BkToCstmrStmt', item: 'Stmt' },
  'camt.054': { root: 'BkToCstmrDbtCdtNtfctn', item: 'Ntfctn' },
};
/** ISO 20022 amounts: at most 18 digits, 5 of them decimals. */
const DECIMAL = /^([0-9]{1,18})(?:\.([0-9]{1,5}))?$/;

/**
 * An element of the parsed document, in document order (fast-xml-parser's
 * `preserveOrder`, which spares building a second, keyed tree): `{ Tag:
 * children, ':@': attributes }`; a text is a child `{ '#text': … }`.
 */
type Node = Record<string, unknown>;

const refuse = (field: string, message: string): never => {
  throw new ValidationError([{ field, message }], `the bank file was refused: ${field}: ${message}; nothing was imported`);
};

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  preserveOrder: true,
  // Callbacks get the parser's matcher rather than a path string built for every element: the same result, much less work.
  jPath: false,
});

const NONE: Node[] = [];

/** The children of an element: the value of its one key that is not the attributes'. */
function kids(e: Node | undefined): Node[] {
  if (e === undefined) return NONE;
  for (const k in e) if (k !== ':@') return Array.isArray(e[k]) ? (e[k] as Node[]) : NONE;
  return NONE;
}

/** The first child element of that name. */
function child(e: Node | undefined, name: string): Node | undefined {
  const k = kids(e);
  for (let i = 0; i < k.length; i++) if (name in k[i]!) return k[i];
  return undefined;
}

/** Every child element of that name, in order. */
function all(e: Node | undefined, name: string): Node[] {
  return kids(e).filter((c) => name in c);
}

/** The element at a path of element names (up to five), or undefined. */
function at(e: Node | undefined, a?: string, b?: string, c?: string, d?: string, f?: string): Node | undefined {
  let cur = e;
  if (a !== undefined) cur = child(cur, a);
  if (b !== undefined) cur = child(cur, b);
  if (c !== undefined) cur = child(cur, c);
  if (d !== undefined) cur = child(cur, d);
  if (f !== undefined) cur = child(cur, f);
  return cur;
}

/** The text of the element at a path (null when absent or empty). */
function text(e: Node | undefined, a?: string, b?: string, c?: string, d?: string, f?: string): string | null {
  const k = kids(at(e, a, b, c, d, f));
  let s = '';
  for (let i = 0; i < k.length; i++) {
    const t = k[i]!['#text'];
    if (typeof t === 'string') s += t;
  }
  return s === '' ? null : s;
}

function attr(e: Node | undefined, name: string): string | undefined {
  const a = e?.[':@'] as Record<string, unknown> | undefined;
  const v = a?.[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** An exact decimal amount as canonical text ("00100.50" → "100.50"), at most `maxDecimals` decimals. */
function decimalText(raw: string, field: string, maxDecimals: number): string {
  const m = DECIMAL.exec(raw);
  if (!m) return refuse(field, `${JSON.stringify(raw)} is not a decimal amount`);
  const frac = m[2] ?? '';
  if (frac.length > maxDecimals) refuse(field, `${raw} has ${frac.length} decimals; at most ${maxDecimals}`);
  const whole = m[1]!.replace(/^0+(?=[0-9])/, '');
  return frac ? `${whole}.${frac}` : whole;
}

function centimesOf(raw: string, field: string): Centimes {
  const t = decimalText(raw, field, 2);
  const [whole, frac = ''] = t.split('.') as [string, string?];
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
}

/** Dt, or the date of DtTm. */
function dateOf(node: Node | undefined, field: string): string | null {
  const d = text(node, 'Dt') ?? text(node, 'DtTm')?.slice(0, 10) ?? null;
  if (d !== null && !isIsoDate(d)) refuse(field, `${JSON.stringify(d)} is not a date`);
  return d;
}

function direction(node: Node | undefined, field: string): 'credit' | 'debit' {
  const ind = text(node, 'CdtDbtInd');
  if (ind === 'CRDT') return 'credit';
  if (ind === 'DBIT') return 'debit';
  return refuse(`${field}.CdtDbtInd`, `must be CRDT or DBIT, got ${JSON.stringify(ind)}`);
}

/** An amount element `<Amt Ccy="CHF">…</Amt>` in centimes. */
function amount(node: Node | undefined, field: string): { centimes: Centimes; currency: string } {
  const raw = text(node, 'Amt');
  if (raw === null) return refuse(`${field}.Amt`, 'is missing');
  const currency = attr(at(node, 'Amt'), 'Ccy');
  if (currency === undefined || !/^[A-Z]{3}$/.test(currency)) return refuse(`${field}.Amt`, 'has no currency (Ccy)');
  return { centimes: centimesOf(raw, `${field}.Amt`), currency };
}

/** The entry status: plain text up to 001.07 (`<Sts>BOOK</Sts>`), a code from 001.08 (`<Sts><Cd>BOOK</Cd></Sts>`). */
function status(entry: Node): string | null {
  return text(entry, 'Sts') ?? text(entry, 'Sts', 'Cd') ?? text(entry, 'Sts', 'Prtry');
}

/** What one transaction of an entry tells; its own amount in the account's currency, if it gives one. */
type TxDetails = Pick<CamtLine, 'acctSvcrRef' | 'endToEndId' | 'debtorName' | 'debtorIban' | 'structuredReference' | 'unstructured' | 'original'> & {
  own: { centimes: Centimes; direction: 'credit' | 'debit' } | null;
};

/** The instructed amount and the rate of a conversion (TxDtls or Ntry AmtDtls), when its currency is not the account's. */
function originalOf(amtDtls: Node | undefined, accountCurrency: string, field: string): CamtOriginal | null {
  const instd = at(amtDtls, 'InstdAmt');
  const raw = text(instd, 'Amt');
  const currency = attr(at(instd, 'Amt'), 'Ccy');
  if (raw === null || currency === undefined || currency === accountCurrency) return null;
  if (!/^[A-Z]{3}$/.test(currency)) return refuse(`${field}.AmtDtls.InstdAmt.Amt`, 'has no currency (Ccy)');
  const rateRaw = text(instd, 'CcyXchg', 'XchgRate') ?? text(amtDtls, 'TxAmt', 'CcyXchg', 'XchgRate') ?? text(amtDtls, 'CntrValAmt', 'CcyXchg', 'XchgRate');
  const rate = rateRaw === null ? null : /^[0-9]{1,11}(\.[0-9]{1,10})?$/.test(rateRaw) ? rateRaw.replace(/^0+(?=[0-9])/, '') : refuse(`${field}.AmtDtls.CcyXchg.XchgRate`, `${JSON.stringify(rateRaw)} is not a rate`);
  const decimals = currency === 'CHF' || currency === 'EUR' ? 2 : 3;
  return { currency, amount: decimalText(raw, `${field}.AmtDtls.InstdAmt.Amt`, decimals), rate };
}

function txDetails(tx: Node, accountCurrency: string, entryDirection: 'credit' | 'debit', field: string): TxDetails {
  const e2e = text(tx, 'Refs', 'EndToEndId');
  const debtor = at(tx, 'RltdPties', 'Dbtr');
  const rmtInf = at(tx, 'RmtInf');
  const strd = all(rmtInf, 'Strd').map((s) => text(s, 'CdtrRefInf', 'Ref')).find((r) => r !== null) ?? null;
  const ustrd = all(rmtInf, 'Ustrd').map((u) => text(u)).filter((u): u is string => u !== null);
  let own: TxDetails['own'] = null;
  const ownAmount = text(tx, 'Amt') !== null ? amount(tx, field) : text(tx, 'AmtDtls', 'TxAmt', 'Amt') !== null ? amount(at(tx, 'AmtDtls', 'TxAmt'), `${field}.AmtDtls.TxAmt`) : null;
  if (ownAmount && ownAmount.currency === accountCurrency)
    own = { centimes: ownAmount.centimes, direction: text(tx, 'CdtDbtInd') === null ? entryDirection : direction(tx, field) };
  return {
    acctSvcrRef: text(tx, 'Refs', 'AcctSvcrRef'),
    endToEndId: e2e === null || e2e.toUpperCase() === 'NOTPROVIDED' ? null : e2e,
    debtorName: text(debtor, 'Nm') ?? text(debtor, 'Pty', 'Nm'),
    debtorIban: text(tx, 'RltdPties', 'DbtrAcct', 'Id', 'IBAN'),
    structuredReference: strd,
    unstructured: ustrd.length ? ustrd.join(' ') : null,
    original: originalOf(at(tx, 'AmtDtls'), accountCurrency, field),
    own,
  };
}

const signed = (c: Centimes, d: 'credit' | 'debit') => (d === 'credit' ? c : -c);

/** The lines of one booked entry: one per transaction of a batch that gives each its own amount (summing to the entry's), else one. */
function entryLines(entry: Node, index: number, ctx: { messageId: string; statementId: string; currency: string; field: string }): CamtLine[] {
  const field = `${ctx.field}.Ntry[${index}]`;
  const amt = amount(entry, field);
  if (amt.currency !== ctx.currency) refuse(`${field}.Amt`, `is in ${amt.currency}; the account is in ${ctx.currency}`);
  if (amt.centimes === 0n) refuse(`${field}.Amt`, 'is zero');
  const dir = direction(entry, field);
  const bookingDate = dateOf(at(entry, 'BookgDt'), `${field}.BookgDt`);
  const valueDate = dateOf(at(entry, 'ValDt'), `${field}.ValDt`) ?? bookingDate;
  if (valueDate === null) return refuse(`${field}.ValDt`, 'the entry has neither a value date nor a booking date');
  const entryRef = text(entry, 'AcctSvcrRef');
  const txs = all(entry, 'NtryDtls').flatMap((d) => all(d, 'TxDtls'));
  const details = txs.map((tx, i) => txDetails(tx, ctx.currency, dir, `${field}.NtryDtls.TxDtls[${i + 1}]`));
  const base = {
    entryIndex: index,
    currency: ctx.currency,
    bookingDate: bookingDate ?? valueDate,
    valueDate,
  };
  const positional = `${ctx.messageId}/${ctx.statementId}/${index}`;
  const split =
    details.length > 1 &&
    details.every((d) => d.own !== null && d.own.centimes > 0n) &&
    details.reduce((s, d) => s + signed(d.own!.centimes, d.own!.direction), 0n) === signed(amt.centimes, dir);
  if (split) {
    const txRefs = details.map((d) => d.acctSvcrRef);
    const distinct = txRefs.every((r) => r !== null && r !== entryRef) && new Set(txRefs).size === txRefs.length;
    return details.map((d, i) => {
      const { own, ...rest } = d;
      return {
        ...base,
        ...rest,
        txIndex: i + 1,
        entryKey: distinct ? d.acctSvcrRef! : `${entryRef ?? positional}/${i + 1}`,
        acctSvcrRef: d.acctSvcrRef ?? entryRef,
        direction: own!.direction,
        amountCentimes: own!.centimes,
      };
    });
  }
  const one = details.length === 1 ? details[0]! : null;
  const refs = [...new Set(details.map((d) => d.structuredReference).filter((r): r is string => r !== null))];
  const texts = details.map((d) => d.unstructured).filter((u): u is string => u !== null);
  const acctSvcrRef = entryRef ?? one?.acctSvcrRef ?? null;
  return [
    {
      ...base,
      txIndex: null,
      entryKey: acctSvcrRef ?? positional,
      direction: dir,
      amountCentimes: amt.centimes,
      acctSvcrRef,
      endToEndId: one?.endToEndId ?? null,
      debtorName: one?.debtorName ?? null,
      debtorIban: one?.debtorIban ?? null,
      structuredReference: refs.length === 1 ? refs[0]! : null,
      unstructured: texts.length ? texts.join(' ') : text(entry, 'AddtlNtryInf'),
      original: one?.original ?? originalOf(at(entry, 'AmtDtls'), ctx.currency, field),
    },
  ];
}

function balance(bals: Node[], code: string, field: string): CamtStatement['closingBalance'] {
  const i = bals.findIndex((b) => text(b, 'Tp', 'CdOrPrtry', 'Cd') === code);
  if (i < 0) return null;
  const b = bals[i]!;
  const f = `${field}.Bal[${i + 1}]`;
  const { centimes } = amount(b, f);
  const date = dateOf(at(b, 'Dt'), `${f}.Dt`);
  if (date === null) return refuse(`${f}.Dt`, 'is missing');
  return { amountCentimes: signed(centimes, direction(b, f)), date };
}

/** The namespace of the root element: `xmlns` or `xmlns:{prefix}` of its start tag, read with the parser. */
function rootNamespace(xml: string): { name: string; namespace: string | null } {
  const start = /<(?![?!])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s[^>]*?)?)\/?>/.exec(xml);
  if (!start) return refuse('Document', 'the file has no root element');
  const [, qname, attrs] = start;
  const colon = qname!.indexOf(':');
  const prefix = colon < 0 ? null : qname!.slice(0, colon);
  const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseAttributeValue: false }).parse(`<r${attrs}/>`) as { r?: Node };
  const ns = (root.r as Node | undefined)?.[prefix === null ? '@xmlns' : `@xmlns:${prefix}`];
  return { name: colon < 0 ? qname! : qname!.slice(colon + 1), namespace: typeof ns === 'string' ? ns : null };
}

export function parseCamt(file: string): CamtMessage {
  const xml = file.replace(/^\uFEFF/, '');
  if (xml.trim() === '') return refuse('body', 'the file is empty');
  if (/<!DOCTYPE/i.test(xml)) return refuse('body', 'a document type declaration is not allowed in a bank file');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return refuse('body', `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const root = rootNamespace(xml);
  const ns = root.namespace === null ? null : NAMESPACE.exec(root.namespace);
  if (root.name !== 'Document' || !ns)
    return refuse('Document', `unknown message: ${root.namespace ?? `<${root.name}> without a namespace`}; expected camt.053 or camt.054, versions 001.02 to 001.08`);
  const type = ns[1] as CamtType;
  const version = ns[2]!;
  const doc = (parser.parse(xml) as Node[]).find((e) => 'Document' in e);
  const msg = child(doc, MESSAGE[type].root);
  if (!msg) return refuse(`Document.${MESSAGE[type].root}`, `is missing (a ${type} message)`);
  const messageId = text(msg, 'GrpHdr', 'MsgId');
  if (messageId === null) return refuse('GrpHdr.MsgId', 'is missing');
  const items = all(msg, MESSAGE[type].item);
  if (items.length === 0) return refuse(MESSAGE[type].item, 'the message holds no statement or notification');
  const statements = items.map((s, si): CamtStatement => {
    const field = `${MESSAGE[type].item}[${si + 1}]`;
    const statementId = text(s, 'Id');
    if (statementId === null) return refuse(`${field}.Id`, 'is missing');
    const ibanRaw = text(s, 'Acct', 'Id', 'IBAN');
    if (ibanRaw === null) return refuse(`${field}.Acct.Id.IBAN`, 'the account is not named by an IBAN');
    const iban = ibanRaw.replace(/\s+/g, '').toUpperCase();
    if (!isValidIban(iban)) return refuse(`${field}.Acct.Id.IBAN`, `${ibanRaw} is not a valid IBAN`);
    const entries = all(s, 'Ntry');
    const currency = text(s, 'Acct', 'Ccy') ?? attr(at(entries[0], 'Amt'), 'Ccy') ?? 'CHF';
    if (!/^[A-Z]{3}$/.test(currency)) return refuse(`${field}.Acct.Ccy`, `${JSON.stringify(currency)} is not a currency`);
    const bals = all(s, 'Bal');
    const lines: CamtLine[] = [];
    let notBooked = 0;
    entries.forEach((entry, ei) => {
      if (status(entry) !== 'BOOK') notBooked++;
      else lines.push(...entryLines(entry, ei + 1, { messageId, statementId, currency, field }));
    });
    return {
      statementId,
      iban,
      currency,
      openingBalance: balance(bals, 'OPBD', field),
      closingBalance: balance(bals, 'CLBD', field),
      entryCount: entries.length,
      notBooked,
      lines,
    };
  });
  const seen = new Set<string>();
  statements.forEach((s, i) => {
    if (seen.has(s.statementId)) refuse(`${MESSAGE[type].item}[${i + 1}].Id`, `${s.statementId} is the id of an earlier statement of the file`);
    seen.add(s.statementId);
  });
  return { type, version, messageId, statements };
}
