// Limits on asking for password-reset mails, counted in PostgreSQL (all instances): per address, so
// nobody floods the form (refused with a wait, which says nothing about any account); per email
// address, so nobody floods a person's mailbox (past it, no mail — the answer stays the same).
import type { DataSource } from "typeorm";
import { HourlyLimit } from "./hourly-limit.js";

export class PasswordResetThrottle {
  private readonly byAddress: HourlyLimit;
  private readonly byEmail: HourlyLimit;

  constructor(dataSource: DataSource, perAddressPerHour: number, perEmailPerHour: number) {
    this.byAddress = new HourlyLimit(dataSource, "reset-addr", perAddressPerHour);
    this.byEmail = new HourlyLimit(dataSource, "reset-email", perEmailPerHour);
  }

  /** Counts a request: the seconds this address must wait (0: go on), and whether a mail may go to `email`. */
  async attempt(email: string, address: string): Promise<{ wait: number; mail: boolean }> {
    const [wait, emailWait] = await Promise.all([this.byAddress.attemptFrom(address), this.byEmail.attempt(email)]);
    return { wait, mail: emailWait === 0 };
  }
}
