/**
 * The State as a document addresses it (SPEC 9.10): one builder of the
 * PartyBlock for invoices, credit notes, reminders and statements.
 */
import { missionAddresseeLines, numberConvention, qrDebtorName } from '../domain/addressee.js';
import type { MissionAddress, states } from '../db/schema.js';
import type { Lang, PartyBlock } from '../pdf/types.js';
import { nameIn } from './states.js';

type StateRow = typeof states.$inferSelect;

/** Country names of the Missions' postal addresses, in the document's language (others print their ISO code). */
const COUNTRY: Record<string, Record<Lang, string>> = {
  CH: { en: 'Switzerland', fr: 'Suisse', es: 'Suiza' },
  FR: { en: 'France', fr: 'France', es: 'Francia' },
};

/** The postal lines of a Mission's address: street and number, postcode and city, country in the document's language. */
export function postalLines(address: MissionAddress, lang: Lang): string[] {
  const street = address.buildingNumber ? `${address.street} ${address.buildingNumber}` : address.street;
  return [street, `${address.postalCode} ${address.city}`, COUNTRY[address.countryCode]?.[lang] ?? address.countryCode];
}

/**
 * The PartyBlock of a State in a document language: its short name; the
 * Mission's addressee lines when the register has its formal name in that
 * language, then the postal lines of its structured address (the billing
 * lines when it has none); without an addressee, the billing lines as
 * entered (the postal lines when there are none); its e-mails; its number
 * convention; and the QR-bill debtor when the address is structured.
 */
export function partyBlock(state: StateRow, lang: Lang): PartyBlock {
  const name = nameIn(state, lang);
  const formal = state.formalNames?.[lang];
  const address = state.missionAddress;
  const postal = address ? postalLines(address, lang) : state.billingAddressLines;
  const addressLines = formal || state.billingAddressLines.length === 0 ? postal : state.billingAddressLines;
  return {
    iso3: state.iso3,
    name,
    ...(formal ? { addressee: missionAddresseeLines(lang, formal) } : {}),
    addressLines: [...addressLines],
    emails: [...state.billingEmails],
    numberConvention: numberConvention(state.numberLocale, lang),
    ...(address
      ? {
          debtor: {
            name: qrDebtorName(lang, formal, name),
            address: address.street,
            ...(address.buildingNumber ? { buildingNumber: address.buildingNumber } : {}),
            zip: address.postalCode,
            city: address.city,
            country: address.countryCode,
          },
        }
      : {}),
  };
}
