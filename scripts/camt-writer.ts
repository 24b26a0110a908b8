/**
 * Writes ISO 20022 camt.053.001.08 bank statements: for the demo's statement
 * (scripts/demo-camt053.ts), the benchmark's 10,000-entry file and the
 * tests' generated cases. Never used by the program itself, which only reads
 * bank files. The closing balance is the opening one plus the booked entries.
 */
import { formatMoney, parseMoney } from '../src/domain/money.js';

export interface WriterEntry {
  /** AcctSvcrRef. */
  ref: string;
  direction: 'credit' | 'debit';
  /** In the account's currency, e.g. "1234.50". */
  amount: string;
  valueDate: string;
  bookingDate?: string;
  status?: 'BOOK' | 'PDNG';
  endToEndId?: string;
  debtorName?: string;
  debtorIban?: string;
  /** RmtInf/Strd/CdtrRefInf/Ref with type SCOR. */
  creditorReference?: string;
  unstructured?: string[];
  /** The instructed amount when the bank converted. */
  instructed?: { currency: string; amount: string; rate: string };
  /** BkTxCd domain/family/sub-family (default PMNT/RCDT/ESCT, or ACMT/MDOP/CHRG for a debit). */
  code?: [string, string, string];
  additionalInfo?: string;
}

export interface WriterStatement {
  id: string;
  sequence: number;
  iban: string;
  currency?: string;
  from: string;
  to: string;
  /** Signed opening balance, e.g. "1000.00" or "-20.00". */
  opening: string;
  entries: WriterEntry[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function balance(code: 'OPBD' | 'CLBD', centimes: bigint, currency: string, date: string): string {
  const abs = centimes < 0n ? -centimes : centimes;
  return `      <Bal>
        <Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="${currency}">${formatMoney(abs)}</Amt>
        <CdtDbtInd>${centimes < 0n ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        <Dt><Dt>${date}</Dt></Dt>
      </Bal>
`;
}

function entry(e: WriterEntry, i: number, currency: string): string {
  const ind = e.direction === 'credit' ? 'CRDT' : 'DBIT';
  const [domain, family, sub] = e.code ?? (e.direction === 'credit' ? ['PMNT', 'RCDT', 'ESCT'] : ['ACMT', 'MDOP', 'CHRG']);
  const amtDtls = e.instructed
    ? `
            <AmtDtls>
              <InstdAmt>
                <Amt Ccy="${e.instructed.currency}">${e.instructed.amount}</Amt>
                <CcyXchg><SrcCcy>${e.instructed.currency}</SrcCcy><TrgtCcy>${currency}</TrgtCcy><UnitCcy>${e.instructed.currency}</UnitCcy><XchgRate>${e.instructed.rate}</XchgRate></CcyXchg>
              </InstdAmt>
              <TxAmt><Amt Ccy="${currency}">${e.amount}</Amt></TxAmt>
            </AmtDtls>`
    : '';
  const parties =
    e.debtorName || e.debtorIban
      ? `
            <RltdPties>${e.debtorName ? `
              <Dbtr><Pty><Nm>${esc(e.debtorName)}</Nm></Pty></Dbtr>` : ''}${e.debtorIban ? `
              <DbtrAcct><Id><IBAN>${e.debtorIban}</IBAN></Id></DbtrAcct>` : ''}
            </RltdPties>`
      : '';
  const rmt =
    e.unstructured?.length || e.creditorReference
      ? `
            <RmtInf>${(e.unstructured ?? []).map((u) => `
              <Ustrd>${esc(u)}</Ustrd>`).join('')}${e.creditorReference ? `
              <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${esc(e.creditorReference)}</Ref></CdtrRefInf></Strd>` : ''}
            </RmtInf>`
      : '';
  const details =
    amtDtls || parties || rmt || e.endToEndId
      ? `
        <NtryDtls>
          <TxDtls>
            <Refs><AcctSvcrRef>${esc(e.ref)}</AcctSvcrRef><EndToEndId>${esc(e.endToEndId ?? 'NOTPROVIDED')}</EndToEndId></Refs>
            <Amt Ccy="${currency}">${e.amount}</Amt>
            <CdtDbtInd>${ind}</CdtDbtInd>${amtDtls}${parties}${rmt}
          </TxDtls>
        </NtryDtls>`
      : '';
  return `      <Ntry>
        <NtryRef>${i + 1}</NtryRef>
        <Amt Ccy="${currency}">${e.amount}</Amt>
        <CdtDbtInd>${ind}</CdtDbtInd>
        <Sts><Cd>${e.status ?? 'BOOK'}</Cd></Sts>
        <BookgDt><Dt>${e.bookingDate ?? e.valueDate}</Dt></BookgDt>
        <ValDt><Dt>${e.valueDate}</Dt></ValDt>
        <AcctSvcrRef>${esc(e.ref)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>${details}${e.additionalInfo ? `
        <AddtlNtryInf>${esc(e.additionalInfo)}</AddtlNtryInf>` : ''}
      </Ntry>
`;
}

/** The closing balance of a statement: its opening plus its booked credits, less its booked debits, in centimes. */
export function closingCentimes(s: WriterStatement): bigint {
  return s.entries
    .filter((e) => (e.status ?? 'BOOK') === 'BOOK')
    .reduce((sum, e) => sum + (e.direction === 'credit' ? parseMoney(e.amount) : -parseMoney(e.amount)), parseMoney(s.opening, { signed: true }));
}

export function camt053(message: { messageId: string; createdAt: string; statements: WriterStatement[] }): string {
  const stmts = message.statements.map((s) => {
    const currency = s.currency ?? 'CHF';
    return `    <Stmt>
      <Id>${esc(s.id)}</Id>
      <ElctrncSeqNb>${s.sequence}</ElctrncSeqNb>
      <CreDtTm>${message.createdAt}</CreDtTm>
      <FrToDt><FrDtTm>${s.from}T00:00:00</FrDtTm><ToDtTm>${s.to}T23:59:59</ToDtTm></FrToDt>
      <Acct>
        <Id><IBAN>${s.iban}</IBAN></Id>
        <Ccy>${currency}</Ccy>
      </Acct>
${balance('OPBD', parseMoney(s.opening, { signed: true }), currency, s.from)}${balance('CLBD', closingCentimes(s), currency, s.to)}${s.entries.map((e, i) => entry(e, i, currency)).join('')}    </Stmt>
`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>${esc(message.messageId)}</MsgId>
      <CreDtTm>${message.createdAt}</CreDtTm>
    </GrpHdr>
${stmts.join('')}  </BkToCstmrStmt>
</Document>
`;
}
