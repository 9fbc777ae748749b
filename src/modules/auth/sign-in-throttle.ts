// Failed sign-ins are counted in PostgreSQL (rate-limiter-flexible), so the limits hold across all
// server instances. A stranger must not be able to lock a person out, so there is no lock per
// account alone:
// - per account and address: SIGN_IN_MAX_FAILURES attempts per window, then that address waits;
// - per address: twenty times that, over all accounts (one office behind one NAT still works);
// - per account over all addresses: past four times the limit the account is slowed down, not
//   locked: each address that has not signed in to it successfully before gets one attempt per
//   SLOW_DOWN_SECONDS (per address, so a stranger's attempts do not use up the person's).
//   Addresses the person signed in from (the last 30 days) are never slowed;
// - per account, a daily ceiling for unknown addresses (fifty times the limit): many addresses
//   together cannot guess on for ever; the person's known addresses still sign in.
// IPv6 addresses count per /64 (one network hands out many).
// The second step (an authenticator or recovery code) has its own limit per account: whoever got past
// the password gets SIGN_IN_MAX_FAILURES wrong codes per window, over all challenges and addresses.
// Attempts are counted before the password is checked, so parallel guesses cannot slip past.
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";

const SLOW_DOWN_SECONDS = 30;
const DAY_SECONDS = 86400;

/** The address as throttling counts it: IPv4 as is, IPv6 by its /64 network. */
export function addressKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.)/, "");
  if (!plain.includes(":")) return plain;
  const [head = "", tail = ""] = plain.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = plain.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
const KNOWN_ADDRESS_SECONDS = 30 * 86400;

export class SignInThrottle {
  private readonly byPair: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;
  private readonly byAccount: RateLimiterPostgres;
  private readonly slowed: RateLimiterPostgres;
  private readonly known: RateLimiterPostgres;
  private readonly daily: RateLimiterPostgres;
  private readonly codes: RateLimiterPostgres;

  constructor(dataSource: DataSource, maxFailures: number, windowSeconds: number) {
    const common = { storeClient: dataSource, storeType: "typeorm", tableName: "sign_in_throttle", tableCreated: true, clearExpiredByTimeout: false };
    this.byPair = new RateLimiterPostgres({ ...common, keyPrefix: "pair", points: maxFailures, duration: windowSeconds });
    this.byAddress = new RateLimiterPostgres({ ...common, keyPrefix: "addr", points: maxFailures * 20, duration: windowSeconds });
    this.byAccount = new RateLimiterPostgres({ ...common, keyPrefix: "email", points: maxFailures * 4, duration: windowSeconds });
    this.slowed = new RateLimiterPostgres({ ...common, keyPrefix: "slow", points: 1, duration: SLOW_DOWN_SECONDS });
    this.known = new RateLimiterPostgres({ ...common, keyPrefix: "known", points: 1, duration: KNOWN_ADDRESS_SECONDS });
    this.daily = new RateLimiterPostgres({ ...common, keyPrefix: "day", points: maxFailures * 50, duration: DAY_SECONDS });
    this.codes = new RateLimiterPostgres({ ...common, keyPrefix: "2fa", points: maxFailures, duration: windowSeconds });
  }

  /** Counts an attempt; returns the seconds to wait when this address must not try now, else 0. */
  async attempt(email: string, rawAddress: string): Promise<number> {
    const address = addressKey(rawAddress);
    const pair = `${email}|${address}`;
    const [known, pairRes, addressRes, accountRes] = await Promise.all([
      this.known.get(pair),
      this.byPair.penalty(pair, 1),
      this.byAddress.penalty(address, 1),
      this.byAccount.penalty(email, 1),
    ]);
    const waits: number[] = [];
    if (pairRes.consumedPoints > this.byPair.points) waits.push(pairRes.msBeforeNext);
    if (addressRes.consumedPoints > this.byAddress.points) waits.push(addressRes.msBeforeNext);
    if (!known) {
      const day = await this.daily.penalty(email, 1);
      if (day.consumedPoints > this.daily.points) waits.push(day.msBeforeNext);
    }
    if (!known && accountRes.consumedPoints > this.byAccount.points) {
      // Slowed, not locked: one attempt per SLOW_DOWN_SECONDS for this account from each unknown address.
      const slow = await this.slowed.penalty(pair, 1);
      if (slow.consumedPoints > 1) waits.push(slow.msBeforeNext);
    }
    return waits.length ? Math.max(1, Math.ceil(Math.max(...waits) / 1000)) : 0;
  }

  /** A successful sign-in clears this address's count for the account and makes it a known address. */
  async recordSuccess(email: string, rawAddress: string): Promise<void> {
    const address = addressKey(rawAddress);
    const pair = `${email}|${address}`;
    await Promise.all([this.byPair.delete(pair), this.byAddress.reward(address, 1), this.byAccount.reward(email, 1), this.known.set(pair, 1, KNOWN_ADDRESS_SECONDS)]);
  }

  /** Counts a second-step attempt for the account (before the code is checked); seconds to wait, or 0. */
  async codeAttempt(userId: string): Promise<number> {
    const result = await this.codes.penalty(userId, 1);
    return result.consumedPoints > this.codes.points ? Math.max(1, Math.ceil(result.msBeforeNext / 1000)) : 0;
  }

  /** A right code gives its attempt back. */
  async codeSuccess(userId: string): Promise<void> {
    await this.codes.reward(userId, 1);
  }
}
