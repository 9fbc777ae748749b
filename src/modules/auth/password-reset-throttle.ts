// Limits on asking for password-reset mails, counted in PostgreSQL (all instances): per address, so
// nobody floods the form (refused with a wait, which says nothing about any account); per email
// address, so nobody floods a person's mailbox (past it, no mail — the answer stays the same).
import { RateLimiterPostgres } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import { addressKey } from "./sign-in-throttle.js";

const HOUR = 3600;

export class PasswordResetThrottle {
  private readonly byAddress: RateLimiterPostgres;
  private readonly byEmail: RateLimiterPostgres;

  constructor(dataSource: DataSource, perAddressPerHour: number, perEmailPerHour: number) {
    const common = { storeClient: dataSource, storeType: "typeorm", tableName: "sign_in_throttle", tableCreated: true, clearExpiredByTimeout: false };
    this.byAddress = new RateLimiterPostgres({ ...common, keyPrefix: "reset-addr", points: perAddressPerHour, duration: HOUR });
    this.byEmail = new RateLimiterPostgres({ ...common, keyPrefix: "reset-email", points: perEmailPerHour, duration: HOUR });
  }

  /** Counts a request: the seconds this address must wait (0: go on), and whether a mail may go to `email`. */
  async attempt(email: string, address: string): Promise<{ wait: number; mail: boolean }> {
    const [byAddress, byEmail] = await Promise.all([this.byAddress.penalty(addressKey(address), 1), this.byEmail.penalty(email, 1)]);
    const wait = byAddress.consumedPoints > this.byAddress.points ? Math.max(1, Math.ceil(byAddress.msBeforeNext / 1000)) : 0;
    return { wait, mail: byEmail.consumedPoints <= this.byEmail.points };
  }
}
