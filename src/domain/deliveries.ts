/**
 * Who still needs a document (SPEC 9.7). A document goes to each of its
 * State's billing e-mails, one message and one logged attempt per address;
 * the latest attempt for an address is its status. From the addresses and
 * the attempts logged for one document, what a run does for each address:
 * send, log that there is no address, or skip and why. Pure.
 */

export type DeliveryStatus = 'sent' | 'failed' | 'written';

export interface Attempt {
  id: number;
  recipient: string;
  status: DeliveryStatus;
}

/** The recipient of the attempt logged when the State had no billing e-mail (it fails, saying so). */
export const NO_RECIPIENT = '';

export type SkipReason =
  | 'already delivered'
  | 'failed earlier: retry it'
  | 'no billing e-mail (already logged)'
  | 'no longer a billing e-mail'
  | 'still no billing e-mail'
  | 'every billing e-mail was tried';

export type Step =
  | { action: 'send'; recipient: string; retryOf: number | null }
  /** Log a failed attempt to NO_RECIPIENT: the State has no billing e-mail. */
  | { action: 'no-address'; recipient: typeof NO_RECIPIENT; retryOf: number | null }
  | { action: 'skip'; recipient: string; reason: SkipReason };

/** E-mail addresses compare without regard to case. */
export function addressKey(address: string): string {
  return address.toLowerCase();
}

/** The addresses once each (the first spelling kept), in their order. */
export function uniqueAddresses(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => !seen.has(addressKey(a)) && seen.add(addressKey(a)));
}

/** The latest attempt (highest id) for each recipient, keyed by addressKey. */
export function latestByRecipient(attempts: readonly Attempt[]): Map<string, Attempt> {
  const latest = new Map<string, Attempt>();
  for (const a of [...attempts].sort((x, y) => x.id - y.id)) latest.set(addressKey(a.recipient), a);
  return latest;
}

/**
 * The failures a retry tries again, oldest first: each recipient's latest
 * attempt when it failed — the no-address failure only while nothing was
 * attempted for the document after it.
 */
export function pendingFailures(attempts: readonly Attempt[]): Attempt[] {
  const lastId = Math.max(...attempts.map((a) => a.id));
  return [...latestByRecipient(attempts).values()]
    .filter((a) => a.status === 'failed' && (a.recipient !== NO_RECIPIENT || a.id === lastId))
    .sort((x, y) => x.id - y.id);
}

/**
 * A send run: every address that has no attempt yet gets the document; one
 * already delivered (sent or written) is skipped unless `resend`, one whose
 * last attempt failed waits for a retry (or a resend). No address at all: a
 * failed attempt is logged once (again on a resend), unless the document was
 * delivered before.
 */
export function planSend(addresses: readonly string[], attempts: readonly Attempt[], resend: boolean): Step[] {
  const latest = latestByRecipient(attempts);
  const unique = uniqueAddresses(addresses);
  if (unique.length === 0) {
    if (resend) return [{ action: 'no-address', recipient: NO_RECIPIENT, retryOf: null }];
    if (attempts.some((a) => a.status !== 'failed')) return [{ action: 'skip', recipient: NO_RECIPIENT, reason: 'already delivered' }];
    if (latest.has(NO_RECIPIENT)) return [{ action: 'skip', recipient: NO_RECIPIENT, reason: 'no billing e-mail (already logged)' }];
    return [{ action: 'no-address', recipient: NO_RECIPIENT, retryOf: null }];
  }
  return unique.map((recipient): Step => {
    const last = latest.get(addressKey(recipient));
    if (resend || last === undefined) return { action: 'send', recipient, retryOf: null };
    return { action: 'skip', recipient, reason: last.status === 'failed' ? 'failed earlier: retry it' : 'already delivered' };
  });
}

/**
 * A retry run: each pending failure once. A failed address is tried again
 * while it is still a billing e-mail of the State; the no-address failure
 * sends to the addresses the State has now that were never tried.
 */
export function planRetry(addresses: readonly string[], attempts: readonly Attempt[]): Step[] {
  const latest = latestByRecipient(attempts);
  const unique = uniqueAddresses(addresses);
  const current = new Set(unique.map(addressKey));
  return pendingFailures(attempts).flatMap((failure): Step[] => {
    if (failure.recipient !== NO_RECIPIENT)
      return current.has(addressKey(failure.recipient))
        ? [{ action: 'send', recipient: failure.recipient, retryOf: failure.id }]
        : [{ action: 'skip', recipient: failure.recipient, reason: 'no longer a billing e-mail' }];
    if (unique.length === 0) return [{ action: 'skip', recipient: NO_RECIPIENT, reason: 'still no billing e-mail' }];
    const untried = unique.filter((a) => !latest.has(addressKey(a)));
    if (untried.length === 0) return [{ action: 'skip', recipient: NO_RECIPIENT, reason: 'every billing e-mail was tried' }];
    return untried.map((recipient): Step => ({ action: 'send', recipient, retryOf: failure.id }));
  });
}
