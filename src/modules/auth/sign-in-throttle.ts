// Failed sign-ins are counted per email and per client address in PostgreSQL
// (rate-limiter-flexible), so the limit holds across all server instances.
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
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

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(email: string, address: string): Promise<number> {
    const [mail, addr] = await Promise.all([this.byEmail.get(email), this.byAddress.get(address)]);
    const blocked = [
      [mail, this.byEmail.points],
      [addr, this.byAddress.points],
    ].filter(([res, points]) => res && (res as RateLimiterRes).consumedPoints >= (points as number));
    if (blocked.length === 0) return 0;
    return Math.max(...blocked.map(([res]) => Math.ceil((res as RateLimiterRes).msBeforeNext / 1000)), 1);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([this.byEmail.penalty(email, 1), this.byAddress.penalty(address, 1)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}
