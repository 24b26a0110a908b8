import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressKey,
  latestByRecipient,
  NO_RECIPIENT,
  pendingFailures,
  planRetry,
  planSend,
  uniqueAddresses,
  type Attempt,
  type DeliveryStatus,
} from '../../src/domain/deliveries.js';

const a = (id: number, recipient: string, status: DeliveryStatus): Attempt => ({ id, recipient, status });
const send = (recipient: string, retryOf: number | null = null) => ({ action: 'send', recipient, retryOf });
const skip = (recipient: string, reason: string) => ({ action: 'skip', recipient, reason });
const noAddress = (retryOf: number | null = null) => ({ action: 'no-address', recipient: NO_RECIPIENT, retryOf });

describe('addresses', () => {
  it('compare without regard to case', () => {
    expect(addressKey('Mission.FRA@Example.org')).toBe('mission.fra@example.org');
    expect(NO_RECIPIENT).toBe('');
  });

  it('once each, the first spelling kept, in order', () => {
    expect(uniqueAddresses(['b@x.org', 'A@x.org', 'a@X.org', 'b@x.org', 'c@x.org'])).toEqual(['b@x.org', 'A@x.org', 'c@x.org']);
    expect(uniqueAddresses([])).toEqual([]);
  });
});

describe('latestByRecipient', () => {
  it('keeps the attempt with the highest id for each recipient, whatever the order given', () => {
    const attempts = [a(5, 'x@y.org', 'sent'), a(2, 'X@y.org', 'failed'), a(7, 'z@y.org', 'failed'), a(3, 'z@y.org', 'sent'), a(1, '', 'failed')];
    const latest = latestByRecipient(attempts);
    expect([...latest.keys()].sort()).toEqual(['', 'x@y.org', 'z@y.org']);
    expect(latest.get('x@y.org')).toEqual(a(5, 'x@y.org', 'sent'));
    expect(latest.get('z@y.org')).toEqual(a(7, 'z@y.org', 'failed'));
    expect(latest.get('')).toEqual(a(1, '', 'failed'));
    expect(latestByRecipient([a(0, 'x@y.org', 'failed')]).get('x@y.org')?.id).toBe(0);
  });
});

describe('pendingFailures', () => {
  it("each recipient's latest attempt when it failed, oldest first", () => {
    const attempts = [a(1, 'x@y.org', 'failed'), a(2, 'z@y.org', 'failed'), a(3, 'x@y.org', 'sent'), a(4, 'w@y.org', 'failed'), a(5, 'v@y.org', 'written')];
    expect(pendingFailures(attempts)).toEqual([a(2, 'z@y.org', 'failed'), a(4, 'w@y.org', 'failed')]);
    expect(pendingFailures([a(9, 'b@y.org', 'failed'), a(8, 'a@y.org', 'failed')]).map((x) => x.id)).toEqual([8, 9]);
    // x was first tried before y and z, but its failure is the latest.
    const xLast = [a(1, 'x@y.org', 'sent'), a(2, 'y@y.org', 'failed'), a(3, 'z@y.org', 'failed'), a(4, 'x@y.org', 'failed')];
    expect(pendingFailures(xLast).map((x) => x.id)).toEqual([2, 3, 4]);
    expect(pendingFailures([...xLast].reverse()).map((x) => x.id)).toEqual([2, 3, 4]);
    expect(pendingFailures([])).toEqual([]);
  });

  it('the no-address failure only while nothing was attempted after it', () => {
    expect(pendingFailures([a(1, '', 'failed')])).toEqual([a(1, '', 'failed')]);
    expect(pendingFailures([a(1, '', 'failed'), a(2, 'x@y.org', 'sent')])).toEqual([]);
    expect(pendingFailures([a(3, '', 'failed'), a(2, 'x@y.org', 'failed')])).toEqual([a(2, 'x@y.org', 'failed'), a(3, '', 'failed')]);
    expect(pendingFailures([a(1, '', 'failed'), a(2, 'x@y.org', 'failed')])).toEqual([a(2, 'x@y.org', 'failed')]);
  });
});

describe('planSend', () => {
  it('sends to every address never tried, once per address', () => {
    expect(planSend(['a@x.org', 'B@x.org', 'b@x.org'], [], false)).toEqual([send('a@x.org'), send('B@x.org')]);
  });

  it('skips an address already delivered (sent or written) and one whose last attempt failed', () => {
    const attempts = [a(1, 'a@x.org', 'sent'), a(2, 'b@x.org', 'written'), a(3, 'c@x.org', 'failed'), a(4, 'd@x.org', 'failed'), a(5, 'd@x.org', 'sent')];
    expect(planSend(['A@x.org', 'b@x.org', 'c@x.org', 'd@x.org', 'e@x.org'], attempts, false)).toEqual([
      skip('A@x.org', 'already delivered'),
      skip('b@x.org', 'already delivered'),
      skip('c@x.org', 'failed earlier: retry it'),
      skip('d@x.org', 'already delivered'),
      send('e@x.org'),
    ]);
  });

  it('resends to every address when asked', () => {
    const attempts = [a(1, 'a@x.org', 'sent'), a(2, 'b@x.org', 'failed')];
    expect(planSend(['a@x.org', 'b@x.org', 'c@x.org'], attempts, true)).toEqual([send('a@x.org'), send('b@x.org'), send('c@x.org')]);
  });

  it('no address: logs the failure once, again on a resend, never once the document was delivered', () => {
    expect(planSend([], [], false)).toEqual([noAddress()]);
    expect(planSend([], [a(1, '', 'failed')], false)).toEqual([skip('', 'no billing e-mail (already logged)')]);
    expect(planSend([], [a(1, '', 'failed')], true)).toEqual([noAddress()]);
    expect(planSend([], [a(1, 'a@x.org', 'written')], false)).toEqual([skip('', 'already delivered')]);
    expect(planSend([], [a(1, 'a@x.org', 'sent'), a(2, '', 'failed')], false)).toEqual([skip('', 'already delivered')]);
    expect(planSend([], [a(1, 'a@x.org', 'failed')], false)).toEqual([noAddress()]);
  });
});

describe('planRetry', () => {
  it('tries each pending failure once, at the address that failed, naming it', () => {
    const attempts = [a(1, 'a@x.org', 'failed'), a(2, 'b@x.org', 'sent'), a(3, 'c@x.org', 'failed'), a(4, 'c@x.org', 'failed'), a(5, 'd@x.org', 'failed'), a(6, 'd@x.org', 'sent')];
    expect(planRetry(['A@x.org', 'b@x.org', 'c@x.org', 'd@x.org'], attempts)).toEqual([send('a@x.org', 1), send('c@x.org', 4)]);
    expect(planRetry(['a@x.org'], [a(1, 'a@x.org', 'sent')])).toEqual([]);
  });

  it('does not write to an address the State no longer has', () => {
    expect(planRetry(['b@x.org'], [a(1, 'a@x.org', 'failed')])).toEqual([skip('a@x.org', 'no longer a billing e-mail')]);
  });

  it('a State that had no address gets the document at the addresses it has now, that were never tried', () => {
    expect(planRetry([], [a(1, '', 'failed')])).toEqual([skip('', 'still no billing e-mail')]);
    expect(planRetry(['a@x.org', 'A@x.org', 'b@x.org'], [a(1, '', 'failed')])).toEqual([send('a@x.org', 1), send('b@x.org', 1)]);
    expect(planRetry(['a@x.org', 'b@x.org'], [a(1, 'a@x.org', 'sent'), a(2, '', 'failed')])).toEqual([send('b@x.org', 2)]);
    expect(planRetry(['a@x.org'], [a(1, 'a@x.org', 'sent'), a(2, '', 'failed')])).toEqual([skip('', 'every billing e-mail was tried')]);
  });
});

/** Random logs of one document: a few addresses (with case variants and the empty recipient) and statuses, ids unique. */
const ADDRESSES = ['a@x.org', 'A@x.org', 'b@x.org', 'c@x.org', ''];
const attemptsArb = fc
  .array(fc.record({ recipient: fc.constantFrom(...ADDRESSES), status: fc.constantFrom<DeliveryStatus>('sent', 'failed', 'written') }), { maxLength: 8 })
  .chain((rows) => fc.shuffledSubarray([...Array(rows.length).keys()].map((i) => i * 3 + 1), { minLength: rows.length, maxLength: rows.length }).map((ids) => rows.map((r, i) => ({ ...r, id: ids[i]! }))));
const addressesArb = fc.array(fc.constantFrom('a@x.org', 'A@x.org', 'b@x.org', 'c@x.org', 'd@x.org'), { maxLength: 4 });

/** The model: replay the log in id order, keeping each key's status. */
function model(attempts: Attempt[]): Map<string, Attempt> {
  const m = new Map<string, Attempt>();
  for (const x of [...attempts].sort((p, q) => p.id - q.id)) m.set(x.recipient.toLowerCase(), x);
  return m;
}

describe('properties', () => {
  it('latest = the log replayed in order', () => {
    fc.assert(
      fc.property(attemptsArb, (attempts) => {
        expect(latestByRecipient(attempts)).toEqual(model(attempts));
      }),
    );
  });

  it('a send run never sends twice to an address, never to one already delivered unless resend, and always to one never tried', () => {
    fc.assert(
      fc.property(addressesArb, attemptsArb, fc.boolean(), (addresses, attempts, resend) => {
        const steps = planSend(addresses, attempts, resend);
        const sent = steps.filter((s) => s.action === 'send').map((s) => s.recipient.toLowerCase());
        expect(new Set(sent).size).toBe(sent.length);
        const latest = model(attempts);
        for (const address of addresses) {
          const key = address.toLowerCase();
          if (resend || !latest.has(key)) expect(sent).toContain(key);
          else expect(sent).not.toContain(key);
        }
        // One step per distinct address (or the single no-address step).
        expect(steps).toHaveLength(Math.max(1, new Set(addresses.map((x) => x.toLowerCase())).size));
        for (const s of steps) expect(s.action === 'send' ? s.retryOf : null).toBeNull();
      }),
    );
  });

  it('a retry sends only to current addresses, each at most once, every retryOf a pending failure', () => {
    fc.assert(
      fc.property(addressesArb, attemptsArb, (addresses, attempts) => {
        const steps = planRetry(addresses, attempts);
        const pending = new Set(pendingFailures(attempts).map((p) => p.id));
        const current = new Set(addresses.map((x) => x.toLowerCase()));
        const sends = steps.flatMap((s) => (s.action === 'send' ? [s] : []));
        expect(new Set(sends.map((s) => s.recipient.toLowerCase())).size).toBe(sends.length);
        for (const s of sends) {
          expect(current.has(s.recipient.toLowerCase())).toBe(true);
          expect(pending.has(s.retryOf!)).toBe(true);
        }
        // Once the messages it sends are delivered, what is still pending is what it said it skipped.
        let id = 1000;
        const after = [...attempts, ...sends.map((s) => a(id++, s.recipient, 'sent'))];
        const still = pendingFailures(after);
        for (const p of still) expect(steps).toContainEqual(expect.objectContaining({ action: 'skip', recipient: p.recipient }));
      }),
    );
  });
});
