/**
 * The services' messages (English, for the API) said in a page's language.
 * Each area of the pages adds the messages its forms can meet
 * (`addServiceMessages`, when its text module loads); the pages' error
 * handler and the forms' field messages pass every service message through
 * `serviceMessageIn`. A message no area knows is kept as the service wrote it.
 */
import type { Lang as FormLang } from '../../pdf/types.js';

export interface ServiceMessage {
  /** Matches the English message (anchored); its groups are the variable parts. */
  pattern: RegExp;
  fr: (m: RegExpExecArray) => string;
  es: (m: RegExpExecArray) => string;
}

const MESSAGES: ServiceMessage[] = [];

export function addServiceMessages(list: readonly ServiceMessage[]): void {
  for (const s of list) if (!MESSAGES.some((x) => x.pattern.source === s.pattern.source)) MESSAGES.push(s);
}

export function serviceMessageIn(lang: FormLang, message: string): string {
  if (lang === 'en') return message;
  for (const s of MESSAGES) {
    const m = s.pattern.exec(message);
    if (m) return s[lang](m);
  }
  return message;
}

/** How many messages are known (for tests). */
export function knownServiceMessages(): readonly ServiceMessage[] {
  return MESSAGES;
}
