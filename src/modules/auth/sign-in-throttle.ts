// Failed sign-ins are counted per email and per client address in PostgreSQL
// (rate-limiter-flexible), so the limit holds across all server instances.
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";

export class SignInThrottle {
  private readonly byEmail: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(dataSource: DataSource, maxFailures: number, windowSeconds: number) {
    const common = { storeClient: dataSource, storeType: "typeorm", tableName: "sign_in_throttle", tableCreated: true, clearExpiredByTimeout: false };
    this.byEmail = new RateLimiterPostgres({ ...common, keyPrefix: "email", points: maxFailures, duration: windowSeconds });
    // An address may try many accounts (an office behind one NAT), but not without bound.
    this.byAddress = new RateLimiterPostgres({ ...common, keyPrefix: "addr", points: maxFailures * 20, duration: windowSeconds });
  }

  /**
   * Counts an attempt before the password is checked (so parallel guesses cannot slip past the
   * limit); returns the seconds to wait when over the limit, else 0.
   */
  async attempt(email: string, address: string): Promise<number> {
    const results = await Promise.all([
      this.byEmail.penalty(email, 1).then((res) => [res, this.byEmail.points] as const),
      this.byAddress.penalty(address, 1).then((res) => [res, this.byAddress.points] as const),
    ]);
    const over = results.filter(([res, points]) => res.consumedPoints > points);
    if (over.length === 0) return 0;
    return Math.max(...over.map(([res]) => Math.ceil(res.msBeforeNext / 1000)), 1);
  }

  /** A successful sign-in clears the email's count and gives the address its attempt back. */
  async recordSuccess(email: string, address: string): Promise<void> {
    await Promise.all([this.byEmail.delete(email), this.byAddress.reward(address, 1)]);
  }
}
