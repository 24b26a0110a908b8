import { z } from 'zod';
import { iso3, isoDate, money, moneyOut, nonEmptyText } from './common.js';
import { invoiceNumberParam } from './invoices.js';
import { Dec } from '../domain/money.js';
import { NUMBER_CONVENTIONS } from '../domain/addressee.js';

/** Two decimal amounts equal as numbers ("100" and "100.000"), without a JS number. */
function sameAmount(a: string, b: string): boolean {
  try {
    return new Dec(a).eq(new Dec(b));
  } catch {
    return false;
  }
}

export const paymentCreate = z
  .strictObject({
    iso3: iso3.optional().meta({ description: 'The paying State (or give `donor`)' }),
    donor: nonEmptyText(200).optional().meta({ description: 'A donor that is not a State Party (voluntary or reserve money only)' }),
    amount: money.meta({ description: 'Amount credited in CHF' }),
    receivedOn: isoDate.meta({ description: 'Value date' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code, e.g. "EUR"' })
      .optional()
      .meta({ description: 'Original currency, when not CHF' }),
    originalAmount: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,3})?$/, { message: 'must be a decimal string with at most 3 decimals' })
      .optional(),
    reference: nonEmptyText(140).optional().meta({ description: 'Payment reference quoted by the payer; an invoice’s RF creditor reference directs the money to that invoice' }),
    bankReference: nonEmptyText(140).optional(),
    purpose: z.enum(['assessed', 'voluntary', 'reserve']).optional().meta({ description: 'Default `assessed`' }),
    invoice: invoiceNumberParam.optional().meta({ description: 'Apply to this invoice only; the rest stays as unapplied credit' }),
    allowDuplicateBankReference: z
      .boolean()
      .optional()
      .meta({ description: 'Record it although a payment that is not reversed carries the same bankReference (otherwise 409)' }),
    ignoreReferenceMismatch: z
      .boolean()
      .optional()
      .meta({ description: "Record it for iso3 although its RF reference is another State's invoice (otherwise 422 naming that State)" }),
    confirmLarge: z
      .boolean()
      .optional()
      .meta({ description: 'Record it although the amount is above the large-payment limit (default: the budget of the year of receivedOn; otherwise 422 naming amount)' }),
  })
  .superRefine((p, ctx) => {
    if (p.iso3 !== undefined && p.donor !== undefined)
      ctx.addIssue({ code: 'custom', path: ['iso3'], message: 'give either iso3 (a State) or donor, not both' });
    if (p.iso3 === undefined && p.donor === undefined && p.reference === undefined)
      ctx.addIssue({ code: 'custom', path: ['iso3'], message: 'give iso3 (a State) or donor, or the RF reference of one of our invoices to take the State from' });
    if (p.currency === 'CHF' && p.originalAmount !== undefined && typeof p.amount === 'string' && !sameAmount(p.originalAmount, p.amount))
      ctx.addIssue({ code: 'custom', path: ['originalAmount'], message: `in CHF the original amount is the amount credited (${p.amount}); leave currency out for a payment in CHF` });
    if (typeof p.amount === 'string' && /^0(\.0{1,2})?$/.test(p.amount)) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be greater than 0' });
    if ((p.purpose ?? 'assessed') === 'assessed' && p.iso3 === undefined && p.donor !== undefined)
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'only a State pays assessed contributions; a donor gives `voluntary` or `reserve` money' });
    if ((p.currency === undefined) !== (p.originalAmount === undefined))
      ctx.addIssue({ code: 'custom', path: [p.currency === undefined ? 'currency' : 'originalAmount'], message: 'give currency and originalAmount together' });
    if (p.invoice !== undefined && (p.purpose ?? 'assessed') !== 'assessed')
      ctx.addIssue({ code: 'custom', path: ['invoice'], message: 'only assessed money is applied to an invoice' });
  })
  .meta({ id: 'PaymentCreate' });

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ message: 'the Idempotency-Key header is required' })
    .regex(/^[\x21-\x7e]{1,200}$/, { message: 'the Idempotency-Key header must be 1–200 visible ASCII characters' }),
});

export const paymentOut = z
  .object({
    id: z.int(),
    iso3: z.string().nullable(),
    donor: z.string().nullable(),
    amount: moneyOut,
    receivedOn: z.string(),
    currency: z.string().nullable(),
    originalAmount: z.string().nullable(),
    reference: z.string().nullable(),
    bankReference: z.string().nullable(),
    purpose: z.enum(['assessed', 'voluntary', 'reserve']),
    invoice: z.string().nullable(),
    applications: z.array(z.object({ invoice: z.string(), category: z.string(), amount: moneyOut, appliedOn: z.string() })),
    unapplied: moneyOut.meta({ description: 'What this payment left as unapplied credit' }),
    status: z.enum(['recorded', 'reversed']),
    reversal: z
      .object({ date: z.string(), reason: z.string(), replacementPaymentId: z.int().nullable() })
      .nullable()
      .meta({ description: 'When the payment was reversed: the date, the reason and, for a reallocation, the payment recorded in its place' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Payment' });

export const reverseBody = z
  .strictObject({
    reason: nonEmptyText(500),
    date: isoDate.optional().meta({ description: "Default: the original's date, or the first open date when that is in a closed period" }),
  })
  .meta({ id: 'Reverse' });

export const reallocateBody = z
  .strictObject({
    iso3: iso3.optional().meta({ description: 'The State that really paid (or give `donor`)' }),
    donor: nonEmptyText(200).optional(),
    purpose: z.enum(['assessed', 'voluntary', 'reserve']).optional().meta({ description: "Default: the original's" }),
    invoice: invoiceNumberParam.optional(),
    reason: nonEmptyText(500),
  })
  .superRefine((p, ctx) => {
    if ((p.iso3 === undefined) === (p.donor === undefined))
      ctx.addIssue({ code: 'custom', path: ['iso3'], message: 'give either iso3 (a State) or donor, not both or neither' });
  })
  .meta({ id: 'Reallocate' });

export const reversalOut = z
  .object({
    id: z.int(),
    entity: z.enum(['payment', 'expenditure', 'reserve-movement']),
    entityId: z.int(),
    date: z.string(),
    reason: z.string(),
    replacementPaymentId: z.int().nullable(),
  })
  .meta({ id: 'Reversal' });

export const creditApply = z
  .strictObject({
    invoice: invoiceNumberParam,
    amount: money.optional().meta({ description: 'Default: all the credit the invoice can take' }),
    date: isoDate.optional(),
  })
  .meta({ id: 'CreditApply' });

export const creditReclassify = z
  .strictObject({
    amount: money,
    to: z.enum(['voluntary', 'reserve']),
    date: isoDate.optional(),
  })
  .meta({ id: 'CreditReclassify' });

export const balanceOut = z
  .object({
    iso3: z.string(),
    asOf: z.string(),
    invoiced: moneyOut,
    credited: moneyOut.meta({ description: 'Credit notes' }),
    paid: moneyOut.meta({ description: 'Payments applied to invoices' }),
    outstanding: moneyOut.meta({ description: 'invoiced − credited − paid' }),
    unappliedCredit: moneyOut,
    received: moneyOut.meta({ description: 'Assessed money received (applied or not)' }),
    arrears: z.array(z.object({ year: z.int(), amount: moneyOut })).meta({ description: 'Unpaid after the cut-off date, by budget year' }),
  })
  .meta({ id: 'Balance' });

export const statementOut = z
  .object({
    iso3: z.string(),
    language: z.enum(['en', 'fr', 'es']),
    generatedOn: z.string(),
    from: z.string(),
    to: z.string(),
    state: z.object({
      iso3: z.string(),
      name: z.string(),
      addressee: z.array(z.string()).optional().meta({ description: "The Mission's addressee lines in the statement's language" }),
      addressLines: z.array(z.string()),
      emails: z.array(z.string()),
      numberConvention: z.enum(NUMBER_CONVENTIONS).optional(),
      debtor: z
        .object({ name: z.string(), address: z.string(), buildingNumber: z.string().optional(), zip: z.string(), city: z.string(), country: z.string() })
        .optional(),
    }),
    openingBalance: moneyOut,
    lines: z.array(
      z.object({
        date: z.string(),
        kind: z.enum(['invoice', 'credit-note', 'payment', 'payment-reversal', 'credit-application', 'reclassification']),
        reference: z.string(),
        budgetYear: z.int().nullable().meta({ description: 'The budget year the line concerns (the earliest when several)' }),
        budgetYears: z.array(z.int()).meta({ description: 'Every budget year the line concerns: a payment may pay several' }),
        dueDate: z.string().nullable().meta({ description: "An invoice's cut-off date (payable by)" }),
        applied: z.array(z.object({ invoice: z.string(), year: z.int(), amount: moneyOut })).meta({ description: 'What a payment or credit application paid, invoice by invoice' }),
        keptAsCredit: z.string().meta({ description: 'The part of a payment kept as unapplied credit ("" when none)' }),
        original: z.object({ currency: z.string(), amount: z.string() }).nullable().meta({ description: "A payment's original currency and amount, when the bank converted it" }),
        reclassifiedTo: z.enum(['voluntary', 'reserve']).nullable(),
        debit: z.string(),
        credit: z.string(),
        balance: moneyOut,
      }),
    ),
    closingBalance: moneyOut,
    unappliedCredit: moneyOut,
    arrears: z.array(z.object({ year: z.int(), amount: moneyOut })),
    otherContributions: z
      .array(
        z.object({
          date: z.string(),
          purpose: z.enum(['voluntary', 'reserve']),
          reference: z.string(),
          amount: moneyOut,
          original: z.object({ currency: z.string(), amount: z.string() }).nullable(),
        }),
      )
      .meta({ description: 'Money the State sent in the period beyond its assessments, not on the account: voluntary contributions and contributions to the reserve' }),
  })
  .meta({ id: 'Statement' });

const statusFigures = {
  priorAtStart: moneyOut.meta({
    description: 'Unpaid on invoices of earlier budget years at the start of the year (the ledger through 31 December of the year before, or through the as-of date when it is earlier), plus earlier years\' invoices issued since',
  }),
  priorCollected: moneyOut.meta({ description: 'Money applied to invoices of earlier years between the start of the year and the as-of date' }),
  priorCredited: moneyOut.meta({ description: 'Credit notes on invoices of earlier years between the start of the year and the as-of date' }),
  priorOutstanding: moneyOut.meta({ description: 'priorAtStart − priorCollected − priorCredited' }),
  assessed: moneyOut.meta({ description: 'Invoiced for the budget year by the as-of date (the batch, supplementary and late invoices)' }),
  credited: moneyOut.meta({ description: 'Credit notes on invoices of the year by the as-of date (a cancelled invoice is credited, it never disappears)' }),
  collected: moneyOut.meta({ description: 'Money applied to invoices of the year by the as-of date, whenever it was received' }),
  outstanding: moneyOut.meta({ description: 'assessed − credited − collected' }),
  received: moneyOut.meta({ description: 'Money with a value date in the calendar year up to the as-of date, whatever it paid' }),
  inExcess: moneyOut.meta({
    description: 'The part of received not applied to any invoice by the as-of date (voluntary, to the reserve, or still unapplied credit); each franc is counted in the year it was received, once',
  }),
  unappliedCredit: moneyOut.meta({ description: "The State's unapplied credit at the as-of date" }),
};

export const statusReportOut = z
  .object({
    year: z.int(),
    asOf: z.string(),
    language: z.enum(['en', 'fr', 'es']).meta({ description: 'Language of the State names, which also decides their order' }),
    generatedOn: z.string(),
    budget: moneyOut,
    cutoffDate: z.string(),
    rows: z.array(
      z.object({
        iso3: z.string(),
        name: z.string(),
        ...statusFigures,
        status: z.enum(['paid', 'partial', 'unpaid', 'credited', 'not-assessed']).meta({
          description:
            'paid: nothing outstanding on a net assessment; partial: some collected; unpaid: nothing collected; credited: the whole assessment was credited (cancelled); not-assessed: no invoice of the year (the row is there for arrears or money)',
        }),
      }),
    ),
    otherDonors: z.array(z.object({ donor: z.string(), purpose: z.enum(['voluntary', 'reserve']), amount: moneyOut })),
    totals: z.object(statusFigures),
    coverage: z.object({
      collectedPercent: z.string().meta({ description: 'collected ÷ budget, percent with one decimal' }),
      withExcessPercent: z.string().meta({ description: '(collected + inExcess) ÷ budget, percent with one decimal' }),
    }),
    counts: z.object({
      assessed: z.int(),
      paid: z.int(),
      partial: z.int(),
      unpaid: z.int(),
      credited: z.int(),
      sharePaidPercent: z.string(),
      sharePartialPercent: z.string(),
      shareUnpaidPercent: z.string(),
      shareContributingPercent: z.string(),
    }),
    honourRoll: z.array(z.object({ iso3: z.string(), name: z.string() })),
    lateAssessments: z
      .array(z.object({ iso3: z.string(), name: z.string(), invoice: z.string(), amount: moneyOut }))
      .meta({ description: 'Late invoices of the year (States assessed after the batch, SPEC 9.3): assessed beyond the budget, included in `assessed`, shown apart' }),
  })
  .meta({ id: 'StatusOfContributions' });
