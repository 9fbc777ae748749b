// A limit per hour, counted in PostgreSQL (every instance sees the same counts): for what anyone may
// ask without signing in — starting a firm, asking for password-reset mails.
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import { addressKey } from "./sign-in-throttle.js";

export class HourlyLimit {
  private readonly limiter: RateLimiterPostgres;

  constructor(dataSource: DataSource, name: string, perHour: number) {
    this.limiter = new RateLimiterPostgres({
      storeClient: dataSource,
      storeType: "typeorm",
      tableName: "sign_in_throttle",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points: perHour,
      duration: 3600,
    });
  }

  /** Counts one for `key`: the seconds to wait when past the limit (0: within it). */
  async attempt(key: string): Promise<number> {
    const result = await this.limiter.penalty(key, 1);
    return result.consumedPoints > this.limiter.points ? Math.max(1, Math.ceil(result.msBeforeNext / 1000)) : 0;
  }

  /** Counts one for a client address (IPv6 by its /64). */
  attemptFrom(address: string): Promise<number> {
    return this.attempt(addressKey(address));
  }
}
